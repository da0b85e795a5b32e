"""Ritzau's own XML (<RBNews>), as the Danish wire delivers it to newsroom systems.

One item a file: NewsID is the key and version its version; PublishDate is Copenhagen wall-clock
time without an offset. The copy is escaped HTML in <content>, the strapline ("NET/FORSVAR/...")
is the slugline, <town> the dateline, <byLine> the byline and <TilRedaktionen> ("to the desk") the
ednote. IPTCList holds subject codes as integers (4000000 = 04000000). Annuleret marks a kill,
Korrektion a correction and NyVersion a new version. A flash may have no headline, only copy.
"""

from __future__ import annotations

from lxml import etree

from storage.readers._common import HOME_ZONES, html_to_text, parse_time, to_int
from storage.readers._xml import child, children, parse, root_name, text
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def sniff(data: bytes) -> bool:
    return root_name(data)[1] == "RBNews"


def _value(root: etree._Element, name: str) -> str:
    """Text of a direct child, "" when missing or marked i:nil."""
    el = child(root, name)
    if el is None or el.get(_XSI_NIL) == "true":
        return ""
    return text(el)


def _flag(root: etree._Element, name: str) -> bool:
    return _value(root, name).lower() == "true"


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    root = parse(data, "Ritzau RBNews")
    key = _value(root, "NewsID")
    if not key:
        raise ReaderError("Ritzau RBNews without NewsID")
    headline = clean_text(html_to_text(_value(root, "headline"))).replace("\n", " ")
    body = clean_text(html_to_text(_value(root, "content")))
    if not headline and not body:
        return [Skipped("Ritzau RBNews without headline or content", key)]
    codes = [text(c) for c in children(child(root, "IPTCList"), "int")]
    signals = [name for flag, name in (("Korrektion", "correction"), ("NyVersion", "update")) if _flag(root, flag)]
    replaced = [v for v in (_value(root, "replacedID"), _value(root, "Replaces")) if v]
    published = parse_time(_value(root, "PublishDate"), HOME_ZONES["Ritzau"])
    return [
        Article(
            source="Ritzau",
            item_key=key,
            headline=headline,
            body=body,
            version=to_int(_value(root, "version")),
            version_created=published,
            slugline=_value(root, "strapline") or None,
            byline=_value(root, "byLine") or None,
            dateline=_value(root, "town") or None,
            subjects=tuple(dict.fromkeys(c.zfill(8) for c in codes if c.isdigit())),
            pubstatus=WITHDRAWN if _flag(root, "Annuleret") else USABLE,
            signals=tuple(signals),
            ednote=clean_text(html_to_text(_value(root, "TilRedaktionen"))) or None,
            related=tuple(dict.fromkeys(replaced)),
            format="ritzau",
            raw=data,
        )
    ]
