"""Search on a 1M-article synthetic archive: keyword, full-text, exact and sidecar semantic latency,
the sidecar's answers against the exact scan's, the cost of a night's append to the sidecar, and
the cold start of `wirestory stories search`.

    nice -n 10 python scripts/bench_search.py --db /tmp/search-1m.duckdb [--articles 1000000]

The archive is built once (and reused when the file exists): articles of an 8-word headline and a
60-word body drawn Zipf-wise from the ~20k words of the demo and eval corpora (cheaper than
scripts/bench_lib/synth.py's 150-800-word bodies, which would take hours to index here), in
English, German and French by label, two articles a story, and random-normal 384-d unit vectors
as embeddings (embedding 1M texts with MiniLM is not possible on this machine in the time). The
search indexes are then built by `storage.search_index.refresh` as the night builds them.
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


NIGHT_APPEND = """
import json, sys, time
sys.path.insert(0, {root!r})
import numpy as np, pyarrow as pa
from storage import db as dbm, search_index
con = dbm.connect({db!r})
n, dim, model = {n}, {dim}, {model!r}
rng = np.random.default_rng(99)
ids = [f"night{{i:07d}}" for i in range(n)]
con.register("_a", pa.table({{"article_id": ids, "content_hash": [f"nh{{i}}" for i in range(n)]}}))
con.execute(
    "INSERT INTO articles (article_id, source, item_key, version, received_at, event_time, headline, body, language, "
    "pubstatus, content_hash, run_id) SELECT article_id, 'AP', article_id, 1, now(), now(), 'Night copy', 'Night body.', "
    "'en', 'usable', content_hash, 'night' FROM _a"
)
vec = rng.standard_normal((n, dim), dtype=np.float32)
vec /= np.linalg.norm(vec, axis=1, keepdims=True)
con.register("_e", pa.table({{"content_hash": [f"nh{{i}}" for i in range(n)], "model": [model] * n,
    "dim": pa.array([dim] * n, pa.int32()),
    "vector": pa.FixedSizeListArray.from_arrays(pa.array(vec.ravel()), dim).cast(pa.list_(pa.float32()))}}))
con.execute("INSERT INTO embeddings SELECT * FROM _e")
con.execute("INSERT INTO story_articles SELECT article_id, 'SN' || article_id, 'canonical', 'night' FROM _a")
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024
before = status("VmRSS")
open("/proc/self/clear_refs", "w").write("5")  # peak RSS from here: the refresh's own
t = time.perf_counter()
vss_only = search_index.vss.refresh(con, model, dim, search_index.vss.sidecar_path({live!r}))
print(json.dumps({{"night_append_rows": vss_only, "night_append_s": round(time.perf_counter() - t, 2),
    "night_append_rss_mb_before": before, "night_append_peak_rss_mb": status("VmHWM")}}))
"""


def night_append(db: str, n: int) -> dict:
    """Append an `n`-article night to a copy of the archive and its sidecar (in a subprocess, for its
    peak RSS): the sidecar's refresh time and memory, which should follow the night, not the archive."""
    import shutil

    from storage import vss

    copy = f"{db}.nightcopy"
    shutil.copyfile(db, copy)
    shutil.rmtree(vss.sidecar_path(copy), ignore_errors=True)
    shutil.copytree(vss.sidecar_path(db), vss.sidecar_path(copy))
    code = NIGHT_APPEND.format(root=str(ROOT), db=copy, n=n, dim=DIM, model=MODEL, live=copy)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    got = json.loads(done.stdout.strip().splitlines()[-1])
    Path(copy).unlink()
    shutil.rmtree(vss.sidecar_path(copy))
    return got


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="/tmp/search-1m.duckdb")
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true", help="Skip the subprocess cold-start timings.")
    ap.add_argument("--cold-db", help="Archive for the semantic cold start (default --db).")
    ap.add_argument("--exact-queries", type=int, default=3, help="Queries timed for the exact scan (slow at 1M).")
    ap.add_argument("--night", type=int, default=10_000, help="Articles of the night appended to a copy (0: skip).")
    args = ap.parse_args(argv)

    from storage import fts, queries, search_index, vss

    out: dict = {"articles": args.articles}
    if not Path(args.db).exists():
        t = time.perf_counter()
        build_archive(args.db, args.articles)
        out["build_archive_s"] = round(time.perf_counter() - t, 1)
    con = dbm.connect(args.db)
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
    # exact (DuckDB's scan of every vector, what a search does without a fresh sidecar) against the
    # sidecar, story level, best 10 stories
    exact = {
        i: queries.search_stories(con, q, MODEL, limit=None)[:10] for i, q in enumerate(near[: args.exact_queries])
    }
    out["exact_ms"] = _med(
        _ms(lambda q=q: queries.search_stories(con, q, MODEL, limit=None), 1) for q in near[: args.exact_queries]
    )
    out["sidecar_equals_exact"] = all(
        queries.search_stories(con, near[i], MODEL, limit=10, on_fallback=notes.append) == rows
        for i, rows in exact.items()
    )
    side = vss.sidecar_path(args.db)
    total = int(dbm.scalar(con, "SELECT count(*) FROM embeddings WHERE model = ?", [MODEL]))
    mats, status = vss._open(con, side, MODEL, DIM, total)
    out["sidecar_status"] = status
    out["sidecar_rows"] = sum(len(m) for m, _ in mats)
    out["sidecar_scan_ms"] = _med(
        _ms(lambda q=q: vss.best_rows(side, mats, np.asarray(q, np.float32), vss.candidates(10)), args.repeats)
        for q in near + rand
    )
    for kind, qs in (("near", near), ("random", rand)):
        out[f"sidecar_story_{kind}_ms"] = _med(
            _ms(lambda q=q: queries.search_stories(con, q, MODEL, limit=10, on_fallback=notes.append), args.repeats)
            for q in qs
        )
    out["fallback_notes"] = len(notes)
    con.close()
    print(json.dumps(out), file=sys.stderr, flush=True)
    if args.night:
        out.update(night_append(args.db, args.night))
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
        semantic = [py, "-c", "from cluster.cli.main import main; main()", "--db", args.cold_db or args.db]
        out["cold_semantic_s"] = round(
            _wall([*semantic, "stories", "search", "dock workers strike over automation"], env), 2
        )
    out["uptime"] = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
