"""Writes: articles, files, quarantine, embeddings and runs. Bulk inserts go through Arrow tables.

Every insert is keyed by content (article id, file hash, content hash + model), so writing the same
thing twice adds nothing: ingest and nightly reruns are idempotent by construction.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from storage.db import fetch_one, registered, scalar
from storage.records import Article


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table, key: Sequence[str]) -> int:
    """Insert the rows of `rows` whose key is not in `table` yet; return how many were new."""
    if rows.num_rows == 0:
        return 0
    with registered(con, "_incoming", rows):
        cond = " AND ".join(f"t.{k} = i.{k}" for k in key)
        cols = ", ".join(rows.column_names)
        before = scalar(con, f"SELECT count(*) FROM {table}")
        con.execute(
            f"INSERT INTO {table} ({cols}) SELECT DISTINCT ON ({', '.join('i.' + k for k in key)}) {cols} "
            f"FROM _incoming i WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {cond})"
        )
        return scalar(con, f"SELECT count(*) FROM {table}") - before


def insert_articles(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[Article],
    file_hash: str | None | Sequence[str | None],
    run_id: str,
    received_at: datetime,
) -> int:
    """Store article versions not stored yet; return how many were new.

    `file_hash` is the file every article came from, or one file hash per article.
    """
    hashes = [file_hash] * len(articles) if file_hash is None or isinstance(file_hash, str) else list(file_hash)
    return sum(
        _insert_article_chunk(con, articles[i : i + INSERT_CHUNK], hashes[i : i + INSERT_CHUNK], run_id, received_at)
        for i in range(0, len(articles), INSERT_CHUNK)
    )


#: Articles per INSERT: Arrow and DuckDB each hold a copy of what one statement inserts, so a
#: file of 10,000 items costs the memory of a chunk, not of the file.
INSERT_CHUNK = 1000


def _insert_article_chunk(
    con: duckdb.DuckDBPyConnection,
    articles: Sequence[Article],
    hashes: Sequence[str | None],
    run_id: str,
    received_at: datetime,
) -> int:
    rows = {
        "article_id": [a.article_id for a in articles],
        "source": [a.source for a in articles],
        "item_key": [a.item_key for a in articles],
        "version": [a.version for a in articles],
        "version_created": [a.version_created for a in articles],
        "first_created": [a.first_created for a in articles],
        "received_at": [received_at] * len(articles),
        "event_time": [a.published_at or received_at for a in articles],
        "headline": [a.headline for a in articles],
        "slugline": [a.slugline for a in articles],
        "byline": [a.byline for a in articles],
        "dateline": [a.dateline for a in articles],
        "body": [a.body for a in articles],
        "language": [a.language for a in articles],
        "subjects": [list(a.subjects) for a in articles],
        "pubstatus": [a.pubstatus for a in articles],
        "embargo_until": [a.embargo_until for a in articles],
        "signals": [list(a.signals) for a in articles],
        "related": [list(a.related) for a in articles],
        "url": [a.url for a in articles],
        "ednote": [a.ednote for a in articles],
        "format": [a.format for a in articles],
        "content_hash": [a.content_hash for a in articles],
        "file_hash": hashes,
        "raw": [a.raw for a in articles],
        "run_id": [run_id] * len(articles),
    }
    schema = pa.schema(
        [
            ("article_id", pa.string()),
            ("source", pa.string()),
            ("item_key", pa.string()),
            ("version", pa.int64()),
            ("version_created", pa.timestamp("us")),
            ("first_created", pa.timestamp("us")),
            ("received_at", pa.timestamp("us")),
            ("event_time", pa.timestamp("us")),
            ("headline", pa.string()),
            ("slugline", pa.string()),
            ("byline", pa.string()),
            ("dateline", pa.string()),
            ("body", pa.string()),
            ("language", pa.string()),
            ("subjects", pa.list_(pa.string())),
            ("pubstatus", pa.string()),
            ("embargo_until", pa.timestamp("us")),
            ("signals", pa.list_(pa.string())),
            ("related", pa.list_(pa.string())),
            ("url", pa.string()),
            ("ednote", pa.string()),
            ("format", pa.string()),
            ("content_hash", pa.string()),
            ("file_hash", pa.string()),
            ("raw", pa.binary()),
            ("run_id", pa.string()),
        ]
    )
    return _insert_new(con, "articles", pa.table(rows, schema=schema), ["article_id"])


def known_files(con: duckdb.DuckDBPyConnection, hashes: Sequence[str]) -> set[str]:
    if not hashes:
        return set()
    rows = con.execute(
        "SELECT file_hash FROM files WHERE file_hash IN (SELECT unnest(?::VARCHAR[]))", [list(hashes)]
    ).fetchall()
    return {r[0] for r in rows}


def record_files(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str, int, int, int]], run_id: str
) -> int:
    """Record files read: (file_hash, path, format, size, n_items, n_skipped) each."""
    if not rows:
        return 0
    cols = list(zip(*rows))
    table = pa.table(
        {
            "file_hash": list(cols[0]),
            "path": list(cols[1]),
            "format": list(cols[2]),
            "size": pa.array(cols[3], type=pa.int64()),
            "n_items": pa.array(cols[4], type=pa.int32()),
            "n_skipped": pa.array(cols[5], type=pa.int32()),
            "run_id": [run_id] * len(rows),
        }
    )
    return _insert_new(con, "files", table, ["file_hash"])


QUARANTINED, SKIPPED = "quarantined", "skipped"


def record_quarantine(
    con: duckdb.DuckDBPyConnection,
    file_hash: str,
    path: str,
    reason: str,
    run_id: str,
    item: str = "",
    kind: str = QUARANTINED,
) -> None:
    """One quarantine row: a whole file (item '') or one item of it; a row already there stays."""
    con.execute(
        "INSERT INTO quarantine (file_hash, path, item, kind, reason, run_id) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [file_hash, path, item, kind, reason, run_id],
    )


def record_quarantine_rows(
    con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str, str, str]], run_id: str
) -> int:
    """Many (file_hash, path, item, kind, reason) rows in one insert; returns how many were new."""
    if not rows:
        return 0
    cols = [list(c) for c in zip(*rows)]
    names = ("file_hash", "path", "item", "kind", "reason")
    table = pa.table({**dict(zip(names, cols)), "run_id": [run_id] * len(rows)})
    return _insert_new(con, "quarantine", table, ["file_hash", "path", "item"])


def cached_embeddings(con: duckdb.DuckDBPyConnection, hashes: Sequence[str], model: str) -> dict[str, np.ndarray]:
    """The stored vectors for these content hashes under this model."""
    if not hashes:
        return {}
    with registered(con, "_want", pa.table({"content_hash": list(hashes)})):
        table = con.sql(
            "SELECT e.content_hash, e.vector FROM embeddings e JOIN _want w USING (content_hash) WHERE e.model = ?",
            params=[model],
        ).to_arrow_table()
    if table.num_rows == 0:
        return {}
    keys = table.column("content_hash").to_pylist()
    flat = table.column("vector").combine_chunks()
    matrix = np.asarray(flat.values.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(len(keys), -1)
    return dict(zip(keys, matrix))


def insert_embeddings(con: duckdb.DuckDBPyConnection, hashes: Sequence[str], model: str, vectors: np.ndarray) -> int:
    if not len(hashes):
        return 0
    vectors = np.asarray(vectors, dtype=np.float32)
    dim = vectors.shape[1]
    flat = pa.array(vectors.reshape(-1), type=pa.float32())
    offsets = pa.array(np.arange(0, len(hashes) * dim + 1, dim, dtype=np.int32))
    table = pa.table(
        {
            "content_hash": list(hashes),
            "model": [model] * len(hashes),
            "dim": pa.array([dim] * len(hashes), type=pa.int32()),
            "vector": pa.ListArray.from_arrays(offsets, flat),
        }
    )
    return _insert_new(con, "embeddings", table, ["content_hash", "model"])


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, command: str, started_at: datetime, params: dict) -> None:
    con.execute(
        "INSERT INTO runs (run_id, command, started_at, status, pid, params) VALUES (?, ?, ?, 'running', ?, ?)",
        [run_id, command, started_at, os.getpid(), json.dumps(params, default=str, sort_keys=True)],
    )


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    finished_at: datetime,
    counts: dict,
    window: tuple[datetime | None, datetime | None] = (None, None),
    error: str | None = None,
    fingerprint: str | None = None,
    settings_digest: str | None = None,
) -> None:
    con.execute(
        "UPDATE runs SET status = ?, finished_at = ?, counts = ?, window_start = ?, window_end = ?, error = ?, "
        "fingerprint = ?, settings_digest = ? WHERE run_id = ?",
        [
            status,
            finished_at,
            json.dumps(counts, default=str, sort_keys=True),
            window[0],
            window[1],
            error,
            fingerprint,
            settings_digest,
            run_id,
        ],
    )


def last_night(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The last nightly run that finished (ok or quarantined): its `runs` row (when it started, its
    fingerprint and settings digest, ...) and its clock as `as_of`; None before the first."""
    cur = con.execute(
        "SELECT *, params->>'as_of' AS as_of FROM runs "
        "WHERE command = 'nightly' AND status IN ('ok', 'quarantined') ORDER BY started_at DESC LIMIT 1"
    )
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    return dict(zip(names, rows[0])) if rows else None


