"""Recompute and store the story rows and summaries of stories whose membership changed.

A story's `member_hash` fingerprints its members and their roles; a story whose hash is unchanged
is not summarised again, which keeps reruns cheap and rows untouched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

import duckdb
import numpy as np
import pyarrow as pa

from cluster.algorithm_version import algorithm_digest
from cluster.changes import Change, Line, Snapshot, story_changes
from cluster.corroboration import independent_support, origin_wires
from cluster.furniture import shared_boilerplate
from cluster.summarize import Member, StorySummary, summarize_story
from storage.records import sha256_hex

#: Roles whose text goes into a summary: the canonical copy and other wires' copies of it.
#: Older versions are superseded; withdrawn copy contributes nothing.
SUMMARY_ROLES = ("canonical", "duplicate")


def _members(con: duckdb.DuckDBPyConnection, story_ids: list[str], model: str) -> dict[str, list[dict]]:
    cur = con.execute(
        """
        SELECT sa.story_id, sa.role, a.article_id, a.source, a.item_key, a.event_time, a.first_created,
               a.headline, a.body, a.language, e.vector
        FROM story_articles sa JOIN articles a USING (article_id)
        LEFT JOIN embeddings e ON e.content_hash = a.content_hash AND e.model = ?
        WHERE sa.story_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY sa.story_id, a.event_time, a.article_id
        """,
        [model, story_ids],
    )
    names = [d[0] for d in cur.description]
    out: dict[str, list[dict]] = defaultdict(list)
    for row in cur.fetchall():
        r = dict(zip(names, row))
        out[r["story_id"]].append(r)
    return out


def _item_firsts(con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """First report time of each item over all its stored versions."""
    if not keys:
        return {}
    table = pa.table({"source": [k[0] for k in keys], "item_key": [k[1] for k in keys]})
    con.register("_keys", table)
    try:
        rows = con.execute(
            "SELECT source, item_key, min(least(event_time, coalesce(first_created, event_time))) "
            "FROM articles JOIN _keys USING (source, item_key) GROUP BY 1, 2"
        ).fetchall()
    finally:
        con.unregister("_keys")
    return {(s, k): t for s, k, t in rows}


def member_hash(rows: Iterable[dict]) -> str:
    """Members, roles and the algorithms' digest: an upgrade that changes how summaries are made
    rewrites a story even when its members are the same."""
    members = sorted(f"{r['article_id']}:{r['role']}" for r in rows)
    return sha256_hex("\n".join([algorithm_digest(), *members]))


def refresh_stories(
    con: duckdb.DuckDBPyConnection,
    story_ids: set[str],
    run_id: str,
    words: int,
    model: str,
) -> int:
    """Bring the given stories' rows and summaries up to date; return how many were rewritten."""
    if not story_ids:
        return 0
    ids = sorted(story_ids)
    members = _members(con, ids, model)
    stored = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT story_id, member_hash, status FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
    }
    merged_into = dict(
        con.execute(
            "SELECT old_story_id, any_value(new_story_id ORDER BY run_id DESC) FROM story_lineage "
            "WHERE reason = 'merge' AND old_story_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [ids],
        ).fetchall()
    )
    before = _snapshots(con, ids)
    firsts = _item_firsts(con, {(r["source"], r["item_key"]) for rows in members.values() for r in rows})
    # Boilerplate is judged across every story refreshed tonight: one story alone cannot tell a
    # wire's standing text from its own facts.
    boilerplate = shared_boilerplate(
        {sid: [r["body"] or "" for r in rows if r["role"] in SUMMARY_ROLES] for sid, rows in members.items()}
    )
    origin_of = origin_wires(con, sorted({r["article_id"] for rows in members.values() for r in rows}))
    rewritten = 0
    pending: list[tuple[dict, list[tuple]]] = []
    changes: list[tuple[str, Change]] = []
    for story_id in ids:
        rows = members.get(story_id, [])
        if not rows:
            if story_id in stored and story_id in merged_into:
                con.execute(
                    "UPDATE stories SET status = 'merged', merged_into = ?, updated_run = ? WHERE story_id = ? "
                    "AND (status <> 'merged' OR merged_into IS DISTINCT FROM ?)",
                    [merged_into[story_id], run_id, story_id, merged_into[story_id]],
                )
            continue
        digest = member_hash(rows)
        if story_id in stored and stored[story_id][0] == digest:
            continue
        usable = [r for r in rows if r["role"] in SUMMARY_ROLES]
        summary = summarize_story(
            [
                Member(
                    article_id=r["article_id"],
                    source=r["source"],
                    published_at=firsts.get((r["source"], r["item_key"]), r["event_time"]),
                    headline=r["headline"] or "",
                    body=r["body"] or "",
                    language=r["language"],
                    vector=np.asarray(r["vector"], dtype=np.float32) if r["vector"] is not None else None,
                )
                for r in usable
            ],
            words=words,
            boilerplate=boilerplate,
        )
        summary = independent_support(summary, {r["article_id"]: r["source"] for r in usable}, origin_of)
        pending.append(_story_values(story_id, rows, usable, summary, digest, run_id, firsts))
        after = Snapshot(
            summary.headline if usable else None,
            tuple(Line(s.text, s.source, s.article_id) for s in summary.sentences),
            tuple(summary.sources_in_order),
        )
        changes += [(story_id, c) for c in story_changes(before.get(story_id), after)]
        rewritten += 1
    _write_stories(con, pending, run_id)
    _write_changes(con, changes, run_id)
    return rewritten


