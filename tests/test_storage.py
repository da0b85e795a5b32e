"""Schema, migrations and idempotent writes on in-memory and file databases."""

from datetime import datetime
from typing import Any

import numpy as np
import pytest

from storage import db as dbm
from storage import store
from storage.records import Article

TABLES = {
    "runs",
    "files",
    "quarantine",
    "articles",
    "embeddings",
    "duplicates",
    "stories",
    "story_articles",
    "story_lineage",
    "summary_sentences",
    "schema_migrations",
}


def _tables(con) -> set[str]:
    return {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
        ).fetchall()
    }


def test_migrations_on_empty_database():
    con = dbm.connect_memory()
    assert TABLES <= _tables(con)
    applied = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [v for v, _ in applied] == [n for n, _, _ in dbm.migrations()]
    assert dbm.schema_version(con) == dbm.migrations()[-1][0]


def test_migrate_twice_applies_nothing(tmp_path):
    path = str(tmp_path / "m.duckdb")
    con = dbm.connect(path)
    con.close()
    con = dbm.connect(path)
    assert dbm.migrate(con) == []
    con.close()


def _article(**kw) -> Article:
    base: dict[str, Any] = dict(
        source="AP",
        item_key="ap:1",
        headline="Quake hits",
        body="A quake hit the town.",
        version=1,
        version_created=datetime(2026, 11, 26, 9),
        raw=b"{}",
    )
    base.update(kw)
    return Article(**base)


def test_insert_articles_is_idempotent():
    con = dbm.connect_memory()
    now = datetime(2026, 11, 27)
    arts = [_article(), _article(version=2, body="A quake hit the town. Two died.")]
    assert store.insert_articles(con, arts, "f1", "r1", now) == 2
    assert store.insert_articles(con, arts, "f2", "r2", now) == 0
    assert con.execute("SELECT count(*) FROM articles").fetchall()[0][0] == 2
    raw = con.execute("SELECT raw FROM articles WHERE version = 1").fetchall()[0][0]
    assert raw == b"{}"


def test_embeddings_round_trip_and_cache_key():
    con = dbm.connect_memory()
    vecs = np.random.default_rng(0).normal(size=(3, 8)).astype(np.float32)
    assert store.insert_embeddings(con, ["h1", "h2", "h3"], "m@1", vecs) == 3
    assert store.insert_embeddings(con, ["h1"], "m@1", vecs[:1]) == 0
    got = store.cached_embeddings(con, ["h2", "h3", "missing"], "m@1")
    assert set(got) == {"h2", "h3"}
    np.testing.assert_allclose(got["h3"], vecs[2])
    assert store.cached_embeddings(con, ["h1"], "other-model") == {}
    # analysts can use the built-in array functions on the stored vectors
    sim = con.execute(
        "SELECT array_cosine_similarity(a.vector::FLOAT[8], b.vector::FLOAT[8]) FROM embeddings a, embeddings b "
        "WHERE a.content_hash = 'h1' AND b.content_hash = 'h1'"
    ).fetchall()[0][0]
    assert sim == pytest.approx(1.0, abs=1e-5)


def test_article_identity_tracks_text_and_version():
    a = _article()
    assert a.article_id == _article().article_id
    assert a.article_id != _article(version=2).article_id
    assert a.content_hash == _article(item_key="dpa:9", source="dpa").content_hash
    with pytest.raises(ValueError):
        _article(pubstatus="killed")


def test_night_lock_refuses_a_second_holder(tmp_path):
    path = str(tmp_path / "l.duckdb")
    with dbm.night_lock(path):
        with pytest.raises(dbm.AlreadyRunning):
            with dbm.night_lock(path):
                pass
