"""A database made by the first schema version migrates forward with its data intact.

tests/fixtures/db_v1.duckdb was made by scripts/make_db_fixture.py with only migration 0001 applied
(two small nights over demo items, fake encoder, one quarantined file) under DuckDB 2.0.0, then
rewritten row for row in storage format v1.5.0 (DuckDB 2.0's `ATTACH ... (STORAGE_VERSION 'v1.5.0')`
and `COPY FROM DATABASE`) when the project moved to DuckDB 1.5, which cannot read 2.0's format; every
table was checked equal (EXCEPT ALL both ways) before and after. Every migration added since
must apply to it on the next writable open, and every row stored under version 1 must read back
unchanged through the version-1 columns.
"""

import shutil
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import DEMO, ROOT

from cluster.encoders.base import FakeEncoder
from cluster.night import run_night
from storage import db as dbm

sys.path.insert(0, str(ROOT / "scripts"))
from crash_harness import content  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "db_v1.duckdb"
#: What scripts/make_db_fixture.py stored; a changed fixture must be a deliberate change.
V1_ROWS = {
    "articles": 26,
    "stories": 4,
    "story_articles": 23,
    "summary_sentences": 50,
    "duplicates": 2,
    "quarantine": 1,
    "runs": 2,
}


def _v1_columns(path: str) -> dict[str, list[str]]:
    con = duckdb.connect(path, read_only=True)
    try:
        rows = con.execute(
            "SELECT table_name, list(column_name ORDER BY column_index) FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND table_name NOT IN (SELECT view_name FROM duckdb_views()) GROUP BY 1"
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _select(cols: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in cols)


def _rows(path: str, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    con = duckdb.connect(path, read_only=True)
    try:
        return {
            t: con.execute(f"SELECT {_select(cols)} FROM {t} ORDER BY ALL").fetchall()
            for t, cols in columns.items()
            if t != "schema_migrations"
        }
    finally:
        con.close()


@pytest.fixture
def v1_copy(tmp_path: Path) -> str:
    assert FIXTURE.stat().st_size < 2 * 1024 * 1024
    dst = tmp_path / "v1.duckdb"
    shutil.copyfile(FIXTURE, dst)
    return str(dst)


def test_fixture_is_a_version_1_database(v1_copy):
    con = duckdb.connect(v1_copy, read_only=True)
    try:
        assert con.execute("SELECT version, name FROM schema_migrations").fetchall() == [(1, "0001_initial")]
        for table, n in V1_ROWS.items():
            assert con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] == n, table
    finally:
        con.close()


def test_v1_database_migrates_forward_with_data_intact(v1_copy, tmp_path):
    columns = _v1_columns(v1_copy)
    before = _rows(v1_copy, columns)

    con = dbm.connect(v1_copy)  # a writable open applies every migration not yet recorded
    try:
        recorded = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
        assert recorded == [n for n, _, _ in dbm.migrations()]
        assert dbm.schema_version(con) == dbm.migrations()[-1][0]
        assert dbm.migrate(con) == []  # nothing left to apply: a second open is a no-op
        views = [r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()]
        for view in views:  # every view a later migration added answers over version-1 data
            con.execute(f"SELECT count(*) FROM {view}").fetchall()
    finally:
        con.close()

    after = _rows(v1_copy, columns)
    assert after == before  # every version-1 row, every version-1 column, unchanged
    assert {t: len(after[t]) for t in V1_ROWS} == V1_ROWS
    con = duckdb.connect(v1_copy, read_only=True)
    try:
        summaries = con.execute("SELECT story_id, summary, credit_line FROM stories ORDER BY 1").fetchall()
        orphans = con.execute(
            "SELECT count(*) FROM summary_sentences s LEFT JOIN articles a USING (article_id) WHERE a.article_id IS NULL"
        ).fetchall()[0][0]
    finally:
        con.close()
    assert len(summaries) == 4 and all(s and c for _, s, c in summaries)
    assert orphans == 0


def test_migrated_database_takes_the_next_night(v1_copy):
    """Version-1 data keeps working: a night on top keeps every article and every story id."""
    from cluster.config import Config

    columns = _v1_columns(v1_copy)
    before = _rows(v1_copy, columns)
    cfg = replace(Config(), db=v1_copy, model="fake-256")
    report = run_night(cfg, [str(DEMO / "night2.jsonl")], lambda: FakeEncoder(256), as_of=datetime(2026, 11, 29))
    assert report.status == "ok"
    after = content(v1_copy)
    cols = columns["articles"]
    con = duckdb.connect(v1_copy, read_only=True)
    try:
        articles = {repr(r) for r in con.execute(f"SELECT {_select(cols)} FROM articles").fetchall()}
        stories = {r[0] for r in con.execute("SELECT story_id FROM stories").fetchall()}
    finally:
        con.close()
    assert {repr(r) for r in before["articles"]} <= articles  # every v1 article, every column, as it was
    assert {r[0] for r in before["stories"]} <= stories
    assert len(after["articles"]) > len(before["articles"])
