"""Documentation that cannot drift: every command's --help has an example, the schema reference is
generated from the migrations, every view column is described, exit codes are documented."""

from __future__ import annotations

import importlib.util
import sys

import click
import pytest
from click.testing import CliRunner
from conftest import ROOT

from cluster.cli.main import cli


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    yield path, group
    for name, cmd in sorted(group.commands.items()):
        if isinstance(cmd, click.Group):
            yield from _commands(cmd, path + (name,))
        else:
            yield path + (name,), cmd


def _gen():
    spec = importlib.util.spec_from_file_location("gen_schema_doc", ROOT / "scripts" / "gen_schema_doc.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_schema_doc"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


COMMANDS = list(_commands(cli))


def test_the_tree_has_the_documented_commands():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "stories list",
        "stories show",
        "stories search",
        "stories export",
        "runs list",
        "runs show",
        "quarantine list",
        "config show",
        "evaluate summaries",
        "evaluate pairs",
        "evaluate clusters",
        "report",
        "nightly",
        "ingest",
    } <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "wirestory")
def test_every_command_help_has_an_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"`wirestory {' '.join(path)} --help` has no Example: block"
    example = result.output.split("Example:", 1)[1]
    assert "wirestory" in example, "the example shows a command line"


def test_exit_codes_documented_in_help_and_readme():
    top = CliRunner().invoke(cli, ["--help"]).output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code, word in (("0", "ok"), ("1", "failure"), ("2", "bad usage"), ("3", "quarantined"), ("4", "another night")):
        assert f"{code} {word}" in " ".join(top.split())
        assert f"| `{code}` |" in readme
    assert "Exit codes" in CliRunner().invoke(cli, ["nightly", "--help"]).output


def test_schema_doc_is_generated_from_the_migrations():
    gen = _gen()
    expected = gen.render()
    current = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == expected, "docs/schema.md is stale: run `python scripts/gen_schema_doc.py`"
    assert gen.main(["--check"]) == 0


def test_every_view_column_has_a_comment():
    from storage import db as dbm

    gen = _gen()
    latest = {
        r.name: r for _, name, sql in dbm.migrations() for r in gen.parse_migration(name, sql)
    }  # as replaced last
    views = [r for r in latest.values() if r.kind == "view"]
    assert {v.name for v in views} >= {
        "stories_v",
        "story_articles_v",
        "story_sources_v",
        "summary_sentences_v",
        "duplicates_v",
        "runs_v",
    }
    con = dbm.connect_memory()
    try:
        for view in views:
            cols = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index", [view.name]
                ).fetchall()
            ]
            missing = [c for c in cols if not view.comments.get(c)]
            assert not missing, f"{view.name}: columns without a comment: {missing}"
            assert view.description, f"{view.name} has no description"
    finally:
        con.close()


def test_gen_schema_doc_check_detects_drift(tmp_path):
    gen = _gen()
    stale = tmp_path / "schema.md"
    stale.write_text("old\n")
    assert gen.main(["--check", "--out", str(stale)]) == 1
    assert gen.main(["--out", str(stale)]) == 0 and gen.main(["--check", "--out", str(stale)]) == 0
