"""The vector sidecar (storage.vss, `<db>.vec/`): semantic search through it gives the exact
scan's stories, whatever the night changed in the memberships, and it is appended to, never
rewritten; when it does not match the archive the scan answers and says so."""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from conftest import DEMO

from cluster.config import Config
from cluster.encoders.base import FakeEncoder, encoder_text
from cluster.night import run_night
from storage import db as dbm
from storage import queries, search_index, vss

MODEL = "fake-256|2000c"


@pytest.fixture()
def archive(demo_db, tmp_path, monkeypatch) -> str:
    """A copy of the demo archive with its sidecar built (threshold lowered to the demo's size)."""
    db = str(tmp_path / "vec.duckdb")
    shutil.copyfile(demo_db, db)
    monkeypatch.setattr(vss, "MIN_VECTORS", 10)
    con = duckdb.connect(db)
    counts = search_index.refresh(con, db, MODEL)
    con.close()
    assert counts["index_vec_vectors"] and Path(vss.sidecar_path(db), "meta.json").exists()
    return db


def _queries(db: str) -> list[list[float]]:
    """Query vectors: the texts of a few canonical articles, and their mixtures (near several stories)."""
    con = duckdb.connect(db, read_only=True)
    texts = con.execute(
        "SELECT a.headline, a.body FROM story_articles sa JOIN articles a USING (article_id) "
        "WHERE sa.role = 'canonical' ORDER BY a.article_id LIMIT 4"
    ).fetchall()
    con.close()
    vectors = FakeEncoder(256).encode([encoder_text(h, b) for h, b in texts])
    return [v.tolist() for v in vectors] + [(vectors[0] + vectors[1] + vectors[2]).tolist()]


def _both(db: str, limit: int = 5) -> tuple[list, list, list[str]]:
    """(through the sidecar, exact scan) per query, and the notes heard."""
    notes: list[str] = []
    ro = dbm.connect(db, read_only=True)
    try:
        qs = _queries(db)
        fast = [queries.search_stories(ro, q, MODEL, limit=limit, on_fallback=notes.append) for q in qs]
        exact = [queries.search_stories(ro, q, MODEL, limit=None)[:limit] for q in qs]
    finally:
        ro.close()
    return fast, exact, notes


def _meta(db: str) -> dict:
    return json.loads(Path(vss.sidecar_path(db), "meta.json").read_text())


def _segment_files(db: str) -> dict[str, float]:
    return {p.name: p.stat().st_mtime_ns for p in Path(vss.sidecar_path(db)).glob("*.npy")}


def test_search_through_the_sidecar_equals_the_exact_scan(archive):
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact and all(fast)
    assert fast[0][0]["score"] == pytest.approx(1.0, abs=1e-3)
    # the sidecar answered (not the scan): a query past its best rows would have been scanned
    ro = dbm.connect(archive, read_only=True)
    _, _, ids = vss.scored_stories_sql(ro, _queries(archive)[0], MODEL, 5)
    ro.close()
    assert ids


def test_membership_changes_are_seen_without_touching_the_sidecar(archive):
    """Stories merge and split each night: the sidecar holds article ids, their stories are read at
    query time, so a moved or withdrawn article is found in its new story or not at all."""
    before = _segment_files(archive)
    first, _, _ = _both(archive)
    con = duckdb.connect(archive)
    top = first[0][0]["story_id"]
    other = con.execute(
        "SELECT story_id FROM stories WHERE status = 'active' AND story_id <> ? LIMIT 1", [top]
    ).fetchone()[0]
    # move the best story's articles into another story, and withdraw the second best's
    con.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?", [other, top])
    con.execute("UPDATE story_articles SET role = 'withdrawn' WHERE story_id = ?", [first[0][1]["story_id"]])
    con.close()
    assert vss.refresh(duckdb.connect(archive, read_only=True), MODEL, 256, vss.sidecar_path(archive)) is None
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact
    assert fast[0][0]["story_id"] == other and first[0][1]["story_id"] not in {r["story_id"] for r in fast[0]}
    assert _segment_files(archive) == before


def test_a_night_appends_a_segment_and_rewrites_none(archive):
    before = _segment_files(archive)
    n_segments = len(_meta(archive)["segments"])
    con = duckdb.connect(archive)
    # a new article whose text is already embedded (a new version, same text) in a new story
    aid, headline, body = con.execute(
        "SELECT a.article_id, a.headline, a.body FROM story_articles sa JOIN articles a USING (article_id) "
        "WHERE sa.role = 'canonical' ORDER BY a.article_id LIMIT 1"
    ).fetchone()
    con.execute(
        "INSERT INTO articles (article_id, source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash) SELECT 'v2', source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash FROM articles WHERE article_id = ?",
        [aid],
    )
    con.execute("UPDATE story_articles SET role = 'version' WHERE article_id = ?", [aid])
    con.execute("INSERT INTO stories (story_id, status) VALUES ('S-new', 'active')")
    con.execute("INSERT INTO story_articles VALUES ('v2', 'S-new', 'canonical', NULL)")
    con.close()
    fast, exact, notes = _both(archive)
    assert fast == exact and notes and "is stale" in notes[0]
    con = duckdb.connect(archive)
    assert vss.refresh(con, MODEL, 256, vss.sidecar_path(archive)) == 1  # the new pair only
    assert vss.refresh(con, MODEL, 256, vss.sidecar_path(archive)) is None
    con.close()
    assert len(_meta(archive)["segments"]) == n_segments + 1
    after = _segment_files(archive)
    assert {k: v for k, v in after.items() if k in before} == before and len(after) == len(before) + 2
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact
    ro = dbm.connect(archive, read_only=True)
    vector = FakeEncoder(256).encode([encoder_text(headline, body)])[0].tolist()
    assert queries.search_stories(ro, vector, MODEL, limit=3)[0]["story_id"] == "S-new"
    ro.close()


