"""Semantic search: an exact cosine scan, in DuckDB below `MIN_VECTORS` vectors of the model, over
a float32 matrix sidecar (`<db>.vec/`) above it.

Why a matrix and not an HNSW index (DuckDB's VSS extension, tried until stop 23): building HNSW
over this archive's vectors took 536 s for 25k here, so about an hour of CPU for 1M, and its
recall@10 was 0.7-0.9 (docs/performance.md). One numpy matrix-vector product (BLAS) over 1M x 384
float32 takes ~0.1-0.3 s and is exact, so every answer equals DuckDB's scan.

Layout: `<db>.vec/meta.json` lists segments in archive order; each segment is `<name>.f32.npy`
(unit-length rows, memory-mapped by a search) and `<name>.aid.npy` (the article id of each row,
read only for the best rows): one row per (article, vector of its text) pair. `articles` and
`embeddings` are insert-only, so a night's new pairs are found past the last segment's rowids
and appended as one more segment; no segment is ever rewritten or read back by a night (its
memory follows the night; its time keeps two column scans of the archive, docs/performance.md).
Files are written under `.tmp`, synced and renamed, meta.json last, so a crash leaves the old
sidecar readable. It is derived data: deleting it loses nothing.

Rows carry article ids, never stories: the best `candidates(limit)` rows' current stories are
read from `story_articles` at query time, so a night's merges, splits and withdrawals are seen
without touching the sidecar. Each segment records the archive's mark when appended; a search
uses the segments up to the one matching the archive (a night publishes its segment before its
archive, and one that fails leaves a segment the next refresh drops); otherwise it scans DuckDB
exactly and says so through `on_fallback`.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

#: Below this many vectors of the model DuckDB's exact scan is fast enough and no sidecar is kept
#: (~0.3-0.5 s per 100k vectors at load ~8; the sidecar's scan is ~0.13-0.26 s per 1M, docs/performance.md).
MIN_VECTORS = 50_000

#: Vectors fetched from DuckDB per step of a build, and so at most per segment: bounds the memory
#: of a whole build whatever the archive's size (1M x 384 built in 100k steps peaked at the RSS
#: given in docs/performance.md, "Stop 25").
SEGMENT_ROWS = 100_000

#: Trailing segments a refresh may drop because the archive does not hold them (a night that
#: failed after appending); more than that and the sidecar is rebuilt.
MAX_DROPPED = 3

#: Constants per IN list of `by_key` (DuckDB's dynamic_or_filter_threshold is 50).
IN_BATCH = 50

_NO_STORIES = "SELECT NULL::VARCHAR AS story_id, NULL::DOUBLE AS score WHERE false"

LAYOUT = 1


def candidates(limit: int | None) -> int:
    """Best article vectors looked up in their stories for `limit` stories."""
    return max(100, 10 * (limit or 0))


def sidecar_path(db_path: str) -> str:
    return f"{db_path}.vec"


def _db_path(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return str(row[0]) if row and row[0] else None


def _count(con: duckdb.DuckDBPyConnection, model: str, dim: int, upto: int | None = None) -> int:
    cut = f" AND rowid <= {int(upto)}" if upto is not None else ""
    found = _value(con, f"SELECT count(*) FROM embeddings WHERE model = {_quoted([model])} AND dim = {int(dim)}{cut}")
    return int(found or 0)


def _value(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None) -> Any:
    row = con.execute(sql, args or []).fetchone()
    return row[0] if row else None


def _mark(con: duckdb.DuckDBPyConnection, model: str, dim: int) -> dict[str, Any]:
    """Where the archive stands: last rowid, count and last row of `articles` and of `embeddings`."""
    a = int(_value(con, "SELECT coalesce(max(rowid), -1) FROM articles"))
    e = int(_value(con, "SELECT coalesce(max(rowid), -1) FROM embeddings"))
    return {
        "articles": a,
        "vectors": e,
        "n_articles": int(_value(con, "SELECT count(*) FROM articles")),
        "n_vectors": _count(con, model, dim),
        "last_article": _value(con, f"SELECT article_id FROM articles WHERE rowid = {a}"),
        "last_hash": _value(con, f"SELECT content_hash FROM embeddings WHERE rowid = {e}"),
    }


def _holds(con: duckdb.DuckDBPyConnection, model: str, dim: int, seg: dict[str, Any]) -> bool:
    """Whether the archive's first rows are those this segment was appended after (a night that
    failed after appending leaves a segment the archive does not hold)."""
    if seg["articles"] is None:
        return False
    a, e = int(seg["articles"]), int(seg["vectors"])
    return (
        _value(con, f"SELECT article_id FROM articles WHERE rowid = {a}") == seg["last_article"]
        and _value(con, f"SELECT content_hash FROM embeddings WHERE rowid = {e}") == seg["last_hash"]
        and int(_value(con, f"SELECT count(*) FROM articles WHERE rowid <= {a}")) == seg["n_articles"]
        and _count(con, model, dim, upto=e) == seg["n_vectors"]
    )


def _read_meta(out: str) -> dict[str, Any] | None:
    try:
        meta = json.loads(Path(out, "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and meta.get("layout") == LAYOUT else None


def _replace(path: Path, write: Callable[[Any], None]) -> None:
    """Write `path` through `path`.tmp, synced, then renamed over it."""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        write(f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _save(path: Path, array: np.ndarray) -> None:
    def write(f: Any) -> None:
        np.save(f, array)

    _replace(path, write)


def _write_meta(out: str, model: str, dim: int, segments: list[dict[str, Any]]) -> None:
    meta = {"layout": LAYOUT, "model": model, "dim": dim, "segments": segments}
    _replace(Path(out, "meta.json"), lambda f: f.write(json.dumps(meta, indent=1).encode()))
    keep = {"meta.json"} | {f"{s['name']}{ext}" for s in segments if s["rows"] for ext in (".f32.npy", ".aid.npy")}
    for stray in Path(out).iterdir():
        if stray.name not in keep:
            with contextlib.suppress(OSError):
                stray.unlink()


def _pairs(
    con: duckdb.DuckDBPyConnection, model: str, dim: int, vecs: tuple[int, int], upto: int, new_after: int | None
) -> tuple[list[str], np.ndarray]:
    """(article ids, unit-length float32 matrix) of (article, vector of its text) pairs: each vector
    in rowids `vecs` = (after, upto] with its articles up to rowid `upto`, and with `new_after` also
    each article in (new_after, upto] whose text was embedded before `vecs` (an old text in a new
    article). Each side is cut by its own rowids, so DuckDB reads only those rows' vectors."""
    (e0, e1), model_sql = vecs, f"model = {_quoted([model])} AND dim = {int(dim)}"
    sql = f"""
        SELECT a.article_id, e.vector
        FROM (SELECT content_hash, vector FROM embeddings WHERE {model_sql} AND rowid > {e0} AND rowid <= {e1}) e
        JOIN (SELECT article_id, content_hash FROM articles WHERE rowid <= {upto}) a USING (content_hash)
    """
    if new_after is not None:
        sql += f"""
        UNION ALL
        SELECT a.article_id, e.vector
        FROM (SELECT article_id, content_hash FROM articles WHERE rowid > {new_after} AND rowid <= {upto}) a
        JOIN (SELECT content_hash, vector FROM embeddings WHERE {model_sql} AND rowid <= {e0}) e USING (content_hash)
        """
    table = con.execute(sql).to_arrow_table()
    flat = table.column("vector").combine_chunks().flatten().to_numpy(zero_copy_only=False)
    matrix = np.asarray(flat, dtype=np.float32).reshape(table.num_rows, dim)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return table.column("article_id").to_pylist(), matrix


