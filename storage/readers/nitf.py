"""NITF 2.x/3.x documents (AP, NTB, EFE, PA, AAP...), with or without AP's 2006-10-18 namespace.

The slugline is AP/AAP's `meta anpa-keyword`, else the first docdata `keyword`, else NTB's
`NTBStikkord`; the ednote is `ed-msg/@info`. NTB stamps `meta timestamp` and `date.issue` in Oslo time
without an offset.

AP's Media API delivers the story body as a NITF rendition that carries no item id: see
`storage.readers.renditions.merge_renditions` for how it is paired with its metadata record.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from storage.readers._common import element_text, home_zone, parse_time, source_or_domain, synthetic_key
from storage.readers._xml import child, descendants, parse, root_name, text
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_KILLED = {"withdrawn", "canceled", "cancelled", "killed", "withheld"}


def sniff(data: bytes) -> bool:
    return root_name(data)[1] == "nitf"


def _meta(head: etree._Element | None) -> dict[str, str]:
    return {m.get("name", ""): m.get("content", "") for m in descendants(head, "meta") if m.get("name")}


def body_parts(nitf: etree._Element) -> dict[str, str]:
    """Headline, byline, dateline, slugline (anpa-keyword meta, else docdata keyword) and plain body
    of a NITF element (also used inside NewsML wrappers, which take what their own fields lack)."""
    body = child(nitf, "body")
    head = child(body, "body.head")
    content = child(body, "body.content")
    hl = child(head, "hedline", "hl1")
    byline = child(head, "byline")
    by_person = child(byline, "person")
    dateline = child(head, "dateline")
    location = child(dateline, "location")
    return {
        "headline": text(hl) or text(child(nitf, "head", "title")),
        "byline": text(by_person) or _names_only(byline),
        "dateline": text(location)
        if location is not None
        else text(dateline)
        if child(dateline, "story.date") is None
        else "",
        "abstract": clean_text(element_text(child(head, "abstract"))) if child(head, "abstract") is not None else "",
        "slugline": _meta(child(nitf, "head")).get("anpa-keyword") or _keyword(child(nitf, "head", "docdata")) or "",
        "body": clean_text(element_text(content)) if content is not None else "",
    }


def _names_only(byline: etree._Element | None) -> str:
    """The byline's text without its <byttl> (the writer's title or organisation, not a name):
    a byline that is only a byttl ("Sports Network") names nobody."""
    if byline is None:
        return ""
    parts = [byline.text or ""]
    for node in byline:
        if not (isinstance(node.tag, str) and etree.QName(node).localname == "byttl"):
            parts.append(" ".join(node.itertext()) if isinstance(node.tag, str) else "")
        parts.append(node.tail or "")
    return " ".join(" ".join(parts).split())


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    root = parse(data, "NITF")
    return [to_article(root, data)]


def to_article(root: etree._Element, raw: bytes) -> Article | Skipped:
    head = child(root, "head")
    docdata = child(head, "docdata")
    meta = _meta(head)
    parts = body_parts(root)
    doc_id = child(docdata, "doc-id")
    du_key = child(docdata, "du-key")
    copyright_el = child(docdata, "doc.copyright")
    source = source_or_domain(
        doc_id.get("regsrc") if doc_id is not None else None,
        copyright_el.get("holder") if copyright_el is not None else None,
        text(descendants(root, "distributor")[0]) if descendants(root, "distributor") else None,
        meta.get("optInfo"),
        du_key.get("key") if du_key is not None else None,
        "ntb" if any(k.startswith("NTB") or k.startswith("ntb-") for k in meta) else None,
        "aap" if "aap-selectors" in meta else None,
        "efe" if {"prioridad", "categoria"} & set(meta) else None,
        text(descendants(root, "copyrite")[0]) if descendants(root, "copyrite") else None,
    )
    headline = clean_text(parts["headline"])
    body = parts["body"] or parts["abstract"]
    if not headline and not body:
        return Skipped("NITF document without headline or body text")
    key = (
        (doc_id.get("id-string") if doc_id is not None else None)
        or meta.get("NTBID")
        or (du_key.get("key") if du_key is not None else None)
        or synthetic_key("nitf", source, headline, body[:2000])
    )
    zone = home_zone(source)
    issue = child(docdata, "date.issue")
    release = child(docdata, "date.release")
    status = (docdata.get("management-status") if docdata is not None else None) or ""
    ed_msg = child(docdata, "ed-msg")
    subjects = tuple(
        s.get("tobject.subject.refnum") for s in descendants(root, "tobject.subject") if s.get("tobject.subject.refnum")
    )
    return Article(
        source=source,
        item_key=key,
        headline=headline,
        body=body,
        version=_version(du_key),
        version_created=parse_time(issue.get("norm") if issue is not None else None, zone) or _ntb_time(meta),
        first_created=parse_time(release.get("norm") if release is not None else None, zone),
        byline=clean_text(parts["byline"]) or None,
        dateline=clean_text(parts["dateline"]) or None,
        language=root.get("baselang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        subjects=subjects,
        pubstatus=WITHDRAWN if status.lower() in _KILLED else USABLE,
        slugline=meta.get("anpa-keyword") or _keyword(docdata) or meta.get("NTBStikkord") or None,
        ednote=(ed_msg.get("info") if ed_msg is not None else None) or None,
        format="nitf",
        raw=raw,
    )


def _version(du_key: etree._Element | None) -> int | None:
    value = du_key.get("version") if du_key is not None else None
    return int(value) if value and value.isdigit() else None


def _keyword(docdata: etree._Element | None) -> str | None:
    keys = [k.get("key") for k in descendants(docdata, "keyword") if k.get("key")]
    return keys[0] if keys else None


def _ntb_time(meta: dict[str, str]) -> datetime | None:
    """NTB stamps Oslo wall-clock time without an offset ("2021.05.16 09:00:04")."""
    stamp = meta.get("timestamp", "")
    if not stamp:
        return None
    return parse_time(stamp.replace(".", "-", 2).replace(" ", "T"), "Europe/Oslo")
