"""What runs inside each benchmark subprocess. Every child prints one JSON object on its last
stdout line: its measurements plus its own peak RSS (getrusage RUSAGE_SELF, i.e. the child's
high-water mark, model and all) and the load average at start and end.
"""

from __future__ import annotations

import json
import os
import random
import resource
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

T_PROCESS = time.perf_counter()


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _cpu() -> float:
    """CPU seconds of this process, all threads: far less sensitive than wall time to other jobs
    on a shared machine (they delay us, they do not add to our CPU time)."""
    return time.process_time()


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _encoder(max_tokens: int, precision: str):
    from cluster.encoders.base import get_encoder

    return get_encoder("all-MiniLM-L6-v2", max_tokens=max_tokens, precision=precision)


# --------------------------------------------------------------------------- one pipeline night


def night(spec: dict) -> dict:
    """run_night on `spec['inputs']` into `spec['db']`; model preloaded (timed apart) unless rerun."""
    from cluster.config import Config
    from cluster.events import CpuTimer
    from cluster.grouping.reuse import ReuseParams
    from cluster.night import run_night
    from cluster.settings import Settings

    load0 = _load()
    t_import = time.perf_counter() - T_PROCESS
    cfg = Config(
        db=spec["db"],
        max_tokens=spec.get("max_tokens", 256),
        precision=spec.get("precision", "auto"),
        batch_size=spec.get("batch_size", 64),
    )
    model_s = None
    if spec.get("preload", True):
        t = time.perf_counter()
        enc = _encoder(cfg.max_tokens, cfg.precision)
        enc.encode(["warm-up"], batch_size=1)
        model_s = time.perf_counter() - t
        factory = lambda: enc  # noqa: E731
    else:
        factory = lambda: _encoder(cfg.max_tokens, cfg.precision)  # noqa: E731
    as_of = datetime.fromisoformat(spec["as_of"])
    timer = CpuTimer()
    t = time.perf_counter()
    c = _cpu()
    settings = Settings(config=cfg, reuse=ReuseParams(enabled=spec.get("reuse", True)))
    report = run_night(settings, spec["inputs"], factory, as_of=as_of, observers=[timer])
    cpu = _cpu() - c
    wall = time.perf_counter() - t
    out = {
        "wall": wall,
        "cpu": cpu,
        "stage_cpu": timer.seconds,
        "seconds": report.seconds,
        "counts": report.counts,
        "status": report.status,
        "model_load": model_s,
        "import": t_import,
        "rss_mb": _rss_mb(),
        "load_start": load0,
        "load_end": _load(),
        "db_mb": os.path.getsize(spec["db"]) / 2**20,
    }
    if spec.get("score"):
        out["bcubed_synthetic"] = _score_db(spec["db"], spec["inputs"])
    out["process"] = time.perf_counter() - T_PROCESS
    return out


def _score_db(db: str, inputs: list[str]) -> dict:
    """B-cubed of the night's story assignment against the generator's gold story labels."""
    from cluster.evaluate.metrics import bcubed
    from storage import db as dbm
    from storage.readers import jsonl
    from storage.records import Article

    gold = {}
    for p in inputs:
        for path in sorted(Path(p).glob("*.jsonl")) if Path(p).is_dir() else [Path(p)]:
            data = path.read_bytes()
            lines = data.decode().splitlines()
            for line, art in zip(lines, jsonl.read(data, str(path))):
                if isinstance(art, Article):
                    gold[art.article_id] = json.loads(line)["story"]
    con = dbm.connect(db, read_only=True)
    try:
        pred = dict(con.execute("SELECT article_id, story_id FROM story_articles WHERE role <> 'withdrawn'").fetchall())
    finally:
        con.close()
    ids = sorted(set(gold) & set(pred))
    precision, recall, f1 = bcubed([gold[a] for a in ids], [pred[a] for a in ids])
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "n": len(ids)}


# --------------------------------------------------------------------------- the encoder alone


def _embedded_texts(db: str, model: str) -> list[tuple[str, str]]:
    """(content_hash, encoder_text) of every text the night embedded, in the pipeline's order."""
    from cluster.encoders.base import encoder_text
    from storage import db as dbm

    con = dbm.connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT e.content_hash, any_value(a.headline), any_value(a.body) FROM embeddings e "
            "JOIN articles a USING (content_hash) WHERE e.model = ? GROUP BY 1 ORDER BY 1",
            [model],
        ).fetchall()
    finally:
        con.close()
    return [(h, encoder_text(hl or "", b or "")) for h, hl, b in rows]


def encoder(spec: dict) -> dict:
    """The model alone on the texts the night embedded (optionally a seeded sample of them)."""
    load0 = _load()
    t = time.perf_counter()
    enc = _encoder(spec.get("max_tokens", 256), spec.get("precision", "auto"))
    enc.encode(["warm-up"], batch_size=1)
    model_s = time.perf_counter() - t
    pairs = _embedded_texts(spec["db"], enc.cache_key)
    if spec.get("sample") and spec["sample"] < len(pairs):
        pairs = sorted(random.Random(spec.get("seed", 1)).sample(pairs, spec["sample"]))
    texts = [x for _, x in pairs]
    t = time.perf_counter()
    c = _cpu()
    enc.encode(texts, batch_size=spec.get("batch_size", 64))
    cpu = _cpu() - c
    secs = time.perf_counter() - t
    return {
        "n": len(texts),
        "seconds": secs,
        "per_s": len(texts) / secs,
        "cpu": cpu,
        "cpu_per_text": cpu / len(texts),
        "model_load": model_s,
        "bf16": enc.bf16,
        "rss_mb": _rss_mb(),
        "load_start": load0,
        "load_end": _load(),
    }


