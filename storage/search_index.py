"""Keeping the search indexes (storage.fts, storage.vss's vector sidecar) in step with the archive.

They are brought up to date, only when articles or vectors were added since, at the end of
every night that wrote (the full-text index appends the night's articles, `storage.fts.refresh`) (`cluster/night.py`, on the working copy before it is published, so the
full-text index is published with the night) and by `wirestory index`. A search never trusts an
index that does not match the archive: it scans instead and says so.
"""

from __future__ import annotations

import time
from typing import Any

import duckdb

from storage import fts, vss


def main_model(con: duckdb.DuckDBPyConnection) -> tuple[str, int] | None:
    """(model, dim) with the most stored vectors, None when there are none."""
    row = con.execute(
        "SELECT model, any_value(dim) FROM embeddings GROUP BY model ORDER BY count(*) DESC, model LIMIT 1"
    ).fetchone()
    return (str(row[0]), int(row[1])) if row else None


def refresh(
    con: duckdb.DuckDBPyConnection, db_path: str, model: str | None = None, force: bool = False
) -> dict[str, Any]:
    """Rebuild what is stale (everything with `force`); counts `index_fts_articles`,
    `index_vec_vectors` (vectors written to the sidecar; None: left as it was) and the seconds each took."""
    counts: dict[str, Any] = {}
    start = time.perf_counter()
    counts["index_fts_articles"] = fts.build(con) if force else fts.refresh(con)
    counts["index_fts_seconds"] = round(time.perf_counter() - start, 2)
    found = main_model(con)
    if model is not None and found is not None and found[0] != model:
        row = con.execute("SELECT any_value(dim) FROM embeddings WHERE model = ?", [model]).fetchone()
        found = (model, int(row[0])) if row and row[0] is not None else None
    counts["index_vec_vectors"] = None
    if found is not None:
        start = time.perf_counter()
        out = vss.sidecar_path(db_path)
        if force and vss._count(con, *found) >= vss.MIN_VECTORS:
            counts["index_vec_vectors"] = vss.build(con, found[0], found[1], out)
        else:
            counts["index_vec_vectors"] = vss.refresh(con, found[0], found[1], out)
        counts["index_vec_seconds"] = round(time.perf_counter() - start, 2)
    return counts
