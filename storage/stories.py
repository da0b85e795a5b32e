"""Every read and write of the story tables: windows, memberships, lineage, duplicates, stories,
their sentences and changes.

The night's stages (cluster.stages) decide; this module only moves rows, set-based (one Arrow
table registered per write, never one statement per story) and returns plain rows and counts,
so the rules stay testable without a database and the SQL lives in one place.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import duckdb
import pyarrow as pa

from storage.db import registered

#: The article columns a window carries (the rows of `load_window`).
WINDOW_COLUMNS = (
    "article_id, source, item_key, version, event_time, first_created, content_hash, pubstatus, "
    "embargo_until, headline, body, language"
)


def _ids(story_ids: Iterable[str]) -> list[str]:
    return sorted(set(story_ids))


def window_rows(con: duckdb.DuckDBPyConnection, start: datetime, end: datetime) -> dict[str, dict[str, Any]]:
    """Every version of every item with copy in [start, end], with its current story and role."""
    cur = con.execute(
        f"""
        WITH items AS (SELECT DISTINCT source, item_key FROM articles WHERE event_time BETWEEN ? AND ?)
        SELECT {WINDOW_COLUMNS}, sa.story_id, sa.role
        FROM articles a JOIN items USING (source, item_key)
        LEFT JOIN story_articles sa USING (article_id)
        ORDER BY a.event_time, a.article_id
        """,
        [start, end],
    )
    names = [d[0] for d in cur.description]
    return {r[0]: dict(zip(names, r)) for r in cur.fetchall()}


def prior_rows(con: duckdb.DuckDBPyConnection, story_ids: Iterable[str]) -> dict[str, tuple[datetime, int]]:
    """First seen and size of stored stories (stories not stored yet are absent)."""
    ids = _ids(story_ids)
    if not ids:
        return {}
    rows = con.execute(
        "SELECT story_id, coalesce(first_seen, TIMESTAMP '1970-01-01'), coalesce(n_articles, 0) FROM stories "
        "WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def taken_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Every story id ever used: a new story never reuses one."""
    return {r[0] for r in con.execute("SELECT story_id FROM stories").fetchall()}


