"""RSS and Atom feeds through feedparser: one record per entry, keyed by its id or link.

feedparser fetches nothing when given bytes; the XML is still refused first if it declares
entities, like every other XML input. WordPress exports (WXR) list attachments, menu items and
drafts beside posts: only published posts and pages are articles.
"""

from __future__ import annotations

import calendar
import time
from datetime import datetime, timezone

import feedparser

from storage.readers._common import canonical_source, each_item, html_to_text, numbered
from storage.readers._xml import parse, root_name
from storage.readers.errors import ReaderError
from storage.records import Article, Rejected, Skipped, clean_text


def sniff(data: bytes) -> bool:
    return root_name(data)[1] in ("rss", "feed", "RDF")


def _time(value: time.struct_time | None) -> datetime | None:
    return datetime.fromtimestamp(calendar.timegm(value), tz=timezone.utc) if value else None


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    parse(data, "RSS/Atom")
    parsed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    if parsed.get("bozo") and not parsed.entries:
        raise ReaderError(f"RSS/Atom: {parsed.get('bozo_exception')}")
    channel = parsed.feed
    source = (
        canonical_source(channel.get("title"), channel.get("link"), channel.get("rights"))
        or clean_text(channel.get("title"))
        or "unknown"
    )
    return each_item(numbered(parsed.entries, "entry"), lambda entry: _entry(entry, source, channel, data))


_WXR_TEXT = {"post", "page"}


def _entry(entry: dict, source: str, channel: dict, data: bytes) -> Article | Skipped:
    key = entry.get("id") or entry.get("link")
    post_type = dict.get(entry, "wp_post_type")
    if post_type and post_type not in _WXR_TEXT:
        return Skipped(f"WordPress {post_type} is not an article", key)
    if dict.get(entry, "wp_status") not in (None, "publish"):
        return Skipped(f"WordPress {entry['wp_status']} post is not published", key)
    content = entry.get("content") or []
    body = clean_text(html_to_text(content[0].get("value") if content else entry.get("summary")))
    headline = clean_text(html_to_text(entry.get("title")))
    if not key:
        return Skipped("feed entry without id or link")
    if not headline and not body:
        return Skipped("feed entry without title or text", key)
    return Article(
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