def _append(
    con: duckdb.DuckDBPyConnection, model: str, dim: int, out: str, since: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Segments of the pairs new since the mark `since` (None: all), `SEGMENT_ROWS` vectors a step;
    the last one carries the archive's mark now (a step without pairs writes no files)."""
    mark = _mark(con, model, dim)
    e = int(since["vectors"]) if since else -1
    new_after = int(since["articles"]) if since else None
    segments: list[dict[str, Any]] = []
    while True:
        hi = min(mark["vectors"], e + SEGMENT_ROWS)
        ids, matrix = _pairs(con, model, dim, (e, hi), mark["articles"], new_after)
        e, new_after = hi, None
        name = uuid.uuid4().hex[:12]
        if ids:
            encoded = np.array([i.encode("utf-8") for i in ids], dtype=bytes)
            _save(Path(out, f"{name}.f32.npy"), matrix)
            _save(Path(out, f"{name}.aid.npy"), encoded)
        done = e >= mark["vectors"]
        if ids or done:  # only the last segment of a step stands for a state of the archive
            segments.append({"name": name, "rows": len(ids), **(mark if done else dict.fromkeys(mark))})
        if done:
            return segments


def build(con: duckdb.DuckDBPyConnection, model: str, dim: int, out: str) -> int:
    """Write the whole sidecar of `model` to `out`; return the rows written."""
    Path(out).mkdir(exist_ok=True)
    segments = _append(con, model, dim, out, None)
    _write_meta(out, model, dim, segments)
    return sum(s["rows"] for s in segments)


def refresh(con: duckdb.DuckDBPyConnection, model: str, dim: int, out: str) -> int | None:
    """Bring the sidecar up to date when the archive has at least `MIN_VECTORS` vectors of `model`:
    the pairs new since its last segment appended, or a whole build when it is missing, of another
    model, or does not match the archive. The rows written, None when it was up to date."""
    if _count(con, model, dim) < MIN_VECTORS:
        return None
    meta = _read_meta(out)
    if meta is None or (meta["model"], meta["dim"]) != (model, dim):
        return build(con, model, dim, out)
    segments = list(meta["segments"])
    for _ in range(MAX_DROPPED + 1):
        if not segments or _holds(con, model, dim, segments[-1]):
            break
        segments.pop()
    else:
        return build(con, model, dim, out)
    if not segments:
        return build(con, model, dim, out)
    now = _mark(con, model, dim)
    if segments == meta["segments"] and all(segments[-1][k] == v for k, v in now.items()):
        return None
    added = _append(con, model, dim, out, segments[-1])
    _write_meta(out, model, dim, segments + added)
    return sum(s["rows"] for s in added)


def _open(
    con: duckdb.DuckDBPyConnection, out: str, model: str, dim: int, n_vectors: int
) -> tuple[list[tuple[np.ndarray, str]], str]:
    """The memory-mapped matrices (with their article-id files) of the segments up to the one
    appended when the archive had its present counts and last rows, and "fresh"; else none and
    why not. (Two point reads by rowid: a writer that skipped the refresh cannot pass for it.)"""
    meta = _read_meta(out)
    if meta is None:
        return [], "missing"
    if (meta["model"], meta["dim"]) != (model, dim):
        return [], "stale"
    n_articles = int(_value(con, "SELECT count(*) FROM articles"))
    kept: list[dict[str, Any]] = []
    for seg in meta["segments"]:
        kept.append(seg)
        if (seg["n_articles"], seg["n_vectors"]) == (n_articles, n_vectors):
            break
    else:
        return [], "stale"
    last = kept[-1]
    if (
        _value(con, f"SELECT article_id FROM articles WHERE rowid = {int(last['articles'])}") != last["last_article"]
        or _value(con, f"SELECT content_hash FROM embeddings WHERE rowid = {int(last['vectors'])}") != last["last_hash"]
    ):
        return [], "stale"
    try:
        mats = [
            (np.load(Path(out, f"{s['name']}.f32.npy"), mmap_mode="r"), f"{s['name']}.aid.npy")
            for s in kept
            if s["rows"]
        ]
    except (OSError, ValueError):
        return [], "unreadable"
    if any(m.dtype != np.float32 or m.shape[1:] != (dim,) for m, _ in mats):
        return [], "unreadable"
    return mats, "fresh"


def best_rows(
    out: str, mats: list[tuple[np.ndarray, str]], vector: np.ndarray, k: int
) -> tuple[list[str], list[float]]:
    """Article ids and cosine similarities of the `k` rows nearest `vector`, best first."""
    n = sum(len(m) for m, _ in mats)
    q = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(q))
    q = q / norm if norm > 0 else q
    scores = np.empty(n, dtype=np.float32)
    starts = [0]
    for m, _ in mats:
        np.dot(m, q, out=scores[starts[-1] : starts[-1] + len(m)])
        starts.append(starts[-1] + len(m))
    k = min(k, n)
    top = np.argpartition(scores, n - k)[n - k :] if k < n else np.arange(n)
    seg_of = np.searchsorted(starts, top, side="right") - 1
    ids: list[str] = [""] * len(top)
    for s in np.unique(seg_of):
        names = np.load(Path(out, mats[s][1]), mmap_mode="r")
        for j in np.flatnonzero(seg_of == s):
            ids[j] = names[top[j] - starts[s]].decode("utf-8")
    best = scores[top]
    order = sorted(range(len(top)), key=lambda j: (-best[j], ids[j]))
    return [ids[j] for j in order], [float(best[j]) for j in order]


