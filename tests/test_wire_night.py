"""A night over every real wire sample: versions, kills and cross-format copies end up right."""

import duckdb
import pytest
from conftest import SHARED

SAMPLES = SHARED / "corpora" / "wire_samples"
pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/corpora/wire_samples not present")


@pytest.fixture(scope="module")
def wire_db(tmp_path_factory):
    from cluster.config import Config
    from cluster.encoders.base import FakeEncoder
    from cluster.night import run_night

    path = str(tmp_path_factory.mktemp("wire") / "wire.duckdb")
    report = run_night(Config(db=path, model="fake-256"), [str(SAMPLES)], lambda: FakeEncoder(256))
    return path, report


def q(path, sql, args=()):
    con = duckdb.connect(path, read_only=True)
    try:
        return con.execute(sql, list(args)).fetchall()
    finally:
        con.close()


def test_only_non_wire_files_are_quarantined(wire_db):
    path, report = wire_db
    bad = {p.split("wire_samples/")[1] for p, _ in report.quarantined}
    assert {b for b in bad if not b.startswith("schemas/")} == {
        "MANIFEST.json",
        "README.txt",
        "newsml-g2/iptc/LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
        "newsml-g2/iptc/LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
    }
    assert report.counts["ingest_items"] >= 100 and report.status == "quarantined"


def test_reuters_kill_takes_the_item_out_of_every_story(wire_db):
    path, _ = wire_db
    rows = q(
        path,
        "SELECT a.version, a.pubstatus, sa.story_id FROM articles a LEFT JOIN story_articles sa USING (article_id) "
        "WHERE a.item_key LIKE '%L1N14N0FF' ORDER BY a.version",
    )
    assert [(v, s) for v, s, _ in rows] == [(978556838, "usable"), (1542761538, "withdrawn")]
    assert all(story is None for _, _, story in rows)


def test_dpa_item_in_three_formats_is_one_story_with_duplicates(wire_db):
    path, _ = wire_db
    rows = q(
        path,
        """
        SELECT a.format, sa.story_id, sa.role FROM articles a JOIN files f USING (file_hash)
        JOIN story_articles sa USING (article_id)
        WHERE f.path LIKE '%dpa-digitalwires/dw-1.json' OR f.path LIKE '%dpa-converted/dw-1.xml'
           OR f.path LIKE '%dpa-converted/dw-1.iptc'
        """,
    )
    assert sorted(r[0] for r in rows) == ["dpa", "iptc7901", "newsml-g2"]
    assert len({r[1] for r in rows}) == 1
    assert sorted(r[2] for r in rows).count("canonical") == 1
    dups = q(
        path,
        "SELECT reason FROM duplicates d JOIN story_articles sa USING (article_id) WHERE sa.story_id = ?",
        [rows[0][1]],
    )
    assert sorted(r[0] for r in dups) == ["near", "redelivery"]


def test_every_summary_span_gives_back_its_sentence(wire_db):
    path, _ = wire_db
    rows = q(
        path,
        "SELECT s.sentence, a.body, s.char_start, s.char_end FROM summary_sentences s JOIN articles a USING (article_id)",
    )
    assert rows
    assert all(body[start:end] == sentence for sentence, body, start, end in rows)


def test_ap_metadata_and_nitf_bodies_in_separate_files_are_paired(wire_db):
    path, _ = wire_db
    rows = q(
        path,
        "SELECT a.format, length(a.body) FROM articles a JOIN files f USING (file_hash) "
        "WHERE f.path LIKE '%ap-table%' OR f.path LIKE '%ap-agate%' OR f.path LIKE '%ap_media_text%'",
    )
    assert sorted(r[0] for r in rows) == ["ap-json"] * 3
    assert all(n > 500 for _, n in rows)
