"""What changed tonight: cluster.summary.changes on hand-made summaries, and the stored changes of the demo."""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
from conftest import DEMO, write_jsonl

from cluster.cli.main import cli
from cluster.cli.report import build_report
from cluster.summary.changes import Line, Snapshot, describe, story_changes

NIGHT1, NIGHT2 = datetime(2026, 11, 26, 23), datetime(2026, 11, 27, 23)
TOLL_14 = Line("The death toll rose to 14 on Thursday, officials said.", "AFP", "a1")
TOLL_19 = Line("The death toll rose to 19 on Friday, officials said.", "Reuters", "a2")
STRIKE_ON = Line("Dockworkers went on strike at the port on Thursday.", "AFP", "a3")
STRIKE_OVER = Line("Dockworkers called off their strike on Friday.", "dpa", "a4")


def _kinds(changes) -> list[str]:
    return [c.kind for c in changes]


def test_a_story_without_a_stored_summary_is_a_new_story():
    changes = story_changes(None, Snapshot("Quake hits Peru", (TOLL_14,), ("AFP",)))
    assert _kinds(changes) == ["new_story"] and changes[0].detail == "Quake hits Peru" and changes[0].source == "AFP"


def test_a_new_wire_is_a_wire_joined():
    old = Snapshot("h", (TOLL_14,), ("AFP",))
    changes = story_changes(old, Snapshot("h", (TOLL_14,), ("AFP", "dpa")))
    assert [(c.kind, c.detail) for c in changes] == [("wire_joined", "dpa")]


def test_a_changed_figure_is_a_figure_changed_with_old_and_new_values():
    old = Snapshot("h", (TOLL_14,), ("AFP",))
    changes = story_changes(old, Snapshot("h", (TOLL_19, TOLL_14), ("AFP", "Reuters")))
    figure = [c for c in changes if c.kind == "figure_changed"]
    assert [(c.detail, c.old_value, c.new_value, c.source, c.article_id) for c in figure] == [
        ("dead", "14", "19", "Reuters", "a2")
    ]


def test_a_flipped_state_is_a_status_changed():
    old = Snapshot("h", (STRIKE_ON,), ("AFP",))
    changes = story_changes(old, Snapshot("h", (STRIKE_OVER,), ("AFP", "dpa")))
    status = [c for c in changes if c.kind == "status_changed"]
    assert [(c.detail, c.old_value, c.new_value, c.source) for c in status] == [("strike", "on", "over", "dpa")]


def test_only_sentences_not_in_the_old_summary_are_new_facts():
    old = Snapshot("h", (TOLL_14,), ("AFP",))
    reworded = Line("  the DEATH toll rose to 14 on Thursday,  officials said.", "AFP", "a9")
    changes = story_changes(old, Snapshot("h", (reworded, STRIKE_ON), ("AFP",)))
    assert [(c.kind, c.detail, c.position) for c in changes] == [("new_fact", STRIKE_ON.text, 0)]


def test_an_unchanged_summary_has_no_changes():
    old = Snapshot("h", (TOLL_14, STRIKE_ON), ("AFP",))
    assert story_changes(old, old) == []


def test_describe_reads_as_an_editor_line():
    row = {
        "kind": "figure_changed",
        "detail": "dead",
        "source": "Reuters",
        "old_value": "14",
        "new_value": "19",
        "reported_at": None,
    }
    assert describe(row) == "Reuters: death toll 14 → 19"
    assert describe({**row, "reported_at": datetime(2026, 11, 27, 14, 20)}) == "Reuters Fri 14:20: death toll 14 → 19"
    assert describe({"kind": "wire_joined", "detail": "dpa", "source": "dpa"}) == "dpa joined"


def _rows(db: str, sql: str, args: list | None = None) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql, args or []).fetchall()
    finally:
        con.close()


def _toll_item(i: int, toll: int, day: str, source: str) -> dict:
    text = (
        f"LIMA ({source}) - The death toll from the earthquake in southern Peru rose to {toll} on {day}, "
        "the civil defence institute said. Rescuers searched collapsed adobe homes in the Colca valley."
    )
    return {
        "id": f"{source.lower()}:peru{i}",
        "source": source,
        "title": "Peru earthquake toll rises",
        "text": text,
        "published_at": f"2026-11-2{6 + i}T12:00:00Z",
        "language": "en",
        "url": None,
    }


