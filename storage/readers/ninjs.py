"""IPTC ninjs 1.x/2.x/3.x and the Superdesk/TT-NTB dialects (guid instead of uri, body_html...).

Field names changed between generations (versioncreated -> versionCreated, headline ->
headlines[], body_* -> bodies[]), so every field is looked up under each spelling. Some APIs
wrap items as {"total": n, "item": [...]}: each is read. A picture, video or other non-text item
is Skipped even when it has a caption. The url is an http(s) `uri`, else a canonical link; the
source falls back to the `source` name when no wire or domain is recognisable. Some 1.x
documents name their text fields by role ("headline_main", "body_main", "body_richtext"): any
"headline_*" or "body_*" field is read when the usual ones are missing, marked-up text first. The
`located` string is the dateline where the copy opens with none. A time without offset from a national wire is its
wall-clock time (`_common.HOME_ZONES`).
"""

from __future__ import annotations

import json
from typing import Any, TypeGuard

from storage.readers._common import (
    JsonObject,
    each_item,
    home_zone,
    html_to_text,
    load_json,
    numbered,
    parse_time,
    source_or_domain,
    to_int,
)
from storage.readers.errors import ReaderError
from storage.readers.normalise import byline, dateline_from_body
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_TEXT_KEYS = ("headline", "headlines", "bodies", "body_text", "body_html", "body_xhtml", "body_html5")
_MEDIA = {"picture", "image", "graphic", "video", "audio"}
#: Containers: an article when they carry a body (a text with its pictures), else skipped.
_CONTAINERS = {"composite", "component"}


def _get(obj: JsonObject, *names: str) -> Any:
    """The value of the first of `names` that is set (a JSON value: whatever the wire sent)."""
    for name in names:
        if obj.get(name) not in (None, "", [], {}):
            return obj[name]
    return None


#: Body fields in order of preference: marked-up text keeps its paragraphs.
_BODY_KEYS = ("body_html5", "body_xhtml", "body_html", "body_richtext", "body_text", "body_main")


def _is_text_key(key: object) -> bool:
    return isinstance(key, str) and (key in _TEXT_KEYS or key.startswith(("headline_", "body_")))


def _is_item(obj: object) -> TypeGuard[JsonObject]:
    return isinstance(obj, dict) and ("uri" in obj or "guid" in obj) and ("type" in obj or any(map(_is_text_key, obj)))


def _by_role(obj: JsonObject, prefix: str, preferred: tuple[str, ...]) -> str:
    """The first set `prefix*` field: the `preferred` names first, then any other (role-named) one."""
    names = list(preferred) + sorted(k for k in obj if isinstance(k, str) and k.startswith(prefix))
    value = _get(obj, *dict.fromkeys(names))
    return value if isinstance(value, str) else ""


def _wrapped(obj: object) -> list[JsonObject]:
    """The items of a {"total": n, "item": [...]} (or "items") wrapper; [] when not one."""
    if not isinstance(obj, dict) or _is_item(obj):
        return []
    items = obj.get("item", obj.get("items"))
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) and any(map(_is_item, items)) else []


def sniff(data: bytes) -> bool:
    obj = load_json(data)
    return _is_item(obj) or bool(_wrapped(obj))


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    obj = load_json(data)
    if _is_item(obj):
        return [to_article(obj, data)]
    return each_item(numbered(_wrapped(obj), "item"), lambda item: to_article(item, json.dumps(item).encode()))


def _first_text(values: object, roles: tuple[str, ...]) -> str:
    """ninjs 2+/3 lists of {role, value, contenttype} (a 2.0 draft: {name, value}, also under the
    singular "headline"): prefer the main role, then the first; of entries of that same role, the
    marked-up one (its paragraphs survive, a text/plain twin of it has none)."""
    if not isinstance(values, list):
        return ""
    entries = [v for v in values if isinstance(v, dict) and v.get("value")]

    def role(entry: JsonObject) -> object:
        return entry.get("role") or entry.get("name")

    def markup(entry: JsonObject) -> bool:
        kind = str(entry.get("contenttype") or entry.get("contentType") or "").lower()
        return "html" in kind or "xml" in kind

    ranked = sorted(entries, key=lambda v: 0 if role(v) in roles else 1)
    if not ranked:
        return ""
    same_role = [v for v in ranked if role(v) == role(ranked[0])]
    best = next((v for v in same_role if markup(v)), same_role[0])
    return html_to_text(str(best["value"]))