def test_a_sidecar_ahead_of_the_archive_is_read_up_to_it_and_trimmed_by_the_next_night(archive, tmp_path):
    """A night publishes its segment before the archive; if it then fails, readers keep using the
    segments the archive holds, and the next refresh drops the one it does not."""
    ahead = str(tmp_path / "ahead.duckdb")
    shutil.copyfile(archive, ahead)
    shutil.copytree(vss.sidecar_path(archive), vss.sidecar_path(ahead))
    con = duckdb.connect(ahead)
    con.execute(
        "INSERT INTO embeddings SELECT 'failed-night', model, dim, vector FROM embeddings WHERE model = ? LIMIT 1",
        [MODEL],
    )
    con.execute(
        "INSERT INTO articles (article_id, source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash) VALUES ('lost', 'AP', 'lost', now(), now(), 'x', 'y', 'en', 'usable', 'failed-night')"
    )
    assert vss.refresh(con, MODEL, 256, vss.sidecar_path(ahead)) == 1
    con.close()
    # the failed night's segment is in the live sidecar, not in the live archive
    shutil.rmtree(vss.sidecar_path(archive))
    shutil.copytree(vss.sidecar_path(ahead), vss.sidecar_path(archive))
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact
    # another writer (no refresh) brings the archive to the failed night's counts, not its rows
    con = duckdb.connect(archive)
    con.execute(
        "INSERT INTO embeddings SELECT 'retry-text', model, dim, vector FROM embeddings WHERE model = ? LIMIT 1",
        [MODEL],
    )
    con.execute(
        "INSERT INTO articles (article_id, source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash) VALUES ('retry', 'AP', 'retry', now(), now(), 'x', 'y', 'en', 'usable', 'retry-text')"
    )
    con.close()
    fast, exact, notes = _both(archive)
    assert fast == exact and notes and "is stale" in notes[0]
    con = duckdb.connect(archive)
    assert vss.refresh(con, MODEL, 256, vss.sidecar_path(archive)) == 1
    con.close()
    meta = _meta(archive)
    assert all(s["last_article"] != "lost" for s in meta["segments"])
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact


def test_an_unreadable_or_foreign_sidecar_falls_back_to_the_scan(archive):
    side = Path(vss.sidecar_path(archive))
    next(side.glob("*.f32.npy")).unlink()
    fast, exact, notes = _both(archive)
    assert fast == exact and notes and "unreadable" in notes[0]
    meta = _meta(archive)
    (side / "meta.json").write_text(json.dumps({**meta, "model": "other"}))
    fast, exact, notes = _both(archive)
    assert fast == exact and notes and "is stale" in notes[0]
    con = duckdb.connect(archive)
    assert vss.refresh(con, MODEL, 256, str(side)) and vss.refresh(con, MODEL, 256, str(side)) is None
    con.close()
    fast, exact, notes = _both(archive)
    assert not notes and fast == exact


def test_below_the_threshold_no_sidecar_is_built(demo_db, tmp_path):
    db = str(tmp_path / "small.duckdb")
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(db)
    assert search_index.refresh(con, db, MODEL)["index_vec_vectors"] is None
    con.close()
    assert not Path(vss.sidecar_path(db)).exists()


def test_a_build_in_steps_equals_one_step(archive, monkeypatch):
    """`SEGMENT_ROWS` bounds a whole build's memory: the search is the same in many segments."""
    one, _, _ = _both(archive)
    monkeypatch.setattr(vss, "SEGMENT_ROWS", 7)
    con = duckdb.connect(archive)
    n = vss.build(con, MODEL, 256, vss.sidecar_path(archive))
    con.close()
    meta = _meta(archive)
    assert len(meta["segments"]) > 2 and sum(s["rows"] for s in meta["segments"]) == n
    assert all(s["n_articles"] is None for s in meta["segments"][:-1])
    many, exact, notes = _both(archive)
    assert not notes and many == one == exact


def test_nights_build_then_append_the_sidecar_beside_the_published_file(tmp_path, monkeypatch):
    """Through `run_night` (a working copy renamed over the live file): the first night above the
    threshold builds the sidecar, the next appends one segment; both answer as the exact scan."""
    monkeypatch.setattr(vss, "MIN_VECTORS", 10)
    db = str(tmp_path / "nights.duckdb")
    cfg = Config(db=db, model="fake-256")
    night1 = run_night(cfg, [str(DEMO / "night1.jsonl")], lambda: FakeEncoder(256), as_of=datetime(2026, 11, 26, 23))
    assert night1.status == "ok" and night1.counts["index_vec_vectors"]
    first, exact, notes = _both(db)
    assert not notes and first == exact
    before = _segment_files(db)
    n_segments = len(_meta(db)["segments"])
    night2 = run_night(cfg, [str(DEMO / "night2.jsonl")], lambda: FakeEncoder(256), as_of=datetime(2026, 11, 27, 23))
    assert night2.status == "ok" and night2.counts["index_vec_vectors"]
    assert len(_meta(db)["segments"]) == n_segments + 1
    assert {k: v for k, v in _segment_files(db).items() if k in before} == before
    fast, exact, notes = _both(db)
    assert not notes and fast == exact
