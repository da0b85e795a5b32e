"""Wire-format readers: detect a file's format from its bytes and turn it into Article records.

Every reader is a function `read(data: bytes, path: str) -> list[Article | Skipped]` that raises
only `ReaderError` for input it cannot use. `read_file` is the one entry point callers need.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from storage.records import Article, Skipped

#: Largest file accepted, in bytes. A wire item is rarely over 1 MB; a bigger file is quarantined
#: unread so that one hostile file cannot exhaust memory during a night.
MAX_FILE_BYTES = 20 * 1024 * 1024


class ReaderError(Exception):
    """Input that cannot be read: the message says what is wrong, for the quarantine table."""


Reader = Callable[[bytes, str], list[Article | Skipped]]


def _registry() -> list[tuple[str, Callable[[bytes], bool], Reader]]:
    from storage.readers import jsonl

    return [("jsonl", jsonl.sniff, jsonl.read)]


def detect(data: bytes) -> str:
    """Name the format of `data` by looking at its content, never its file name."""
    for name, sniff, _ in _registry():
        if sniff(data):
            return name
    raise ReaderError("unknown format: no reader recognises this content")


def read_bytes(data: bytes, path: str = "<bytes>") -> tuple[str, list[Article | Skipped]]:
    """Detect and read; returns the format name and the items."""
    if not data.strip():
        raise ReaderError("empty file")
    if len(data) > MAX_FILE_BYTES:
        raise ReaderError(f"file is {len(data)} bytes, over the {MAX_FILE_BYTES}-byte limit")
    name = detect(data)
    reader = {n: r for n, _, r in _registry()}[name]
    try:
        return name, reader(data, path)
    except ReaderError:
        raise
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError, RecursionError) as exc:
        raise ReaderError(f"{name}: {type(exc).__name__}: {exc}") from exc


def read_file(path: str | os.PathLike[str]) -> tuple[str, list[Article | Skipped]]:
    """Read one file from disk, refusing oversized files before loading them."""
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReaderError(f"file is {size} bytes, over the {MAX_FILE_BYTES}-byte limit")
    return read_bytes(p.read_bytes(), str(p))
