"""The `wirestory` command line.

Reading commands open the database read-only for as long as they need it and never import the
encoder stack, so they start fast and never block a running night.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime
from typing import Any

import click

from cluster.config import Config, load_config
from cluster.output import emit, output_options
from storage import db as dbm
from storage import queries

EPILOG_EXIT = "Exit codes: 0 ok, 1 failure, 2 bad usage, 3 finished with quarantined input, 4 another night running."


def _ctx_config(ctx: click.Context, **overrides: Any) -> Config:
    base: dict[str, Any] = ctx.obj or {}
    try:
        return load_config(base.get("config"), {**base.get("overrides", {}), **overrides})
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


def _read(ctx: click.Context):
    cfg = _ctx_config(ctx)
    try:
        return dbm.connect(cfg.db, read_only=True)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc


def _logger(log_format: str) -> Any:
    log = logging.getLogger("wirestory")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        if log_format == "json":
            handler.setFormatter(_JsonFormatter())
        else:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return log


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(
            {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname, "message": record.getMessage()}
        )


@click.group(epilog=EPILOG_EXIT)
@click.option("--db", envvar=dbm.ENV_DB, help="DuckDB file (default: from wirestory.toml, else wirestory.duckdb).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file (default wirestory.toml).")
@click.version_option(package_name="wirestory")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: str | None) -> None:
    """wirestory: news-wire copy in, deduplicated, attributed stories out.

    \b
    Example:
        wirestory --db news.duckdb nightly incoming/
        wirestory --db news.duckdb stories list --min-sources 2
    """
    ctx.obj = {"config": config_path, "overrides": {"db": db}}


def _encoder_factory(cfg: Config):
    def build():
        from cluster.embed import get_encoder

        return get_encoder(cfg.model, max_tokens=cfg.max_tokens, precision=cfg.precision)

    return build


def _run(ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str, command: str) -> None:
    from cluster.pipeline import EXIT_FAILURE, EXIT_LOCKED, run_night

    cfg = _ctx_config(ctx)
    log = _logger(log_format)
    try:
        report = run_night(cfg, list(inputs), _encoder_factory(cfg), as_of=as_of, log=log.info, command=command)
    except dbm.AlreadyRunning as exc:
        click.echo(f"Error: {exc}", err=True)
        ctx.exit(EXIT_LOCKED)
    except Exception as exc:
        log.error("%s failed: %s: %s", command, type(exc).__name__, exc)
        ctx.exit(EXIT_FAILURE)
    for path, reason in report.quarantined:
        log.warning("quarantined %s: %s", path, reason)
    counts = {k: v for k, v in report.counts.items() if k != "fingerprint"}
    log.info("%s %s %s", command, report.status, json.dumps(counts, default=str, sort_keys=True))
    ctx.exit(report.exit_code)


_as_of = click.option(
    "--as-of", type=click.DateTime(), default=None, help="The night's clock (UTC) for embargoes; default now."
)
_log_format = click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@_as_of
@_log_format
@click.pass_context
def nightly(ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str) -> None:
    """Run a night: ingest INPUTS (files, folders, globs), dedup, cluster, link, summarise.

    Safe to rerun: known files are skipped and an unchanged night changes no row.

    \b
    Example:
        wirestory --db news.duckdb nightly /srv/wires/2026-11-27/
    """
    _run(ctx, inputs, as_of, log_format, "nightly")


@cli.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@_as_of
@_log_format
@click.pass_context
def ingest(ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str) -> None:
    """Store wire files without clustering; the next nightly picks them up.

    \b
    Example:
        wirestory --db news.duckdb ingest 'incoming/*.xml'
    """
    _run(ctx, inputs, as_of, log_format, "ingest")


@cli.group()
def stories() -> None:
    """List, show, search and export stories.

    \b
    Example:
        wirestory stories list --source Reuters --limit 10
    """


@stories.command("list")
@click.option("--since", type=click.DateTime(), help="Stories last seen at or after this time.")
@click.option("--until", type=click.DateTime(), help="Stories first seen at or before this time.")
@click.option("--source", help="Only stories this wire carried.")
@click.option("--min-sources", type=int, help="Only stories at least this many wires carried.")
@click.option("--language", help="Only stories with copy in this language (ISO 639-1).")
@click.option("--status", type=click.Choice(["active", "merged", "withdrawn", "all"]), default="active", show_default=True)
@click.option("--limit", type=int, default=50, show_default=True, help="0 for no limit.")
@click.option("--sort", type=click.Choice(sorted(queries.SORTS)), default="last_seen", show_default=True)
@output_options
@click.pass_context
def stories_list(ctx: click.Context, fmt: str | None, status: str, **filters: Any) -> None:
    """List stories, newest first.

    \b
    Example:
        wirestory stories list --min-sources 3 --since 2026-11-27 --json
    """
    con = _read(ctx)
    try:
        rows = queries.list_stories(con, status=None if status == "all" else status, **filters)
    finally:
        con.close()
    emit(rows, fmt, title="Stories")


@stories.command("show")
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Output the whole story as one JSON object.")
@click.pass_context
def stories_show(ctx: click.Context, story_id: str, as_json: bool) -> None:
    """Show a story: summary with attribution, timeline of wires and versions, duplicates, lineage.

    An id that was merged into another story resolves to the story that holds it now.

    \b
    Example:
        wirestory stories show S1a2b3c4d5e6
    """
    from cluster.render import render_story

    con = _read(ctx)
    try:
        current, path = queries.resolve_story(con, story_id)
        data = queries.story(con, current)
    finally:
        con.close()
    if data is None:
        raise click.ClickException(f"no story {story_id}")
    data["resolved_from"] = path
    if as_json:
        click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2))
    else:
        click.echo(render_story(data))


@cli.group()
def runs() -> None:
    """Nightly runs: when, what, how they ended.

    \b
    Example:
        wirestory runs list --limit 5
    """


@runs.command("list")
@click.option("--limit", type=int, default=20, show_default=True)
@output_options
@click.pass_context
def runs_list(ctx: click.Context, fmt: str | None, limit: int) -> None:
    """List runs, newest first.

    \b
    Example:
        wirestory runs list --json
    """
    con = _read(ctx)
    try:
        rows = queries.runs(con, limit or None)
    finally:
        con.close()
    emit(rows, fmt, title="Runs")


@runs.command("show")
@click.argument("run_id")
@click.pass_context
def runs_show(ctx: click.Context, run_id: str) -> None:
    """Show one run with its parameters and per-stage counts and seconds.

    \b
    Example:
        wirestory runs show r20261127T020000000000-4242
    """
    con = _read(ctx)
    try:
        row = queries.run(con, run_id)
    finally:
        con.close()
    if row is None:
        raise click.ClickException(f"no run {run_id}")
    for key in ("params", "counts"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    click.echo(json.dumps(row, default=str, indent=2))


@cli.group()
def quarantine() -> None:
    """Input that could not be read.

    \b
    Example:
        wirestory quarantine list
    """


@quarantine.command("list")
@click.option("--limit", type=int, default=0, help="0 for no limit.")
@output_options
@click.pass_context
def quarantine_list(ctx: click.Context, fmt: str | None, limit: int) -> None:
    """List quarantined files with the reason each could not be read.

    \b
    Example:
        wirestory quarantine list --csv > bad-input.csv
    """
    con = _read(ctx)
    try:
        rows = queries.quarantine(con, limit or None)
    finally:
        con.close()
    emit(rows, fmt, title="Quarantine")


@cli.group()
def evaluate() -> None:
    """Measure clustering and summaries on labelled data.

    \b
    Example:
        wirestory evaluate clusters ../shared/corpora/eval/ecbplus.jsonl --json
    """


@evaluate.command("clusters")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--predictions", type=click.Path(dir_okay=False), help="Write {id, pred} lines here.")
@click.option("--nightly", is_flag=True, help="Replay the file night by night through the nightly path with linking.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def evaluate_clusters_cmd(ctx: click.Context, gold: str, predictions: str | None, nightly: bool, as_json: bool) -> None:
    """Run the nightly's clustering on GOLD (JSONL with `story` labels) in a throw-away database.

    Prints B-cubed and pairwise precision/recall/F1, ARI, AMI, documents, predicted stories, seconds.

    \b
    Example:
        wirestory evaluate clusters ../shared/corpora/eval/ecbplus.jsonl --json
    """
    from cluster.eval_clusters import evaluate_clusters

    cfg = _ctx_config(ctx)
    result = evaluate_clusters(gold, cfg, _encoder_factory(cfg), nightly=nightly, predictions_path=predictions)
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:>12}  {value:.4f}" if isinstance(value, float) else f"{key:>12}  {value}")


def main() -> None:
    cli(prog_name="wirestory")
