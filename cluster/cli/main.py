"""The `wirestory` command line: the root group and its commands, one module per family.

Reading commands open the database read-only for as long as they need it and never import the
encoder stack, so they start fast and never block a running night.
"""

from __future__ import annotations

import click

from cluster.cli import admin, evaluate, night_commands, stories
from cluster.cli.context import EPILOG_EXIT
from cluster.cli.errors import ErrorMappingGroup
from storage import db as dbm


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


for command in (
    night_commands.nightly,
    night_commands.ingest,
    stories.stories,
    admin.runs,
    admin.quarantine,
    evaluate.evaluate,
    admin.config_group,
    admin.report_cmd,
    admin.index_cmd,
):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="wirestory")


if __name__ == "__main__":
    main()
