"""The demo's two nights, read as an editor reads `stories show`: what the summaries print."""

from __future__ import annotations

import json
import re

import duckdb
from conftest import DEMO

from cluster.cli.main import cli
from cluster.text.furniture import furniture_kind, shared_boilerplate


def _demo(night, fake_config, nights: tuple[str, ...] = ("night1.jsonl", "night2.jsonl")) -> duckdb.DuckDBPyConnection:
    for name in nights:
        night([DEMO / name])
    return duckdb.connect(fake_config.db, read_only=True)


def test_no_demo_summary_or_only_here_sentence_is_furniture_or_a_fragment(night, fake_config) -> None:
    con = _demo(night, fake_config)
    printed = con.execute("SELECT kind, source, sentence FROM summary_sentences").fetchall()
    bodies = con.execute("SELECT story_id, a.body FROM story_articles JOIN articles a USING (article_id)").fetchall()
    con.close()
    by_story: dict[str, list[str]] = {}
    for story_id, body in bodies:
        by_story.setdefault(story_id, []).append(body or "")
    boilerplate = shared_boilerplate(by_story)
    assert len(printed) > 20
    assert [(k, s, t) for k, s, t in printed if furniture_kind(t, boilerplate)] == []
    texts = [t for _, _, t in printed]
    assert not any("Reporting by" in t for t in texts)  # the Reuters sign-off on the Rotterdam strike
    assert '"The first night was the worst.' not in texts  # the Peru quote, cut in two before
    assert not any(t.startswith("Now we just want to get to Arequipa") for t in texts)


def _story_of(con: duckdb.DuckDBPyConnection, headline_like: str) -> str:
    row = con.execute(
        "SELECT DISTINCT story_id FROM story_articles JOIN articles a USING (article_id) WHERE a.headline LIKE ?",
        [headline_like],
    ).fetchone()
    assert row is not None, headline_like
    return row[0]


def test_first_seen_is_the_first_report_of_any_version(night, fake_config):
    con = _demo(night, fake_config)
    for like in ("%Rotterdam dockworkers start%", "%Strong earthquake hits southern Peru%"):
        story_id = _story_of(con, like)
        first_seen, first_reported = con.execute(
            "SELECT first_seen, first_reported_at FROM stories WHERE story_id = ?", [story_id]
        ).fetchone()
        earliest = con.execute(
            "SELECT min(least(v.event_time, coalesce(v.first_created, v.event_time))) FROM story_articles sa "
            "JOIN articles a USING (article_id) JOIN articles v ON v.source = a.source AND v.item_key = a.item_key "
            "WHERE sa.story_id = ?",
            [story_id],
        ).fetchone()[0]
        assert first_seen == earliest == first_reported
    peru = _story_of(con, "%Strong earthquake hits southern Peru%")
    superseded = con.execute(
        "SELECT min(a.event_time) FROM story_articles sa JOIN articles a USING (article_id) "
        "WHERE sa.story_id = ? AND sa.role = 'version'",
        [peru],
    ).fetchone()[0]
    con.close()
    assert superseded is not None  # Peru's first Reuters report is a superseded version


def test_stories_show_names_articles_by_wire_time_and_headline_and_json_keeps_ids(night, fake_config, runner):
    con = _demo(night, fake_config)
    rotterdam = _story_of(con, "%Rotterdam dockworkers start%")
    dup_id = con.execute(
        "SELECT d.duplicate_of FROM duplicates d JOIN story_articles sa USING (article_id) "
        "WHERE sa.story_id = ? AND d.reason = 'near'",
        [rotterdam],
    ).fetchone()[0]
    con.close()
    text = runner.invoke(cli, ["--db", fake_config.db, "stories", "show", rotterdam]).output
    assert "near-copy of AP 10:20 Dockworkers strike at Rotterdam" in text
    assert dup_id not in text and not re.search(r"\b[0-9a-f]{24}\b", text)
    as_json = json.loads(runner.invoke(cli, ["--db", fake_config.db, "stories", "show", rotterdam, "--json"]).output)
    assert dup_id in {a["duplicate_of"] for a in as_json["articles"]}


def test_a_redistributed_copy_never_corroborates_the_wire_it_copies(night, fake_config):
    """Night 1, while AP's strike lead is the story's current fact (night 2 reports the end)."""
    con = _demo(night, fake_config, ("night1.jsonl",))
    redistributed, original = con.execute(
        "SELECT d.article_id, d.duplicate_of FROM duplicates d JOIN articles a USING (article_id) "
        "JOIN articles o ON o.article_id = d.duplicate_of WHERE d.reason = 'near' AND a.source = 'dpa' AND o.source = 'AP'"
    ).fetchone()
    redistributions = {r[0] for r in con.execute("SELECT article_id FROM duplicates WHERE reason = 'near'").fetchall()}
    source = dict(con.execute("SELECT article_id, source FROM articles").fetchall())
    through_copy = con.execute(
        "SELECT source, article_id, also_sources, also_articles FROM summary_sentences "
        "WHERE kind = 'summary' AND list_contains(also_articles, ?)",
        [redistributed],
    ).fetchall()
    con.close()
    assert any(article_id == original for _, article_id, _, _ in through_copy)  # AP's lead is matched by dpa's copy
    for _, _, also_sources, also_articles in through_copy:
        own_dpa = [a for a in also_articles if source[a] == "dpa" and a not in redistributions]
        assert "dpa" not in also_sources or own_dpa
