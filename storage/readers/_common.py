"""Helpers shared by the readers: time parsing, wire names, HTML to text, decoding, JSON sniffing."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from lxml import etree, html

from storage.readers.errors import EXPECTED, ReaderError
from storage.records import Article, Rejected, Skipped, clean_text, sha256_hex

T = TypeVar("T")

#: A parsed JSON object: its values are whatever the wire sent, so each reader checks what it uses.
JsonObject = dict[str, Any]

_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?\s*(Z|[+-]\d{2}:?\d{2})?$")

#: Lower-cased hints (provider ids, copyright holders, domains) mapped to canonical wire names, in
#: order. Hints with a dot, a space or over four letters match as substrings, short ones as whole words.
_SOURCES = (
    ("australian associated press", "AAP"),
    ("associated press", "AP"),
    ("ap.org", "AP"),
    ("approviderid", "AP"),
    ("ap", "AP"),
    ("reuters", "Reuters"),
    ("agence france", "AFP"),
    ("afp", "AFP"),
    ("businesswire", "Business Wire"),
    ("business wire", "Business Wire"),
    ("deutsche presse", "dpa"),
    ("dpa", "dpa"),
    ("ntb", "NTB"),
    ("tt.se", "TT"),
    ("tt", "TT"),
    ("efe", "EFE"),
    ("press association", "PA"),
    ("pa", "PA"),
    ("aap", "AAP"),
    ("ansa", "ANSA"),
    ("stt", "STT"),
    ("algemeen nederlands", "ANP"),
    ("anp", "ANP"),
    ("kyodo", "Kyodo"),
    ("belga", "Belga"),
    ("ritzau", "Ritzau"),
    ("tass", "TASS"),
    ("keystone", "Keystone-SDA"),
    ("sda", "Keystone-SDA"),
    ("ats", "Keystone-SDA"),
    ("europapress", "Europa Press"),
    ("europa press", "Europa Press"),
    ("iptc", "IPTC"),
    ("press telecommunications council", "IPTC"),
)
_TOKEN = re.compile(r"[^a-z0-9]+")

#: Home time zones of national wires that send wall-clock times without an offset. Global wires
#: (AP, Reuters, AFP) stamp from many bureaux, so a naive time of theirs stays UTC.
HOME_ZONES = {
    "NTB": "Europe/Oslo",
    "STT": "Europe/Helsinki",
    "TT": "Europe/Stockholm",
    "Ritzau": "Europe/Copenhagen",
    "dpa": "Europe/Berlin",
    "ANSA": "Europe/Rome",
    "EFE": "Europe/Madrid",
    "Europa Press": "Europe/Madrid",
    "ANP": "Europe/Amsterdam",
    "Belga": "Europe/Brussels",
    "PA": "Europe/London",
    "AAP": "Australia/Sydney",
    "Kyodo": "Asia/Tokyo",
    "Keystone-SDA": "Europe/Zurich",
    "TASS": "Europe/Moscow",
}


def home_zone(source: str) -> str | None:
    """The zone a naive time of this wire is in, when the wire is a national one (else None: UTC)."""
    return HOME_ZONES.get(source)


def canonical_source(*hints: object) -> str | None:
    """Map the first recognisable provider/copyright/id hint to a canonical wire name."""
    for hint in hints:
        if not hint or not isinstance(hint, str):
            continue
        low = hint.lower()
        tokens = set(_TOKEN.split(low))
        for needle, name in _SOURCES:
            long = len(needle) > 4 or " " in needle or "." in needle
            if (needle in low) if long else (needle in tokens):
                return name
    return None


_DOMAIN = re.compile(r"(?:https?://(?:www\.)?|tag:|urn:newsml:)([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})", re.I)


def source_or_domain(*hints: object, fallback: str | None = None) -> str:
    """Canonical wire name, else the publisher's domain from an id or URI, else the `fallback`
    name the item gives itself (ninjs `source`), else "unknown"."""
    found = canonical_source(*hints)
    if found:
        return found
    for hint in hints:
        match = _DOMAIN.search(hint) if isinstance(hint, str) else None
        if match:
            return match.group(1).lower()
    return clean_text(fallback) or "unknown" if fallback else "unknown"


def parse_time(value: object, zone: str | None = None) -> datetime | None:
    """Parse ISO 8601 and the compact forms wires use (20140829T134951+0000).

    A time without offset is wall-clock time of `zone` when the feed's zone is known, else UTC.
    """
    if not value or not isinstance(value, str):
        return None
    text = value.strip()
    match = _COMPACT.match(text)
    if match:
        y, mo, d, h, mi, s, tz = match.groups()
        text = f"{y}-{mo}-{d}T{h or '00'}:{mi or '00'}:{s or '00'}{tz or ''}"
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    if parsed.tzinfo:
        return parsed
    return parsed.replace(tzinfo=ZoneInfo(zone)) if zone else parsed.replace(tzinfo=timezone.utc)


def to_int(value: object) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    return int(text) if text.isdigit() else None


def decode(data: bytes) -> str:
    """UTF-8 when it is, else latin-1: the legacy wires (ANPA, 7901) are 8-bit."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def synthetic_key(prefix: str, *parts: str) -> str:
    """A key for formats that carry no id: stable for the same content, documented as such."""
    return f"{prefix}:{sha256_hex(chr(31).join(parts))[:20]}"


