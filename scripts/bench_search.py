"""Search on a 1M-article synthetic archive: keyword, full-text, exact and HNSW semantic latency,
HNSW recall@10 against the exact top-10, and the cold start of `wirestory stories search`.

    nice -n 10 python scripts/bench_search.py --db /tmp/search-1m.duckdb [--articles 1000000]

The archive is built once (and reused when the file exists): articles of an 8-word headline and a
60-word body drawn Zipf-wise from the ~20k words of the demo and eval corpora (cheaper than
scripts/bench_lib/synth.py's 150-800-word bodies, which would take hours to index here), in
English, German and French by label, two articles a story, and random-normal 384-d unit vectors
as embeddings (embedding 1M texts with MiniLM is not possible on this machine in the time). The
search indexes are then built by `storage.fts.build` / `storage.vss.build` as the night builds them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import db as dbm  # noqa: E402

MODEL = "all-MiniLM-L6-v2@256|2000c|bf16"
DIM = 384
CORPORA = [
    ROOT / "demo" / "night1.jsonl",
    ROOT / "demo" / "night2.jsonl",
    ROOT.parent / "shared/corpora/eval/neus.jsonl",
]


def vocabulary() -> np.ndarray:
    words: set[str] = set()
    for path in CORPORA:
        if not path.exists():
            continue
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            words.update(re.findall(r"[a-z]{3,}", (r.get("title", "") + " " + r.get("text", "")).lower()))
    return np.array(sorted(words))


def build_archive(path: str, n: int, seed: int = 7, chunk: int = 100_000) -> None:
    rng = np.random.default_rng(seed)
    vocab = vocabulary()
    rng.shuffle(vocab)
    p = 1.0 / np.arange(1, len(vocab) + 1) ** 1.05
    p /= p.sum()
    con = dbm.connect(path)
    base = datetime(2026, 1, 1)
    t0 = time.perf_counter()
    for start in range(0, n, chunk):
        m = min(chunk, n - start)
        ids = np.arange(start, start + m)
        head = vocab[rng.choice(len(vocab), size=(m, 8), p=p)]
        body = vocab[rng.choice(len(vocab), size=(m, 60), p=p)]
        headlines = [" ".join(r).capitalize() for r in head]
        bodies = [" ".join(r) + "." for r in body]
        aid = [f"a{i:08d}" for i in ids]
        chash = [f"h{i:08d}" for i in ids]
        story = [f"S{i // 2:011d}" for i in ids]
        lang = np.array(["en", "de", "fr"])[rng.choice(3, size=m, p=[0.8, 0.1, 0.1])]
        times = [base + timedelta(seconds=int(i) * 30) for i in ids]
        arts = pa.table(
            {
                "article_id": aid, "source": ["Reuters"] * m, "item_key": aid, "version": pa.array([1] * m, pa.int64()),
                "received_at": times, "event_time": times, "headline": headlines, "body": bodies,
                "language": lang.tolist(), "pubstatus": ["usable"] * m, "content_hash": chash, "run_id": ["r0"] * m,
            }
        )  # fmt: skip
        con.register("_a", arts)
        con.execute(
            "INSERT INTO articles (article_id, source, item_key, version, received_at, event_time, headline, body, "
            "language, pubstatus, content_hash, run_id) SELECT * FROM _a"
        )
        con.unregister("_a")
        vec = rng.standard_normal((m, DIM), dtype=np.float32)
        vec /= np.linalg.norm(vec, axis=1, keepdims=True)
        emb = pa.table(
            {
                "content_hash": chash, "model": [MODEL] * m, "dim": pa.array([DIM] * m, pa.int32()),
                "vector": pa.FixedSizeListArray.from_arrays(pa.array(vec.ravel()), DIM).cast(pa.list_(pa.float32())),
            }
        )  # fmt: skip
        con.register("_e", emb)
        con.execute("INSERT INTO embeddings SELECT * FROM _e")
        con.unregister("_e")
        sa = pa.table({"article_id": aid, "story_id": story, "role": ["canonical"] * m, "run_id": ["r0"] * m})
        con.register("_s", sa)
        con.execute("INSERT INTO story_articles SELECT * FROM _s")
        con.unregister("_s")
        print(f"  {start + m} articles, {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    con.execute(
        "INSERT INTO stories (story_id, status, first_seen, last_seen, headline, n_articles, n_sources, credit_line) "
        "SELECT sa.story_id, 'active', min(a.event_time), max(a.event_time), any_value(a.headline), count(*), 1, '(Reuters)' "
        "FROM story_articles sa JOIN articles a USING (article_id) GROUP BY sa.story_id"
    )
    con.execute("CHECKPOINT")
    con.close()


def _ms(f, repeats: int) -> float:
    """Warm latency of `f` in ms: one untimed run, then the median of `repeats`."""
    f()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _med(values) -> float | None:
    got = list(values)
    return statistics.median(got) if got else None


def _wall(cmd: list[str], env: dict, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/search-1m.duckdb")
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true", help="Skip the subprocess cold-start timings.")
    ap.add_argument("--clustered", action="store_true", help="HNSW sample: clustered vectors instead of the archive's.")
    ap.add_argument("--hnsw-m", type=int, help="HNSW M for the in-memory sample (default storage.vss.HNSW_M).")
    ap.add_argument("--only-hnsw", action="store_true", help="Skip keyword, full-text and exact timings.")
    ap.add_argument("--cold-db", help="Archive for the semantic cold start (default --db).")
    ap.add_argument("--exact-queries", type=int, default=5, help="Queries timed for the exact scan (slow at 1M).")
    ap.add_argument(
        "--hnsw-vectors",
        type=int,
        default=0,
        help="Measure HNSW on this many of the vectors, in memory (0: all, sidecar).",
    )
    args = ap.parse_args(argv)

    from storage import fts, queries, search_index, vss

    out: dict = {"articles": args.articles}
    if not Path(args.db).exists():
        t = time.perf_counter()
        build_archive(args.db, args.articles)
        out["build_archive_s"] = round(time.perf_counter() - t, 1)
    con = dbm.connect(args.db)
    if args.hnsw_vectors:  # the HNSW part builds its own index over a sample: only the full-text index here
        t = time.perf_counter()
        counts = {"index_fts_articles": fts.refresh(con), "index_fts_seconds": round(time.perf_counter() - t, 1)}
    else:
        counts = search_index.refresh(con, args.db, MODEL)
    out.update({k: v for k, v in counts.items() if v is not None})
    con.close()
    print(json.dumps(out), file=sys.stderr, flush=True)

    con = dbm.connect(args.db, read_only=True)
    assert fts.state(con) == "fresh"
    rng = np.random.default_rng(11)
    common = [r[0] for r in con.execute(
        "SELECT term FROM search.dict WHERE stemmer = 'english' AND length(term) > 3 ORDER BY df DESC LIMIT 3000"
    ).fetchall()]  # fmt: skip
    words = [common[int(i)] for i in rng.integers(100, len(common), size=3 * args.queries)]
    keyword = [" ".join(words[i : i + 1]) for i in range(args.queries)]
    full = [" ".join(words[i : i + 3]) for i in range(0, 3 * args.queries, 3)]
    notes: list[str] = []
    if args.only_hnsw:
        args.exact_queries = 0
        keyword, full = keyword[:0], full[:0]
    out["keyword_ms"] = _med(
        _ms(
            lambda q=q: queries.search_stories(con, None, None, keyword=q, limit=20, on_fallback=notes.append),
            args.repeats,
        )
        for q in keyword
    )
    out["fulltext_ms"] = _med(
        _ms(
            lambda q=q: queries.search_stories(con, None, None, fulltext=q, limit=20, on_fallback=notes.append),
            args.repeats,
        )
        for q in full
    )
    print(json.dumps(out), file=sys.stderr, flush=True)

    # semantic: queries near stored vectors (cosine ~0.7 to their source, like a paraphrase) and pure random ones
    stored = con.execute(
        f"SELECT vector::FLOAT[{DIM}] FROM embeddings USING SAMPLE reservoir({args.queries} ROWS) REPEATABLE (3)"
    ).fetchall()
    near = []
    for (v,) in stored:
        q = np.asarray(v, dtype=np.float32) + rng.standard_normal(DIM).astype(np.float32) * 0.04
        near.append((q / np.linalg.norm(q)).tolist())
    rand = [(v / np.linalg.norm(v)).tolist() for v in rng.standard_normal((args.queries, DIM)).astype(np.float32)]
    # exact, story level, on the whole archive (what `stories search TEXT` does below the threshold
    # or without a fresh sidecar)
    out["exact_ms"] = _med(
        _ms(lambda q=q: queries.search_stories(con, q, MODEL, limit=10, on_fallback=notes.append), 1)
        for q in near[: args.exact_queries]
    )
    print(json.dumps(out), file=sys.stderr, flush=True)
    side = vss.sidecar_path(args.db)
    total = int(dbm.scalar(con, "SELECT count(*) FROM embeddings WHERE model = ?", [MODEL]))
    n_hnsw = min(args.hnsw_vectors or total, total)
    out["hnsw_vectors"] = n_hnsw
    mem = None
    if n_hnsw < total or not Path(side).exists():
        # HNSW over a sample, in memory: building it over 1M vectors is out of reach here (docs/performance.md)
        import duckdb

        mem = duckdb.connect()
        fts.load_extension(mem, "vss")
        rows = con.execute(
            f"SELECT content_hash, vector::FLOAT[{DIM}] AS vector FROM embeddings WHERE model = ? ORDER BY content_hash LIMIT ?",
            [MODEL, n_hnsw],
        ).to_arrow_table()
        mem.register("_v", rows)
        mem.execute("CREATE TABLE vecs AS SELECT * FROM _v")
        if args.clustered:
            # stories' articles are close (cosine ~0.8 to their story's centre), stories are not:
            # the structure real embeddings have, unlike i.i.d. random vectors
            centres = rng.standard_normal((max(1, n_hnsw // 4), DIM)).astype(np.float32)
            centres /= np.linalg.norm(centres, axis=1, keepdims=True)
            pts = centres[rng.integers(0, len(centres), n_hnsw)] + rng.standard_normal((n_hnsw, DIM)).astype(
                np.float32
            ) * (0.75 / np.sqrt(DIM))
            pts /= np.linalg.norm(pts, axis=1, keepdims=True)
            mem.execute("DROP TABLE vecs")
            mem.register(
                "_c",
                pa.table(
                    {
                        "content_hash": [f"c{i}" for i in range(n_hnsw)],
                        "vector": pa.FixedSizeListArray.from_arrays(pa.array(pts.ravel()), DIM),
                    }
                ),
            )
            mem.execute(f"CREATE TABLE vecs AS SELECT content_hash, vector::FLOAT[{DIM}] AS vector FROM _c")
            out["hnsw_data"] = "clustered"
        base = [r[0] for r in mem.execute(f"SELECT vector FROM vecs USING SAMPLE {args.queries} ROWS").fetchall()]
        near = []
        for v in base:
            q = np.asarray(v, dtype=np.float32) + rng.standard_normal(DIM).astype(np.float32) * 0.04
            near.append((q / np.linalg.norm(q)).tolist())
        t = time.perf_counter()
        mem.execute(
            f"CREATE INDEX vecs_hnsw ON vecs USING HNSW (vector) WITH (metric = 'cosine', M = {args.hnsw_m or vss.HNSW_M}, "
            f"ef_construction = {vss.HNSW_EF_CONSTRUCTION})"
        )
        out["hnsw_build_s"] = round(time.perf_counter() - t, 1)
        out["hnsw_m"] = args.hnsw_m or vss.HNSW_M
        exact_con, table, hnsw_con, hnsw_table = mem, "vecs", mem, "vecs"
    else:
        con.execute(f"ATTACH '{side}' AS hnsw_side (READ_ONLY)")
        exact_con, table, hnsw_con, hnsw_table = con, "hnsw_side.vecs", con, "hnsw_side.vecs"
    hnsw_con.execute(f"SET hnsw_ef_search = {vss.candidates(10)}")
    recall: dict[str, list[float]] = {"near": [], "random": []}
    in_candidates: dict[str, list[float]] = {"near": [], "random": []}
    ann_ms = []
    for kind, qs in (("near", near), ("random", rand)):
        for q in qs:
            exact = {
                r[0]
                for r in exact_con.execute(
                    f"SELECT content_hash FROM {table} ORDER BY array_cosine_distance(vector, ?::FLOAT[{DIM}]) + 0 LIMIT 10",
                    [q],
                ).fetchall()
            }  # fmt: skip  (+ 0: not the index's pattern, so an exact scan)
            ann = (
                f"SELECT content_hash, array_cosine_distance(vector, ?::FLOAT[{DIM}]) AS d FROM {hnsw_table} "
                f"ORDER BY d LIMIT {vss.candidates(10)}"
            )
            hits = sorted(hnsw_con.execute(ann, [q, q] if ann.count("?") == 2 else [q]).fetchall(), key=lambda r: r[1])
            recall[kind].append(len(exact & {h[0] for h in hits[:10]}) / 10)
            in_candidates[kind].append(len(exact & {h[0] for h in hits}) / 10)
            ann_ms.append(_ms(lambda q=q, ann=ann: hnsw_con.execute(ann, [q]).fetchall(), args.repeats))
    plan = hnsw_con.execute(
        f"EXPLAIN SELECT content_hash FROM {hnsw_table} ORDER BY array_cosine_distance(vector, ?::FLOAT[{DIM}]) LIMIT 10",
        [near[0]],
    ).fetchall()
    out["hnsw_index_scan_in_plan"] = "HNSW_INDEX_SCAN" in str(plan)
    out["hnsw_ann_ms"] = statistics.median(ann_ms)
    out["hnsw_recall10_near"] = statistics.mean(recall["near"])
    out["hnsw_recall10_random"] = statistics.mean(recall["random"])
    # what story search uses: the exact top-10 among the index's candidates(10) nearest
    out["hnsw_top10_in_candidates_near"] = statistics.mean(in_candidates["near"])
    out["hnsw_top10_in_candidates_random"] = statistics.mean(in_candidates["random"])
    if mem is None:
        out["hnsw_story_ms"] = statistics.median(
            _ms(lambda q=q: queries.search_stories(con, q, MODEL, limit=10, on_fallback=notes.append), args.repeats)
            for q in near
        )
    out["fallback_notes"] = len(notes)
    con.close()
    print(json.dumps(out), file=sys.stderr, flush=True)

    if not args.no_cold:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for var in ("WIRESTORY_MODEL", "WIRESTORY_CONFIG"):
            env.pop(var, None)
        py = sys.executable
        for name, code in (
            ("import_sentence_transformers_s", "import sentence_transformers"),
            ("import_transformers_s", "import transformers; from transformers import BertModel"),
            ("import_torch_tokenizers_s", "import torch, tokenizers, safetensors.torch"),
        ):
            out[name] = round(_wall([py, "-c", code], env), 2)
            print(json.dumps({name: out[name]}), file=sys.stderr, flush=True)
        cli = [py, "-c", "from cluster.cli.main import main; main()", "--db", args.db, "stories", "search"]
        out["cold_keyword_s"] = round(_wall([*cli, "--keyword", keyword[0]], env), 2)
        out["cold_fulltext_s"] = round(_wall([*cli, full[0], "--fulltext"], env), 2)
        print(json.dumps({k: out[k] for k in ("cold_keyword_s", "cold_fulltext_s")}), file=sys.stderr, flush=True)
        # semantic: on --cold-db (an archive below the HNSW threshold: the exact scan of 1M vectors
        # without a sidecar would be timed, not the start-up)
        semantic = [py, "-c", "from cluster.cli.main import main; main()", "--db", args.cold_db or args.db]
        out["cold_semantic_s"] = round(
            _wall([*semantic, "stories", "search", "dock workers strike over automation"], env), 2
        )
    out["uptime"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
