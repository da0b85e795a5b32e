"""Search through the indexes: BM25 keyword and full-text search (storage.fts), where the night
builds it, the scans it falls back to, and the query encoder (the vector sidecar: test_vector_sidecar.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import DEMO, ROOT

from cluster.cli.main import cli
from cluster.encoders.base import DEFAULT_MODEL, EncoderSpec, encoder_text
from storage import db as dbm
from storage import fts

ENV = {"WIRESTORY_MODEL": "fake-256", "WIRESTORY_DB": None, "WIRESTORY_CONFIG": None}


def invoke(args: list[str], db: str, env: dict | None = None):
    return CliRunner().invoke(cli, ["--db", db, *args], env={**ENV, **(env or {})})


def _without_fts(src: str, tmp_path: Path) -> str:
    """A copy of `src` whose full-text index is gone."""
    dst = str(tmp_path / "nofts.duckdb")
    shutil.copyfile(src, dst)
    con = duckdb.connect(dst)
    con.execute("DROP SCHEMA search CASCADE")
    con.close()
    return dst


def test_the_night_builds_a_fresh_index(demo_db):
    con = duckdb.connect(demo_db, read_only=True)
    try:
        assert fts.state(con) == "fresh"
        n_articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert con.execute("SELECT n_docs FROM search.meta").fetchone()[0] == n_articles
    finally:
        con.close()


def test_keyword_matches_words_stemmed_and_the_scan_agrees(demo_db, tmp_path):
    out = invoke(["stories", "search", "--keyword", "QUAKES", "--json", "--limit", "0"], demo_db)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    con = duckdb.connect(demo_db, read_only=True)
    texts = con.execute(
        "SELECT DISTINCT sa.story_id, a.headline || ' ' || a.body FROM story_articles sa JOIN articles a USING (article_id) "
        "JOIN stories s USING (story_id) WHERE s.status = 'active'"
    ).fetchall()
    con.close()
    # english stemming: quake, quakes, quaked all stem to 'quak'; "earthquake" is another word
    expected = {sid for sid, text in texts if re.search(r"\bquak(e|es|ed|ing)?\b", text, re.IGNORECASE)}
    assert expected and {r["story_id"] for r in rows} == expected
    assert all(r["score"] is None for r in rows)
    # no index: the same stories by a scan, and a note on stderr
    bare = _without_fts(demo_db, tmp_path)
    scanned = invoke(["stories", "search", "--keyword", "QUAKES", "--json", "--limit", "0"], bare)
    assert scanned.exit_code == 0 and json.loads(scanned.stdout) == rows
    assert "full-text index is missing" in scanned.stderr
    assert "note" not in out.stderr
    # every word must be there; a keyword with no word matches nothing
    both = json.loads(invoke(["stories", "search", "--keyword", "quake tsunami", "--json"], demo_db).output)
    assert {r["story_id"] for r in both} <= expected
    assert json.loads(invoke(["stories", "search", "--keyword", "%_%", "--json"], demo_db).output) == []


def test_fulltext_ranks_by_bm25_and_the_scan_gives_the_same_scores(demo_db, tmp_path):
    con = duckdb.connect(demo_db, read_only=True)
    story_id, headline = con.execute(
        "SELECT sa.story_id, a.headline FROM story_articles sa JOIN articles a USING (article_id) "
        "JOIN stories s USING (story_id) WHERE s.status = 'active' AND s.n_sources >= 3 ORDER BY a.article_id LIMIT 1"
    ).fetchone()
    con.close()
    out = invoke(["stories", "search", headline, "--fulltext", "--json", "--limit", "5"], demo_db)
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert rows[0]["story_id"] == story_id and rows[0]["score"] > 0
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    bare = _without_fts(demo_db, tmp_path)
    scanned = invoke(["stories", "search", headline, "--fulltext", "--json", "--limit", "5"], bare)
    assert json.loads(scanned.stdout) == rows and "scanning every article" in scanned.stderr
    assert invoke(["stories", "search", "--fulltext", "--keyword", "x"], demo_db).exit_code == 2


def test_a_stale_index_is_not_trusted(demo_db, tmp_path):
    db = str(tmp_path / "stale.duckdb")
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(db)
    con.execute(
        "INSERT INTO articles (article_id, source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash) SELECT 'new1', 'AP', 'k-new1', now(), now(), 'Zorbulan floods', "
        "'The zorbulan river flooded.', 'en', 'usable', 'h-new1'"
    )
    sid = con.execute("SELECT story_id FROM stories WHERE status = 'active' LIMIT 1").fetchone()[0]
    con.execute("INSERT INTO story_articles VALUES ('new1', ?, 'canonical', NULL)", [sid])
    assert fts.state(con) == "stale"
    con.close()
    out = invoke(["stories", "search", "--keyword", "zorbulan", "--json"], db)
    assert [r["story_id"] for r in json.loads(out.stdout)] == [sid]
    assert "full-text index is stale" in out.stderr
    con = duckdb.connect(db)
    assert fts.refresh(con) is not None and fts.state(con) == "fresh" and fts.refresh(con) is None
    con.close()
    again = invoke(["stories", "search", "--keyword", "zorbulan", "--json"], db)
    assert [r["story_id"] for r in json.loads(again.stdout)] == [sid] and "note" not in again.stderr


def _article(con, aid: str, language: str, headline: str, body: str) -> None:
    con.execute(
        "INSERT INTO articles (article_id, source, item_key, received_at, event_time, headline, body, language, "
        "pubstatus, content_hash) VALUES (?, 'AFP', ?, now(), now(), ?, ?, ?, 'usable', ?)",
        [aid, aid, headline, body, language, f"h{aid}"],
    )


def test_each_article_is_stemmed_in_its_own_language():
    con = dbm.connect_memory()
    _article(con, "de1", "de", "Häuser zerstört", "Viele Häuser wurden beim Erdbeben zerstört.")
    _article(con, "fr1", "fr", "Élections à Paris", "Les élections municipales ont eu lieu.")
    _article(con, "en1", "en", "Strikers walk out", "Dock workers are striking over automation.")
    _article(con, "xx1", "xx", "Unknown tongue", "running runners")
    fts.build(con)

    def found(text: str, conjunctive: bool = True) -> set[str]:
        got = fts.scored_articles_sql(con, text, conjunctive)
        assert got is not None
        return {r[0] for r in con.execute(*got).fetchall()}

    assert found("haus") == {"de1"}  # German stemmer: Häuser -> haus
    assert found("election") == {"fr1"}  # French stemmer, accents stripped after stemming
    assert found("strike") == {"en1"}  # English: striking -> strike
    assert found("run") == set() and found("running") == {"xx1"}  # no stemmer for 'xx'
    assert found("haus strike") == set() and found("haus strike", conjunctive=False) == {"de1", "en1"}
    assert fts.scored_articles_sql(con, "  ,, ", True) is None


def test_index_command_rebuilds_a_missing_index(demo_db, tmp_path):
    bare = _without_fts(demo_db, tmp_path)
    out = invoke(["index"], bare)
    assert out.exit_code == 0, out.output
    assert re.search(r"full-text index: \d+ articles indexed", out.output), out.output
    assert "up to date" in invoke(["index"], bare).output.split(";")[0]
    con = duckdb.connect(bare, read_only=True)
    assert fts.state(con) == "fresh"
    con.close()


def _imports_after(args: list[str], db: str, model: str = "fake-256") -> dict:
    code = (
        "import sys, json\n"
        "from cluster.cli.main import main\n"
        f"sys.argv = ['wirestory', '--db', {db!r}, *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "print(json.dumps({m: m in sys.modules for m in ('sentence_transformers', 'transformers', 'torch')}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIRESTORY_MODEL": model}
    env.pop("WIRESTORY_CONFIG", None)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_keyword_and_fulltext_search_import_no_model_stack(demo_db):
    for args in (["stories", "search", "--keyword", "quake"], ["stories", "search", "quake", "--fulltext"]):
        assert _imports_after(args, demo_db) == {"sentence_transformers": False, "transformers": False, "torch": False}


def test_semantic_search_on_the_default_model_imports_no_torch(demo_db, tmp_path):
    """A query is one text: the default MiniLM encodes it in numpy in either precision (cold start
    without torch), against the vectors of this CPU's own precision."""
    db = str(tmp_path / "minilm.duckdb")
    shutil.copyfile(demo_db, db)
    con = duckdb.connect(db)
    hashes = [r[0] for r in con.execute("SELECT DISTINCT content_hash FROM embeddings").fetchall()]
    vectors = np.random.default_rng(1).standard_normal((len(hashes), 384)).astype(np.float32)
    con.executemany(
        "INSERT INTO embeddings VALUES (?, ?, 384, ?)",
        [[h, EncoderSpec().cache_key, v.tolist()] for h, v in zip(hashes, vectors, strict=True)],
    )
    con.close()
    got = _imports_after(["stories", "search", "dock workers strike"], db, model=DEFAULT_MODEL)
    assert got == {"sentence_transformers": False, "transformers": False, "torch": False}