def precision(spec: dict) -> dict:
    """bf16 vs fp32 at 128 and 256 tokens on the same texts: throughput and min cosine bf16-fp32."""
    from cluster.encoders.base import encoder_text

    texts = []
    for path in sorted(Path(spec["inputs"]).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            texts.append(encoder_text(r["title"], r["text"]))
    texts = random.Random(spec.get("seed", 1)).sample(sorted(texts), min(spec["n"], len(texts)))
    out: dict = {"n": len(texts), "load_start": _load()}
    for tokens in (128, 256):
        vecs = {}
        for prec in ("bf16", "fp32"):
            enc = _encoder(tokens, prec)
            enc.encode(texts[:8], batch_size=8)
            t = time.perf_counter()
            vecs[prec] = enc.encode(texts, batch_size=64)
            secs = time.perf_counter() - t
            out[f"{prec}@{tokens}"] = {"seconds": secs, "per_s": len(texts) / secs}
        cos = np.sum(vecs["bf16"] * vecs["fp32"], axis=1)
        out[f"cos@{tokens}"] = {"min": float(cos.min()), "mean": float(cos.mean())}
    out["load_end"] = _load()
    out["rss_mb"] = _rss_mb()
    return out


def quality(spec: dict) -> dict:
    """B-cubed F1 of cluster_documents on ecbplus and neus with the precomputed 128/256 vectors."""
    from cluster.evaluate.metrics import bcubed
    from cluster.grouping.clustering import cluster_documents

    out = {}
    for corpus in ("ecbplus", "neus"):
        recs = [
            json.loads(line) for line in open(f"{spec['eval_dir']}/{corpus}.jsonl", encoding="utf-8") if line.strip()
        ]
        texts = [f"{r.get('title') or ''}\n\n{r.get('text') or ''}" for r in recs]
        gold = [r["story"] for r in recs]
        for tokens in (128, 256):
            vecs = np.load(f"{spec['emb_dir']}/{corpus}_minilm{tokens}.npy").astype(np.float32)
            assert len(vecs) == len(recs), (corpus, tokens, len(vecs), len(recs))
            t = time.perf_counter()
            labels = cluster_documents(vecs, texts, [None] * len(recs))
            p, r, f = bcubed(gold, labels.tolist())
            out[f"{corpus}@{tokens}"] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "n": len(recs),
                "seconds": round(time.perf_counter() - t, 2),
            }
    return out


# --------------------------------------------------------------------------- archive support


def encode_nights(spec: dict) -> dict:
    """Real-model vectors for every distinct text of the given night dirs, saved to an .npz cache."""
    from cluster.encoders.base import encoder_text
    from storage.readers import jsonl
    from storage.records import Article

    enc = _encoder(256, "auto")
    hashes, texts, seen = [], [], set()
    for d in spec["inputs"]:
        for path in sorted(Path(d).glob("*.jsonl")):
            for art in jsonl.read(path.read_bytes(), str(path)):
                if not isinstance(art, Article):
                    continue
                h = art.content_hash
                if h not in seen:
                    seen.add(h)
                    hashes.append(h)
                    texts.append(encoder_text(art.headline, art.body))
    t = time.perf_counter()
    vecs = enc.encode(texts, batch_size=64)
    secs = time.perf_counter() - t
    np.savez(spec["out"], hashes=np.array(hashes), vectors=vecs.astype(np.float32), model=np.array(enc.name))
    return {
        "n": len(texts),
        "seconds": secs,
        "per_s": len(texts) / secs,
        "model": enc.name,
        "rss_mb": _rss_mb(),
        "load_start": [],
        "load_end": _load(),
    }


def prefill(spec: dict) -> dict:
    """Create/open a DB and insert the cached night vectors (the same rows into every DB compared)."""
    from storage import db as dbm
    from storage import store

    cache = np.load(spec["cache"])
    con = dbm.connect(spec["db"])
    try:
        n = store.insert_embeddings(con, [str(h) for h in cache["hashes"]], str(cache["model"]), cache["vectors"])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"inserted": n, "db_mb": os.path.getsize(spec["db"]) / 2**20}


def archive(spec: dict) -> dict:
    from bench_lib.archive import build_archive

    t = time.perf_counter()
    info = build_archive(spec["db"], spec["n"], spec["seed"], datetime.fromisoformat(spec["before"]), spec["model"])
    info["seconds"] = time.perf_counter() - t
    info["rss_mb"] = _rss_mb()
    return info


MODES = {
    "night": night,
    "encoder": encoder,
    "precision": precision,
    "quality": quality,
    "encode_nights": encode_nights,
    "prefill": prefill,
    "archive": archive,
}


def main(argv: list[str]) -> None:
    spec = json.loads(argv[0])
    out = MODES[spec["mode"]](spec)
    sys.stdout.flush()
    print("\n" + json.dumps(out, default=str))


_ = timedelta
