"""Hostile input: every case ends in ReaderError with a clear reason, within seconds, leaking nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from storage.readers import MAX_FILE_BYTES, ReaderError, read_bytes, read_file

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<newsItem guid="x" version="1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>
<contentMeta><headline>&xxe;</headline></contentMeta></newsItem>"""

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE nitf [\n<!ENTITY lol "lol">\n'
    + b"".join(
        b'<!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
    )
    + b"]>\n<nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>"
)


def refused(data: bytes, match: str) -> str:
    start = time.monotonic()
    with pytest.raises(ReaderError, match=match) as info:
        read_bytes(data, "hostile")
    assert time.monotonic() - start < 5
    return str(info.value)


def test_xxe_never_reads_local_files() -> None:
    message = refused(XXE, "entit")
    if os.path.exists("/etc/passwd"):
        assert "root:" not in message


@pytest.mark.parametrize("root", [b"nitf", b"NewsML", b"rss"])
def test_xxe_refused_for_every_xml_reader(root: bytes) -> None:
    doc = b'<?xml version="1.0"?><!DOCTYPE %s [<!ENTITY x SYSTEM "file:///etc/passwd">]><%s>&x;</%s>' % (
        root,
        root,
        root,
    )
    assert "root:" not in refused(doc, "entit")


def test_billion_laughs_refused_quickly() -> None:
    refused(LAUGHS, "entit")


def test_utf16_entity_declaration_refused() -> None:
    refused(XXE.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"), "entit|unknown format")


def test_oversized_garbage_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "garbage.xml"
    with big.open("wb") as f:
        f.write(b"<newsItem>")
        f.write(os.urandom(50 * 1024 * 1024))
    assert big.stat().st_size > MAX_FILE_BYTES
    start = time.monotonic()
    with pytest.raises(ReaderError, match="over the"):
        read_file(big)
    assert time.monotonic() - start < 5


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty file"),
        (b"  \n\t ", "empty file"),
        (b'<?xml version="1.0"?><newsMessage><itemSet><newsItem guid="a"><contentMeta><headline>cut', "malformed XML"),
        (b"<nitf><body><body.content><p>ok</p></body.content>", "malformed XML"),
        (b'<?xml version="1.0" encoding="utf-8"?><nitf><body><p>\xff\xfe bad</p></body></nitf>', "malformed XML"),
        (b'{"format": "digitalwires@1", "urn": "u", "headline": "\xff"}', "unknown format|dpa"),
        (b'{"id": "", "title": "ok"}\n{"id": "2", "title": "\xff"}', "line 1: JSONL record without an id .and 1 more"),
        (b"id,title,text\n1,\xff\xfe,x\n", "CSV is not UTF-8"),
        (b"\x16\x16\x01Q1234 no header at all", "ANPA"),
        (os.urandom(4096).replace(b"<", b"x").replace(b"{", b"x"), "unknown format|empty"),
    ],
)
def test_broken_input_is_a_clear_reader_error(data: bytes, match: str) -> None:
    refused(data, match)