def recent_copy(
    con: duckdb.DuckDBPyConnection, model: str, since: datetime, until: datetime, per_story: int
) -> list[dict[str, Any]]:
    """The `per_story` most recent canonical articles of every active story last seen in
    [since, until): ids, headline, body, language, time, content hash and the vector under
    `model` (None where that model has not embedded it)."""
    cur = con.execute(
        """
        SELECT story_id, article_id, headline, body, language, event_time, content_hash, vector FROM (
            SELECT sa.story_id, a.article_id, a.headline, a.body, a.language, a.event_time, a.content_hash, e.vector,
                   row_number() OVER (PARTITION BY sa.story_id ORDER BY a.event_time DESC, a.article_id) AS k
            FROM stories s JOIN story_articles sa USING (story_id)
            JOIN articles a USING (article_id)
            LEFT JOIN embeddings e ON e.content_hash = a.content_hash AND e.model = ?
            WHERE s.status = 'active' AND s.last_seen >= ? AND s.last_seen < ? AND sa.role = 'canonical'
        ) WHERE k <= ? ORDER BY story_id, event_time, article_id
        """,
        [model, since, until, per_story],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def members(con: duckdb.DuckDBPyConnection, story_ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """(article_id, story_id, role) of every member of the given stories."""
    ids = _ids(story_ids)
    if not ids:
        return []
    return con.execute(
        "SELECT article_id, story_id, role FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    ).fetchall()


def memberships(con: duckdb.DuckDBPyConnection, article_ids: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Current (story_id, role) of the given articles that belong to a story."""
    ids = _ids(article_ids)
    if not ids:
        return {}
    rows = con.execute(
        "SELECT article_id, story_id, role FROM story_articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
    ).fetchall()
    return {a: (s, r) for a, s, r in rows}


def replace_memberships(con: duckdb.DuckDBPyConnection, changes: dict[str, tuple[str, str]], run_id: str) -> int:
    """Set each article's (story, role); returns the rows written."""
    if not changes:
        return 0
    table = pa.table(
        {
            "article_id": list(changes),
            "story_id": [v[0] for v in changes.values()],
            "role": [v[1] for v in changes.values()],
            "run_id": [run_id] * len(changes),
        }
    )
    with registered(con, "_sa", table):
        con.execute("DELETE FROM story_articles WHERE article_id IN (SELECT article_id FROM _sa)")
        con.execute("INSERT INTO story_articles SELECT article_id, story_id, role, run_id FROM _sa")
    return len(changes)


def story_sizes(con: duckdb.DuckDBPyConnection, story_ids: Iterable[str]) -> dict[str, int]:
    """Members per story; a story with none left is absent."""
    ids = _ids(story_ids)
    if not ids:
        return {}
    rows = con.execute(
        "SELECT story_id, count(*) FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
        [ids],
    ).fetchall()
    return {s: int(n) for s, n in rows}


def record_lineage(con: duckdb.DuckDBPyConnection, moves: Sequence[tuple[str, str, str, int]], run_id: str) -> int:
    """Store (old story, new story, reason, articles moved) rows of this run; returns how many."""
    for old, new, reason, n in moves:
        con.execute(
            "INSERT INTO story_lineage VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n_articles = excluded.n_articles",
            [old, new, run_id, reason, n],
        )
    return len(moves)


def record_duplicates(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str, float]], run_id: str) -> int:
    """Record (article, duplicate_of, reason, similarity); a row whose decision did not change stays
    untouched (its run_id keeps the night that decided it). Returns the rows given."""
    if not rows:
        return 0
    table = pa.table(
        {
            "article_id": [r[0] for r in rows],
            "duplicate_of": [r[1] for r in rows],
            "reason": [r[2] for r in rows],
            "similarity": [float(r[3]) for r in rows],
            "run_id": [run_id] * len(rows),
        }
    )
    with registered(con, "_dups", table):
        con.execute(
            """
            DELETE FROM duplicates WHERE article_id IN (
                SELECT d.article_id FROM _dups d JOIN duplicates x USING (article_id)
                WHERE x.duplicate_of <> d.duplicate_of OR x.reason <> d.reason)
            """
        )
        con.execute(
            "INSERT INTO duplicates SELECT * FROM _dups d WHERE NOT EXISTS "
            "(SELECT 1 FROM duplicates x WHERE x.article_id = d.article_id)"
        )
    return len(rows)


def stored_hashes(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> dict[str, str]:
    """The member hash each stored story was last summarised with."""
    rows = con.execute(
        "SELECT story_id, member_hash FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [list(story_ids)]
    ).fetchall()
    return dict(rows)


def merge_targets(con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]) -> dict[str, str]:
    """The story each of the given stories was last merged into."""
    rows = con.execute(
        "SELECT old_story_id, any_value(new_story_id ORDER BY run_id DESC) FROM story_lineage "
        "WHERE reason = 'merge' AND old_story_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
        [list(story_ids)],
    ).fetchall()
    return dict(rows)


def mark_merged(con: duckdb.DuckDBPyConnection, story_id: str, into: str, run_id: str) -> None:
    """Mark an emptied story as merged into `into` (no write when it already says so)."""
    con.execute(
        "UPDATE stories SET status = 'merged', merged_into = ?, updated_run = ? WHERE story_id = ? "
        "AND (status <> 'merged' OR merged_into IS DISTINCT FROM ?)",
        [into, run_id, story_id, into],
    )


def stored_summaries(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str]
) -> dict[str, tuple[str | None, list[str], list[tuple[str, str, str]]]]:
    """(headline, sources, [(sentence, source, article_id)]) of each stored story's summary."""
    lines: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for sid, text, source, article_id in con.execute(
        "SELECT story_id, sentence, source, article_id FROM summary_sentences WHERE kind = 'summary' "
        "AND story_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY story_id, position",
        [list(story_ids)],
    ).fetchall():
        lines[sid].append((text, source, article_id))
    return {
        sid: (headline, list(sources or ()), lines.get(sid, []))
        for sid, headline, sources in con.execute(
            "SELECT story_id, headline, sources FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(story_ids)],
        ).fetchall()
    }


#: The columns of a `story_changes` row besides run_id and story_id.
CHANGE_FIELDS = ("kind", "position", "detail", "source", "article_id", "old_value", "new_value")
_CHANGE_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("story_id", pa.string())]
    + [(f, pa.int32() if f == "position" else pa.string()) for f in CHANGE_FIELDS]
)


