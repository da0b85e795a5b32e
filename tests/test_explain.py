"""`wirestory ingest --explain FILE` says where every field came from and stores nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cluster.cli.main import cli
from storage.readers.explain import FIELDS, explain_file

FIXTURES = Path(__file__).parent / "fixtures" / "wire"


def test_every_field_has_an_origin_and_changed_fields_name_their_rule() -> None:
    fmt, items = explain_file(FIXTURES / "nitf_ns.xml")
    (fields,) = items
    assert isinstance(fields, list)
    assert fmt == "nitf" and [f.name for f in fields] == list(FIELDS)
    by_name = {f.name: f for f in fields}
    assert by_name["byline"].value == "A. Grower" and "byline" in by_name["byline"].origin
    assert "names only" in by_name["byline"].rule
    assert all(f.origin for f in fields)


def test_cli_explain_prints_fields_and_touches_no_database(tmp_path) -> None:
    db = tmp_path / "news.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", "--explain", str(FIXTURES / "g2_message.xml")])
    assert result.exit_code == 0, result.output
    assert "newsml-g2" in result.output and "← contentMeta/headline" in result.output
    assert not db.exists()


def test_cli_explain_unreadable_file_exits_3(tmp_path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("not a wire file")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.duckdb"), "ingest", "--explain", str(bad)])
    assert result.exit_code == 3 and "quarantined" in result.output
