"""NewsML 1.x (AFP, Business Wire): NewsItems whose text sits in NITF or XHTML DataContent."""

from __future__ import annotations

from lxml import etree

from storage.readers import nitf
from storage.readers._common import canonical_source, each_item, element_text, numbered, parse_time, to_int
from storage.readers._xml import child, children, descendants, local, parse, root_name, serialize, text
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_TEXT_FORMATS = ("nitf", "xhtml", "html", "text")


def sniff(data: bytes) -> bool:
    return root_name(data)[1] == "NewsML"


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    root = parse(data, "NewsML 1.x")
    items = children(root, "NewsItem")
    if not items:
        raise ReaderError("NewsML 1.x document without NewsItem")
    if len(items) == 1:
        return [_item(items[0], data)]
    return each_item(numbered(items, "item"), lambda el: _item(el, serialize(el)))


def _formal(el: etree._Element | None) -> str:
    return el.get("FormalName", "") if el is not None else ""


def _body(component: etree._Element | None) -> str:
    """Text of every text ContentItem (NITF or XHTML), in document order."""
    texts = []
    for item in descendants(component, "ContentItem"):
        media = _formal(child(item, "MediaType")).lower()
        fmt = _formal(child(item, "Format")).lower()
        content = child(item, "DataContent")
        if content is None or media not in ("text", "") or not any(f in fmt for f in _TEXT_FORMATS):
            continue
        inner = [c for c in content if isinstance(c.tag, str)]
        if inner and local(inner[0]) == "nitf":
            texts.append(nitf.body_parts(inner[0])["body"])
        else:
            texts.append(clean_text(element_text(content)))
    return "\n\n".join(t for t in texts if t)


def _item(el: etree._Element, raw: bytes) -> Article | Skipped:
    ident = child(el, "Identification", "NewsIdentifier")
    item_id = text(child(ident, "NewsItemId"))
    provider = text(child(ident, "ProviderId"))
    key = text(child(ident, "PublicIdentifier")).rsplit(":", 1)[0] or f"{provider}:{item_id}"
    management = child(el, "NewsManagement")
    component = child(el, "NewsComponent")
    lines = child(component, "NewsLines")
    headline = clean_text(text(child(lines, "HeadLine")) or text((descendants(component, "HeadLine") or [None])[0]))
    body = _body(component)
    if not item_id:
        return Skipped("NewsML 1.x NewsItem without NewsItemId")
    if not headline and not body:
        return Skipped("NewsML 1.x NewsItem without text", key)
    status = _formal(child(management, "Status")).lower()
    revision = child(ident, "RevisionId")
    return Article(
        source=canonical_source(
            provider, _formal(descendants(component, "Party")[0]) if descendants(component, "Party") else None
        )
        or "unknown",
        item_key=key,
        headline=headline,
        body=body,
        version=to_int(text(revision)),
        version_created=parse_time(text(child(management, "ThisRevisionCreated"))),
        first_created=parse_time(text(child(management, "FirstCreated"))),
        slugline=text(child(lines, "SlugLine")) or None,
        byline=text(child(lines, "ByLine")) or None,
        dateline=text(child(lines, "DateLine")).rstrip(" -") or None,
        language=_formal(descendants(component, "Language")[0])
        if descendants(component, "Language")
        else el.get("{http://www.w3.org/XML/1998/namespace}lang"),
        subjects=tuple(
            dict.fromkeys(_formal(s) for s in descendants(component, "SubjectCode") for s in s if _formal(s))
        ),
        pubstatus=WITHDRAWN if status in ("canceled", "withheld", "withdrawn", "killed") else USABLE,
        signals=tuple(f"Update:{u}" for u in [revision.get("Update")] if u and u != "N")
        if revision is not None
        else (),
        related=tuple(a.get("NewsItem") for a in children(management, "AssociatedWith") if a.get("NewsItem")),
        format="newsml-1",
        raw=raw,
    )
