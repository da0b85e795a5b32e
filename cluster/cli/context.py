"""What every command shares: the invocation's checked configuration, read-only connections and
the option groups several commands take."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
import duckdb

from cluster.config import Config, load_config, unknown_env
from storage import db as dbm

EPILOG_EXIT = (
    "Exit codes: 0 ok, 1 failure (or nothing to read), 2 bad usage (unknown option, missing argument or input, "
    "invalid configuration), 3 quarantined input (the night finished, some input could not be read), "
    "4 another night running on this database."
)

#: The --status choice of the story commands.
STATUS = click.Choice(["active", "merged", "withdrawn", "all"])


def ctx_config(ctx: click.Context, warn: Callable[[str], Any] | None = None) -> Config:
    """The configuration, loaded and checked once per invocation; unknown WIRESTORY_* variables are
    warned of once, through `warn` (a night's log) or as a plain line on stderr."""
    obj: dict[str, Any] = ctx.find_root().obj
    if "cfg" not in obj:
        obj["cfg"] = load_config(obj.get("config"), obj.get("overrides"))
        for name in unknown_env():
            message = f"ignoring unknown environment variable {name}"
            if warn is not None:
                warn(message)
            else:
                click.echo(f"wirestory: warning: {message}", err=True)
    return obj["cfg"]


def read_only(ctx: click.Context) -> duckdb.DuckDBPyConnection:
    """A read-only connection: reading commands never create or migrate a database."""
    return dbm.connect(ctx_config(ctx).db, read_only=True)


def status_filter(status: str) -> str | None:
    return None if status == "all" else status


def story_filters(f: Callable[..., Any]) -> Callable[..., Any]:
    """--since/--until/--source/--min-sources/--status, shared by `stories list` and `stories export`."""
    options = [
        click.option("--since", type=click.DateTime(), help="Stories last seen at or after this time."),
        click.option("--until", type=click.DateTime(), help="Stories first seen at or before this time."),
        click.option("--source", help="Only stories this wire carried."),
        click.option("--min-sources", type=int, help="Only stories at least this many wires carried."),
        click.option("--status", type=STATUS, default="active", show_default=True),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def night_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--as-of/--log-format/--progress, shared by `nightly` and `ingest`."""
    options = [
        click.option(
            "--as-of", type=click.DateTime(), default=None, help="The night's clock (UTC) for embargoes; default now."
        ),
        click.option(
            "--log-format",
            type=click.Choice(["text", "json"]),
            default="text",
            show_default=True,
            help="Log lines as text or as JSON objects (one a line, stage lines with stage/seconds/counts fields).",
        ),
        click.option(
            "--progress/--no-progress",
            default=None,
            help="Progress bars (default: on when stderr is a terminal and logs are text; cron gets one line per stage).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def rounded(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value
