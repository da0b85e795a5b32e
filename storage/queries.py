"""Read-only queries behind the CLI. Each returns plain dicts, ready for any output format."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import duckdb

from storage import fts, vss
from storage.db import fetch_one, scalar

SORTS = {
    "last_seen": "last_seen DESC, story_id",
    "first_seen": "first_seen DESC, story_id",
    "sources": "n_sources DESC, last_seen DESC, story_id",
    "articles": "n_articles DESC, last_seen DESC, story_id",
}


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def story_filters(
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    min_sources: int | None = None,
    language: str | None = None,
    status: str | None = "active",
) -> tuple[str, list[Any]]:
    """The WHERE clause over `stories` shared by listing, export and search, with its parameters
    (search adds its `keyword` condition through the full-text index, `storage.fts`)."""
    where: list[str] = []
    args: list[Any] = []
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
        where.append("list_contains(list_transform(sources, lambda x: lower(x)), lower(?))")
        args.append(source)
    if min_sources:
        where.append("n_sources >= ?")
        args.append(min_sources)
    if language:
        where.append("list_contains(languages, ?)")
        args.append(language)
    return (" WHERE " + " AND ".join(where) if where else ""), args


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
    where, args = story_filters(since, until, source, min_sources, language, status)
    sql = (
        "SELECT story_id, status, first_seen, last_seen, n_articles, n_sources, credit_line, headline FROM stories"
        + where
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
                   a.language, a.headline, d.duplicate_of, d.reason AS duplicate_reason, d.similarity,
                   o.source AS duplicate_source, o.event_time AS duplicate_time, o.headline AS duplicate_headline
            FROM story_articles sa JOIN articles a USING (article_id)
            LEFT JOIN duplicates d USING (article_id)
            LEFT JOIN articles o ON o.article_id = d.duplicate_of
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
    out["wires"] = story_sources(con, story_id)
    out["lineage"] = _dicts(
        con.execute(
            "SELECT old_story_id, new_story_id, run_id, reason, n_articles FROM story_lineage "
            "WHERE old_story_id = ? OR new_story_id = ? ORDER BY run_id, old_story_id",
            [story_id, story_id],
        )
    )
    return out


RUN_COLUMNS = ("run_id", "command", "status", "started_at", "finished_at", "window_start", "window_end", "error")
_RUN_TIMES = ("started_at", "finished_at", "window_start", "window_end")


def journaled_row(record: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """A journal record (storage.journal) shaped like a `runs` row."""
    row = {c: record.get(c) for c in columns}
    for c in _RUN_TIMES:
        if isinstance(value := row.get(c), str):
            row[c] = datetime.fromisoformat(value)
    for c in ("params", "counts"):
        if c in row and not isinstance(row[c], str):
            row[c] = json.dumps(row[c] or {}, default=str, sort_keys=True)
    return row


def runs(
    con: duckdb.DuckDBPyConnection, limit: int | None = 20, pending: Sequence[dict[str, Any]] = ()
) -> list[dict[str, Any]]:
    """Runs newest first; `pending` (storage.journal.pending) adds those not published yet."""
    rows = _dicts(con.execute(f"SELECT {', '.join(RUN_COLUMNS)} FROM runs ORDER BY started_at DESC"))
    held = {r["run_id"] for r in rows}
    rows += [journaled_row(r, RUN_COLUMNS) for r in pending if r["run_id"] not in held]
    rows.sort(key=lambda r: r["started_at"], reverse=True)
    return rows[:limit] if limit else rows


def run(con: duckdb.DuckDBPyConnection, run_id: str, pending: Sequence[dict[str, Any]] = ()) -> dict[str, Any] | None:
    rows = _dicts(con.execute("SELECT * FROM runs WHERE run_id = ?", [run_id]))
    if rows:
        return rows[0]
    columns = [d[0] for d in con.execute("SELECT * FROM runs LIMIT 0").description]
    return next((journaled_row(r, columns) for r in pending if r["run_id"] == run_id), None)


def quarantine(
    con: duckdb.DuckDBPyConnection, limit: int | None = None, kind: str | None = "quarantined"
) -> list[dict[str, Any]]:
    """Quarantine rows, newest run first; `kind` 'quarantined' or 'skipped', None for both."""
    where = " WHERE q.kind = ?" if kind else ""
    return _dicts(
        con.execute(
            "SELECT q.path, q.item, q.kind, q.reason, q.run_id, q.file_hash FROM quarantine q LEFT JOIN runs r USING (run_id)"
            + where
            + " ORDER BY r.started_at DESC NULLS LAST, q.path, q.item"
            + (" LIMIT ?" if limit else ""),
            ([kind] if kind else []) + ([limit] if limit else []),
        )
    )


def predictions(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Item key -> story id of its newest assigned version: what evaluation scores."""
    rows = con.execute(
        "SELECT a.item_key, any_value(sa.story_id ORDER BY a.version DESC NULLS LAST, a.event_time DESC) "
        "FROM story_articles sa JOIN articles a USING (article_id) GROUP BY a.item_key"
    ).fetchall()
    return dict(rows)


