"""The analyst views of migration 0002, and the README's SQL examples run against the demo database."""

from __future__ import annotations

import re
from datetime import datetime

import duckdb
import pytest
from conftest import DEMO, ROOT

from cluster.config import Config
from cluster.encoders.base import FakeEncoder
from cluster.night import run_night
from storage import db as dbm

VIEWS = ("stories_v", "story_articles_v", "story_sources_v", "summary_sentences_v", "duplicates_v", "runs_v")


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("views") / "demo.duckdb"
    cfg = Config(db=str(path), model="fake-256")
    for n, as_of in ((1, datetime(2026, 11, 26, 23)), (2, datetime(2026, 11, 27, 23))):
        assert run_night(cfg, [str(DEMO / f"night{n}.jsonl")], lambda: FakeEncoder(256), as_of=as_of).status == "ok"
    c = duckdb.connect(str(path), read_only=True)
    yield c
    c.close()


def readme_sql() -> list[str]:
    """The ```sql blocks of the README's "SQL for analysts" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## SQL for analysts", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def test_migration_creates_every_view_and_nothing_reads_empty(con):
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert set(VIEWS) <= names
    assert dbm.schema_version(con) >= 2
    for view in VIEWS:
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0, view


def test_views_match_their_tables(con):
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert one("SELECT count(*) FROM stories_v") == one("SELECT count(*) FROM stories")
    assert one("SELECT count(*) FROM story_articles_v") == one("SELECT count(*) FROM story_articles")
    assert one("SELECT count(*) FROM summary_sentences_v") == one("SELECT count(*) FROM summary_sentences")
    assert one("SELECT count(*) FROM duplicates_v") == one("SELECT count(*) FROM duplicates")
    assert one("SELECT count(*) FROM runs_v") == 2
    # every duplicate points at a stored article; cross_wire is exactly "different wire"
    assert one("SELECT count(*) FROM duplicates_v WHERE original_source IS NULL") == 0
    assert one("SELECT count(*) FROM duplicates_v WHERE cross_wire <> (source <> original_source)") == 0


def test_story_sources_v_agrees_with_the_story_rows(con):
    rows = con.execute(
        """
        SELECT s.story_id, s.n_sources, list(ss.source ORDER BY ss.source), s.sources, s.first_source,
               s.first_reported_at, min(ss.first_reported_at),
               arg_min(ss.source, ss.first_reported_at)
        FROM stories_v s JOIN story_sources_v ss USING (story_id)
        WHERE s.status = 'active' GROUP BY ALL
        """
    ).fetchall()
    assert rows
    for story, n_sources, wires, sources, first_source, first_at, min_first, _ in rows:
        assert len(wires) == n_sources and sorted(sources) == wires, story
        assert min_first == first_at, story
        first_wires = {
            r[0]
            for r in con.execute(
                "SELECT source FROM story_sources_v WHERE story_id = ? AND first_reported_at = ?", [story, min_first]
            ).fetchall()
        }
        assert first_source in first_wires, story
    per_wire = con.execute("SELECT sum(n_articles) FROM story_sources_v").fetchone()[0]
    assert per_wire == con.execute("SELECT count(*) FROM story_articles_v WHERE role <> 'withdrawn'").fetchone()[0]


def test_runs_v_unpacks_counts(con):
    rows = con.execute(
        "SELECT status, model, n_new_articles, seconds, n_summarized FROM runs_v ORDER BY started_at"
    ).fetchall()
    assert [r[0] for r in rows] == ["ok", "ok"] and {r[1] for r in rows} == {"fake-256"}
    assert rows[0][2] > 40 and rows[1][2] > 10 and all(r[3] > 0 and r[4] > 0 for r in rows)


def test_readme_sql_examples_run_on_the_demo(con):
    queries = readme_sql()
    assert len(queries) >= 3
    results = [con.execute(q).fetchall() for q in queries]
    assert all(results[:3]), "the three README examples return rows on the demo database"
    per_day, alone, first = results[0], results[1], results[2]
    wires = {r[0] for r in con.execute("SELECT DISTINCT source FROM articles").fetchall()}
    assert {r[0] for r in per_day} <= wires
    assert (
        sum(r[2] for r in per_day)
        == con.execute(
            "SELECT count(*) FROM story_sources_v JOIN stories_v USING (story_id) WHERE status = 'active'"
        ).fetchone()[0]
    )
    single = {
        r[0] for r in con.execute("SELECT story_id FROM stories WHERE status = 'active' AND n_sources = 1").fetchall()
    }
    assert {r[1] for r in alone} == single
    # the "first" counts add up to the multi-wire stories (ties may credit two wires)
    multi = con.execute("SELECT count(*) FROM stories WHERE status = 'active' AND n_sources >= 2").fetchone()[0]
    assert sum(r[2] for r in first) >= multi
    assert all(r[3] >= 0 for r in first)