def _names(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    out = [str(v.get("uri") or v.get("code") or v.get("qcode") or v.get("name")) for v in values if isinstance(v, dict)]
    return tuple(x for x in out if x and x != "None")


def _url(obj: JsonObject, key: str) -> str | None:
    if key.startswith(("http://", "https://")):
        return key
    given = obj.get("links")
    links = given if isinstance(given, list) else []
    hrefs = [
        link.get("href")
        for link in links
        if isinstance(link, dict) and link.get("rel") in ("canonical", "alternate", "self")
    ]
    return next((str(h) for h in hrefs if str(h).startswith(("http://", "https://"))), None)


def _located(obj: JsonObject, body: str, by: object) -> str | None:
    """The `located` place, where the copy does not open with a dateline of its own (the dateline
    as written wins) and its place is not the byline's name (a dialect's misplaced field)."""
    located = obj.get("located")
    if not isinstance(located, str) or dateline_from_body(body):
        return None
    place = clean_text(located).split(",")[0].strip()
    names = byline(by) if isinstance(by, str) else None
    return None if not place or (names and place.casefold() == names.casefold()) else clean_text(located)


def to_article(obj: JsonObject, raw: bytes) -> Article | Skipped:
    key = _get(obj, "uri", "guid")
    if not key:
        raise ReaderError("ninjs document without uri or guid")
    given = _get(obj, "headline")
    headline = clean_text(
        (given if isinstance(given, str) else _first_text(given, ("main", "")))
        or _first_text(obj.get("headlines"), ("main", ""))
        or html_to_text(_by_role(obj, "headline_", ("headline_main",)))
    )
    body = clean_text(_first_text(obj.get("bodies"), ("main", "")) or html_to_text(_by_role(obj, "body_", _BODY_KEYS)))
    kind = str(obj.get("type") or "text")
    if not body and (kind in _MEDIA or kind in _CONTAINERS):
        return Skipped(f"ninjs {kind} item without text", str(key))
    if kind in _MEDIA:
        return Skipped(f"ninjs {kind} item is not a text item (its text is a caption)", str(key))
    if not headline and not body:
        return Skipped("ninjs item without headline or body", str(key))
    status = str(_get(obj, "pubstatus", "pubStatus") or "usable").lower()
    holder = _get(obj, "copyrightholder", "copyrightHolder")
    by = _get(obj, "byline", "by")
    source = source_or_domain(
        holder if isinstance(holder, str) else (holder or {}).get("name") if isinstance(holder, dict) else None,
        _get(obj, "source") if isinstance(_get(obj, "source"), str) else None,
        str(key),
        _get(obj, "copyrightnotice", "copyrightNotice"),
        fallback=_get(obj, "source") if isinstance(_get(obj, "source"), str) else None,
    )
    zone = home_zone(source)
    return Article(
        source=source,
        item_key=str(key),
        headline=headline,
        body=body,
        version=to_int(obj.get("version")),
        version_created=parse_time(_get(obj, "versioncreated", "versionCreated"), zone),
        first_created=parse_time(_get(obj, "firstcreated", "firstCreated"), zone),
        slugline=str(_get(obj, "slugline", "slug") or "") or None,
        byline=clean_text(by) if isinstance(by, str) else None,
        dateline=_located(obj, body, by),
        language=_get(obj, "language"),
        subjects=_names(_get(obj, "subjects", "subject")),
        pubstatus=WITHDRAWN if status in ("canceled", "withheld", "withdrawn") else USABLE,
        embargo_until=parse_time(_get(obj, "embargoed")),
        url=_url(obj, str(key)),
        ednote=str(_get(obj, "ednote", "edNote") or "") or None,
        format="ninjs",
        raw=raw,
    )