@pytest.mark.model
def test_query_encoder_reproduces_sentence_transformers():
    """The light MiniLM path and the query encoder give the night's vectors: cosine >= 0.9999 on
    200 texts, both precisions."""
    from cluster.encoders.base import SentenceTransformerEncoder
    from cluster.encoders.query import MiniLMEncoder, query_encoder

    texts = []
    for name in ("night1.jsonl", "night2.jsonl", "multilingual.jsonl"):
        for line in (DEMO / name).open(encoding="utf-8"):
            r = json.loads(line)
            texts.append(encoder_text(r.get("title", ""), r.get("text", "")))
    eval_file = ROOT.parent / "shared" / "corpora" / "eval" / "neus.jsonl"
    if eval_file.exists():
        for line in eval_file.open(encoding="utf-8"):
            if len(texts) >= 200:
                break
            r = json.loads(line)
            texts.append(encoder_text(r.get("title", ""), r.get("text", "")))
    texts = texts[:200] + ["rocket failure", "x"]
    for precision in ("bf16", "fp32"):
        reference = SentenceTransformerEncoder(precision=precision).encode(texts)
        light = MiniLMEncoder(precision=precision)
        assert light.cache_key == SentenceTransformerEncoder(precision=precision).cache_key
        got = light.encode(texts, batch_size=16)
        assert float(np.min(np.sum(reference * got, axis=1))) >= 0.9999
        one = light.encode([texts[0]])[0]
        assert float(one @ reference[0]) >= 0.9999
        # what `stories search` encodes a query with, in either precision: numpy fp32, one text a call
        query = query_encoder(EncoderSpec(precision=precision))
        got = np.stack([query.encode([t])[0] for t in texts])
        assert float(np.min(np.sum(reference * got, axis=1))) >= 0.9999


