"""User errors as one line on stderr and a documented exit code, in one place for every command.

Commands raise what they raise (a bad setting, an unreadable database, a missing output folder);
`ErrorMappingGroup` turns the exceptions a user can fix into `wirestory: error: <what>: <problem>`
with exit 1 (failure, nothing to read) or 2 (bad usage, invalid configuration). Anything else is a
bug: one line too, pointing at `--debug`, which shows the traceback instead.
"""

from __future__ import annotations

import os
from typing import Any

import click
import duckdb

from cluster.config import ConfigError
from storage import db as dbm

EXIT_FAILURE, EXIT_USAGE = 1, 2


class UserError(click.ClickException):
    """A problem the user can fix, printed as one line."""

    def __init__(self, message: str, exit_code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it per instance

    def show(self, file: Any = None) -> None:
        click.echo(f"wirestory: error: {self.format_message()}", err=True)


def user_error(exc: BaseException, db: str | None = None) -> UserError:
    """The one-line message and exit code for `exc`."""
    if isinstance(exc, ConfigError):
        return UserError(str(exc), EXIT_USAGE)
    if isinstance(exc, dbm.UnreadableDatabase):
        return UserError(str(exc))
    if isinstance(exc, duckdb.CatalogException):
        first = str(exc).splitlines()[0]
        return UserError(f"{db or 'database'}: part of the wirestory schema is missing ({first}); a night migrates it")
    if isinstance(exc, OSError) and exc.filename:
        return UserError(f"{exc.filename}: {exc.strerror or exc}")
    return UserError(f"unexpected {type(exc).__name__}: {exc} (rerun with --debug for the traceback)")


class ErrorMappingGroup(click.Group):
    """The top-level group: maps every exception of a subcommand through `user_error` unless --debug."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:
            obj = ctx.obj or {}
            if obj.get("debug") or ctx.params.get("debug"):
                raise
            cfg = obj.get("cfg")
            db = (cfg.db if cfg is not None else None) or (obj.get("overrides") or {}).get("db")
            raise user_error(exc, db) from exc


def check_output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Click callback for --out: the folder it goes into must exist, so no work is done for nothing."""
    if value is None or value == "-":
        return value
    folder = os.path.dirname(os.path.abspath(value))
    if not os.path.isdir(folder):
        raise UserError(f"{value}: folder {folder} does not exist (option --out)", EXIT_USAGE)
    if os.path.isdir(value):
        raise UserError(f"{value}: is a folder; --out names a file", EXIT_USAGE)
    if os.path.exists(value) and not os.access(value, os.W_OK):
        raise UserError(f"{value}: file is not writable (option --out)", EXIT_USAGE)
    return value
