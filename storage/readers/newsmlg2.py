"""IPTC NewsML-G2: newsItem, packageItem and newsMessage envelopes, with or without namespace.

Text comes from the first inlineXML (XHTML, NITF or a provider dialect) or inlineData rendition
that has any; a text item with no inline text still yields its headline (e.g. a Reuters kill).
Packages, pictures and other non-text items are Skipped with the reason. Times: versionCreated,
else contentMeta/contentModified, else contentCreated; firstCreated, else contentCreated (empty
elements count as missing). The ednote joins every itemMeta and contentMeta edNote.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from storage.readers import nitf
from storage.readers._common import each_item, element_text, html_to_text, numbered, parse_time, to_int, source_or_domain
from storage.readers._xml import child, children, descendants, local, parse, root_name, serialize, text
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_ITEMS = {"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalogItem"}
_FRAGMENTS = {"contentMeta", "contentSet", "itemMeta", "rightsInfo", "itemSet"}
_KILL_STATUS = {"stat:canceled", "stat:withheld"}
_KILL_SIGNALS = {"edStat:D"}
_NON_TEXT = ("picture", "graphic", "video", "audio", "composite", "concept", "planning")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def sniff(data: bytes) -> bool:
    namespace, name = root_name(data)
    if name in _ITEMS or name == "newsMessage":
        return True
    return name in _FRAGMENTS and namespace in ("", "http://iptc.org/std/nar/2006-10-01/")


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    root = parse(data, "NewsML-G2")
    name = local(root)
    if name in _FRAGMENTS:
        raise ReaderError(f"NewsML-G2 fragment <{name}> without any item: nothing to ingest")
    if name in _ITEMS:
        return [_item(root, data)]
    items = [el for el in child(root, "itemSet") if local(el) in _ITEMS] if child(root, "itemSet") is not None else []
    if not items:
        raise ReaderError("NewsML-G2 newsMessage without items")
    return each_item(numbered(items, "item"), lambda el: _item(el, serialize(el)))


def _qcodes(elements: list[etree._Element]) -> list[str]:
    return [e.get("qcode") or e.get("literal") or "" for e in elements if e.get("qcode") or e.get("literal")]


def _party(el: etree._Element | None) -> list[str]:
    if el is None:
        return []
    return [v for v in (el.get("qcode"), el.get("literal"), el.get("uri"), text(child(el, "name"))) if v]


def _item(el: etree._Element, raw: bytes) -> Article | Skipped:
    guid = el.get("guid") or None
    kind = local(el)
    if kind == "packageItem":
        refs = [r.get("residref") for r in descendants(el, "itemRef") if r.get("residref")]
        return Skipped(f"packageItem carries no text (references {len(refs)} items)", guid)
    if kind != "newsItem":
        return Skipped(f"{kind} is not a news item", guid)
    meta = child(el, "itemMeta")
    content = child(el, "contentMeta")
    item_class = (_qcodes(children(meta, "itemClass")) or [""])[0]
    if any(word in item_class for word in _NON_TEXT):
        return Skipped(f"non-text newsItem ({item_class})", guid)
    headline = clean_text(text(child(content, "headline")))
    body, inline = _body(child(el, "contentSet"))
    headline = headline or clean_text(inline.get("headline", ""))
    if not headline and not body:
        return Skipped("newsItem without headline or text", guid)
    if not guid:
        raise ReaderError("NewsML-G2 newsItem without guid")
    rights = child(el, "rightsInfo")
    source = source_or_domain(
        *_party(child(meta, "provider")),
        *_party(child(rights, "copyrightHolder")),
        text(child(rights, "copyrightNotice")),
        guid,
    )
    status = (_qcodes(children(meta, "pubStatus")) or [""])[0]
    signals = _qcodes(children(meta, "signal"))
    by = child(content, "by")
    creator = child(content, "creator")
    return Article(
        source=source,
        item_key=guid,
        headline=headline,
        body=body,
        version=to_int(el.get("version")),
        version_created=_first_time(meta, content, ("versionCreated", "contentModified", "contentCreated")),
        first_created=_first_time(meta, content, ("firstCreated", "contentCreated")),
        slugline=text(child(content, "slugline")) or None,
        byline=text(by) or inline.get("byline") or (text(child(creator, "name")) if creator is not None else "") or None,
        dateline=text(child(content, "dateline")) or inline.get("dateline") or None,
        language=_language(el, content),
        subjects=tuple(dict.fromkeys(_qcodes(children(content, "subject")))),
        pubstatus=WITHDRAWN if status in _KILL_STATUS or _KILL_SIGNALS & set(signals) else USABLE,
        embargo_until=parse_time(text(child(meta, "embargoed"))),
        ednote="\n\n".join(t for t in (clean_text(element_text(n)) for n in children(meta, "edNote") + children(content, "edNote")) if t) or None,
        signals=tuple(dict.fromkeys(signals)),
        format="newsml-g2",
        raw=raw,
    )


def _first_time(
    meta: etree._Element | None, content: etree._Element | None, names: tuple[str, ...]
) -> datetime | None:
    """The first of the named itemMeta/contentMeta times that is present and parses."""
    for name in names:
        for parent in (meta, content):
            found = parse_time(text(child(parent, name)))
            if found:
                return found
    return None


def _language(el: etree._Element, content: etree._Element | None) -> str | None:
    tag = child(content, "language")
    return (tag.get("tag") if tag is not None else None) or el.get(_XML_LANG)


def _body(content_set: etree._Element | None) -> tuple[str, dict[str, str]]:
    """Plain body from the first rendition that has text, plus NITF head fields when it is NITF."""
    for rendition in list(children(content_set, "inlineXML")) + list(children(content_set, "inlineData")):
        inner = [c for c in rendition if isinstance(c.tag, str)]
        if inner and local(inner[0]) == "nitf":
            parts = nitf.body_parts(inner[0])
            if parts["body"] or parts["headline"]:
                return parts["body"], parts
        elif inner:
            html_body = descendants(inner[0], "body")
            found = clean_text(element_text(html_body[0] if html_body else inner[0]))
            if found:
                return found, {}
        elif rendition.text and rendition.text.strip():
            return clean_text(html_to_text(rendition.text)), {}
    return "", {}
