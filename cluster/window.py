"""The window a night re-clusters, and its fingerprint: computed once, handed to every stage.

The window is the night's pending copy plus `window_hours` of context before it, with every
version of every item in it and each article's current story. Its fingerprint says everything
the night's result depends on (the articles, what is under embargo, the settings digest), so a
rerun whose fingerprint equals the last finished night's changes nothing and is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from cluster.grouping.dedup import Doc, Duplicate, resolve_versions
from cluster.settings import Settings
from storage import db as dbm
from storage import store
from storage import stories as story_rows
from storage.records import sha256_hex

EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class Window:
    """The articles of a night and what the last night made of them."""

    start: datetime
    end: datetime
    #: Article rows (storage.stories.WINDOW_COLUMNS + story_id, role) by article id, without the
    #: body: the doc's text holds it once (`headline_body`); at 50k a second copy cost ~0.1 GB.
    rows: dict[str, dict]
    docs: list[Doc]
    #: Each article's story and role before tonight.
    previous: dict[str, str]
    previous_role: dict[str, str]
    #: The newest version of every item, the older versions as duplicates, and killed items.
    latest: list[Doc]
    version_dups: list[Duplicate]
    withdrawn: set[str]
    #: Articles whose embargo has not passed at the night's clock: they stay out of stories.
    embargoed: set[str]
    fingerprint: str

    def text(self, article_id: str) -> str:
        """The text an article is clustered by: headline, blank line, body."""
        return self.rows[article_id]["text"]

    def headline_body(self, article_id: str) -> tuple[str, str]:
        """An article's headline and body ('' for none), cut from its text at the headline's length
        (a headline may itself hold a blank line)."""
        r = self.rows[article_id]
        headline = r["headline"] or ""
        return headline, r["text"][len(headline) + 2 :]


def article_text(headline: str | None, body: str | None) -> str:
    """Headline, blank line, body: the one text of an article that clustering and linking score."""
    return f"{headline or ''}\n\n{body or ''}"


def bounds(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: datetime, window_hours: float
) -> tuple[datetime, datetime] | None:
    """The span a night re-clusters: its pending copy, plus `window_hours` of context before it.

    Pending copy is what this run ingested, what `wirestory ingest` stored since the last finished
    night, and copy whose embargo lifted since then. A normal night spans about a day plus the
    context; a backfill of old copy spans what it brought. With nothing pending, the window is
    the last `window_hours` before the newest copy (the fingerprint then usually skips the work).
    """
    last = store.last_night(con)
    last_started = last["started_at"] if last else EPOCH
    last_as_of = datetime.fromisoformat(last["as_of"]) if last and last["as_of"] else EPOCH
    row = dbm.fetch_one(
        con,
        """
        SELECT min(event_time), max(event_time) FROM articles
        WHERE run_id = ?
           OR run_id IN (SELECT run_id FROM runs WHERE command = 'ingest' AND status IN ('ok', 'quarantined')
                         AND started_at > ?)
           OR (embargo_until > ? AND embargo_until <= ?)
        """,
        [run_id, last_started, last_as_of, as_of],
    )
    if row is not None and row[0] is not None:
        return row[0] - timedelta(hours=window_hours), row[1]
    newest = dbm.fetch_one(con, "SELECT max(event_time) FROM articles")
    if newest is None or newest[0] is None:
        return None
    return newest[0] - timedelta(hours=window_hours), newest[0]


def open_window(con: duckdb.DuckDBPyConnection, run_id: str, as_of: datetime, settings: Settings) -> Window | None:
    """Tonight's window with its versions resolved and its fingerprint; None on an empty archive."""
    span = bounds(con, run_id, as_of, settings.config.window_hours)
    if span is None:
        return None
    rows = story_rows.window_rows(con, *span)
    docs = []
    for r in rows.values():
        r["text"] = article_text(r["headline"], r.pop("body"))
        docs.append(
            Doc(
                article_id=r["article_id"],
                source=r["source"],
                item_key=r["item_key"],
                version=r["version"],
                event_time=r["event_time"],
                content_hash=r["content_hash"],
                withdrawn=r["pubstatus"] == "withdrawn",
                text=r["text"],
            )
        )
    latest, version_dups, withdrawn = resolve_versions(docs)
    embargoed = {
        d.article_id
        for d in latest
        if rows[d.article_id]["embargo_until"] and rows[d.article_id]["embargo_until"] > as_of
    }
    return Window(
        start=span[0],
        end=span[1],
        rows=rows,
        docs=docs,
        previous={a: r["story_id"] for a, r in rows.items() if r["story_id"]},
        previous_role={a: r["role"] for a, r in rows.items() if r["role"]},
        latest=latest,
        version_dups=version_dups,
        withdrawn=withdrawn,
        embargoed=embargoed,
        fingerprint=fingerprint(rows, embargoed, settings),
    )


def fingerprint(article_ids: Iterable[str], embargoed: set[str], settings: Settings) -> str:
    """What a night's result depends on: the window's articles, what is under embargo, and every
    setting (`Settings.digest`: configuration, algorithm parameters, pair weights, code version)."""
    parts = [settings.digest, *sorted(article_ids), "|", *sorted(embargoed)]
    return sha256_hex("\n".join(parts))
