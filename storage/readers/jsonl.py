"""JSON Lines in the shape of the evaluation corpora: id, source, title, text, published_at, language, url."""

from __future__ import annotations

import json
from datetime import datetime

from storage.records import USABLE, WITHDRAWN, Article, Skipped, clean_text


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
    from storage.readers import ReaderError

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


def read(data: bytes, path: str) -> list[Article | Skipped]:
    from storage.readers import ReaderError

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"JSONL is not UTF-8: {exc}") from exc
    out: list[Article | Skipped] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            raise ReaderError(f"line {lineno}: invalid JSON: {exc}") from exc
        try:
            out.append(record_to_article(obj, line.encode("utf-8")))
        except ReaderError as exc:
            raise ReaderError(f"line {lineno}: {exc}") from exc
    return out