def fail_stale_runs(con: duckdb.DuckDBPyConnection, finished_at: datetime) -> int:
    """Runs left 'running' in the table by a process that died (versions before storage.journal
    wrote that row into the live file): called on the night's working copy, under the night lock."""
    n = scalar(con, "SELECT count(*) FROM runs WHERE status = 'running'")
    con.execute(
        "UPDATE runs SET status = 'failed', finished_at = ?, error = coalesce(error, 'killed or crashed before it finished') "
        "WHERE status = 'running'",
        [finished_at],
    )
    return int(n)


def fold_runs(con: duckdb.DuckDBPyConnection, records: Sequence[dict]) -> set[str]:
    """Insert journaled runs (storage.journal) not in `runs` yet; return the run ids now in the table.

    A record still marked running belongs to a process that died: it goes in as failed.
    """
    held = set()
    for r in records:
        held.add(r["run_id"])
        if fetch_one(con, "SELECT 1 FROM runs WHERE run_id = ?", [r["run_id"]]):
            continue
        status = "failed" if r.get("status") == "running" else r.get("status", "failed")
        con.execute(
            "INSERT INTO runs (run_id, command, started_at, finished_at, status, pid, window_start, window_end, "
            "params, counts, error, fingerprint, settings_digest) "
            "VALUES (?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?, ?, ?)",
            [
                r["run_id"],
                r.get("command") or "nightly",
                r["started_at"],
                r.get("finished_at"),
                status,
                r.get("pid"),
                r.get("window_start"),
                r.get("window_end"),
                json.dumps(r.get("params") or {}, default=str, sort_keys=True),
                json.dumps(r.get("counts") or {}, default=str, sort_keys=True),
                r.get("error"),
                r.get("fingerprint"),
                r.get("settings_digest"),
            ],
        )
    return held
