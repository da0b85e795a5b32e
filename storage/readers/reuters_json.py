"""Reuters Connect JSON (GraphQL `item` responses): keyed by uri, versioned by the opaque `version`."""

from __future__ import annotations

from storage.readers._common import JsonObject, each_item, html_to_text, load_json, numbered, parse_time, to_int
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text


def _items(obj: object) -> list[JsonObject]:
    if not isinstance(obj, dict):
        return []
    inner = obj.get("data")
    data: JsonObject = inner if isinstance(inner, dict) else obj
    item = data.get("item")
    if isinstance(item, dict):
        return [item]
    return [i for i in data.get("items") or [] if isinstance(i, dict)] if isinstance(data.get("items"), list) else []


def sniff(data: bytes) -> bool:
    items = _items(load_json(data))
    return bool(items) and ("usn" in items[0] or str(items[0].get("uri", "")).startswith("tag:reuters.com"))


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    """One record per item of an `items` response; a bad item is rejected alone."""
    items = _items(load_json(data))
    if len(items) == 1:
        return [to_article(items[0], data)]
    return each_item(numbered(items, "item"), lambda item: to_article(item, data))


def to_article(item: JsonObject, raw: bytes) -> Article | Skipped:
    key = item.get("uri") or item.get("usn")
    if not key:
        raise ReaderError("Reuters item without uri or usn")
    headline = clean_text(item.get("headLine"))
    body = clean_text(html_to_text(item.get("bodyXhtml") or item.get("bodyText")))
    if item.get("type") not in (None, "text") and not body:
        return Skipped(f"Reuters {item.get('type')} item without text", str(key))
    if not headline and not body:
        return Skipped("Reuters item without headline or text", str(key))
    status = str(item.get("pubStatus") or "").lower()
    withdrawn = (
        item.get("edStat") == "D"
        or "canceled" in status
        or "withheld" in status
        or "STORY WITHDRAWN" in f"{headline} {body[:500]}"
    )
    subjects = tuple(s["code"] for s in item.get("subject") or [] if isinstance(s, dict) and s.get("code"))
    return Article(
        source="Reuters",
        item_key=str(key),
        headline=headline,
        body=body,
        version=to_int(item.get("version")),
        version_created=parse_time(item.get("versionCreated")),
        first_created=parse_time(item.get("firstCreated")),
        slugline=item.get("slug") or None,
        byline=item.get("byLine") or None,
        language=item.get("language"),
        subjects=subjects,
        pubstatus=WITHDRAWN if withdrawn else USABLE,
        signals=(f"edStat:{item['edStat']}",) if item.get("edStat") else (),
        format="reuters-json",
        raw=raw,
    )