def _snapshots(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Snapshot]:
    """The stored summaries of the stories about to be rewritten, to tell what tonight changed."""
    lines: dict[str, list[Line]] = defaultdict(list)
    for sid, text, source, article_id in con.execute(
        "SELECT story_id, sentence, source, article_id FROM summary_sentences WHERE kind = 'summary' "
        "AND story_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY story_id, position",
        [ids],
    ).fetchall():
        lines[sid].append(Line(text, source, article_id))
    return {
        sid: Snapshot(headline, tuple(lines.get(sid, ())), tuple(sources or ()))
        for sid, headline, sources in con.execute(
            "SELECT story_id, headline, sources FROM stories WHERE story_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall()
    }


def _write_changes(con: duckdb.DuckDBPyConnection, changes: list[tuple[str, Change]], run_id: str) -> None:
    """Store tonight's changes; a row already stored for this run, story, kind and position stays."""
    if not changes:
        return
    table = pa.table(
        {
            "run_id": [run_id] * len(changes),
            "story_id": [sid for sid, _ in changes],
            **{f: [getattr(c, f) for _, c in changes] for f in _CHANGE_FIELDS},
        },
        schema=pa.schema([("run_id", pa.string()), ("story_id", pa.string())]
                         + [(f, pa.int32() if f == "position" else pa.string()) for f in _CHANGE_FIELDS]),
    )
    cols = ", ".join(["run_id", "story_id", *_CHANGE_FIELDS])
    con.register("_changes", table)
    try:
        con.execute(f"INSERT INTO story_changes ({cols}) SELECT {cols} FROM _changes ON CONFLICT DO NOTHING")
    finally:
        con.unregister("_changes")


_CHANGE_FIELDS = ("kind", "position", "detail", "source", "article_id", "old_value", "new_value")
_STORY_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()), ("status", pa.string()), ("merged_into", pa.string()),
        ("first_seen", pa.timestamp("us")), ("last_seen", pa.timestamp("us")), ("headline", pa.string()),
        ("headline_article", pa.string()), ("summary", pa.string()), ("credit_line", pa.string()),
        ("first_source", pa.string()), ("first_reported_at", pa.timestamp("us")), ("sources", pa.list_(pa.string())),
        ("languages", pa.list_(pa.string())), ("language", pa.string()), ("n_articles", pa.int32()),
        ("n_sources", pa.int32()), ("member_hash", pa.string()), ("updated_run", pa.string()),
        ("created_run", pa.string()),
    ]
)
_SENTENCE_SCHEMA = pa.schema(
    [
        ("story_id", pa.string()), ("kind", pa.string()), ("position", pa.int32()), ("sentence", pa.string()),
        ("article_id", pa.string()), ("source", pa.string()), ("char_start", pa.int32()), ("char_end", pa.int32()),
        ("also_sources", pa.list_(pa.string())), ("also_articles", pa.list_(pa.string())),
    ]
)


