"""`wirestory runs`, `quarantine`, `config` and `report`: what the nights did and how they are set up."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from cluster.cli.context import ctx_config, read_only
from cluster.cli.errors import check_output_path
from cluster.cli.output import emit, output_options
from storage import journal, queries


@click.group()
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
    pending = journal.pending(ctx_config(ctx).db)  # before the table: see journal.pending
    con = read_only(ctx)
    try:
        rows = queries.runs(con, limit or None, pending)
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
    pending = journal.pending(ctx_config(ctx).db)
    con = read_only(ctx)
    try:
        row = queries.run(con, run_id, pending)
    finally:
        con.close()
    if row is None:
        raise click.ClickException(f"no run {run_id}")
    for key in ("params", "counts"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    click.echo(json.dumps(row, default=str, indent=2))


@click.group()
def quarantine() -> None:
    """Input that could not be read.

    \b
    Example:
        wirestory quarantine list
    """


@quarantine.command("list")
@click.option("--limit", type=int, default=0, help="0 for no limit.")
@click.option(
    "--kind",
    type=click.Choice(["quarantined", "skipped", "all"]),
    default="quarantined",
    show_default=True,
    help="quarantined: input that could not be read; skipped: items read but without text (pictures, packages).",
)
@output_options
@click.pass_context
def quarantine_list(ctx: click.Context, fmt: str | None, limit: int, kind: str) -> None:
    """List quarantined files and items with the reason each could not be read.

    A row with an item ('line 3', 'entry 5') is one bad item of a file whose other items landed.

    \b
    Example:
        wirestory quarantine list --csv > bad-input.csv
        wirestory quarantine list --kind skipped     # items skipped, and why
    """
    con = read_only(ctx)
    try:
        rows = queries.quarantine(con, limit or None, None if kind == "all" else kind)
    finally:
        con.close()
    emit(rows, fmt, title="Quarantine")


@click.group("config")
def config_group() -> None:
    """The effective configuration.

    \b
    Example:
        wirestory config show
    """


@config_group.command("show")
@output_options
@click.pass_context
def config_show(ctx: click.Context, fmt: str | None) -> None:
    """Show every setting, its effective value and where it came from.

    config.* are the configuration; the rest are the algorithms' parameters and constants (built
    in), all part of the digest that decides whether an unchanged night is skipped. Layers of the
    configuration, later winning: default, the configuration file (wirestory.toml, --config or
    WIRESTORY_CONFIG), WIRESTORY_* environment variables, command-line options.

    \b
    Example:
        wirestory config show
        WIRESTORY_MODEL=usem3 wirestory config show --json
    """
    from cluster.settings import Settings  # the algorithm stack: only this command needs it

    settings = Settings(ctx_config(ctx))
    rows = [{"setting": k, "value": v, "source": settings.source(k)} for k, v in settings.values().items()]
    rows.append({"setting": "settings.digest", "value": settings.digest, "source": "of every setting above"})
    emit(rows, fmt, title="Configuration")


@click.command("report")
@click.option(
    "--out",
    metavar="FILE",
    default="-",
    show_default=True,
    callback=check_output_path,
    help="HTML file to write; - for stdout.",
)
@click.option("--run", "run_id", help="The night of this run: stories with copy it ingested or stories it rewrote.")
@click.option("--since", type=click.DateTime(), help="Instead: active stories last seen at or after this time.")
@click.option("--title", help="Page title (default: from the run or the time).")
@click.pass_context
def report_cmd(ctx: click.Context, out: str, run_id: str | None, since: datetime | None, title: str | None) -> None:
    """Write one self-contained HTML page of a night's stories, readable without a server.

    Each story has its summary with attribution, credit line, wires with first report times,
    the timeline of versions and copies, and lineage. Without --run or --since: the latest night.

    \b
    Example:
        wirestory report --out night.html
        wirestory report --run r20261127T020000000000-4242 --out night.html
        wirestory report --since 2026-11-27 --out today.html
    """
    from cluster.cli.report import build_report

    if run_id and since:
        raise click.UsageError("give --run or --since, not both")
    con = read_only(ctx)
    try:
        try:
            html_text, n = build_report(con, run_id=run_id, since=since, title=title)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from exc
    finally:
        con.close()
    with click.open_file(out, "w", encoding="utf-8") as fh:
        fh.write(html_text)
    if out != "-":
        click.echo(f"wrote {n} stories to {out}", err=True)


@click.command("index")
@click.option("--force", is_flag=True, help="Rebuild even the indexes that match the archive.")
@click.pass_context
def index_cmd(ctx: click.Context, force: bool) -> None:
    """(Re)build the search indexes: full-text (BM25) and, above 50,000 vectors, the vector sidecar.

    Each night already rebuilds what it made stale; this is for an archive written before the
    indexes existed, or after `--force`-worthy trouble. Like a night, it works on a copy that is
    published by one rename, and refuses while a night runs.

    \b
    Example:
        wirestory index
    """
    from cluster.cli.night_commands import encoder_spec
    from cluster.events import EXIT_LOCKED
    from storage import db as dbm
    from storage import search_index

    cfg = ctx_config(ctx)
    if not Path(cfg.db).exists():
        raise click.ClickException(f"no wirestory database at {cfg.db} (run `wirestory nightly` first)")
    try:
        with dbm.night_lock(cfg.db), dbm.working_copy(cfg.db) as work:
            counts = search_index.refresh(work, cfg.db, encoder_spec(cfg).cache_key, force=force)
    except dbm.AlreadyRunning as exc:
        click.echo(f"wirestory: error: {exc}", err=True)
        ctx.exit(EXIT_LOCKED)
    fts_n, vec_n = counts.get("index_fts_articles"), counts.get("index_vec_vectors")
    click.echo(
        f"full-text index: {f'{fts_n} articles indexed' if fts_n is not None else 'up to date'}; "
        f"vector index: {f'{vec_n} vectors written' if vec_n is not None else 'up to date or not needed'}"
    )
