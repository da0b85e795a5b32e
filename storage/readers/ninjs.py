"""IPTC ninjs 1.x/2.x/3.x and the Superdesk/TT-NTB dialects (guid instead of uri, body_html...).

Field names changed between generations (versioncreated -> versionCreated, headline ->
headlines[], body_* -> bodies[]), so every field is looked up under each spelling.
"""

from __future__ import annotations

from storage.readers._common import html_to_text, load_json, parse_time, to_int, source_or_domain
from storage.records import USABLE, WITHDRAWN, Article, Skipped, clean_text

_TEXT_KEYS = ("headline", "headlines", "bodies", "body_text", "body_html", "body_xhtml", "body_html5")
_NON_TEXT = {"picture", "image", "graphic", "video", "audio", "composite", "component"}


def _get(obj: dict, *names: str) -> object:
    for name in names:
        if obj.get(name) not in (None, "", [], {}):
            return obj[name]
    return None


def sniff(data: bytes) -> bool:
    obj = load_json(data)
    return isinstance(obj, dict) and ("uri" in obj or "guid" in obj) and any(k in obj for k in _TEXT_KEYS + ("type",))


def read(data: bytes, path: str) -> list[Article | Skipped]:
    obj = load_json(data)
    return [to_article(obj, data)] if isinstance(obj, dict) else []


def _first_text(values: object, roles: tuple[str, ...]) -> str:
    """ninjs 2+/3 lists of {role, value, contenttype}: prefer the main role, then any."""
    if not isinstance(values, list):
        return ""
    entries = [v for v in values if isinstance(v, dict) and v.get("value")]
    for entry in sorted(entries, key=lambda v: 0 if v.get("role") in roles else 1):
        return html_to_text(str(entry["value"]))
    return ""


def _names(values: object) -> tuple[str, ...]:
    if not isinstance(values, list):
        return ()
    out = [str(v.get("uri") or v.get("code") or v.get("qcode") or v.get("name")) for v in values if isinstance(v, dict)]
    return tuple(x for x in out if x and x != "None")


def to_article(obj: dict, raw: bytes) -> Article | Skipped:
    from storage.readers import ReaderError

    key = _get(obj, "uri", "guid")
    if not key:
        raise ReaderError("ninjs document without uri or guid")
    headline = clean_text(str(_get(obj, "headline") or _first_text(obj.get("headlines"), ("main", "")) or ""))
    body = clean_text(
        _first_text(obj.get("bodies"), ("main", ""))
        or html_to_text(str(_get(obj, "body_html5", "body_xhtml", "body_html", "body_text") or ""))
    )
    kind = str(obj.get("type") or "text")
    if not body and kind in _NON_TEXT:
        return Skipped(f"ninjs {kind} item without text", str(key))
    if not headline and not body:
        return Skipped("ninjs item without headline or body", str(key))
    status = str(_get(obj, "pubstatus", "pubStatus") or "usable").lower()
    holder = _get(obj, "copyrightholder", "copyrightHolder")
    by = _get(obj, "byline", "by")
    return Article(
        source=source_or_domain(
            holder if isinstance(holder, str) else (holder or {}).get("name") if isinstance(holder, dict) else None,
            _get(obj, "source") if isinstance(_get(obj, "source"), str) else None,
            str(key),
            _get(obj, "copyrightnotice", "copyrightNotice"),
        ),
        item_key=str(key),
        headline=headline,
        body=body,
        version=to_int(obj.get("version")),
        version_created=parse_time(_get(obj, "versioncreated", "versionCreated")),
        first_created=parse_time(_get(obj, "firstcreated", "firstCreated")),
        slugline=str(_get(obj, "slugline", "slug") or "") or None,
        byline=clean_text(by) if isinstance(by, str) else None,
        language=_get(obj, "language"),
        subjects=_names(_get(obj, "subjects", "subject")),
        pubstatus=WITHDRAWN if status in ("canceled", "withheld", "withdrawn") else USABLE,
        embargo_until=parse_time(_get(obj, "embargoed")),
        format="ninjs",
        raw=raw,
    )
