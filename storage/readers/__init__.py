"""Wire-format readers: detect a file's format from its bytes and turn it into Article records.

Every reader is a function `read(data: bytes, path: str) -> list[Item]` (Article, Skipped or
Rejected records) that raises only `ReaderError` (storage.readers.errors, which readers import at
module top) for input it cannot use. `read_file` is the one entry point callers need;
`merge_renditions` (storage.readers.renditions) pairs AP metadata with its NITF body afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from storage.readers import (
    anpa,
    apmedia,
    csvfile,
    dpa,
    feed,
    iptc7901,
    jsonl,
    newsml1,
    newsmlg2,
    ninjs,
    nitf,
    reuters_json,
    ritzau,
)
from storage.readers.errors import EXPECTED, ReaderError
from storage.readers.fields import finish
from storage.records import Article, Rejected, Skipped

#: Largest file accepted, in bytes. A wire item is rarely over 1 MB; a bigger file is quarantined
#: unread so that one hostile file cannot exhaust memory during a night.
MAX_FILE_BYTES = 20 * 1024 * 1024

Item = Article | Skipped | Rejected
Reader = Callable[[bytes, str], list[Item]]
T = TypeVar("T")

#: Readers in sniffing order: the specific JSON shapes before ninjs, ninjs before generic JSONL.
_READERS: tuple[tuple[str, Callable[[bytes], bool], Reader], ...] = (
    ("ap-json", apmedia.sniff, apmedia.read),
    ("reuters-json", reuters_json.sniff, reuters_json.read),
    ("dpa", dpa.sniff, dpa.read),
    ("ninjs", ninjs.sniff, ninjs.read),
    ("jsonl", jsonl.sniff, jsonl.read),
    ("newsml-g2", newsmlg2.sniff, newsmlg2.read),
    ("nitf", nitf.sniff, nitf.read),
    ("newsml-1", newsml1.sniff, newsml1.read),
    ("ritzau", ritzau.sniff, ritzau.read),
    ("rss-atom", feed.sniff, feed.read),
    ("anpa", anpa.sniff, anpa.read),
    ("iptc7901", iptc7901.sniff, iptc7901.read),
    ("csv", csvfile.sniff, csvfile.read),
)


def _registry() -> tuple[tuple[str, Callable[[bytes], bool], Reader], ...]:
    """The readers in sniffing order; a function so tests can put a reader of their own in front."""
    return _READERS


def detect(data: bytes) -> str:
    """Name the format of `data` by looking at its content, never its file name."""
    for name, sniff, _ in _registry():
        try:
            if sniff(data):
                return name
        except EXPECTED:
            continue
    raise ReaderError("unknown format: no reader recognises this content")


def read_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, list[Item]]:
    """Detect and read; returns the format name and the items."""
    if not data.strip():
        raise ReaderError("empty file")
    _refuse_oversized(len(data))
    return (name := detect(data)), read_as(name, data, path)


def read_as(name: str, data: bytes, path: str = "<bytes>") -> list[Item]:
    """Read `data` with the named reader, turning any expected parsing failure into ReaderError.

    A multi-item file may come back with some items Rejected (quarantined alone); one whose every
    item is Rejected is a ReaderError, as nothing of it can be used.
    """
    try:
        items = [finish(i)[0] if isinstance(i, Article) else i for i in read_raw(name, data, path)]
    except ReaderError:
        raise
    except EXPECTED as exc:
        raise ReaderError(f"{name}: {type(exc).__name__}: {exc}") from exc
    if not items:
        raise ReaderError(f"{name}: no items found")
    rejected = [i for i in items if isinstance(i, Rejected)]
    if len(rejected) == len(items):
        more = f" (and {len(items) - 1} more bad items)" if len(items) > 1 else ""
        raise ReaderError(f"{rejected[0].position}: {rejected[0].reason}{more}")
    return items


def read_raw(name: str, data: bytes, path: str = "<bytes>") -> list[Item]:
    """What the named reader found, before the shared field rules (`fields.finish`): for --explain."""
    return {n: r for n, _, r in _registry()}[name](data, path)


def read_file(path: str | os.PathLike[str]) -> tuple[str, list[Item]]:
    """Read one file from disk, refusing oversized files before loading them."""
    p = Path(path)
    _refuse_oversized(p.stat().st_size)
    return read_bytes(p.read_bytes(), str(p))


def _refuse_oversized(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReaderError(f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit")


def read_each(paths: Iterable[Path], read: Callable[[Path], T]) -> Iterator[tuple[Path, T | ReaderError]]:
    """`read` applied to each file in turn; a file it cannot use gives its ReaderError, and the walk goes on."""
    for path in paths:
        try:
            yield path, read(path)
        except ReaderError as exc:
            yield path, exc
