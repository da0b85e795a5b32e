"""CSV with the JSONL columns (id, source, title, text, published_at, language, url, ...), header first."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

from storage.readers._common import each_item
from storage.readers.errors import ReaderError
from storage.readers.jsonl import record_to_article
from storage.records import Article, Rejected, Skipped

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


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    """One record per row; a bad row (not UTF-8, no id) is rejected alone, its siblings land.

    Bytes that are not UTF-8 are kept as surrogates while the rows are split, so only the rows
    that contain them are rejected.
    """
    text = data.decode("utf-8", "surrogateescape").removeprefix("\ufeff")
    delimiter = _dialect(text.split("\n", 1)[0])
    if delimiter is None:
        raise ReaderError("CSV header lacks id and title/text columns")
    try:
        rows = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows.fieldnames = [f.strip().lower() for f in rows.fieldnames or []]
        numbered = [(f"row {n}", row) for n, row in enumerate(rows, 2)]
    except csv.Error as exc:
        raise ReaderError(f"CSV: {exc}") from exc
    return each_item(numbered, lambda row: _row_to_article(row, delimiter))


def _row_to_article(row: dict, delimiter: str) -> Article | Skipped:
    raw = delimiter.join(str(v) for v in row.values())
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ReaderError(
            f"CSV is not UTF-8 at byte {exc.object[exc.start].encode('utf-8', 'surrogateescape')!r}"
        ) from exc
    record = {k: v for k, v in row.items() if k and v not in (None, "")}
    item = record_to_article(record, raw.encode("utf-8"))
    return item if isinstance(item, Skipped) else _as_csv(item)


def _as_csv(article: Article) -> Article:
    return replace(article, format="csv")
