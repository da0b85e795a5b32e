"""CSV with the JSONL columns (id, source, title, text, published_at, language, url, ...), header first."""

from __future__ import annotations

import csv
from dataclasses import replace
import io

from storage.readers.jsonl import record_to_article
from storage.records import Article, Skipped

_DELIMITERS = ",;\t|"


def _dialect(first_line: str) -> str | None:
    for delimiter in _DELIMITERS:
        names = {c.strip().strip('"').lower() for c in first_line.split(delimiter)}
        if "id" in names and ("text" in names or "title" in names):
            return delimiter
    return None


def sniff(data: bytes) -> bool:
    head = data[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    return not head.lstrip().startswith(("{", "<", "[")) and _dialect(head.split("\n", 1)[0]) is not None


def read(data: bytes, path: str) -> list[Article | Skipped]:
    from storage.readers import ReaderError

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReaderError(f"CSV is not UTF-8: {exc}") from exc
    delimiter = _dialect(text.split("\n", 1)[0])
    if delimiter is None:
        raise ReaderError("CSV header lacks id and title/text columns")
    out: list[Article | Skipped] = []
    try:
        rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows.fieldnames = [f.strip().lower() for f in rows.fieldnames or []]
        for lineno, row in enumerate(rows, 2):
            record = {k: v for k, v in row.items() if k and v not in (None, "")}
            try:
                item = record_to_article(record, delimiter.join(str(v) for v in row.values()).encode("utf-8"))
            except ReaderError as exc:
                raise ReaderError(f"CSV row {lineno}: {exc}") from exc
            out.append(item if isinstance(item, Skipped) else _as_csv(item))
    except csv.Error as exc:
        raise ReaderError(f"CSV: {exc}") from exc
    return out


def _as_csv(article: Article) -> Article:
    return replace(article, format="csv")
