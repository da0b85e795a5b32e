"""AP Media API JSON (item metadata and feed responses), keyed by altids.itemid.

The metadata carries no story text: AP delivers it as a NITF rendition fetched separately, which
`storage.readers.renditions.merge_renditions` pairs with this record. Superdesk-saved responses
that embed the rendition (`"nitf": {"body_html": ...}`) are read in one go.
"""

from __future__ import annotations

import re

from storage.readers._common import JsonObject, each_item, html_to_text, load_json, numbered, parse_time, to_int
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_KILL_TYPES = {"kill", "elimination", "withhold", "withdrawal"}
_KILL_NOTE = re.compile(r"\b(KILL|ELIMINATION|WITHHOLD|WITHDRAWN)\b")
_NON_TEXT = {"picture", "graphic", "video", "audio", "complexdata"}


def _items(obj: object) -> list[JsonObject]:
    if not isinstance(obj, dict) or not isinstance(obj.get("data"), dict):
        return []
    data = obj["data"]
    if isinstance(data.get("item"), dict):
        return [data["item"]]
    return [e["item"] for e in data.get("items") or [] if isinstance(e, dict) and isinstance(e.get("item"), dict)]


def sniff(data: bytes) -> bool:
    items = _items(load_json(data))
    return bool(items) and isinstance(items[0].get("altids"), dict) and "itemid" in items[0]["altids"]


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    """One record per item of a feed page; a bad item is rejected alone."""
    obj = load_json(data)
    embedded = obj.get("nitf") if isinstance(obj, dict) else None
    nitf: JsonObject = embedded if isinstance(embedded, dict) else {}
    items = _items(obj)
    if len(items) == 1:
        return [to_article(items[0], data, nitf)]
    return each_item(numbered(items, "item"), lambda item: to_article(item, data, nitf))


def _url(item: JsonObject) -> str | None:
    """The public story page (links[rel=canonical]), else the API uri."""
    given = item.get("links")
    links = given if isinstance(given, list) else []
    canonical = [
        link.get("href")
        for link in links
        if isinstance(link, dict) and link.get("rel") == "canonical" and link.get("href")
    ]
    uri = item.get("uri")
    return str(canonical[0]) if canonical else (str(uri) if isinstance(uri, str) and uri.startswith("http") else None)


def to_article(item: JsonObject, raw: bytes, nitf: JsonObject) -> Article | Skipped:
    itemid = (item.get("altids") or {}).get("itemid")
    if not itemid:
        raise ReaderError("AP item without altids.itemid")
    kind = str(item.get("type") or "text")
    if kind in _NON_TEXT:
        return Skipped(f"AP {kind} item carries no text", itemid)
    headline = clean_text(item.get("headline") or item.get("title"))
    body = clean_text(html_to_text(nitf.get("body_html")))
    editorial = [str(t) for t in item.get("editorialtypes") or []]
    ednote = str(item.get("ednote") or "")
    withdrawn = (
        str(item.get("pubstatus") or "").lower() in ("canceled", "withheld")
        or any(t.lower() in _KILL_TYPES for t in editorial)
        or bool(_KILL_NOTE.search(ednote.upper()))
    )
    slug = item.get("slugline") or ""
    signals = editorial + [str(s) for s in item.get("signals") or []]
    signals += [w for w in ("Writethru", "Correction") if w.lower() in slug.lower()]
    signals += ["Correction"] if "CORRECT" in ednote.upper() else []
    bylines = item.get("bylines") or []
    dateline = item.get("datelinelocation") or {}
    return Article(
        source="AP",
        item_key=str(itemid),
        headline=headline,
        body=body,
        version=to_int(item.get("version")),
        version_created=parse_time(item.get("versioncreated")),
        first_created=parse_time(item.get("firstcreated")),
        slugline=slug or None,
        byline=clean_text(bylines[0].get("by")) or None if bylines and isinstance(bylines[0], dict) else None,
        dateline=dateline.get("city") if isinstance(dateline, dict) else None,
        language=item.get("language"),
        subjects=tuple(str(s.get("name") or s.get("code")) for s in item.get("subject") or [] if isinstance(s, dict)),
        pubstatus=WITHDRAWN if withdrawn else USABLE,
        embargo_until=parse_time(item.get("embargoed")),
        signals=tuple(dict.fromkeys(signals)),
        url=_url(item),
        ednote=ednote or None,
        format="ap-json",
        raw=raw,
    )
