"""Merges and splits through the real nightly path: recorded in lineage, old ids stay resolvable.

The clustering is scripted (monkeypatched) so each case is exact; everything else is the real night.
"""

import json

import duckdb
import numpy as np
import pytest
from conftest import memberships, write_jsonl

from cluster.cli.main import cli


def art(i: int, hour: int, text: str, body: str | None = None) -> dict:
    return {
        "id": f"ap:{i}",
        "source": ["AP", "Reuters", "AFP", "dpa"][i % 4],
        "title": f"Item {i}: {text}",
        "text": body or f"{text}. Details of item {i} follow here in a full sentence.",
        "published_at": f"2026-11-26T{hour:02d}:00:00Z",
        "language": "en",
    }


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """Labels by item number: script[i] is the cluster of article ap:i (from the headline)."""
    script: dict[int, int] = {}

    def fake_cluster(vectors, texts, times, params=None, **_context):
        return np.array([script[int(t.split(":")[0].split()[1])] for t in texts])

    monkeypatch.setattr("cluster.stages.cluster.cluster_documents", fake_cluster)
    return script


def lineage(db: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute("SELECT old_story_id, new_story_id, reason, n_articles FROM story_lineage").fetchall()
    finally:
        con.close()


def test_merge_keeps_the_larger_story_and_old_id_resolves(night, fake_config, scripted, tmp_path, runner):
    scripted.update({0: 0, 1: 0, 2: 0, 3: 1, 4: 1})
    night([write_jsonl(tmp_path / "n1.jsonl", [art(i, 8 + i, "volcano") for i in range(5)])])
    before = memberships(fake_config.db)
    big, small = before["ap:0"], before["ap:3"]
    assert big != small
    scripted.update({0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0})
    night([write_jsonl(tmp_path / "n2.jsonl", [art(5, 20, "volcano bridge")])])
    after = memberships(fake_config.db)
    assert set(after.values()) == {big}
    assert lineage(fake_config.db) == [(small, big, "merge", 2)]
    shown = runner.invoke(cli, ["--db", fake_config.db, "stories", "show", small, "--json"])
    data = json.loads(shown.output)
    assert data["story_id"] == big and data["resolved_from"][0]["old_story_id"] == small
    con = duckdb.connect(fake_config.db, read_only=True)
    assert con.execute("SELECT status, merged_into FROM stories WHERE story_id = ?", [small]).fetchall() == [
        ("merged", big)
    ]
    con.close()


def test_split_keeps_the_id_on_the_larger_part_and_records_the_rest(night, fake_config, scripted, tmp_path):
    """Night 1 wrongly puts two events in one story; night 2's clustering parts them, and the
    copy agrees (their pair probabilities are low), so the split happens and is recorded."""
    topics = ["airport strike Orly", "ferry collision Piraeus"]
    bodies = [
        "Air traffic controllers at Orly walked out over pay, grounding flights. {}",
        "Two ferries collided outside Piraeus harbour in fog, the coast guard said. {}",
    ]
    extra = [
        "Unions promised more action next week.",
        "Travellers waited for hours at the gates.",
        "The ministry called the walkout irresponsible.",
        "Passengers were taken ashore by tugboats.",
        "Divers inspected both hulls for damage.",
        "An inquiry into the collision was opened.",
    ]
    scripted.update({i: 0 for i in range(5)})
    night(
        [
            write_jsonl(
                tmp_path / "n1.jsonl",
                [art(i, 8 + i, topics[i >= 3], bodies[i >= 3].format(extra[i])) for i in range(5)],
            )
        ]
    )
    (story,) = set(memberships(fake_config.db).values())
    scripted.update({0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1})
    night(
        [
            write_jsonl(
                tmp_path / "n2.jsonl", [art(5, 20, "ferry collision Piraeus inquiry", bodies[1].format(extra[5]))]
            )
        ]
    )
    after = memberships(fake_config.db)
    assert after["ap:0"] == after["ap:1"] == after["ap:2"] == story
    new = after["ap:3"]
    assert new != story and after["ap:4"] == after["ap:5"] == new
    assert lineage(fake_config.db) == [(story, new, "split", 2)]


def test_ids_survive_a_night_that_only_adds(night, fake_config, scripted, tmp_path):
    scripted.update({0: 0, 1: 0, 2: 1})
    night([write_jsonl(tmp_path / "n1.jsonl", [art(i, 8 + i, "fire") for i in range(3)])])
    before = memberships(fake_config.db)
    scripted.update({0: 0, 1: 0, 2: 1, 3: 0, 4: 2})
    night(
        [
            write_jsonl(
                tmp_path / "n2.jsonl",
                [
                    art(3, 20, "fire"),
                    art(4, 21, "other", "Lithium auction in Santiago drew bids from six miners, the ministry said."),
                ],
            )
        ]
    )
    after = memberships(fake_config.db)
    assert all(after[k] == v for k, v in before.items())
    assert after["ap:3"] == before["ap:0"] and after["ap:4"] not in before.values()
    assert lineage(fake_config.db) == []
