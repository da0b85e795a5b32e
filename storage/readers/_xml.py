"""Safe XML parsing and content sniffing shared by the XML readers.

Wire XML is parsed with no network, no DTD loading and no entity substitution, and any document
that declares entities is refused outright: no wire format needs them, and they are how XXE and
"billion laughs" attacks work. The one exception is an internal DTD subset that only pulls in DTD
modules by external parameter entity (Kyodo's NewsML: `<!ENTITY % nitf SYSTEM "nitf.dtd"> %nitf;`):
nothing is ever loaded, so that subset is dropped unread and the document parsed without it. Nothing is validated against an XSD: much genuine copy fails it.
"""

from __future__ import annotations

import re

from lxml import etree

from storage.readers.errors import ReaderError

_NAME = re.compile(rb"[A-Za-z_][\w.:-]*")
_DECLARED = re.compile(rb"""\A(?:\xef\xbb\xbf)?<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)["']""")
_XMLNS = re.compile(rb"""xmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""")
_SPACES = re.compile(rb"\s*")
_DOCTYPE_NAME = re.compile(rb"[^\[>]*")
_DOCTYPE_END = re.compile(rb"\]\s*>")
_ID = rb"""(?:"[^"]*"|'[^']*')"""
#: An internal subset of nothing but external parameter entities (DTD modules), their references,
#: comments and whitespace. Each alternative starts with its own character, so matching is linear.
_MODULES_ONLY = re.compile(
    rb"(?:\s|<!--(?:[^-]|-[^-])*-->|<!ENTITY\s+%\s+[\w.-]+\s+(?:SYSTEM\s+"
    + _ID
    + rb"|PUBLIC\s+"
    + _ID
    + rb"\s+"
    + _ID
    + rb")\s*>|%[\w.-]+;)*"
)
#: How far into a file the root element is looked for.
_HEAD = 65536


def _end(pattern: re.Pattern[bytes], head: bytes, pos: int) -> int:
    """End of `pattern` matched at `pos`; the patterns passed here match the empty string, so always match."""
    match = pattern.match(head, pos)
    return match.end() if match else pos


def _skip_prolog(head: bytes) -> int:
    """Offset of the root element's "<" after BOM, whitespace, PIs, comments and a DOCTYPE; -1 if none.

    A scanner, not one regex: each step moves forward with a find() or a single-quantifier match, so
    hostile prologs (thousands of blank lines, unterminated comments) cost linear time; the old
    pattern nested a whitespace run inside a star and backtracked exponentially on blank lines.
    """
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        pos = _end(_SPACES, head, pos)
        if head.startswith(b"<?", pos):
            end = head.find(b"?>", pos + 2)
            pos = -1 if end < 0 else end + 2
        elif head.startswith(b"<!--", pos):
            end = head.find(b"-->", pos + 4)
            pos = -1 if end < 0 else end + 3
        elif head.startswith(b"<!DOCTYPE", pos):
            pos = _skip_doctype(head, pos + 9)
        else:
            return pos if head.startswith(b"<", pos) else -1
        if pos < 0:
            return -1


def _skip_doctype(head: bytes, pos: int) -> int:
    """Offset after a DOCTYPE whose name part starts at `pos`, internal subset included; -1 if unterminated."""
    pos = _end(_DOCTYPE_NAME, head, pos)
    if pos >= len(head):
        return -1
    if head[pos] == ord(">"):
        return pos + 1
    end = _DOCTYPE_END.search(head, pos + 1)
    return end.end() if end else -1


def root_name(data: bytes) -> tuple[str, str]:
    """(namespace, local name) of the root element found by a cheap look at the prolog; ("", "") if none."""
    head = data[:_HEAD]
    start = _skip_prolog(head)
    match = _NAME.match(head, start + 1) if start >= 0 else None
    if not match:
        return "", ""
    qname = match.group(0).decode("ascii", "replace")
    prefix, _, local = qname.rpartition(":")
    tag_end = head.find(b">", match.end())
    attrs = head[match.end() : tag_end if tag_end > 0 else match.end() + 4096]
    namespaces = {
        (m.group(1) or b"").decode("ascii", "replace"): m.group(2).decode("utf-8", "replace")
        for m in _XMLNS.finditer(attrs)
    }
    return namespaces.get(prefix, ""), local


def _drop_dtd_modules(data: bytes) -> bytes:
    """`data` without an internal DTD subset that only references external DTD modules; else unchanged."""
    start = data.find(b"<!DOCTYPE", 0, _HEAD)
    if start < 0 or b"<!ENTITY" not in data[start:_HEAD]:
        return data
    open_at = _end(_DOCTYPE_NAME, data, start + 9)
    if open_at >= len(data) or data[open_at] != ord("["):
        return data
    close = _DOCTYPE_END.search(data, open_at + 1, _HEAD)
    if not close or _MODULES_ONLY.fullmatch(data, open_at + 1, close.start()) is None:
        return data
    return data[:open_at] + b">" + data[close.end() :]


def parse(data: bytes, what: str) -> etree._Element:
    """Parse untrusted XML; raise ReaderError for entity declarations and malformed input."""
    data = _drop_dtd_modules(data)
    if b"<!ENTITY" in data[:65536].upper():
        raise ReaderError(f"{what}: XML declares entities (<!ENTITY>): refused (XXE / entity expansion)")
    parser = etree.XMLParser(
        encoding=_encoding_override(data),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReaderError(f"{what}: malformed XML: {exc}") from exc
    if root is None:
        raise ReaderError(f"{what}: no XML root element")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise ReaderError(f"{what}: XML declares entities: refused (XXE / entity expansion)")
    return root


def _encoding_override(data: bytes) -> str | None:
    """Some wires declare iso-8859-1 but send UTF-8 (AFP 2024): trust bytes that decode as UTF-8."""
    decl_end = data.find(b"?>", 0, 1024)
    declared = _DECLARED.match(data, 0, decl_end) if decl_end > 0 else None
    if not declared or declared.group(1).lower() in (b"utf-8", b"utf8") or data.isascii():
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return "utf-8"


def local(el: object) -> str:
    tag = getattr(el, "tag", None)
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def children(el: etree._Element | None, name: str) -> list[etree._Element]:
    """Direct children with local name `name`, whatever their namespace (or none)."""
    if el is None:
        return []
    return [c for c in el if local(c) == name]


def child(el: etree._Element | None, *path: str) -> etree._Element | None:
    """Follow a path of local names through direct children; None when any step is missing."""
    for name in path:
        found = children(el, name)
        if not found:
            return None
        el = found[0]
    return el


def descendants(el: etree._Element | None, name: str) -> list[etree._Element]:
    if el is None:
        return []
    return [d for d in el.iter() if local(d) == name]


def text(el: etree._Element | None) -> str:
    """All text inside an element, whitespace folded (for one-line fields like headlines)."""
    if el is None:
        return ""
    return " ".join(" ".join(el.itertext()).split())


def serialize(el: etree._Element) -> bytes:
    return etree.tostring(el, encoding="utf-8")
