"""JSON Lines in the shape of the evaluation corpora: id, source, title, text, published_at, language, url."""

from __future__ import annotations

import json
from datetime import datetime

from storage.readers._common import each_item
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text


def sniff(data: bytes) -> bool:
    head = data.lstrip()[:1]
    if head != b"{":
        return False
    first = data.lstrip().split(b"\n", 1)[0]
    try:
        obj = json.loads(first)
    except ValueError:
        return False
    return isinstance(obj, dict) and "id" in obj and ("text" in obj or "title" in obj)


def parse_time(value: object) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def record_to_article(obj: dict, raw: bytes) -> Article | Skipped:
    if not isinstance(obj, dict):
        raise ReaderError("JSONL line is not an object")
    if obj.get("id") in (None, ""):
        raise ReaderError("JSONL record without an id")
    headline = clean_text(obj.get("title") or "")
    body = clean_text(obj.get("text") or "")
    if not headline and not body:
        return Skipped("no headline and no text", str(obj["id"]))
    version = obj.get("version")
    status = str(obj.get("pubstatus") or USABLE).lower()
    return Article(
        source=str(obj.get("source") or "unknown"),
        item_key=str(obj["id"]),
        headline=headline,
        body=body,
        version=int(version) if version is not None else None,
        version_created=parse_time(obj.get("published_at")),
        first_created=parse_time(obj.get("first_created")),
        language=obj.get("language"),
        url=obj.get("url"),
        pubstatus=WITHDRAWN if status in ("withdrawn", "canceled", "cancelled", "killed") else USABLE,
        embargo_until=parse_time(obj.get("embargo_until")),
        format="jsonl",
        raw=raw,
    )


def _line_to_article(line: bytes) -> Article | Skipped:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"JSONL line is not UTF-8: {exc}") from exc
    try:
        obj = json.loads(text)
    except ValueError as exc:
        raise ReaderError(f"invalid JSON: {exc}") from exc
    return record_to_article(obj, text.encode("utf-8"))


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    """One record per line; a bad line (not UTF-8, not JSON, no id) is rejected alone."""
    lines = data.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    return each_item(((f"line {n}", ln.rstrip(b"\r")) for n, ln in enumerate(lines, 1) if ln.strip()), _line_to_article)
