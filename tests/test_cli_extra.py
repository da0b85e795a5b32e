"""The editor and analyst commands through CliRunner: search, export, config show, evaluate
summaries/pairs, progress and logs of a night, the improved `stories show`."""

from __future__ import annotations

import csv
import io
import json
import re

import duckdb
import pytest
from click.testing import CliRunner
from conftest import DEMO, write_jsonl

from cluster.cli.main import cli
from cluster.config import Config
from cluster.encoders.base import FakeEncoder, encoder_text
from cluster.events import STAGES

ENV = {"WIRESTORY_MODEL": "fake-256", "WIRESTORY_DB": None, "WIRESTORY_CONFIG": None}


def invoke(args: list[str], db: str | None = None, env: dict | None = None, **kw):
    runner = CliRunner()
    return runner.invoke(cli, (["--db", db] if db else []) + args, env={**ENV, **(env or {})}, **kw)


def _stories(db: str) -> list[dict]:
    out = invoke(["stories", "list", "--json", "--limit", "0"], db)
    assert out.exit_code == 0, out.output
    return json.loads(out.output)


# --------------------------------------------------------------------------- search


def test_search_ranks_the_story_whose_copy_matches(demo_db):
    con = duckdb.connect(demo_db, read_only=True)
    story_id, headline, body = con.execute(
        "SELECT sa.story_id, a.headline, a.body FROM story_articles sa JOIN articles a USING (article_id) "
        "JOIN stories s USING (story_id) WHERE sa.role = 'canonical' AND s.status = 'active' AND s.n_sources >= 2 "
        "ORDER BY s.n_sources DESC, a.article_id LIMIT 1"
    ).fetchone()
    con.close()
    query = encoder_text(headline, body)  # exactly what the night embedded: the article scores ~1
    out = invoke(["stories", "search", query, "--json", "--limit", "5"], demo_db)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert rows[0]["story_id"] == story_id
    assert rows[0]["score"] == pytest.approx(1.0, abs=1e-3)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True) and len(rows) == 5
    assert {"story_id", "score", "headline", "credit_line", "n_sources", "last_seen"} <= set(rows[0])
    # --min-score cuts the tail; the best hit stays
    strict = json.loads(
        invoke(["stories", "search", query, "--json", "--min-score", str(scores[0] - 1e-3)], demo_db).output
    )
    assert [r["story_id"] for r in strict] == [story_id]


def test_search_keyword_filters_by_word(demo_db):
    out = invoke(
        ["stories", "search", "earthquake casualties", "--keyword", "QUAKE", "--json", "--limit", "0"], demo_db
    )
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    con = duckdb.connect(demo_db, read_only=True)
    texts = con.execute(
        "SELECT DISTINCT sa.story_id, a.headline || ' ' || a.body FROM story_articles sa JOIN articles a USING (article_id) "
        "JOIN stories s USING (story_id) WHERE s.status = 'active'"
    ).fetchall()
    con.close()
    # the word (stemmed: quake, quakes), not the substring: "earthquake" alone does not match
    expected = {sid for sid, text in texts if re.search(r"\bquak(e|es|ed|ing)?\b", text, re.IGNORECASE)}
    assert expected and {r["story_id"] for r in rows} == expected
    # keyword alone: no model needed, newest first, no score
    only = json.loads(
        invoke(
            ["stories", "search", "--keyword", "quake", "--json"], demo_db, env={"WIRESTORY_MODEL": "no-such-model"}
        ).output
    )
    assert {r["story_id"] for r in only} == expected and all(r["score"] is None for r in only)
    # punctuation is no word: nothing matches
    assert json.loads(invoke(["stories", "search", "--keyword", "%_%", "--json"], demo_db).output) == []


def test_search_usage_and_model_errors(demo_db):
    assert invoke(["stories", "search"], demo_db).exit_code == 2
    wrong = invoke(["stories", "search", "rocket"], demo_db, env={"WIRESTORY_MODEL": "fake-64"})
    assert wrong.exit_code == 1 and "no embeddings for model fake-64" in wrong.output and "fake-256" in wrong.output


# --------------------------------------------------------------------------- export


def test_export_jsonl_csv_parquet_agree_with_list(demo_db, tmp_path):
    ids = {r["story_id"] for r in _stories(demo_db)}
    jsonl = invoke(["stories", "export", "--format", "jsonl"], demo_db)
    assert jsonl.exit_code == 0, jsonl.output
    rows = [json.loads(line) for line in jsonl.stdout.splitlines()]
    assert {r["story_id"] for r in rows} == ids
    assert all(r["summary"] and isinstance(r["sources"], list) for r in rows)
    assert [r["first_seen"] for r in rows] == sorted(r["first_seen"] for r in rows)

    out_csv = tmp_path / "s.csv"
    res = invoke(["stories", "export", "--format", "csv", "--out", str(out_csv), "--min-sources", "2"], demo_db)
    assert res.exit_code == 0, res.output
    parsed = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert parsed and all(int(r["n_sources"]) >= 2 for r in parsed)
    assert {r["story_id"] for r in parsed} == {r["story_id"] for r in rows if r["n_sources"] >= 2}

    pq = tmp_path / "s.parquet"
    res = invoke(["stories", "export", "--format", "parquet", "--out", str(pq)], demo_db)
    assert res.exit_code == 0, res.output
    got = duckdb.connect().execute(f"SELECT story_id, sources FROM '{pq}'").fetchall()
    assert {r[0] for r in got} == ids and all(isinstance(r[1], list) for r in got)