def _quoted(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def by_key(table: str, key: str, values: list[str], cols: str = "*") -> str:
    """SELECT of the rows of `table` whose `key` is among `values`, as a UNION ALL of IN lists of
    at most `IN_BATCH` constants: DuckDB filters such a short list while scanning (~5-15 ms on 1M
    rows here) where a longer one, or one beside any other condition, becomes a join reading the
    whole table (~30-70 ms). So callers filter its rows afterwards (MATERIALIZED, in Python)."""
    parts = [
        f"SELECT {cols} FROM {table} WHERE {key} IN ({_quoted(values[i : i + IN_BATCH])})"
        for i in range(0, len(values), IN_BATCH)
    ]
    return " UNION ALL ".join(parts) if parts else f"SELECT {cols} FROM {table} WHERE false"


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
) -> tuple[str, list, list[str] | None]:
    """SQL of (story_id, score): each story's best cosine similarity to `vector`, with its
    parameters and, when the sidecar answered, the story ids it holds (so the caller reads only
    those stories' rows, `by_key`, materialized before its filters).

    With a limit, a story whose best vector is not among the best `candidates(limit)` cannot be in
    the best `limit` stories unless fewer than `limit` come out of them (the caller then asks
    again without a limit), so both paths give the scan's answer. The sidecar's rows carry article
    ids, never stories: their current stories are read from `story_articles` at query time."""
    dim = len(vector)
    vec = [float(x) for x in vector]
    path = sidecar or ((db := _db_path(con)) and sidecar_path(db))
    n = _count(con, model, dim) if model else 0
    if not limit or model is None or n < MIN_VECTORS or not path:
        return _exact_sql(dim, limit), [vec, model], None
    mats, status = _open(con, path, model, dim, n)
    if status != "fresh":
        if on_fallback is not None:
            on_fallback(
                f"the vector index {path} is {status}: exact scan over {n} vectors instead "
                "(slower; `wirestory index` or the next night rebuilds it)"
            )
        return _exact_sql(dim, limit), [vec, model], None
    ids, scores = best_rows(path, mats, np.asarray(vec, dtype=np.float32), candidates(limit))
    best: dict[str, float] = {}
    found = con.execute(by_key("story_articles", "article_id", ids, "article_id, story_id, role")).fetchall()
    story_of = {aid: sid for aid, sid, role in found if role == "canonical"}
    for aid, score in zip(ids, scores, strict=True):
        if aid in story_of and story_of[aid] not in best:
            best[story_of[aid]] = score
    # constants, not parameters: DuckDB's binding of each Python value tries to import pandas
    # (~0.1 ms a value when it is not installed)
    rows = ", ".join(f"({_quoted([sid])}, {score!r}::DOUBLE)" for sid, score in best.items())
    sql = f"SELECT * FROM (VALUES {rows}) AS v(story_id, score)" if rows else _NO_STORIES
    return sql, [], list(best)