def story_sources(con: duckdb.DuckDBPyConnection, story_id: str) -> list[dict[str, Any]]:
    """Per wire of one story: first report, latest copy, articles and items (withdrawn copy left out).

    Computed from the tables as `story_sources_v` is, so it works on a database not yet migrated.
    """
    return _dicts(
        con.execute(
            """
            SELECT a.source,
                   min(least(a.event_time, coalesce(a.first_created, a.event_time))) AS first_reported_at,
                   max(a.event_time) AS last_reported_at,
                   count(*) AS n_articles, count(DISTINCT a.item_key) AS n_items
            FROM story_articles sa JOIN articles a USING (article_id)
            WHERE sa.story_id = ? AND sa.role <> 'withdrawn'
            GROUP BY a.source ORDER BY first_reported_at, a.source
            """,
            [story_id],
        )
    )


def has_embeddings(con: duckdb.DuckDBPyConnection, model: str) -> bool:
    """Whether any vector of `model` is stored (stops at the first: no scan of the whole table)."""
    return fetch_one(con, "SELECT 1 FROM embeddings WHERE model = ? LIMIT 1", [model]) is not None


def embedding_models(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(model, dim) of every encoder with stored embeddings."""
    return [
        tuple(r)
        for r in con.execute("SELECT model, any_value(dim) FROM embeddings GROUP BY model ORDER BY model").fetchall()
    ]


def search_stories(
    con: duckdb.DuckDBPyConnection,
    vector: list[float] | None,
    model: str | None,
    keyword: str | None = None,
    status: str | None = "active",
    limit: int | None = 20,
    min_score: float | None = None,
    fulltext: str | None = None,
    on_fallback: Callable[[str], None] | None = None,
) -> list[dict[str, Any]]:
    """Stories best first, a story scoring its best article.

    With `vector`: cosine similarity with the canonical articles' embeddings under `model`
    (`storage.vss`: exact, over its matrix sidecar above its threshold, else in DuckDB). With `fulltext`: BM25 of the text over
    every member article's headline and body (`storage.fts`, any of its words). `keyword` keeps
    stories with an article holding every one of its words (stemmed per language); alone, its
    matches come newest first with no score. `on_fallback` hears when an index could not be used.
    """
    filters, args = story_filters(status=status)
    where = [filters.removeprefix(" WHERE ")] if filters else []
    if keyword:
        found = fts.scored_articles_sql(con, keyword, conjunctive=True, on_fallback=on_fallback)
        if found is None:
            return []
        kw_sql, kw_args = found
        where.append(f"s.story_id IN (SELECT ka.story_id FROM story_articles ka JOIN ({kw_sql}) kw USING (article_id))")
        args += kw_args
    cond = (" AND " + " AND ".join(where)) if where else ""
    cols = "s.story_id, {score} AS score, s.headline, s.credit_line, s.n_sources, s.last_seen"
    cut = " AND sc.score >= ?" if min_score is not None else ""
    if vector is None and not fulltext:
        sql = f"SELECT {cols.format(score='NULL::DOUBLE')} FROM stories s WHERE true{cond} ORDER BY s.last_seen DESC, s.story_id"
    elif vector is None and fulltext:
        # A story scores its best article, so the best `limit` stories are among the best articles:
        # only those are joined to their stories (common words match a third of an archive). Too
        # few stories after the filters: again over every match.
        top = max(1000, 50 * limit) if limit else None
        found = fts.scored_articles_sql(con, fulltext, conjunctive=False, on_fallback=on_fallback, top=top)
        if found is None:
            return []
        ft_sql, ft_args = found
        sql = f"""
            WITH scored AS (
                SELECT sa.story_id, max(ft.score) AS score
                FROM ({ft_sql}) ft JOIN story_articles sa USING (article_id) GROUP BY sa.story_id
            )
            SELECT {cols.format(score="round(sc.score::DOUBLE, 4)")} FROM scored sc JOIN stories s USING (story_id)
            WHERE true{cond}{cut}
            ORDER BY sc.score DESC, s.story_id
            """
        args = [*ft_args, *args] + ([min_score] if min_score is not None else [])
    else:
        assert vector is not None
        scored, vec_args, ids = vss.scored_stories_sql(con, vector, model, limit, on_fallback=on_fallback)
        rows_of = f", st AS MATERIALIZED ({vss.by_key('stories', 'story_id', ids)})" if ids is not None else ""
        sql = f"""
            WITH scored AS ({scored}){rows_of}
            SELECT {cols.format(score="round(sc.score::DOUBLE, 4)")} FROM scored sc
            JOIN {"st" if rows_of else "stories"} s USING (story_id)
            WHERE true{cond}{cut}
            ORDER BY sc.score DESC, s.story_id
            """
        args = [*vec_args, *args] + ([min_score] if min_score is not None else [])
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    rows = _dicts(con.execute(sql, args))
    if (fulltext or vector is not None) and limit and len(rows) < limit:
        # the best articles or vectors held too few stories that pass the filters: every match
        return search_stories(con, vector, model, keyword, status, None, min_score, fulltext, on_fallback)[:limit]
    return rows


EXPORT_COLUMNS = (
    "story_id, status, merged_into, headline, summary, credit_line, first_source, first_reported_at, "
    "first_seen, last_seen, n_articles, n_sources, sources, languages, language, created_run, updated_run"
)


def export_sql(
    since: datetime | None = None,
    until: datetime | None = None,
    source: str | None = None,
    min_sources: int | None = None,
    status: str | None = "active",
) -> tuple[str, list[Any]]:
    """The SELECT behind `stories export` and its parameters: whole story rows, oldest first."""
    where, args = story_filters(since, until, source, min_sources, None, status)
    sql = f"SELECT {EXPORT_COLUMNS} FROM stories" + where
    return sql + " ORDER BY first_seen, story_id", args


def export_stories(con: duckdb.DuckDBPyConnection, **filters: Any) -> list[dict[str, Any]]:
    sql, args = export_sql(**filters)
    return _dicts(con.execute(sql, args))


def export_parquet(con: duckdb.DuckDBPyConnection, path: str, **filters: Any) -> int:
    """Write the export to a Parquet file with DuckDB's COPY; return the number of rows."""
    sql, args = export_sql(**filters)
    quoted = "'" + str(path).replace("'", "''") + "'"
    con.execute(f"COPY ({sql}) TO {quoted} (FORMAT parquet)", args)
    return int(scalar(con, f"SELECT count(*) FROM ({sql})", args))


def report_story_ids(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None, since: datetime | None = None
) -> list[str]:
    """Active stories of a night, most-carried first: with `run_id`, those with copy ingested by the run
    or rewritten by it; with `since`, those last seen at or after it."""
    if run_id is not None:
        sql = (
            "SELECT story_id FROM stories WHERE status = 'active' AND (updated_run = ? OR story_id IN ("
            "SELECT sa.story_id FROM story_articles sa JOIN articles a USING (article_id) WHERE a.run_id = ?))"
        )
        args: list[Any] = [run_id, run_id]
    else:
        sql = "SELECT story_id FROM stories WHERE status = 'active'" + (" AND last_seen >= ?" if since else "")
        args = [since] if since else []
    sql += " ORDER BY n_sources DESC, n_articles DESC, last_seen DESC, story_id"
    return [r[0] for r in con.execute(sql, args).fetchall()]


#: Change kinds in the order an editor reads them.
_CHANGE_ORDER = (
    "CASE kind WHEN 'new_story' THEN 0 WHEN 'wire_joined' THEN 1 WHEN 'figure_changed' THEN 2 "
    "WHEN 'status_changed' THEN 3 ELSE 4 END, position"
)


def story_changes(con: duckdb.DuckDBPyConnection, story_id: str, run_id: str | None = None) -> list[dict[str, Any]]:
    """A story's changes made by `run_id`, else by the latest run that changed it."""
    if run_id is None:
        found = con.execute(
            "SELECT c.run_id FROM story_changes c LEFT JOIN runs r USING (run_id) WHERE c.story_id = ? "
            "ORDER BY r.started_at DESC NULLS LAST, c.run_id DESC LIMIT 1",
            [story_id],
        ).fetchone()
        if found is None:
            return []
        run_id = found[0]
    return _dicts(
        con.execute(
            f"SELECT * FROM story_changes_v WHERE story_id = ? AND run_id = ? ORDER BY {_CHANGE_ORDER}",
            [story_id, run_id],
        )
    )


def run_changes(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, list[dict[str, Any]]]:
    """Story id -> the changes `run_id` made to it, for every story it changed."""
    out: dict[str, list[dict[str, Any]]] = {}
    for row in _dicts(
        con.execute(f"SELECT * FROM story_changes_v WHERE run_id = ? ORDER BY story_id, {_CHANGE_ORDER}", [run_id])
    ):
        out.setdefault(row["story_id"], []).append(row)
    return out