_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "blockquote",
    "pre",
    "li",
    "ul",
    "ol",
    "table",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hl1",
    "hl2",
    "block",
    "br",
    "header",
    "footer",
    "dl",
    "dt",
    "dd",
    "tbody",
    "thead",
    "body.content",
    "media",
    "figure",
    "aside",
    "nitf-table",
    "rubrik",
    "ingress",
    "dat",
}
_SKIP = {"script", "style", "head", "header", "title", "media-reference", "media-metadata", "media-object"}
_SPACE = re.compile(r"\s+")


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def element_text(el: etree._Element) -> str:
    """Plain text of an XML/HTML element: block elements become paragraphs, wrapping becomes spaces."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        name = _local(node.tag)
        if name in _SKIP or not isinstance(node.tag, str):
            return
        block = name in _BLOCK
        if block:
            parts.append("\n\n")
        if node.text:
            parts.append(_SPACE.sub(" ", node.text))
        for child in node:
            walk(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))
        parts.append("\n\n" if block else (" " if name in ("td", "th") else ""))

    walk(el)
    return "".join(parts)


_HTML_PARSER = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


def html_to_text(markup: str | None) -> str:
    """Text of an HTML/XHTML fragment; plain text passes through unchanged."""
    if not markup or not markup.strip():
        return ""
    if "<" not in markup:
        return markup
    root = etree.fromstring(f"<div>{markup}</div>", _HTML_PARSER)
    return element_text(root) if root is not None else ""


def each_item(
    entries: Iterable[tuple[str, T]], convert: Callable[[T], Article | Skipped]
) -> list[Article | Skipped | Rejected]:
    """Convert the (position, entry) pairs of a multi-item file one by one, so one bad entry is
    Rejected with its position instead of costing the whole file; Skipped ones get their position."""
    out: list[Article | Skipped | Rejected] = []
    for position, entry in entries:
        try:
            item = convert(entry)
        except ReaderError as exc:
            out.append(Rejected(position, str(exc)))
        except EXPECTED as exc:
            out.append(Rejected(position, f"{type(exc).__name__}: {exc}"))
        else:
            out.append(replace(item, position=position) if isinstance(item, Skipped) else item)
    return out


def numbered(entries: Iterable[T], label: str) -> list[tuple[str, T]]:
    """("item 1", e1), ("item 2", e2), ...: positions for each_item."""
    return [(f"{label} {n}", e) for n, e in enumerate(entries, 1)]


@lru_cache(maxsize=4)
def load_json(data: bytes) -> object:
    """Parse a whole JSON document once for all sniffers; None when it is not JSON."""
    head = data.lstrip()[:1]
    if head not in (b"{", b"["):
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        return None