def test_a_two_night_toll_update_stores_dead_14_to_19(night, fake_config, tmp_path):
    night([write_jsonl(tmp_path / "n1.jsonl", [_toll_item(0, 14, "Thursday", "AFP")])], as_of=NIGHT1)
    night([write_jsonl(tmp_path / "n2.jsonl", [_toll_item(1, 19, "Friday", "Reuters")])], as_of=NIGHT2)
    rows = _rows(
        fake_config.db,
        "SELECT kind, detail, old_value, new_value, source FROM story_changes_v "
        "WHERE kind IN ('figure_changed', 'wire_joined') ORDER BY kind",
    )
    assert rows == [
        ("figure_changed", "dead", "14", "19", "Reuters"),
        ("wire_joined", "Reuters", None, None, "Reuters"),
    ]


def _tonight(db: str, like: str) -> str:
    """The story holding night-2 copy whose headline is like `like`, whether or not the fake
    encoder joined it to night 1's story."""
    return _rows(
        db,
        "SELECT sa.story_id FROM story_articles sa JOIN articles a USING (article_id) "
        "WHERE a.headline LIKE ? AND a.event_time >= '2026-11-27' ORDER BY a.event_time LIMIT 1",
        [like],
    )[0][0]


def _latest_changes(db: str, story_id: str) -> list[tuple]:
    return _rows(
        db,
        "SELECT kind, detail, new_value FROM story_changes_v WHERE story_id = ? "
        "AND run_id = (SELECT max(run_id) FROM story_changes)",
        [story_id],
    )


def _ordered(changes: list[tuple]) -> list[tuple]:
    order = ["new_story", "wire_joined", "figure_changed", "status_changed", "new_fact"]
    return sorted(changes, key=lambda c: order.index(c[0]))


def test_demo_night_two_changes_of_the_peru_story(night, fake_config, runner):
    night([DEMO / "night1.jsonl"], as_of=NIGHT1)
    night([DEMO / "night2.jsonl"], as_of=NIGHT2)
    peru = _tonight(fake_config.db, "%Peru%")
    changes = _latest_changes(fake_config.db, peru)
    kinds = {k for k, _, _ in changes}
    if "new_story" not in kinds:  # night 2's copy joined night 1's story
        assert ("figure_changed", "dead", "19") in changes
        assert kinds & {"wire_joined", "new_fact"}
    shown = runner.invoke(cli, ["--db", fake_config.db, "stories", "show", peru, "--changes"])
    assert shown.exit_code == 0, shown.output
    assert "→" in shown.output or "new story" in shown.output
    as_json = runner.invoke(cli, ["--db", fake_config.db, "stories", "show", peru, "--json"])
    assert [c["kind"] for c in json.loads(as_json.output)["changes"]] == [k for k, _, _ in _ordered(changes)]
    con = duckdb.connect(fake_config.db, read_only=True)
    try:
        html, _ = build_report(con)
    finally:
        con.close()
    assert '<section class="changes"' in html and "Changed tonight" in html


def test_rerunning_night_two_adds_no_change_rows(night, fake_config):
    night([DEMO / "night1.jsonl"], as_of=NIGHT1)
    night([DEMO / "night2.jsonl"], as_of=NIGHT2)
    before = _rows(fake_config.db, "SELECT count(*) FROM story_changes")[0][0]
    night([DEMO / "night2.jsonl"], as_of=NIGHT2)
    assert before > 0 and _rows(fake_config.db, "SELECT count(*) FROM story_changes")[0][0] == before


def test_demo_night_two_rotterdam_strike_goes_from_on_to_over(night, fake_config):
    night([DEMO / "night1.jsonl"], as_of=NIGHT1)
    night([DEMO / "night2.jsonl"], as_of=NIGHT2)
    changes = _latest_changes(fake_config.db, _tonight(fake_config.db, "%Rotterdam%"))
    assert ("status_changed", "strike", "over") in changes or {k for k, _, _ in changes} == {"new_story"}
