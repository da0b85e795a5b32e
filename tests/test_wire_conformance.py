"""Every real wire sample in ../shared/corpora/wire_samples is read, skipped with a reason, or quarantined for a stated cause."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from storage.readers import read_file
from storage.readers.conformance import run, sample_files, table
from storage.records import WITHDRAWN, Article, Skipped

SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "wire_samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared wire samples not present")

#: Files that are not items at all: IPTC specification fragments quoted from the NewsML-G2 guide.
FRAGMENTS = {
    "LISTING_25_An_NITF_marked-up_article_conveyed_in_inlineXML.xml",
    "LISTING_28_Illustrating_Located_Subject_and_Dateline.xml",
}
#: Formats whose items always carry a version number (NewsML-G2: wherever @version is present).
VERSIONED = {"dpa", "ap-json", "newsml-1"}
_G2_VERSION = re.compile(rb"<(?:\w+:)?newsItem\b[^>]*\sversion=")


@pytest.fixture(scope="module")
def results():
    found = run(SAMPLES)
    print("\n" + table(found))
    return found


def test_every_sample_is_accounted_for(results) -> None:
    assert len(results) == len(sample_files(SAMPLES)) >= 100
    quarantined = {r.path.name: r.error for r in results if r.error}
    assert set(quarantined) == FRAGMENTS
    assert all("fragment" in reason for reason in quarantined.values())


def test_no_text_item_is_lost(results) -> None:
    """105 articles before the field work: a reader change must not turn text items into skips."""
    assert sum(isinstance(i, Article) for r in results for i in r.items) >= 105


def test_text_items_have_text_source_key_and_version(results) -> None:
    for r in results:
        for item in r.items:
            if isinstance(item, Skipped):
                assert item.reason, r.path
                continue
            assert item.headline or item.body, r.path
            assert item.source and item.source != "unknown", r.path
            assert item.item_key, r.path
            carries_version = (
                r.format in VERSIONED
                or (r.format == "newsml-g2" and _G2_VERSION.search(item.raw))
                or (r.format in ("ninjs", "reuters-json") and b'"version"' in item.raw)
            )
            if carries_version:
                assert item.version is not None, r.path


def test_expected_formats_and_skips(results) -> None:
    by_dir: dict[str, set[str]] = {}
    for r in results:
        by_dir.setdefault(r.path.relative_to(SAMPLES).parts[0], set()).add(r.format)
    assert by_dir["anpa"] == {"anpa"} and by_dir["iptc7901"] == {"iptc7901"} and by_dir["nitf"] == {"nitf"}
    assert by_dir["dpa-digitalwires"] == {"dpa"} and by_dir["ap-media-json"] == {"ap-json"}
    assert by_dir["ninjs"] == {"ninjs"} and by_dir["newsml-1.2"] == {"newsml-1"}
    assert by_dir["reuters-connect-json"] == {"reuters-json"}
    assert by_dir["newsml-g2"] == {"newsml-g2", "quarantined"}
    skipped = {r.path.name: [i.reason for i in r.items if isinstance(i, Skipped)] for r in results}
    assert skipped["no_content.json"] == ["dpa item without article text (picture or media only)"]
    assert any("picture" in reason for reason in skipped["TT_newsmlg2_sample.xml"])
    assert any("packageItem" in reason for reason in skipped["tag_reuters.com_2014_newsml_KBN0FL0NM_version_10"])


def _one(relative: str) -> Article:
    (item,) = [i for i in read_file(SAMPLES / relative)[1] if isinstance(i, Article)]
    return item


def test_reuters_versions_and_withdrawal() -> None:
    early = _one("newsml-g2/reuters/tag_reuters.com_2016_newsml_L1N14N0FF_version_978556838")
    late = _one("newsml-g2/reuters/tag_reuters.com_2016_newsml_L1N14N0FF_version_1542761538")
    assert early.item_key == late.item_key == "tag:reuters.com,0000:newsml_L1N14N0FF"
    assert (early.version, late.version) == (978556838, 1542761538)
    assert early.version is not None and late.version is not None and early.version < late.version
    assert early.version_created is not None and late.version_created is not None
    assert early.version_created < late.version_created
    assert early.pubstatus == "usable" and late.pubstatus == WITHDRAWN
    assert "edStat:C" in early.signals and "edStat:D" in late.signals


def test_dpa_same_story_in_three_formats() -> None:
    json_item = _one("dpa-digitalwires/dw-1.json")
    g2_item = _one("newsml-g2/dpa-converted/dw-1.xml")
    iptc_item = _one("iptc7901/dpa-converted/dw-1.iptc")
    assert json_item.item_key == g2_item.item_key == "urn:newsml:dpa.com:20090101:240923-930-240378"
    assert json_item.version == g2_item.version == 2
    assert json_item.source == g2_item.source == iptc_item.source == "dpa"
    # IPTC 7901 carries no urn: equality is left to near-duplicate detection on the text.
    assert not iptc_item.item_key.startswith("urn:")
    assert iptc_item.headline == json_item.headline == g2_item.headline
    for other in (g2_item, iptc_item):
        ratio = difflib.SequenceMatcher(None, json_item.body, other.body, autojunk=False).ratio()
        assert ratio > 0.9, (other.format, ratio)


def test_ap_story_on_dpa_wire_names_ap_item() -> None:
    item = _one("dpa-digitalwires/no_notepad.json")
    assert item.related == ("cd1ee53edee0df1bf00de01b044366b4",)


def test_ap_metadata_pairs_with_nitf_renditions() -> None:
    from storage.readers.renditions import merge_renditions

    pairs = [
        ("ap-media-json/superdesk-core/ap_media_text_item.json", "nitf/superdesk-core/ap_media_text_nitf.xml"),
        ("ap-media-json/superdesk-cp/ap-table.json", "nitf/ap/ap-table-nitf.xml"),
        ("ap-media-json/superdesk-cp/ap-agate.json", "nitf/ap/ap-agate-nitf.xml"),
    ]
    items = [i for meta, body in pairs for p in (meta, body) for i in read_file(SAMPLES / p)[1]]
    merged = merge_renditions(items)
    assert len(merged) == 3
    assert all(isinstance(a, Article) and a.format == "ap-json" and a.body and a.version is not None for a in merged)


def test_afp_declared_latin1_but_utf8_is_not_mojibake() -> None:
    item = _one("newsml-1.2/afp/afp20.xml")
    assert "Décès" in item.headline and "Ã" not in item.body
