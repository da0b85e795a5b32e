"""Stage 3, embed: a vector for every text, from the cache where that text was embedded before.

Vectors are cached by (content hash, encoder cache key): the key names the model, its token and
character cuts and its precision, so a change of any of them re-embeds and never mixes vectors.
A new text that copies another almost word for word (a wire redistributing another's story, a
version whose text barely changed: `cluster.grouping.reuse`) takes the vector of the text it
copies, under the same key, instead of being encoded; that vector is cached under the copy's own
content hash too, so the copy keeps it on every later night. New texts are encoded in chunks,
each reported to the observer (progress bars).
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import numpy as np

from cluster.encoders.base import Encoder, encoder_text
from cluster.events import NightReport, Observer
from cluster.grouping.reuse import ReuseParams, copies
from cluster.window import Window
from storage import store

#: Batches encoded between two progress reports.
CHUNK_BATCHES = 32


def vectors_for(
    con: duckdb.DuckDBPyConnection,
    texts: dict[str, tuple[str, str]],
    encoder: Encoder,
    batch_size: int,
    observer: Observer,
    reuse: ReuseParams | None = None,
    anchors: dict[str, tuple[str, str]] | None = None,
    order: dict[str, tuple] | None = None,
) -> tuple[dict[str, np.ndarray], int, int]:
    """Vectors of `texts` (content hash -> (headline, body)), cached ones read, new ones encoded
    and stored; returns them, how many were encoded and how many took another text's vector.

    With `reuse`, a new text that copies a cached text or an earlier new one takes that text's
    vector (`cluster.grouping.reuse.copies`); `anchors` are further texts (older versions of the
    same items) whose cached vectors may be taken; `order` sorts the new texts (oldest first, so
    the original is the one encoded).
    """
    cached = store.cached_embeddings(con, sorted(texts), encoder.cache_key)
    missing = sorted(h for h in texts if h not in cached)
    copy_of: dict[str, str] = {}
    if missing and reuse is not None and reuse.enabled:
        copy_of = _copy_of(con, texts, cached, missing, encoder.cache_key, reuse, anchors or {}, order or {})
        missing = [h for h in missing if h not in copy_of]
    known = dict(cached)
    if missing:
        chunk = max(1, batch_size * CHUNK_BATCHES)
        parts = []
        for start in range(0, len(missing), chunk):
            part = missing[start : start + chunk]
            parts.append(encoder.encode([encoder_text(*texts[h]) for h in part], batch_size=batch_size))
            observer.embedding(start + len(part), len(missing))
        vectors = np.concatenate(parts)
        store.insert_embeddings(con, missing, encoder.cache_key, vectors)
        known.update(zip(missing, vectors))
    if copy_of:
        taken = sorted(copy_of)
        store.insert_embeddings(con, taken, encoder.cache_key, np.stack([known[copy_of[h]] for h in taken]))
        known.update((h, known[copy_of[h]]) for h in taken)
    for h in set(known) - set(texts):
        del known[h]  # anchors outside `texts`
    return known, len(missing), len(copy_of)


def _copy_of(
    con: duckdb.DuckDBPyConnection,
    texts: dict[str, tuple[str, str]],
    cached: dict[str, np.ndarray],
    missing: list[str],
    key: str,
    reuse: ReuseParams,
    anchors: dict[str, tuple[str, str]],
    order: dict[str, tuple],
) -> dict[str, str]:
    """Each new text that copies another (content hash -> the anchor's content hash). Anchors with
    a vector: the cached texts among `texts` and `anchors`; the others are new texts that will be
    encoded. Compared on the encoder's input (`encoder_text`), which is all the vector sees."""
    extra = {h: t for h, t in anchors.items() if h not in texts}
    extra_cached = store.cached_embeddings(con, sorted(extra), key) if extra else {}
    cached.update(extra_cached)
    have = sorted(h for h in cached if h in texts) + sorted(extra_cached)
    new = sorted(missing, key=lambda h: (order.get(h, ()), h))
    hashes = have + new
    source = {**extra, **texts}
    found = copies([encoder_text(*source[h]) for h in hashes], [True] * len(have) + [False] * len(new), reuse)
    return {hashes[i]: hashes[j] for i, (j, _) in found.items()}


def embed_docs(
    con: duckdb.DuckDBPyConnection,
    docs: Sequence,
    window: Window,
    encoder: Encoder,
    batch_size: int,
    report: NightReport,
    observer: Observer,
    reuse: ReuseParams | None = None,
) -> np.ndarray:
    """One vector row per doc, in order; with `reuse`, copies take the vector of what they copy
    (`embed_reused` counts them, `embed_new` counts the texts encoded)."""
    texts: dict[str, tuple[str, str]] = {}
    order: dict[str, tuple] = {}
    for d in docs:
        if d.content_hash not in texts:
            texts[d.content_hash] = window.headline_body(d.article_id)
        order[d.content_hash] = min(
            order.get(d.content_hash, (d.event_time, d.article_id)), (d.event_time, d.article_id)
        )
    vectors, new, taken = vectors_for(
        con, texts, encoder, batch_size, observer, reuse, _same_items(docs, window, texts), order
    )
    report.counts["embed_cached"] = len(texts) - new - taken
    report.counts["embed_new"] = new
    report.counts["embed_reused"] = taken
    if not docs:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([vectors[d.content_hash] for d in docs]).astype(np.float32)


def _same_items(docs: Sequence, window: Window, texts: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The texts of the other versions of the docs' items in the window (the wires' own ids): an
    older version embedded on an earlier night is the anchor of a new version that barely changed."""
    items = {(d.source, d.item_key) for d in docs}
    return {
        r["content_hash"]: window.headline_body(a)
        for a, r in window.rows.items()
        if (r["source"], r["item_key"]) in items and r["content_hash"] not in texts
    }