def _write_stories(con: duckdb.DuckDBPyConnection, pending: list[tuple[dict, list[tuple]]], run_id: str) -> None:
    """Upsert all rewritten story rows and replace their summary sentences: a few set-based
    statements per night instead of three or four per story (which cost ~4 ms each in DuckDB).
    An existing row keeps its created_run; every other column is overwritten, as before."""
    if not pending:
        return
    stories = [values for values, _ in pending]
    table = pa.table(
        {f.name: [v.get(f.name, run_id) if f.name == "created_run" else v[f.name] for v in stories] for f in _STORY_SCHEMA},
        schema=_STORY_SCHEMA,
    )
    cols = [f.name for f in _STORY_SCHEMA]
    updates = ", ".join(f"{c} = excluded.{c}" for c in cols if c not in ("story_id", "created_run"))
    con.register("_stories", table)
    try:
        con.execute(
            f"INSERT INTO stories ({', '.join(cols)}) SELECT {', '.join(cols)} FROM _stories "
            f"ON CONFLICT (story_id) DO UPDATE SET {updates}"
        )
        con.execute("DELETE FROM summary_sentences WHERE story_id IN (SELECT story_id FROM _stories)")
    finally:
        con.unregister("_stories")
    sentence_rows = [row for _, rows in pending for row in rows]
    if sentence_rows:
        names = [f.name for f in _SENTENCE_SCHEMA]
        cols_ = list(zip(*sentence_rows))
        ss = pa.table({n: list(c) for n, c in zip(names, cols_)}, schema=_SENTENCE_SCHEMA)
        con.register("_ss", ss)
        try:
            con.execute(f"INSERT INTO summary_sentences ({', '.join(names)}) SELECT {', '.join(names)} FROM _ss")
        finally:
            con.unregister("_ss")


def _story_values(
    story_id: str,
    rows: list[dict],
    usable: list[dict],
    summary: StorySummary,
    digest: str,
    run_id: str,
    firsts: dict[tuple[str, str], datetime],
) -> tuple[dict, list[tuple]]:
    """The story row and its summary-sentence rows (no created_run: kept for existing stories).

    `first_seen` is the first report of any version of any member item, superseded ones included,
    so the header agrees with "First reported by"; `last_seen` is the latest copy in the summary.
    """
    status = "withdrawn" if not usable else "active"
    live = usable or rows
    times = [r["event_time"] for r in live]
    reported = [r for r in rows if r["role"] != "withdrawn"] or rows
    languages = sorted({r["language"] for r in usable if r["language"]})
    values = {
        "story_id": story_id,
        "status": status,
        "merged_into": None,
        "first_seen": min(firsts.get((r["source"], r["item_key"]), r["event_time"]) for r in reported),
        "last_seen": max(times),
        "headline": summary.headline if usable else None,
        "headline_article": summary.headline_article_id if usable else None,
        "summary": " ".join(s.text for s in summary.sentences) if usable else None,
        "credit_line": summary.credit_line if usable else None,
        "first_source": summary.first_source,
        "first_reported_at": summary.first_reported_at,
        "sources": list(summary.sources_in_order),
        "languages": languages,
        "language": summary.language,
        "n_articles": len({(r["source"], r["item_key"]) for r in usable}),
        "n_sources": len(summary.sources_in_order),
        "member_hash": digest,
        "updated_run": run_id,
    }
    sentence_rows = [
        (story_id, "summary", s.position, s.text, s.article_id, s.source, s.start, s.end,
         list(s.also_sources), list(s.also_article_ids))
        for s in summary.sentences
    ] + [
        (story_id, "exclusive", i, x.text, x.article_id, x.source, x.start, x.end, [], [])
        for i, x in enumerate(summary.exclusives)
    ]
    return values, sentence_rows
