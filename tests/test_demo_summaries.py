"""The demo's two nights, read as an editor reads `stories show`: what the summaries print."""

from __future__ import annotations

import duckdb

from cluster.furniture import furniture_kind, shared_boilerplate
from tests.conftest import DEMO


def _demo(night, fake_config) -> duckdb.DuckDBPyConnection:
    night([DEMO / "night1.jsonl"])
    night([DEMO / "night2.jsonl"])
    return duckdb.connect(fake_config.db, read_only=True)


def test_no_demo_summary_or_only_here_sentence_is_furniture_or_a_fragment(night, fake_config):
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