def test_appending_new_articles_scores_as_a_full_build():
    """A night's new copy is appended to the index (its cost follows the night), with the
    document frequencies and lengths of a full build, so every score is the same."""
    con = dbm.connect_memory()
    for i in range(20):
        _article(con, f"a{i:02d}", "en", f"Harbour strike day {i}", f"Dock workers strike at the harbour, day {i}.")
    assert fts.build(con) == 20
    _article(con, "b1", "en", "Zorbulan floods", "The zorbulan river flooded the harbour town.")
    _article(con, "b2", "de", "Häuser zerstört", "Viele Häuser wurden zerstört.")
    assert fts.state(con) == "stale" and fts.refresh(con) == 2 and fts.state(con) == "fresh"

    def scores(text: str) -> list[tuple[str, float]]:
        got = fts.scored_articles_sql(con, text, False)
        assert got is not None
        return sorted((r[0], round(float(r[1]), 9)) for r in con.execute(*got).fetchall())

    appended = {q: scores(q) for q in ("harbour", "zorbulan strike", "haus", "day 3")}
    assert (
        appended["zorbulan strike"][0][0] == "a00"
        and ("b1", appended["zorbulan strike"][-1][1]) in appended["zorbulan strike"]
    )
    assert fts.build(con) == 22
    assert {q: scores(q) for q in appended} == appended
    many = [(f"c{i:02d}", "en", "Storm", "A storm hit the coast.") for i in range(10)]
    for row in many:
        _article(con, *row)
    assert fts.refresh(con) == 32  # more new copy than APPEND_SHARE of the index: rebuilt whole


def test_a_build_in_steps_scores_as_one_pass_and_keeps_postings_sorted(monkeypatch):
    """`build` tokenises CHUNK_ARTICLES articles at a time to bound its memory: every score, length
    and document frequency equals a one-step build, and each term's postings stay in one sorted run."""
    con = dbm.connect_memory()
    for i in range(23):
        _article(
            con,
            f"a{i:02d}",
            "en" if i % 3 else "de",
            f"Harbour strike day {i}",
            f"Dock workers strike, day {i}. Häuser {i % 4}",
        )

    def snapshot() -> tuple:
        got = [fts.scored_articles_sql(con, q, False) for q in ("harbour", "strike day 7", "haus", "workers 2")]
        scores = [sorted((r[0], round(float(r[1]), 9)) for r in con.execute(*g).fetchall()) for g in got if g]
        docs = con.execute("SELECT docid, article_id, len FROM search.docs ORDER BY docid").fetchall()
        df = con.execute("SELECT stemmer, term, df FROM search.dict ORDER BY stemmer, term").fetchall()
        return scores, docs, df

    monkeypatch.setattr(fts, "CHUNK_ARTICLES", 10_000)
    assert fts.build(con) == 23
    whole = snapshot()
    monkeypatch.setattr(fts, "CHUNK_ARTICLES", 4)
    assert fts.build(con) == 23
    assert snapshot() == whole and all(whole[0])
    termids = [r[0] for r in con.execute("SELECT termid FROM search.postings").fetchall()]
    assert termids == sorted(termids)
