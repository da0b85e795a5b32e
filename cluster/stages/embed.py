"""Stage 3, embed: a vector for every text, from the cache where that text was embedded before.

Vectors are cached by (content hash, encoder cache key): the key names the model, its token and
character cuts and its precision, so a change of any of them re-embeds and never mixes vectors.
New texts are encoded in chunks, each reported to the observer (progress bars).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np

from cluster.encoders.base import Encoder, encoder_text
from cluster.events import NightReport, Observer
from storage import store

#: Batches encoded between two progress reports.
CHUNK_BATCHES = 32


def vectors_for(
    con: duckdb.DuckDBPyConnection,
    texts: dict[str, tuple[str, str]],
    encoder: Encoder,
    batch_size: int,
    observer: Observer,
) -> tuple[dict[str, np.ndarray], int]:
    """Vectors of `texts` (content hash -> (headline, body)), cached ones read, new ones encoded
    and stored; returns them and how many were new."""
    cached = store.cached_embeddings(con, sorted(texts), encoder.cache_key)
    missing = sorted(h for h in texts if h not in cached)
    if missing:
        chunk = max(1, batch_size * CHUNK_BATCHES)
        parts = []
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            parts.append(encoder.encode([encoder_text(*texts[h]) for h in part], batch_size=batch_size))
            observer.embedding(start + len(part), len(missing))
        vectors = np.concatenate(parts)
        store.insert_embeddings(con, missing, encoder.cache_key, vectors)
        cached.update(zip(missing, vectors))
    return cached, len(missing)


def embed_docs(
    con: duckdb.DuckDBPyConnection,
    docs: Sequence,
    rows: dict[str, dict],
    encoder: Encoder,
    batch_size: int,
    report: NightReport,
    observer: Observer,
) -> np.ndarray:
    """One vector row per doc, in order."""
    texts: dict[str, tuple[str, str]] = {}
    for d in docs:
        r = rows[d.article_id]
        texts.setdefault(d.content_hash, (r["headline"] or "", r["body"] or ""))
    vectors, new = vectors_for(con, texts, encoder, batch_size, observer)
    report.counts["embed_cached"] = len(texts) - new
    report.counts["embed_new"] = new
    if not docs:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([vectors[d.content_hash] for d in docs]).astype(np.float32)
