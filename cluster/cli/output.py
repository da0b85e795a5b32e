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
from typing import IO, Any

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


def write_rows(rows: Sequence[dict[str, Any]], fmt: str, out: IO[str], columns: Sequence[str] | None = None) -> None:
    """Write rows to `out` as json (one array), nl (one object a line), csv (with header) or tsv (plain text).

    `columns` gives the header when there may be no rows.
    """
    header = list(rows[0]) if rows else list(columns or [])
    if fmt == "json":
        out.write(json.dumps([_plain(r) for r in rows], ensure_ascii=False, indent=2, default=str) + "\n")
    elif fmt == "nl":
        for r in rows:
            out.write(json.dumps(_plain(r), ensure_ascii=False, default=str) + "\n")
    elif fmt == "csv":
        if header:
            writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            for r in rows:
                writer.writerow({k: _cell(v) for k, v in r.items()})
    else:
        if header:
            out.write("\t".join(header) + "\n")
        for r in rows:
            out.write("\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in r.values()) + "\n")


def emit(rows: Sequence[dict[str, Any]], fmt: str | None, title: str | None = None) -> None:
    """Print rows in the requested format: a rich table when stdout is a terminal and no format is asked."""
    out = sys.stdout
    if fmt is None and sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        console = Console()
        if not rows:
            console.print(f"[dim]{title or 'Result'}: no rows[/dim]")
            return
        table = Table(title=title, header_style="bold", row_styles=["", "dim"] if len(rows) > 6 else None)
        for col in rows[0]:
            numeric = all(
                isinstance(r.get(col), (int, float)) and not isinstance(r.get(col), bool)
                for r in rows
                if r.get(col) is not None
            )
            table.add_column(col, justify="right" if numeric else "left", overflow="fold")
        for r in rows:
            table.add_row(*(_cell(v) for v in r.values()))
        console.print(table)
        return
    write_rows(rows, fmt or "tsv", out)
