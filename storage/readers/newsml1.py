"""NewsML 1.x (AFP, Business Wire, ANP, EFE, TASS, Kyodo, SDA-ATS, Belga): NewsItems whose text sits
in NITF or XHTML DataContent.

A NewsItem may nest NewsComponents that each have a Role (Business Wire: Abstract, HeadLine,
SubHeadLine, StyleSheet, Logo, Contact, Body): when some component has the Role "Body" (or "Main"),
the body is the text of those components only, as the others repeat the headline or are furniture;
of a story sent in several languages, the first language's. The NewsLines are those of the
outermost component that has a HeadLine. The slugline is SlugLine, else the Identification's
NameLabel (AFP's story slug), else a CatchWord NewsLine (SDA-ATS), else the keyword of the NITF
inside; the NITF's byline and dateline likewise fill what NewsLines lack. An AdvisoryLine NewsLine
is the ednote. A text ContentItem is known by its media type and format, or by a text MIME type
alone. An item without NewsItemId (TASS) is keyed by its guid, else its Duid; a PublicIdentifier
that does not name the item is not its key. The language is the Language element, else the
xml:lang in force. The source falls back to the PublicIdentifier's domain, then to the ProviderId
itself; naive times are the national wire's wall clock (`_common.HOME_ZONES`).
"""

from __future__ import annotations

from lxml import etree

from storage.readers import nitf
from storage.readers._common import (
    canonical_source,
    each_item,
    element_text,
    home_zone,
    numbered,
    parse_time,
    source_or_domain,
    to_int,
)
from storage.readers._xml import child, children, descendants, local, parse, root_name, serialize, text
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_TEXT_FORMATS = ("nitf", "xhtml", "html", "text")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Component roles that hold the story text; where one is present, the other roles are not the body.
_BODY_ROLES = ("body", "main")
#: MIME types of story text (a TASS ContentItem says only "text/vnd.IPTC.NITF", media "ComplexData").
_TEXT_MIMES = ("text/plain", "text/html", "text/xhtml", "application/xhtml+xml")
#: NewsLine types that are a note to editors, not story text.
_ADVISORY = ("advisoryline", "advisory")
#: NewsLine types that carry the story's slug (SDA-ATS "CatchWord").
_SLUG_LINES = ("catchword", "keyword", "slugline")


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


def _role(component: etree._Element) -> str:
    return _formal(child(component, "Role")).lower()


def _lang(el: etree._Element) -> str | None:
    """The xml:lang in force at `el` (its own or its nearest ancestor's)."""
    for node in (el, *el.iterancestors()):
        if node.get(_XML_LANG):
            return node.get(_XML_LANG)
    return None


def _content_items(component: etree._Element | None) -> list[tuple[etree._Element, bool]]:
    """The ContentItems that hold the story, each with whether a Body/Main role says so: those of
    the Body/Main-role components where any component has such a role (of the first one's language
    only, when the item carries the story in several), else every ContentItem."""
    roles = [c for c in descendants(component, "NewsComponent") if _role(c) in _BODY_ROLES]
    if not roles:
        return [(item, False) for item in descendants(component, "ContentItem")]
    first = _lang(roles[0])
    return [(item, True) for c in roles if _lang(c) == first for item in descendants(c, "ContentItem")]


def _lines(component: etree._Element | None) -> etree._Element | None:
    """The NewsLines of the outermost component that has a HeadLine (else the top one's)."""
    top = child(component, "NewsLines")
    if child(top, "HeadLine") is not None and text(child(top, "HeadLine")):
        return top
    for lines in descendants(component, "NewsLines"):
        if text(child(lines, "HeadLine")):
            return lines
    return top


def _is_text(item: etree._Element, body_role: bool) -> bool:
    """A ContentItem of story text: Text (or untyped) media in a text format, or a text MIME type;
    in a Body-role component, also one that declares no media, format or MIME type (Belga)."""
    media = _formal(child(item, "MediaType")).lower()
    fmt = _formal(child(item, "Format")).lower()
    mime = _formal(child(item, "MimeType")).lower()
    if body_role and not (media or fmt or mime):
        return True
    if media in ("text", ""):
        return any(f in fmt for f in _TEXT_FORMATS) or mime in _TEXT_MIMES or "nitf" in mime
    return mime in _TEXT_MIMES or "nitf" in mime


