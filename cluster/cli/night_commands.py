"""`wirestory nightly` and `wirestory ingest`: run a night (or its ingest alone) and report it."""

from __future__ import annotations

import contextlib
import json
from datetime import datetime

import click

from cluster.cli.context import EPILOG_EXIT, ctx_config, night_options
from cluster.cli.errors import EXIT_USAGE, UserError
from cluster.cli.night_log import NightProgress, StageLog, logger
from cluster.config import Config
from cluster.encoders.base import EncoderSpec
from cluster.events import EXIT_FAILURE, EXIT_LOCKED, Observer
from storage import db as dbm
from storage.inputs import missing_arguments


def encoder_spec(cfg: Config) -> EncoderSpec:
    """The configured encoder, named (and keyed) without loading it."""
    return EncoderSpec(cfg.model, max_tokens=cfg.max_tokens, precision=cfg.precision)


def _run(
    ctx: click.Context,
    inputs: tuple[str, ...],
    as_of: datetime | None,
    log_format: str,
    command: str,
    progress: bool | None = None,
    recompute: bool = False,
) -> None:
    """Run a night. On a terminal (text logs): live progress bars. Otherwise (cron): one line per
    stage with its seconds and counts, plain or JSON, and a final summary line."""
    import sys

    from cluster.encoders.quiet import routed_to
    from cluster.night import run_night

    show = progress if progress is not None else (sys.stderr.isatty() and log_format == "text")
    display = NightProgress(command) if show else None
    log = logger(log_format, console=display.console if display else None)
    cfg = ctx_config(ctx, warn=log.warning)
    missing = missing_arguments(inputs)
    if missing:
        problems = "; ".join(f"{path}: {reason}" for path, reason in missing)
        raise UserError(f"{problems} (nothing was run)", EXIT_USAGE)
    observers: list[Observer] = [StageLog(log), *([display] if display else [])]
    with display if display is not None else contextlib.nullcontext(), routed_to(log.handlers):
        try:
            report = run_night(
                cfg,
                list(inputs),
                encoder_spec(cfg),
                as_of=as_of,
                command=command,
                observers=observers,
                recompute=recompute,
            )
        except dbm.AlreadyRunning as exc:
            click.echo(f"wirestory: error: {exc}", err=True)
            ctx.exit(EXIT_LOCKED)
        except Exception as exc:
            if ctx.find_root().obj.get("debug"):
                raise
            log.error("%s failed: %s: %s", command, type(exc).__name__, exc)
            ctx.exit(EXIT_FAILURE)
    for path, reason in report.quarantined:
        log.warning("quarantined %s: %s", path, reason)
    log.info(
        "%s %s %s",
        command,
        report.status,
        json.dumps(report.counts, default=str, sort_keys=True),
        extra={
            "fields": {
                "run_id": report.run_id,
                "status": report.status,
                "counts": report.counts,
                "seconds": report.seconds,
            }
        },
    )
    ctx.exit(report.exit_code)


@click.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@night_options
@click.option(
    "--recompute",
    is_flag=True,
    help="Redo the night even when nothing changed since the last one (same window, files and settings).",
)
@click.pass_context
def nightly(
    ctx: click.Context,
    inputs: tuple[str, ...],
    as_of: datetime | None,
    log_format: str,
    progress: bool | None,
    recompute: bool,
) -> None:
    """Run a night: ingest INPUTS (files, folders, globs), dedup, cluster, link, summarise.

    Safe to rerun: known files are skipped and an unchanged night changes no row. A night is
    unchanged when its window, the files and every setting and algorithm parameter
    (`wirestory config show`) are; --recompute redoes it anyway.

    \b
    Example:
        wirestory --db news.duckdb nightly /srv/wires/2026-11-27/
    """
    _run(ctx, inputs, as_of, log_format, "nightly", progress, recompute)


@click.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@night_options
@click.option(
    "--explain",
    is_flag=True,
    help="Print each field of each item and where it came from (element path or rule); stores nothing.",
)
@click.pass_context
def ingest(
    ctx: click.Context,
    inputs: tuple[str, ...],
    as_of: datetime | None,
    log_format: str,
    progress: bool | None,
    explain: bool,
) -> None:
    """Store wire files without clustering; the next nightly picks them up.

    \b
    Example:
        wirestory --db news.duckdb ingest 'incoming/*.xml'
        wirestory ingest --explain new-feed/sample.xml
    """
    if explain:
        _explain(inputs)
        return
    _run(ctx, inputs, as_of, log_format, "ingest", progress)


def _explain(inputs: tuple[str, ...]) -> None:
    """Print the field origins of every input file; exit 3 when one cannot be read."""
    from storage.inputs import expand_inputs
    from storage.readers.explain import render_files

    files, problems = expand_inputs(list(inputs))
    if problems or not files:
        raise UserError("; ".join(f"{p}: {r}" for p, r in problems) or "no input files", EXIT_USAGE)
    text, unreadable = render_files(files)
    click.echo(text)
    if unreadable:
        click.get_current_context().exit(3)