def test_export_parquet_needs_out(demo_db):
    res = invoke(["stories", "export", "--format", "parquet"], demo_db)
    assert res.exit_code == 2 and "--out" in res.output


# --------------------------------------------------------------------------- show, config


def test_show_lists_wires_with_first_report(demo_db):
    multi = max(_stories(demo_db), key=lambda r: (r["n_sources"], r["story_id"]))
    shown = invoke(["stories", "show", multi["story_id"]], demo_db)
    assert shown.exit_code == 0, shown.output
    assert "Wires:" in shown.output and "Timeline:" in shown.output
    data = json.loads(invoke(["stories", "show", multi["story_id"], "--json"], demo_db).output)
    wires = data["wires"]
    assert {w["source"] for w in wires} == set(data["sources"])
    assert wires[0]["first_reported_at"] == min(w["first_reported_at"] for w in wires)
    assert sum(w["n_articles"] for w in wires) == sum(1 for a in data["articles"] if a["role"] != "withdrawn")


def test_config_show_names_each_layer(tmp_path):
    toml = tmp_path / "ws.toml"
    toml.write_text("summary_words = 55\nwindow_hours = 48\n", encoding="utf-8")
    res = invoke(
        ["--db", str(tmp_path / "x.duckdb"), "--config", str(toml), "config", "show", "--json"],
        env={"WIRESTORY_LINK_DAYS": "3"},
    )
    assert res.exit_code == 0, res.output
    rows = {r["setting"]: r for r in json.loads(res.output)}
    configured = {k for k in rows if "." not in k}
    assert configured == set(Config().as_dict())
    # every algorithm parameter and constant is listed too, built in, with the digest of them all
    from cluster.settings import Settings

    assert set(rows) == set(Settings().values()) | {"settings.digest"}
    assert rows["cluster.detach_p"]["source"] == "built in" and rows["link.link_p"]["value"] > 0
    assert rows["settings.digest"]["value"] != Settings().digest  # summary_words etc. changed it
    assert rows["summary_words"] == {"setting": "summary_words", "value": 55, "source": str(toml)}
    assert rows["link_days"]["value"] == 3.0 and rows["link_days"]["source"] == "env WIRESTORY_LINK_DAYS"
    assert rows["db"]["source"] == "command line"
    assert rows["model"]["source"] == "env WIRESTORY_MODEL"
    assert rows["batch_size"]["source"] == "default"
    # WIRESTORY_DB read through --db's envvar is reported as the environment, not the command line
    env_db = json.loads(invoke(["config", "show", "--json"], env={"WIRESTORY_DB": "/tmp/env.duckdb"}).output)
    db_row = next(r for r in env_db if r["setting"] == "db")
    assert db_row == {"setting": "db", "value": "/tmp/env.duckdb", "source": "env WIRESTORY_DB"}
    bad = tmp_path / "bad.toml"
    bad.write_text("colour = 'red'\n")
    assert invoke(["--config", str(bad), "config", "show"]).exit_code == 2


# --------------------------------------------------------------------------- evaluate


