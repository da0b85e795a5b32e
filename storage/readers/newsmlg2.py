"""IPTC NewsML-G2: newsItem, packageItem and newsMessage envelopes, with or without namespace.

Text comes from the first inlineXML (XHTML, NITF or a provider dialect) or inlineData rendition
that has any; a text item with no inline text still yields its headline (e.g. a Reuters kill).
A packageItem is read as an article only when it carries text of its own (an inline rendition or
a contentMeta description that is not a caption), with the items it references as `related`; a
package that only references items, and pictures and other non-text items, are Skipped with the
reason. Times: versionCreated, else contentMeta/contentModified, else contentCreated;
firstCreated, else contentCreated (empty elements count as missing); a time without offset from a
national wire (STT, NTB...) is that wire's wall-clock time (`_common.HOME_ZONES`), else UTC. The ednote joins every
itemMeta and contentMeta edNote. The url is the item's own web page: an itemMeta link whose rel
is canonical or self, else a text/html remoteContent; irel:seeAlso links point to other pages
(dpa's "Internet" links) and picture renditions are not the copy, so neither is the url.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from storage.readers import nitf
from storage.readers._common import (
    each_item,
    element_text,
    home_zone,
    html_to_text,
    numbered,
    parse_time,
    source_or_domain,
    to_int,
)
from storage.readers._xml import child, children, descendants, local, parse, root_name, serialize, text
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_ITEMS = {"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem", "catalogItem"}
_FRAGMENTS = {"contentMeta", "contentSet", "itemMeta", "rightsInfo", "itemSet"}
_KILL_STATUS = {"stat:canceled", "stat:withheld"}
_KILL_SIGNALS = {"edStat:D"}
_NON_TEXT = ("picture", "graphic", "video", "audio", "composite", "concept", "planning")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Link relations (IANA, as some providers use them in G2) that name the item's own page, in preference order.
_SELF_RELS = ("canonical", "self")
#: remoteContent types that are the copy as a web page, not a picture or media rendition.
_PAGE_TYPES = {"text/html", "application/xhtml+xml"}


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
    item_set = child(root, "itemSet")
    items = [el for el in item_set if local(el) in _ITEMS] if item_set is not None else []
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
    if kind not in ("newsItem", "packageItem"):
        return Skipped(f"{kind} is not a news item", guid)
    meta = child(el, "itemMeta")
    content = child(el, "contentMeta")
    item_class = (_qcodes(children(meta, "itemClass")) or [""])[0]
    non_text = _NON_TEXT if kind == "newsItem" else tuple(w for w in _NON_TEXT if w != "composite")
    if any(word in item_class for word in non_text):
        return Skipped(f"non-text {kind} ({item_class})", guid)
    headline = clean_text(text(child(content, "headline")))
    body, inline = _body(child(el, "contentSet"))
    refs: tuple[str, ...] = ()
    if kind == "packageItem":
        refs = tuple(dict.fromkeys(r.get("residref") for r in descendants(el, "itemRef") if r.get("residref")))
        body = body or _summary(content)
        if not body:
            return Skipped(f"packageItem carries no text (references {len(refs)} items)", guid)
    headline = headline or clean_text(inline.get("headline", ""))
    if not headline and not body:
        return Skipped("newsItem without headline or text", guid)
    if not guid:
        raise ReaderError(f"NewsML-G2 {kind} without guid")
    rights = child(el, "rightsInfo")
    source = source_or_domain(
        *_party(child(meta, "provider")),
        *_party(child(rights, "copyrightHolder")),
        text(child(rights, "copyrightNotice")),
        guid,
    )
    zone = home_zone(source)
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
        version_created=_first_time(meta, content, ("versionCreated", "contentModified", "contentCreated"), zone),
        first_created=_first_time(meta, content, ("firstCreated", "contentCreated"), zone),
        slugline=text(child(content, "slugline")) or inline.get("slugline") or None,
        byline=text(by)
        or inline.get("byline")
        or (text(child(creator, "name")) if creator is not None else "")
        or None,
        dateline=text(child(content, "dateline")) or inline.get("dateline") or None,
        language=_language(el, content),
        subjects=tuple(dict.fromkeys(_qcodes(children(content, "subject")))),
        pubstatus=WITHDRAWN if status in _KILL_STATUS or _KILL_SIGNALS & set(signals) else USABLE,
        embargo_until=parse_time(text(child(meta, "embargoed"))),
        ednote="\n\n".join(
            t
            for t in (clean_text(element_text(n)) for n in children(meta, "edNote") + children(content, "edNote"))
            if t
        )
        or None,
        signals=tuple(dict.fromkeys(signals)),
        url=_url(meta, child(el, "contentSet")),
        related=refs,
        format="newsml-g2",
        raw=raw,
    )


def _summary(content: etree._Element | None) -> str:
    """A package's own text: its contentMeta descriptions, less captions (a caption describes a picture)."""
    found = (
        clean_text(element_text(d)) for d in children(content, "description") if "caption" not in (d.get("role") or "")
    )
    return "\n\n".join(t for t in found if t)


def _url(meta: etree._Element | None, content_set: etree._Element | None) -> str | None:
    """The item's own web page: a canonical/self itemMeta link, else a web (HTML) rendition."""
    links = children(meta, "link")
    hrefs = [k.get("href") for rel in _SELF_RELS for k in links if (k.get("rel") or "").rpartition(":")[2] == rel]
    hrefs += [
        r.get("href")
        for r in children(content_set, "remoteContent")
        if (r.get("contenttype") or "").lower() in _PAGE_TYPES
    ]
    return next((h for h in hrefs if h and h.startswith(("http://", "https://"))), None)


def _first_time(
    meta: etree._Element | None, content: etree._Element | None, names: tuple[str, ...], zone: str | None
) -> datetime | None:
    """The first of the named itemMeta/contentMeta times that is present and parses (naive: in `zone`)."""
    for name in names:
        for parent in (meta, content):
            found = parse_time(text(child(parent, name)), zone)
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
