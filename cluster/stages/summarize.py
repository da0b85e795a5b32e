"""Stage 8, summarize: rewrite the row and summary of every story whose members changed.

A story's `member_hash` covers its members, their roles and the settings digest; a story whose
hash is unchanged is not summarised again, which keeps reruns cheap and rows untouched, while an
upgrade that changes how summaries are made rewrites it. What each rewrite changed against the
stored summary goes to `story_changes` ("changed tonight").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import duckdb
import numpy as np

from cluster.settings import Settings
from cluster.summary.changes import Change, Line, Snapshot, story_changes
from cluster.summary.corroboration import MAX_CHAIN, independent_support
from cluster.summary.figures import facts
from cluster.summary.summarize import summarize_story
from cluster.summary.types import Member, StorySummary
from cluster.text.furniture import shared_boilerplate
from storage import stories as story_rows
from storage import summary_inputs
from storage.records import sha256_hex

#: Roles whose text goes into a summary: the canonical copy and other wires' copies of it.
#: Older versions are superseded; withdrawn copy contributes nothing.
SUMMARY_ROLES = ("canonical", "duplicate")


def member_hash(rows: Iterable[dict], settings_digest: str) -> str:
    """Members, roles and the settings digest of a story."""
    members = sorted(f"{r['article_id']}:{r['role']}" for r in rows)
    return sha256_hex("\n".join([settings_digest, *members]))


#: Stories summarised and written per step: their members (text and vectors) are what the stage
#: holds, so a step bounds its memory; a 50k night's 13.7k stories at once held about 500 MB more.
STEP_STORIES = 2000


def refresh_stories(
    con: duckdb.DuckDBPyConnection, story_ids: set[str], run_id: str, settings: Settings, model: str
) -> int:
    """Bring the given stories' rows and summaries up to date; return how many were rewritten."""
    if not story_ids:
        return 0
    ids = sorted(story_ids)
    # Boilerplate is judged across every story refreshed tonight: one story alone cannot tell a
    # wire's standing text from its own facts.
    boilerplate = shared_boilerplate(
        summary_inputs.member_bodies(con, ids, SUMMARY_ROLES), states_fact=lambda sentence: bool(facts(sentence))
    )
    return sum(
        _refresh_step(con, ids[lo : lo + STEP_STORIES], run_id, settings, model, boilerplate)
        for lo in range(0, len(ids), STEP_STORIES)
    )


def _refresh_step(
    con: duckdb.DuckDBPyConnection,
    ids: list[str],
    run_id: str,
    settings: Settings,
    model: str,
    boilerplate: frozenset[str],
) -> int:
    """Summarise and write one step of stories (each story's result depends on it alone and on
    tonight's boilerplate, so steps give the rows one pass would)."""
    members = summary_inputs.summary_members(con, ids, model)
    stored = story_rows.stored_hashes(con, ids)
    merged_into = story_rows.merge_targets(con, ids)
    before = _snapshots(con, ids)
    firsts = summary_inputs.item_firsts(con, {(r["source"], r["item_key"]) for rows in members.values() for r in rows})
    origin_of = summary_inputs.origin_wires(
        con, sorted({r["article_id"] for rows in members.values() for r in rows}), MAX_CHAIN
    )
    stories: list[dict] = []
    sentences: list[tuple] = []
    changes: list[dict] = []
    for story_id in ids:
        rows = members.get(story_id, [])
        if not rows:
            if story_id in stored and story_id in merged_into:
                story_rows.mark_merged(con, story_id, merged_into[story_id], run_id)
            continue
        digest = member_hash(rows, settings.digest)
        if stored.get(story_id) == digest:
            continue
        usable = [r for r in rows if r["role"] in SUMMARY_ROLES]
        summary = summarize_story(
            [_member(r, firsts) for r in usable],
            words=settings.config.summary_words,
            params=settings.summary,
            boilerplate=boilerplate,
        )
        summary = independent_support(summary, {r["article_id"]: r["source"] for r in usable}, origin_of)
        values, lines = _story_values(story_id, rows, usable, summary, digest, run_id, firsts)
        stories.append(values)
        sentences += lines
        after = Snapshot(
            summary.headline if usable else None,
            tuple(Line(s.text, s.source, s.article_id) for s in summary.sentences),
            tuple(summary.sources_in_order),
        )
        changes += [_change_row(story_id, c) for c in story_changes(before.get(story_id), after)]
    story_rows.write_stories(con, stories, sentences, run_id)
    story_rows.record_changes(con, changes, run_id)
    return len(stories)


def _member(r: dict, firsts: dict[tuple[str, str], datetime]) -> Member:
    return Member(
        article_id=r["article_id"],
        source=r["source"],
        published_at=r["event_time"],
        headline=r["headline"] or "",
        body=r["body"] or "",
        language=r["language"],
        vector=np.asarray(r["vector"], dtype=np.float32) if r["vector"] is not None else None,
        first_reported_at=firsts.get((r["source"], r["item_key"]), r["event_time"]),
    )


def _snapshots(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Snapshot]:
    """The stored summaries of the stories about to be rewritten, to tell what tonight changed."""
    return {
        sid: Snapshot(headline, tuple(Line(*line) for line in lines), tuple(sources))
        for sid, (headline, sources, lines) in story_rows.stored_summaries(con, ids).items()
    }


def _change_row(story_id: str, change: Change) -> dict:
    row = {f: getattr(change, f) for f in story_rows.CHANGE_FIELDS}
    return {"story_id": story_id, **row}


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
    live = usable or rows
    reported = [r for r in rows if r["role"] != "withdrawn"] or rows
    values = {
        "story_id": story_id,
        "status": "withdrawn" if not usable else "active",
        "merged_into": None,
        "first_seen": min(firsts.get((r["source"], r["item_key"]), r["event_time"]) for r in reported),
        "last_seen": max(r["event_time"] for r in live),
        "headline": summary.headline if usable else None,
        "headline_article": summary.headline_article_id if usable else None,
        "summary": " ".join(s.text for s in summary.sentences) if usable else None,
        "credit_line": summary.credit_line if usable else None,
        "first_source": summary.first_source,
        "first_reported_at": summary.first_reported_at,
        "sources": list(summary.sources_in_order),
        "languages": sorted({r["language"] for r in usable if r["language"]}),
        "language": summary.language,
        "n_articles": len({(r["source"], r["item_key"]) for r in usable}),
        "n_sources": len(summary.sources_in_order),
        "member_hash": digest,
        "updated_run": run_id,
    }
    sentence_rows = [
        (
            story_id,
            "summary",
            s.position,
            s.text,
            s.article_id,
            s.source,
            s.start,
            s.end,
            list(s.also_sources),
            list(s.also_article_ids),
        )
        for s in summary.sentences
    ] + [
        (story_id, "exclusive", i, x.text, x.article_id, x.source, x.start, x.end, [], [])
        for i, x in enumerate(summary.exclusives)
    ]
    return values, sentence_rows