def test_evaluate_summaries_is_wired(monkeypatch, tmp_path):
    import cluster.evaluate.summaries as es

    calls = []

    def fake(gold_path, refs_path, words=80, split=None):
        calls.append((gold_path, refs_path, words, split))
        return {
            "rouge1": 0.41,
            "rouge2": 0.2,
            "rougeL": 0.3,
            "n_stories": 2,
            "seconds": 0.1,
            "n_summarized": 2,
            "baselines": {"lead": {"rouge1": 0.39, "rouge2": 0.18, "rougeL": 0.28, "n_stories": 2, "seconds": 0.0}},
        }

    monkeypatch.setattr(es, "evaluate_summaries", fake)
    gold = write_jsonl(tmp_path / "g.jsonl", [{"id": "a", "story": "s", "text": "x"}])
    refs = write_jsonl(tmp_path / "r.jsonl", [{"story": "s", "summary": "x"}])
    res = invoke(["evaluate", "summaries", str(gold), str(refs), "--words", "40", "--split", "test", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["rouge1"] == 0.41 and calls[-1] == (str(gold), str(refs), 40, "test")
    table = invoke(["evaluate", "summaries", str(gold), str(refs)], env={"WIRESTORY_SUMMARY_WORDS": "66"})
    assert table.exit_code == 0, table.output
    assert calls[-1][2] == 66 and calls[-1][3] is None
    lines = table.output.splitlines()
    assert lines[0].split("\t")[:4] == ["system", "rouge1", "rouge2", "rougeL"]
    assert [line.split("\t")[0] for line in lines[1:]] == ["wirestory", "lead"]
    assert invoke(["evaluate", "summaries", str(gold), str(tmp_path / "missing.jsonl")]).exit_code == 2


def test_evaluate_pairs_runs_on_a_small_file(tmp_path):
    pairs = write_jsonl(
        tmp_path / "pairs.jsonl",
        [
            {
                "text1": "the port strike in rotterdam",
                "text2": "rotterdam port workers strike",
                "lang1": "en",
                "lang2": "en",
                "overall": 1.0,
            },
            {
                "text1": "rocket explodes after launch",
                "text2": "cheese prices in alpine markets",
                "lang1": "en",
                "lang2": "en",
                "overall": 4.0,
            },
            {
                "text1": "earthquake strikes peru coast",
                "text2": "Erdbeben erschüttert Küste von Peru",
                "lang1": "en",
                "lang2": "de",
                "overall": 1.5,
            },
            {
                "text1": "budget committee vote",
                "text2": "parliament budget committee votes",
                "lang1": "en",
                "lang2": "en",
                "overall": 1.2,
            },
        ],
    )
    res = invoke(["evaluate", "pairs", str(pairs), "--model", "fake-64", "--model", "fake-32", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert set(out) == {"fake-64", "fake-32"}
    assert out["fake-64"]["n_pairs"] == 4 and -1 <= out["fake-64"]["pearson_all"] <= 1
    # default model is the configured one
    table = invoke(["evaluate", "pairs", str(pairs)])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[1].startswith("fake-256\t")


# --------------------------------------------------------------------------- a night's logs and progress


def test_nightly_json_logs_one_line_per_stage(tmp_path):
    db = str(tmp_path / "n.duckdb")
    res = invoke(["nightly", str(DEMO / "night1.jsonl"), "--as-of", "2026-11-26T23:00:00", "--log-format", "json"], db)
    assert res.exit_code == 0, res.output
    lines = [json.loads(line) for line in res.stderr.splitlines()]
    stages = [line["stage"] for line in lines if "stage" in line]
    assert stages == list(STAGES)
    embed = next(line for line in lines if line.get("stage") == "embed")
    assert embed["counts"]["embed_new"] > 0 and embed["seconds"] >= 0
    final = lines[-1]
    assert final["status"] == "ok" and final["run_id"].startswith("r") and final["counts"]["ingest_new"] > 40


def test_nightly_text_logs_and_forced_progress(tmp_path):
    db = str(tmp_path / "n.duckdb")
    plain = invoke(["nightly", str(DEMO / "night1.jsonl"), "--as-of", "2026-11-26T23:00:00", "--no-progress"], db)
    assert plain.exit_code == 0, plain.output
    messages = [line.split(" INFO ", 1)[-1] for line in plain.stderr.splitlines()]
    assert [m.split(":", 1)[0] for m in messages if m.split(":", 1)[0] in STAGES] == list(STAGES)
    assert any(m.startswith("embed: ") and "embed_new=" in m for m in messages)
    # the bars draw on a terminal; forced here, the night still runs and ends the same way
    forced = invoke(["nightly", str(DEMO / "night2.jsonl"), "--as-of", "2026-11-27T23:00:00", "--progress"], db)
    assert forced.exit_code == 0, forced.output
    assert "nightly ok" in forced.stderr
    runs = json.loads(invoke(["runs", "list", "--json"], db).output)
    assert [r["status"] for r in runs] == ["ok", "ok"]


def test_embedding_progress_is_reported_in_chunks_with_the_same_vectors(monkeypatch):
    """The embed stage encodes new texts chunk by chunk, reporting each; the vectors are the encoder's."""
    import numpy as np

    from cluster.encoders.base import encoder_text
    from cluster.events import Observer
    from cluster.stages import embed
    from storage import db as dbm

    class Recorder(Observer):
        def __init__(self):
            self.calls = []

        def embedding(self, done, total):
            self.calls.append((done, total))

    monkeypatch.setattr(embed, "CHUNK_BATCHES", 1)
    texts = {f"h{i}": (f"headline {i}", f"text number {i} about ports and rockets") for i in range(10)}
    con, encoder, rec = dbm.connect_memory(), FakeEncoder(32), Recorder()
    vectors, new, _ = embed.vectors_for(con, texts, encoder, 4, rec)
    assert new == 10 and rec.calls == [(4, 10), (8, 10), (10, 10)]
    expected = encoder.encode([encoder_text(*texts[h]) for h in sorted(texts)])
    assert np.allclose(np.stack([vectors[h] for h in sorted(texts)]), expected)
    _, new, _ = embed.vectors_for(con, texts, encoder, 4, rec)
    assert new == 0 and len(rec.calls) == 3  # all cached now: nothing encoded, nothing reported


def test_stage_lines_are_the_stage_seconds_and_counts():
    from cluster.events import LogLines

    lines = []
    LogLines(lines.append).stage_finished("embed", 1.5, {"embed_cached": 3, "embed_new": 40})
    LogLines(lines.append).stage_finished("write", 0.01, {})
    assert lines == ["embed: 1.50s embed_cached=3 embed_new=40", "write: 0.01s"]