def _body(component: etree._Element | None) -> tuple[str, dict[str, str]]:
    """Text of every story ContentItem (NITF or XHTML), in document order, and the head fields of
    the first NITF one."""
    texts = []
    head: dict[str, str] = {}
    for item, body_role in _content_items(component):
        content = child(item, "DataContent")
        if content is None or not _is_text(item, body_role):
            continue
        inner = [c for c in content if isinstance(c.tag, str)]
        if inner and local(inner[0]) == "nitf":
            parts = nitf.body_parts(inner[0])
            head = head or parts
            texts.append(parts["body"])
        else:
            texts.append(clean_text(element_text(content)))
    return "\n\n".join(t for t in texts if t), head


def _item(el: etree._Element, raw: bytes) -> Article | Skipped:
    ident = child(el, "Identification", "NewsIdentifier")
    item_id = text(child(ident, "NewsItemId"))
    provider = text(child(ident, "ProviderId"))
    management = child(el, "NewsManagement")
    component = child(el, "NewsComponent")
    lines = _lines(component)
    headline = clean_text(text(child(lines, "HeadLine")) or text((descendants(component, "HeadLine") or [None])[0]))
    body, inner = _body(component)
    # No NewsItemId (TASS): the item's guid, else the component's Duid, stands in.
    item_id = (
        item_id
        or text((descendants(el, "guid") or [None])[0])
        or next((c.get("Duid", "") for c in [el, *descendants(el, "NewsComponent")] if c.get("Duid")), "")
    )
    if not item_id:
        return Skipped("NewsML 1.x NewsItem without NewsItemId, guid or Duid")
    # The PublicIdentifier less its revision is the key, unless it does not name the item (Belga
    # sends "urn:newsml:www.belga.be" for every item).
    public = text(child(ident, "PublicIdentifier"))
    key = public.rsplit(":", 1)[0] if public and item_id in public else f"{provider}:{item_id}"
    if not headline and not body:
        return Skipped("NewsML 1.x NewsItem without text", key)
    status = _formal(child(management, "Status")).lower()
    revision = child(ident, "RevisionId")
    news_lines = [
        (_formal(child(line, "NewsLineType")).lower(), clean_text(text(child(line, "NewsLineText"))))
        for line in descendants(component, "NewsLine")
    ]
    advisories = [value for kind, value in news_lines if kind in _ADVISORY]
    slug_lines = [value for kind, value in news_lines if kind in _SLUG_LINES and value]
    source = canonical_source(
        provider, _formal(descendants(component, "Party")[0]) if descendants(component, "Party") else None
    ) or source_or_domain(text(child(ident, "PublicIdentifier")), fallback=provider)
    zone = home_zone(source)
    return Article(
        source=source,
        item_key=key,
        headline=headline,
        body=body,
        version=to_int(text(revision)),
        version_created=parse_time(text(child(management, "ThisRevisionCreated")), zone),
        first_created=parse_time(text(child(management, "FirstCreated")), zone),
        slugline=text(child(lines, "SlugLine"))
        or text(child(el, "Identification", "NameLabel"))
        or (slug_lines[0] if slug_lines else "")
        or inner.get("slugline")
        or None,
        byline=text(child(lines, "ByLine")) or inner.get("byline") or None,
        dateline=text(child(lines, "DateLine")).rstrip(" -") or inner.get("dateline") or None,
        language=_formal(descendants(component, "Language")[0])
        if descendants(component, "Language")
        else el.get(_XML_LANG) or (_lang(component) if component is not None else None),
        subjects=tuple(
            dict.fromkeys(_formal(s) for s in descendants(component, "SubjectCode") for s in s if _formal(s))
        ),
        pubstatus=WITHDRAWN if status in ("canceled", "withheld", "withdrawn", "killed") else USABLE,
        signals=tuple(f"Update:{u}" for u in [revision.get("Update")] if u and u != "N")
        if revision is not None
        else (),
        ednote="\n\n".join(a for a in advisories if a) or None,
        related=tuple(a.get("NewsItem") for a in children(management, "AssociatedWith") if a.get("NewsItem")),
        format="newsml-1",
        raw=raw,
    )