def record_changes(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]], run_id: str) -> int:
    """Store tonight's changes (dicts with story_id and CHANGE_FIELDS); a row already stored for this
    run, story, kind and position stays."""
    if not rows:
        return 0
    table = pa.table(
        {
            "run_id": [run_id] * len(rows),
            "story_id": [r["story_id"] for r in rows],
            **{f: [r[f] for r in rows] for f in CHANGE_FIELDS},
        },
        schema=_CHANGE_SCHEMA,
    )
    cols = ", ".join(["run_id", "story_id", *CHANGE_FIELDS])
    with registered(con, "_changes", table):
        con.execute(f"INSERT INTO story_changes ({cols}) SELECT {cols} FROM _changes ON CONFLICT DO NOTHING")
    return len(rows)


STORY_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()),
        ("status", pa.string()),
        ("merged_into", pa.string()),
        ("first_seen", pa.timestamp("us")),
        ("last_seen", pa.timestamp("us")),
        ("headline", pa.string()),
        ("headline_article", pa.string()),
        ("summary", pa.string()),
        ("credit_line", pa.string()),
        ("first_source", pa.string()),
        ("first_reported_at", pa.timestamp("us")),
        ("sources", pa.list_(pa.string())),
        ("languages", pa.list_(pa.string())),
        ("language", pa.string()),
        ("n_articles", pa.int32()),
        ("n_sources", pa.int32()),
        ("member_hash", pa.string()),
        ("updated_run", pa.string()),
        ("created_run", pa.string()),
    ]
)
SENTENCE_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()),
        ("kind", pa.string()),
        ("position", pa.int32()),
        ("sentence", pa.string()),
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("char_start", pa.int32()),
        ("char_end", pa.int32()),
        ("also_sources", pa.list_(pa.string())),
        ("also_articles", pa.list_(pa.string())),
    ]
)


def write_stories(
    con: duckdb.DuckDBPyConnection, stories: Sequence[dict[str, Any]], sentences: Sequence[tuple], run_id: str
) -> int:
    """Upsert story rows (dicts of STORY_SCHEMA's columns but created_run) and replace their
    summary sentences (tuples in SENTENCE_SCHEMA's order). An existing row keeps its created_run;
    every other column is overwritten. A few statements per night, not three or four per story
    (which cost ~4 ms each in DuckDB). Returns the stories written."""
    if not stories:
        return 0
    table = pa.table(
        {
            f.name: [v.get(f.name, run_id) if f.name == "created_run" else v[f.name] for v in stories]
            for f in STORY_SCHEMA
        },
        schema=STORY_SCHEMA,
    )
    cols = [f.name for f in STORY_SCHEMA]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in ("story_id", "created_run"))
    with registered(con, "_stories", table):
        con.execute(
            f"INSERT INTO stories ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _stories "
            f"ON CONFLICT (story_id) DO UPDATE SET {updates}"
        )
        con.execute("DELETE FROM summary_sentences WHERE story_id IN (SELECT story_id FROM _stories)")
    if sentences:
        names = [f.name for f in SENTENCE_SCHEMA]
        ss = pa.table({n: list(c) for n, c in zip(names, zip(*sentences))}, schema=SENTENCE_SCHEMA)
        with registered(con, "_ss", ss):
            con.execute(f"INSERT INTO summary_sentences ({', '.join(names)}) SELECT {', '.join(names)} FROM _ss")
    return len(stories)
