"""Semantic search: exact cosine scan below `HNSW_MIN_VECTORS`, an HNSW index (DuckDB's VSS
extension, `duckdb-extension-vss`) above it, kept in a sidecar file beside the archive.

Why a sidecar (`<db>.hnsw`) and not the archive itself: an HNSW index persists in a DuckDB file
only under `hnsw_enable_experimental_persistence`, whose WAL recovery DuckDB documents as not yet
reliable, and any file holding one cannot be opened by a DuckDB without the extension (analysts'
CLI). So the archive never holds one. The sidecar holds (content_hash, vector) of one model and
the index over them; it is built under a temporary name and renamed into place, so a crash leaves
the old sidecar or none, never half a one. It is derived data: deleting it loses nothing.
Building it in memory at query time is not an option: measured in docs/performance.md, building
the index over 1M vectors takes minutes.

The sidecar is used only when fresh: it records how many vectors of its model the archive had
when built, and a search on an archive with more (or another model) scans exactly instead, saying
so through `on_fallback`. HNSW returns the `candidates(limit)` nearest article vectors; stories are
scored from those, so a story whose best article is not among them is missed (recall measured by
scripts/bench_search.py); no limit means the exact scan.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb

from storage.fts import load_extension

#: Below this many vectors of the model the exact scan is fast enough (docs/performance.md) and no
#: index is built or used.
HNSW_MIN_VECTORS = 200_000

#: HNSW build and search parameters (VSS defaults: M 16, ef_construction 128, ef_search 64). M 32:
#: on 10k clustered vectors recall@10 rose from 0.97 to 1.0 (queries near stored copy) and from
#: 0.90 to 0.95 (random queries) for 1.7x the build time (docs/performance.md).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 128


def candidates(limit: int | None) -> int:
    """Article vectors fetched from the HNSW index for `limit` stories."""
    return max(200, 10 * (limit or 0))


def sidecar_path(db_path: str) -> str:
    return f"{db_path}.hnsw"


def _db_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return str(row[0]) if row and row[0] else None


def _count(con: duckdb.DuckDBPyConnection, model: str) -> int:
    row = con.execute("SELECT count(*) FROM embeddings WHERE model = ?", [model]).fetchone()
    return int(row[0]) if row else 0


def build(con: duckdb.DuckDBPyConnection, model: str, dim: int, out: str, add: bool = False) -> int:
    """Write the sidecar for `model` to `out` (via `out`.tmp and a rename); return the vectors indexed.

    `add`: start from a copy of the existing sidecar and insert only the vectors it lacks (the
    archive never deletes vectors), which costs the copy plus the new vectors instead of a whole
    build (docs/performance.md).
    """
    load_extension(con, "vss")
    tmp = f"{out}.tmp"
    for stale in (tmp, f"{tmp}.wal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(stale)
    if add:
        shutil.copyfile(out, tmp)
    con.execute("SET hnsw_enable_experimental_persistence = true")
    con.execute(f"ATTACH '{tmp}' AS hnsw_build")
    try:
        select = (
            f"SELECT content_hash, vector::FLOAT[{int(dim)}] AS vector FROM embeddings e WHERE model = ? AND dim = ?"
        )
        if add:
            con.execute(
                f"INSERT INTO hnsw_build.vecs {select} "
                "AND NOT EXISTS (SELECT 1 FROM hnsw_build.vecs v WHERE v.content_hash = e.content_hash)",
                [model, dim],
            )
            con.execute("DROP TABLE hnsw_build.meta")
        else:
            con.execute(f"CREATE TABLE hnsw_build.vecs AS {select}", [model, dim])
            con.execute(
                "CREATE INDEX vecs_hnsw ON hnsw_build.vecs USING HNSW (vector) "
                f"WITH (metric = 'cosine', M = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
            )
        n = int(con.execute("SELECT count(*) FROM hnsw_build.vecs").fetchone()[0])  # type: ignore[index]
        con.execute(
            "CREATE TABLE hnsw_build.meta AS SELECT ?::VARCHAR AS model, ?::INTEGER AS dim, ?::BIGINT AS n_vectors",
            [model, dim, _count(con, model)],
        )
        con.execute("CHECKPOINT hnsw_build")
    finally:
        con.execute("DETACH hnsw_build")
        con.execute("SET hnsw_enable_experimental_persistence = false")
    os.replace(tmp, out)
    return n


def refresh(con: duckdb.DuckDBPyConnection, model: str, dim: int, out: str) -> int | None:
    """Bring the sidecar up to date when the archive has at least `HNSW_MIN_VECTORS` vectors of
    `model`: nothing if fresh, the new vectors added if it is only behind, else a whole build.
    The vectors indexed, None when nothing was done."""
    n = _count(con, model)
    if n < HNSW_MIN_VECTORS:
        return None
    status = _sidecar_state(out, model, dim, n)
    if status == "fresh":
        return None
    return build(con, model, dim, out, add=status == "behind")


def _sidecar_state(path: str, model: str | None, dim: int, n: int) -> str:
    if not Path(path).exists():
        return "missing"
    try:
        side = duckdb.connect(path, read_only=True)
    except duckdb.Error:
        return "unreadable"
    try:
        row = side.execute("SELECT model, dim, n_vectors FROM meta").fetchone()
    except duckdb.Error:
        return "unreadable"
    finally:
        side.close()
    if row is None or (row[0], int(row[1])) != (model, dim):
        return "stale"
    return "fresh" if int(row[2]) == n else "behind" if int(row[2]) < n else "stale"


def _exact_sql(dim: int, limit: int | None) -> str:
    """Every vector of the model scored (list_cosine_similarity: half the cost of casting each row
    to FLOAT[dim]); with a limit only the best `candidates(limit)` go on to be joined to stories."""
    top = f" ORDER BY score DESC, content_hash LIMIT {candidates(limit)}" if limit else ""
    return f"""
        WITH sims AS (
            SELECT content_hash, list_cosine_similarity(vector, ?::FLOAT[]) AS score
            FROM embeddings WHERE model = ? AND dim = {dim}{top}
        )
        SELECT sa.story_id, max(s.score) AS score
        FROM sims s JOIN articles a ON a.content_hash = s.content_hash
        JOIN story_articles sa ON sa.article_id = a.article_id AND sa.role = 'canonical'
        GROUP BY sa.story_id
    """


def scored_stories_sql(
    con: duckdb.DuckDBPyConnection,
    vector: list[float],
    model: str | None,
    limit: int | None,
    on_fallback: Callable[[str], None] | None = None,
    sidecar: str | None = None,
) -> tuple[str, list]:
    """SQL of (story_id, score): each story's best cosine similarity to `vector`, with its parameters."""
    dim = len(vector)
    vec = [float(x) for x in vector]
    path = sidecar or ((db := _db_path(con)) and sidecar_path(db))
    n = _count(con, model) if model else 0
    if not limit or n < HNSW_MIN_VECTORS or not path:
        return _exact_sql(dim, limit), [vec, model]
    status = _sidecar_state(path, model, dim, n)
    if status != "fresh":
        status = "stale" if status == "behind" else status
        if on_fallback is not None:
            on_fallback(
                f"the vector index {path} is {status}: exact scan over {n} vectors instead "
                "(slower; `wirestory index` or the next night rebuilds it)"
            )
        return _exact_sql(dim, limit), [vec, model]
    load_extension(con, "vss")
    k = candidates(limit)
    attached = {r[0] for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    if "hnsw_side" not in attached:
        con.execute(f"ATTACH '{path}' AS hnsw_side (READ_ONLY)")
    con.execute(f"SET hnsw_ef_search = {max(64, k)}")
    sql = f"""
        WITH near AS (
            SELECT content_hash, array_cosine_distance(vector, ?::FLOAT[{dim}]) AS distance
            FROM hnsw_side.vecs ORDER BY distance LIMIT {k}
        )
        SELECT sa.story_id, max(1 - n.distance) AS score
        FROM near n JOIN articles a ON a.content_hash = n.content_hash
        JOIN story_articles sa ON sa.article_id = a.article_id AND sa.role = 'canonical'
        GROUP BY sa.story_id
    """
    return sql, [vec]
