"""Read-only queries behind the CLI. Each returns plain dicts, ready for any output format."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from storage.db import fetch_one

SORTS = {
    "last_seen": "last_seen DESC, story_id",
    "first_seen": "first_seen DESC, story_id",
    "sources": "n_sources DESC, last_seen DESC, story_id",
    "articles": "n_articles DESC, last_seen DESC, story_id",
}


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def list_stories(
    con: duckdb.DuckDBPyConnection,
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    min_sources: int | None = None,
    language: str | None = None,
    status: str | None = "active",
    limit: int | None = 50,
    sort: str = "last_seen",
) -> list[dict[str, Any]]:
    where, args = [], []
    if status:
        where.append("status = ?")
        args.append(status)
    if since:
        where.append("last_seen >= ?")
        args.append(since)
    if until:
        where.append("first_seen <= ?")
        args.append(until)
    if source:
        where.append("list_contains(list_transform(sources, x -> lower(x)), lower(?))")
        args.append(source)
    if min_sources:
        where.append("n_sources >= ?")
        args.append(min_sources)
    if language:
        where.append("list_contains(languages, ?)")
        args.append(language)
    sql = (
        "SELECT story_id, status, first_seen, last_seen, n_articles, n_sources, credit_line, headline FROM stories"
        + (" WHERE " + " AND ".join(where) if where else "")
        + f" ORDER BY {SORTS[sort]}"
        + (" LIMIT ?" if limit else "")
    )
    if limit:
        args.append(limit)
    return _dicts(con.execute(sql, args))


def resolve_story(con: duckdb.DuckDBPyConnection, story_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Follow merges from an old id to the story that holds its articles now, with the path taken."""
    path: list[dict[str, Any]] = []
    current = story_id
    for _ in range(100):
        row = fetch_one(con, "SELECT status, merged_into FROM stories WHERE story_id = ?", [current])
        if row is None or row[0] != "merged" or not row[1]:
            break
        step = con.execute(
            "SELECT old_story_id, new_story_id, run_id, reason, n_articles FROM story_lineage "
            "WHERE old_story_id = ? AND new_story_id = ? ORDER BY run_id DESC LIMIT 1",
            [current, row[1]],
        )
        path.extend(_dicts(step))
        current = row[1]
    return current, path


def story(con: duckdb.DuckDBPyConnection, story_id: str) -> dict[str, Any] | None:
    """Everything `stories show` prints: the story row, members, summary sentences, duplicates, lineage."""
    rows = _dicts(con.execute("SELECT * FROM stories WHERE story_id = ?", [story_id]))
    if not rows:
        return None
    out = rows[0]
    out.pop("member_hash", None)
    out["articles"] = _dicts(
        con.execute(
            """
            SELECT a.article_id, a.source, a.item_key, a.version, a.event_time, sa.role, a.pubstatus,
                   a.language, a.headline, d.duplicate_of, d.reason AS duplicate_reason, d.similarity
            FROM story_articles sa JOIN articles a USING (article_id)
            LEFT JOIN duplicates d USING (article_id)
            WHERE sa.story_id = ? ORDER BY a.event_time, a.source, a.article_id
            """,
            [story_id],
        )
    )
    out["sentences"] = _dicts(
        con.execute(
            "SELECT kind, position, sentence, source, article_id, char_start, char_end, also_sources, also_articles "
            "FROM summary_sentences WHERE story_id = ? ORDER BY kind DESC, position",
            [story_id],
        )
    )
    out["lineage"] = _dicts(
        con.execute(
            "SELECT old_story_id, new_story_id, run_id, reason, n_articles FROM story_lineage "
            "WHERE old_story_id = ? OR new_story_id = ? ORDER BY run_id, old_story_id",
            [story_id, story_id],
        )
    )
    return out


def runs(con: duckdb.DuckDBPyConnection, limit: int | None = 20) -> list[dict[str, Any]]:
    return _dicts(
        con.execute(
            "SELECT run_id, command, status, started_at, finished_at, window_start, window_end, error FROM runs "
            "ORDER BY started_at DESC" + (" LIMIT ?" if limit else ""),
            [limit] if limit else [],
        )
    )


def run(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, Any] | None:
    rows = _dicts(con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]))
    return rows[0] if rows else None


def quarantine(con: duckdb.DuckDBPyConnection, limit: int | None = None) -> list[dict[str, Any]]:
    return _dicts(
        con.execute(
            "SELECT q.path, q.reason, q.run_id, q.file_hash FROM quarantine q LEFT JOIN runs r USING (run_id) "
            "ORDER BY r.started_at DESC NULLS LAST, q.path" + (" LIMIT ?" if limit else ""),
            [limit] if limit else [],
        )
    )


def predictions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Item key -> story id of its newest assigned version: what evaluation scores."""
    rows = con.execute(
        "SELECT a.item_key, any_value(sa.story_id ORDER BY a.version DESC NULLS LAST, a.event_time DESC) "
        "FROM story_articles sa JOIN articles a USING (article_id) GROUP BY a.item_key"
    ).fetchall()
    return dict(rows)
