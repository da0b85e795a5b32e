"""Shared output for every listing command: a rich table on a terminal, plain text when piped,
or --json / --nl (one JSON object a line) / --csv on request, as sqlite-utils does.
"""

from __future__ import annotations

import csv
import functools
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import click


def output_options(fn: Callable) -> Callable:
    """Add --json, --nl and --csv to a listing command; the function receives `fmt`."""

    @click.option("--json", "fmt", flag_value="json", help="Output a JSON array of objects.")
    @click.option("--nl", "fmt", flag_value="nl", help="Output newline-delimited JSON, one object a line.")
    @click.option("--csv", "fmt", flag_value="csv", help="Output CSV with a header row.")
    @functools.wraps(fn)
    def wrapper(*args: Any, fmt: str | None = None, **kwargs: Any) -> Any:
        return fn(*args, fmt=fmt, **kwargs)

    return wrapper


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def emit(rows: Sequence[dict[str, Any]], fmt: str | None, title: str | None = None) -> None:
    """Print rows in the requested format."""
    out = click.get_text_stream("stdout")
    if fmt == "json":
        out.write(json.dumps([_plain(r) for r in rows], ensure_ascii=False, indent=2) + "\n")
    elif fmt == "nl":
        for r in rows:
            out.write(json.dumps(_plain(r), ensure_ascii=False) + "\n")
    elif fmt == "csv":
        if rows:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            for r in rows:
                writer.writerow({k: _cell(v) for k, v in r.items()})
    elif sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for col in rows[0] if rows else []:
            table.add_column(col)
        for r in rows:
            table.add_row(*(_cell(v) for v in r.values()))
        Console().print(table)
    else:
        if rows:
            out.write("\t".join(rows[0]) + "\n")
        for r in rows:
            out.write("\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in r.values()) + "\n")
