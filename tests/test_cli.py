"""The CLI through click's CliRunner against a temporary database, with the fake encoder."""

import json

import pytest
from conftest import DEMO, write_jsonl

from cluster.cli.main import cli


@pytest.fixture
def demo_db(runner, fake_config, monkeypatch):
    monkeypatch.setenv("WIRESTORY_MODEL", "fake-256")
    result = runner.invoke(cli, ["--db", fake_config.db, "nightly", str(DEMO / "night1.jsonl")])
    assert result.exit_code == 0, result.output
    return fake_config.db


def test_nightly_then_list_and_show(runner, demo_db):
    result = runner.invoke(cli, ["--db", demo_db, "stories", "list", "--json", "--limit", "0"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) >= 5
    assert {"story_id", "headline", "credit_line", "n_sources"} <= set(rows[0])
    multi = max(rows, key=lambda r: r["n_sources"])
    shown = runner.invoke(cli, ["--db", demo_db, "stories", "show", multi["story_id"]])
    assert shown.exit_code == 0, shown.output
    assert multi["headline"] in shown.output
    assert "Timeline:" in shown.output and multi["credit_line"] in shown.output
    as_json = json.loads(runner.invoke(cli, ["--db", demo_db, "stories", "show", multi["story_id"], "--json"]).output)
    assert as_json["story_id"] == multi["story_id"] and as_json["articles"]


def test_list_filters_and_formats(runner, demo_db):
    nl = runner.invoke(cli, ["--db", demo_db, "stories", "list", "--min-sources", "3", "--nl"]).output
    rows = [json.loads(line) for line in nl.splitlines()]
    assert rows and all(r["n_sources"] >= 3 for r in rows)
    csv_out = runner.invoke(cli, ["--db", demo_db, "stories", "list", "--source", "dpa", "--csv"]).output
    assert csv_out.splitlines()[0].startswith("story_id,")
    plain = runner.invoke(cli, ["--db", demo_db, "stories", "list", "--limit", "2"]).output
    assert len(plain.splitlines()) == 3  # header + 2 rows, tab separated when piped


def test_runs_and_quarantine(runner, demo_db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = runner.invoke(cli, ["--db", demo_db, "nightly", str(bad)])
    assert result.exit_code == 3
    q = json.loads(runner.invoke(cli, ["--db", demo_db, "quarantine", "list", "--json"]).output)
    assert q[0]["path"] == str(bad) and q[0]["reason"]
    runs = json.loads(runner.invoke(cli, ["--db", demo_db, "runs", "list", "--json"]).output)
    assert [r["status"] for r in runs] == ["quarantined", "ok"]
    shown = json.loads(runner.invoke(cli, ["--db", demo_db, "runs", "show", runs[1]["run_id"]]).output)
    assert shown["counts"]["ingest_new"] > 40


def test_unknown_story_and_missing_database(runner, demo_db, tmp_path):
    assert runner.invoke(cli, ["--db", demo_db, "stories", "show", "Snope"]).exit_code == 1
    missing = runner.invoke(cli, ["--db", str(tmp_path / "none.duckdb"), "stories", "list"])
    assert missing.exit_code == 1 and "no wirestory database" in missing.output


def test_evaluate_clusters_json(runner, fake_config, tmp_path, monkeypatch):
    monkeypatch.setenv("WIRESTORY_MODEL", "fake-256")
    gold = write_jsonl(
        tmp_path / "gold.jsonl",
        [
            {
                "id": f"d{i}",
                "story": f"s{i % 3}",
                "source": "AP",
                "title": f"Title {i % 3} words here",
                "text": f"Story {i % 3} " + " ".join(f"w{i % 3}x{j}" for j in range(30)),
                "published_at": None,
                "language": "en",
                "url": None,
            }
            for i in range(9)
        ],
    )
    pred = tmp_path / "pred.jsonl"
    result = runner.invoke(cli, ["evaluate", "clusters", str(gold), "--json", "--predictions", str(pred)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {
        "bcubed_p",
        "bcubed_r",
        "bcubed_f1",
        "pairwise_p",
        "pairwise_r",
        "pairwise_f1",
        "ari",
        "ami",
        "n_docs",
        "n_pred",
        "seconds",
    }
    assert out["n_docs"] == 9 and out["bcubed_f1"] == pytest.approx(1.0)
    lines = [json.loads(line) for line in pred.read_text().splitlines()]
    assert len(lines) == 9 and set(lines[0]) == {"id", "pred"}


def test_evaluate_keeps_embeddings_in_a_cache(runner, fake_config, tmp_path, monkeypatch):
    import duckdb

    monkeypatch.setenv("WIRESTORY_MODEL", "fake-256")
    gold = write_jsonl(
        tmp_path / "gold.jsonl",
        [
            {
                "id": f"d{i}",
                "story": f"s{i % 2}",
                "title": f"Headline {i}",
                "text": f"Body text number {i} of story {i % 2}.",
            }
            for i in range(4)
        ],
    )
    cache = tmp_path / "cache.duckdb"
    for _ in range(2):
        result = runner.invoke(cli, ["evaluate", "clusters", str(gold), "--json", "--embedding-cache", str(cache)])
        assert result.exit_code == 0, result.output
    con = duckdb.connect(str(cache), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT model) FROM embeddings").fetchall()[0] == (4, 1)
    con.close()


def test_second_night_while_one_runs_exits_at_once(runner, demo_db):
    from storage import db as dbm

    with dbm.night_lock(demo_db):
        result = runner.invoke(cli, ["--db", demo_db, "nightly", str(DEMO / "night1.jsonl")])
    assert result.exit_code == 4
    assert "another wirestory night is running" in result.output
