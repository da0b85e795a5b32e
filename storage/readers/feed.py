"""RSS and Atom feeds through feedparser: one record per entry, keyed by its id or link.

feedparser fetches nothing when given bytes; the XML is still refused first if it declares
entities, like every other XML input.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timezone

import feedparser

from storage.readers._common import canonical_source, html_to_text
from storage.readers._xml import parse, root_name
from storage.records import Article, Skipped, clean_text


def sniff(data: bytes) -> bool:
    return root_name(data)[1] in ("rss", "feed", "RDF")


def _time(value: object) -> datetime | None:
    return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc) if value else None


def read(data: bytes, path: str) -> list[Article | Skipped]:
    from storage.readers import ReaderError

    parse(data, "RSS/Atom")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if parsed.get("bozo") and not parsed.entries:
        raise ReaderError(f"RSS/Atom: {parsed.get('bozo_exception')}")
    channel = parsed.feed
    source = canonical_source(channel.get("title"), channel.get("link"), channel.get("rights")) or clean_text(
        channel.get("title")
    ) or "unknown"
    out: list[Article | Skipped] = []
    for entry in parsed.entries:
        key = entry.get("id") or entry.get("link")
        content = entry.get("content") or []
        body = clean_text(html_to_text(content[0].get("value") if content else entry.get("summary")))
        headline = clean_text(html_to_text(entry.get("title")))
        if not key:
            out.append(Skipped("feed entry without id or link"))
        elif not headline and not body:
            out.append(Skipped("feed entry without title or text", key))
        else:
            out.append(
                Article(
                    source=source,
                    item_key=key,
                    headline=headline,
                    body=body,
                    version_created=_time(dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")),
                    first_created=_time(dict.get(entry, "published_parsed")),
                    byline=entry.get("author") or None,
                    language=channel.get("language"),
                    subjects=tuple(t.get("term") for t in entry.get("tags") or [] if t.get("term")),
                    url=entry.get("link"),
                    format="rss-atom",
                    raw=data,
                )
            )
    return out
