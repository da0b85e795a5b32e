"""The engine's vectors into the embeddings table, so the night's embed stage finds them cached."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from storage import db as dbm
from storage import store


def read_vectors(vec_dir: Path) -> tuple[list[str], np.ndarray, str]:
    """(content hashes, vectors, cache key) of every Parquet file the engine wrote."""
    table = pq.read_table(sorted(vec_dir.glob("*.parquet")))
    hashes = table.column("content_hash").to_pylist()
    keys = set(table.column("cache_key").to_pylist())
    if len(keys) != 1:
        raise ValueError(f"vectors under {len(keys)} cache keys in {vec_dir}: {sorted(keys)[:3]}")
    col = table.column("vector").combine_chunks()
    dim = col.type.list_size
    vectors = col.values.to_numpy(zero_copy_only=False).astype(np.float32).reshape(-1, dim)
    return hashes, vectors, keys.pop()


def load_vectors(db: str, vec_dir: Path) -> int:
    """Insert the vectors not yet cached under their key; returns how many were inserted."""
    hashes, vectors, key = read_vectors(vec_dir)
    con = dbm.connect(db)
    try:
        have = store.cached_embeddings(con, hashes, key)
        keep = [i for i, h in enumerate(hashes) if h not in have]
        n = store.insert_embeddings(con, [hashes[i] for i in keep], key, vectors[keep])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return n
