"""`wirestory stories`: list, show, search and export stories (read-only, no encoder unless searching by meaning)."""

from __future__ import annotations

import json
from typing import Any

import click

from cluster.cli.context import STATUS, ctx_config, read_only, status_filter, story_filters
from cluster.cli.errors import check_output_path
from cluster.cli.night_commands import encoder_spec
from cluster.cli.output import emit, output_options, write_rows
from cluster.encoders.query import query_encoder
from storage import queries


@click.group()
def stories() -> None:
    """List, show, search and export stories.

    \b
    Example:
        wirestory stories list --source Reuters --limit 10
    """


@stories.command("list")
@story_filters
@click.option("--language", help="Only stories with copy in this language (ISO 639-1).")
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
    con = read_only(ctx)
    try:
        rows = queries.list_stories(con, status=status_filter(status), **filters)
    finally:
        con.close()
    emit(rows, fmt, title="Stories")


@stories.command("show")
@click.argument("story_id")
@click.option("--json", "as_json", is_flag=True, help="Output the whole story as one JSON object.")
@click.option(
    "--changes", "only_changes", is_flag=True, help="Only what the latest run (or --run) changed in the story."
)
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
    from cluster.cli.render import render_story
    from cluster.summary.changes import describe

    con = read_only(ctx)
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
@click.option(
    "--keyword",
    help="Only stories with an article whose headline or body holds every word of this (stemmed per language).",
)
@click.option(
    "--fulltext", is_flag=True, help="Rank by BM25 of TEXT's words over headline and body instead of by meaning."
)
@click.option("--status", type=STATUS, default="active", show_default=True)
@click.option(
    "--min-score", type=float, help="Only results at least this similar (cosine -1..1; BM25 with --fulltext)."
)
@click.option("--limit", type=int, default=20, show_default=True, help="0 for no limit.")
@output_options
@click.pass_context
def stories_search(
    ctx: click.Context,
    fmt: str | None,
    text: str | None,
    keyword: str | None,
    fulltext: bool,
    status: str,
    min_score: float | None,
    limit: int,
) -> None:
    """Semantic search: stories whose copy means what TEXT says, best first, with scores.

    TEXT is embedded with the night's encoder (the configured model) and compared by cosine
    similarity with the embeddings of each story's canonical articles; a story scores its best
    article (from a float32 vector sidecar the night appends to once the archive holds 50,000
    vectors, with the same answers as the exact scan; docs/performance.md).
    --fulltext ranks by BM25 of TEXT's words over the headline and body of every member article
    instead, without any model. --keyword keeps only stories with an article holding every word
    of it, stemmed in the article's language ("strikes" finds "striking"); given alone, it lists
    those stories newest first. Both use the full-text index the night builds; without a fresh
    one they scan the articles (slower, same answer) and say so on stderr.

    \b
    Example:
        wirestory stories search "port workers walk out over automation" --limit 5
        wirestory stories search "rocket failure" --keyword Hokkaido --json
        wirestory stories search "dock strike automation" --fulltext
        wirestory stories search --keyword earthquake
    """
    if not text and not keyword:
        raise click.UsageError("give TEXT to search for, --keyword, or both")
    if fulltext and not text:
        raise click.UsageError("--fulltext needs TEXT")
    cfg = ctx_config(ctx)
    con = read_only(ctx)

    def note(message: str) -> None:
        click.echo(f"wirestory: note: {message}", err=True)

    try:
        vector, model = None, None
        if text and not fulltext:
            spec = encoder_spec(cfg)
            model = spec.cache_key
            if not queries.has_embeddings(con, model):
                stored = dict(queries.embedding_models(con))
                known = ", ".join(stored) or "none"
                raise click.ClickException(
                    f"no embeddings for model {model} in {cfg.db} (stored: {known}); search with the model the night used"
                )
            vector = [float(x) for x in query_encoder(spec).encode([text])[0]]
        rows = queries.search_stories(
            con,
            vector,
            model,
            keyword=keyword,
            status=status_filter(status),
            limit=limit or None,
            min_score=min_score,
            fulltext=text if fulltext else None,
            on_fallback=note,
        )
    finally:
        con.close()
    emit(rows, fmt, title=f"Stories matching {text or keyword!r}")


@stories.command("export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option(
    "--out", metavar="FILE", callback=check_output_path, help="Output file (default: stdout; required for parquet)."
)
@story_filters
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
    filters["status"] = status_filter(status)
    con = read_only(ctx)
    try:
        if fmt == "parquet" and out:
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
