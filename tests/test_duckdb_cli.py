"""A night's database opens in the DuckDB CLI analysts install from the registry, and the README's SQL runs there.

The README tells analysts to run `duckdb -readonly news.duckdb`. The CLI they get from
`pip install duckdb-cli` reads only the storage formats of its own DuckDB line, so a file written
by another DuckDB line fails there on the first command although every Python test passes. This
test runs two nights through the `nightly` command, then gives every ```sql block of the README's
"SQL for analysts" section, verbatim, to that CLI binary on the file opened read-only.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import DEMO, write_jsonl
from test_views import readme_sql

from cluster.cli.main import cli

NIGHTS = ("2026-11-26T23:00:00", "2026-11-27T23:00:00")


def _cli_binary() -> Path:
    """The binary shipped inside the duckdb-cli package (the `duckdb` script only wraps it)."""
    spec = importlib.util.find_spec("duckdb_cli")
    binary = Path(spec.origin).parent / "duckdb" if spec and spec.origin else None
    if binary is None or not binary.is_file():
        pytest.skip("the DuckDB CLI is not installed: pip install -e '.[test]' (duckdb-cli)")
    return binary


def _toll(i: int, toll: int, day: str, source: str) -> dict:
    """A flood story whose death toll rises overnight, so the README's figures query has a row."""
    text = (
        f"NAIROBI ({source}) - The death toll from floods in northern Kenya rose to {toll} on {day}, "
        "the Kenya Red Cross said. Rescuers searched for villagers swept away near the Tana river."
    )
    return {
        "id": f"{source.lower()}:kenyaflood{i}",
        "source": source,
        "title": "Kenya flood toll rises",
        "text": text,
        "published_at": f"2026-11-2{6 + i}T12:00:00Z",
        "language": "en",
        "url": None,
    }


@pytest.fixture(scope="module")
def night_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two demo nights (plus the flood story) written by `wirestory nightly` with the fake encoder."""
    from click.testing import CliRunner

    work = tmp_path_factory.mktemp("duckdb_cli")
    db = str(work / "news.duckdb")
    (work / "wirestory.toml").write_text("", encoding="utf-8")  # no settings from wherever pytest runs
    tolls = ((14, "Thursday", "AFP"), (19, "Friday", "Reuters"))
    for n, (as_of, (toll, day, source)) in enumerate(zip(NIGHTS, tolls)):
        extra = write_jsonl(work / f"toll{n}.jsonl", [_toll(n, toll, day, source)])
        result = CliRunner().invoke(
            cli,
            ["--db", db, "nightly", "--as-of", as_of, str(DEMO / f"night{n + 1}.jsonl"), str(extra)],
            env={"WIRESTORY_MODEL": "fake-256", "WIRESTORY_CONFIG": str(work / "wirestory.toml")},
        )
        assert result.exit_code == 0, result.output
    return db


def _cli(db: str, sql: str) -> list[dict]:
    """Rows of `sql` run by the registry's CLI on `db` opened read-only; fails on any error output."""
    done = subprocess.run(
        [str(_cli_binary()), "-readonly", "-json", db, "-c", sql], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and not done.stderr, f"duckdb CLI failed ({done.returncode}): {done.stderr}"
    return json.loads(done.stdout) if done.stdout.strip() else []


def test_the_cli_is_the_registry_build_of_the_pinned_line():
    done = subprocess.run([str(_cli_binary()), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    cli_line = done.stdout.split()[0].lstrip("v").split(".")[:2]
    assert cli_line == duckdb.__version__.split(".")[:2], (done.stdout, duckdb.__version__)


def test_every_readme_query_returns_rows_in_the_cli(night_db):
    queries = readme_sql()
    assert len(queries) >= 5
    con = duckdb.connect(night_db, read_only=True)
    try:
        expected = [len(con.execute(q).fetchall()) for q in queries]
    finally:
        con.close()
    for sql, n in zip(queries, expected):
        rows = _cli(night_db, sql)
        assert rows, f"no rows in the CLI for:\n{sql}"
        assert len(rows) == n, f"the CLI and Python disagree ({len(rows)} vs {n} rows) on:\n{sql}"


def test_the_cli_opens_the_file_read_only(night_db):
    done = subprocess.run(
        [str(_cli_binary()), "-readonly", night_db, "-c", "CREATE TABLE analyst_scratch (a INTEGER)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "read-only" in done.stderr
    assert _cli(night_db, "SELECT count(*) AS n FROM stories_v")[0]["n"] > 0


def test_analyst_relation_api_fetchone(night_db):
    """`duckdb.sql(...).fetchone()`, as analysts' scripts use it, works on the pinned DuckDB."""
    con = duckdb.connect(night_db, read_only=True)
    try:
        assert con.sql("SELECT count(*) FROM stories_v WHERE status = 'active'").fetchone()[0] > 0
    finally:
        con.close()
