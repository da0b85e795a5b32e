"""Unit tests per wire format on small original fixtures (tests/fixtures/wire)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storage.inputs import expand_inputs
from storage.readers import ReaderError, detect, read_bytes, read_file
from storage.readers.renditions import merge_renditions
from storage.records import WITHDRAWN, Article, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "wire"


def articles(name: str) -> list[Article]:
    return [i for i in read_file(FIXTURES / name)[1] if isinstance(i, Article)]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("g2_message.xml", "newsml-g2"),
        ("g2_plain_killed.xml", "newsml-g2"),
        ("nitf_ns.xml", "nitf"),
        ("nitf_plain.xml", "nitf"),
        ("ninjs2.json", "ninjs"),
        ("ninjs3_withheld.json", "ninjs"),
        ("ap_item.json", "ap-json"),
        ("dpa_item.json", "dpa"),
        ("reuters_item.json", "reuters-json"),
        ("newsml1.xml", "newsml-1"),
        ("anpa.tst", "anpa"),
        ("iptc7901.txt", "iptc7901"),
        ("items.csv", "csv"),
        ("feed.rss", "rss-atom"),
        ("feed.atom", "rss-atom"),
        ("items.jsonl", "jsonl"),
    ],
)
def test_detects_format_from_content_not_name(name: str, fmt: str, tmp_path: Path) -> None:
    data = (FIXTURES / name).read_bytes()
    assert detect(data) == fmt
    renamed = tmp_path / "item.bin"
    renamed.write_bytes(data)
    assert read_file(renamed)[0] == fmt


def test_newsml_g2_message_items_and_fields() -> None:
    items = read_file(FIXTURES / "g2_message.xml")[1]
    assert [type(i) for i in items] == [Skipped, Article, Skipped]
    package, a, picture = items
    assert isinstance(package, Skipped) and isinstance(a, Article) and isinstance(picture, Skipped)
    assert "packageItem" in package.reason and "picture" in picture.reason
    assert (a.source, a.item_key, a.version) == ("Reuters", "urn:test:story-1", 3)
    assert a.version_created == datetime(2025, 3, 1, 10, 30)
    assert a.first_created == datetime(2025, 3, 1, 9, 0)
    assert a.embargo_until == datetime(2025, 3, 2)
    assert a.body == "The ferry across the river runs again.\n\nRepairs took three weeks."
    assert (a.slugline, a.byline, a.dateline, a.language) == ("TEST-RIVER/", "Test Writer", "Laketown", "en")
    assert a.signals == ("sig:update",) and a.subjects == ("medtop:04000000",)
    assert b"urn:test:story-1" in a.raw and b"photo-1" not in a.raw


def test_newsml_g2_without_namespace_and_killed() -> None:
    (a,) = articles("g2_plain_killed.xml")
    assert (a.source, a.version, a.pubstatus, a.body) == ("TT", 7, WITHDRAWN, "")


def test_nitf_with_and_without_namespace() -> None:
    (ap,) = articles("nitf_ns.xml")
    assert ap.source == "AP" and ap.body == "Apples were plentiful this year.\n\nPrices fell."
    assert ap.byline == "A. Grower" and ap.version_created == datetime(2025, 3, 1, 12)
    (efe,) = articles("nitf_plain.xml")
    assert (efe.source, efe.item_key, efe.pubstatus, efe.language) == ("EFE", "EFE-123", WITHDRAWN, "es")


def test_ninjs_generations() -> None:
    (two,) = articles("ninjs2.json")
    assert (two.source, two.item_key, two.version, two.headline) == (
        "NTB",
        "urn:test:ninjs-2",
        4,
        "Snow closes mountain pass",
    )
    assert two.body == "The pass is closed.\n\nIt reopens Monday." and two.subjects == ("medtop:17000000",)
    (three,) = articles("ninjs3_withheld.json")
    assert three.pubstatus == WITHDRAWN and three.version_created == datetime(2025, 3, 1, 9)


def test_ap_json_fields_and_kill() -> None:
    (a,) = articles("ap_item.json")
    assert (a.source, a.item_key, a.version, a.body) == ("AP", "0123456789abcdef0123456789abcdef", 2, "")
    assert {"Lead", "Writethru"} <= set(a.signals)
    (kill,) = articles("ap_kill.json")
    assert kill.pubstatus == WITHDRAWN


def test_merge_renditions_pairs_ap_metadata_with_nitf_body() -> None:
    meta = read_file(FIXTURES / "ap_item.json")[1]
    body = read_file(FIXTURES / "nitf_ns.xml")[1]
    other = read_file(FIXTURES / "ninjs2.json")[1]
    merged = merge_renditions(meta + body + other)
    assert len(merged) == 2
    a = merged[0]
    assert isinstance(a, Article)
    assert (a.item_key, a.version, a.format) == ("0123456789abcdef0123456789abcdef", 2, "ap-json")
    assert a.body == "Apples were plentiful this year.\n\nPrices fell." and a.byline == "A. Grower"
    assert merged[1] is other[0]


def test_merge_renditions_leaves_ambiguous_pairs_alone() -> None:
    from dataclasses import replace

    meta = read_file(FIXTURES / "ap_item.json")[1]
    first = meta[0]
    assert isinstance(first, Article)
    twin = [replace(first, item_key="another-item-same-headline")]
    body = read_file(FIXTURES / "nitf_ns.xml")[1]
    assert merge_renditions(meta + twin + body) == meta + twin + body


def test_merge_renditions_treats_a_redelivered_metadata_record_as_one() -> None:
    meta = read_file(FIXTURES / "ap_item.json")[1]
    again = read_file(FIXTURES / "ap_item.json")[1]
    body = read_file(FIXTURES / "nitf_ns.xml")[1]
    merged = merge_renditions(meta + again + body)
    assert len(merged) == 2 and all(isinstance(a, Article) and a.body for a in merged)


def test_dpa_json_carries_ap_story() -> None:
    (a,) = articles("dpa_item.json")
    assert (a.source, a.version, a.dateline) == ("dpa", 3, "Harbourcity")
    assert a.related == ("00112233445566778899aabbccddeeff",)
    assert a.signals == ("sig:update",) and a.embargo_until == datetime(2025, 3, 1, 17)


def test_reuters_json_withdrawn_with_large_version() -> None:
    (a,) = articles("reuters_item.json")
    assert (a.version, a.pubstatus, a.signals) == (1542761538, WITHDRAWN, ("edStat:D",))


def test_newsml1() -> None:
    (a,) = articles("newsml1.xml")
    assert (a.source, a.item_key, a.version, a.dateline) == ("AFP", "urn:newsml:afp.com:20250301:TX-TEST-1", 2, "Paris")
    assert a.body == "Le pont a rouvert samedi." and a.signals == ("Update:U",)


def test_anpa_latin1_and_control_characters() -> None:
    (a,) = articles("anpa.tst")
    assert a.headline == "Bridge reopens after été repairs"
    assert a.body == "TOWN (AP) _ The bridge reopened.\n\nTraffic is light."
    assert a.byline == "TEST WRITER" and "2ndLd-Writethru" in a.signals
    assert a.version_created == datetime(2025, 3, 1, 12, 5) and a.item_key == "anpa:BC-US--TestStory:03-01"


def test_iptc7901_latin1_head_block_and_notepad() -> None:
    (a,) = articles("iptc7901.txt")
    assert (a.source, a.headline, a.byline) == ("dpa", "Brücke wieder offen", "Test Autor")
    assert a.body == "Stadt (dpa) - Die Brücke ist wieder offen.\n\nDer Verkehr rollt."
    assert "Correction" in a.signals and "1ST LEAD" in a.signals
    # The keyword lines are the slugline, not subjects; the notepad is the ednote.
    assert (a.slugline, a.subjects, a.ednote) == ("Verkehr/Brücke", (), "- intern")
    # dpa stamps the trailer (12:05) in Berlin time: 11:05 UTC in March.
    assert a.version_created == datetime(2025, 3, 1, 11, 5)


def test_csv_same_columns_as_jsonl() -> None:
    items = read_file(FIXTURES / "items.csv")[1]
    a = items[0]
    assert isinstance(a, Article)
    assert (a.source, a.item_key, a.headline, a.format) == ("TT", "c-1", "Harbour, closed", "csv")
    assert a.body == "Storm closes the harbour.\nBoats stay in."
    assert isinstance(items[1], Skipped)


def test_rss_and_atom() -> None:
    (rss,) = articles("feed.rss")
    assert (rss.item_key, rss.body, rss.language) == ("https://example.org/a1", "The library opens later.", "en")
    assert rss.version_created == datetime(2025, 3, 1, 10)
    (atom,) = articles("feed.atom")
    assert (atom.item_key, atom.body) == ("urn:test:atom-1", "Doors open.")


def test_unknown_and_bad_input() -> None:
    with pytest.raises(ReaderError, match="unknown format"):
        read_bytes(b"just some prose, no wire format")
    with pytest.raises(ReaderError, match="malformed XML"):
        read_bytes(b"<nitf><body>")


def test_expand_inputs(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.xml").write_text("x")
    (tmp_path / "b" / "1.xml").write_text("x")
    (tmp_path / ".hidden.xml").write_text("x")
    (tmp_path / "a.json").write_text("{}")
    (tmp_path / "b" / "loop").symlink_to(tmp_path)
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    files, problems = expand_inputs([str(tmp_path), str(tmp_path / "*.json"), str(tmp_path / "none-*.xml")])
    assert files == [tmp_path / "a.json", tmp_path / "b" / "1.xml", tmp_path / "b" / "2.xml"]
    reasons = dict(problems)
    assert "symlink loop" in reasons[str(tmp_path / "b" / "loop")]
    assert str(tmp_path / "dangling") in reasons and "no file matches" in reasons[str(tmp_path / "none-*.xml")]
