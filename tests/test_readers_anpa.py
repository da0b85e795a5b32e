"""ANPA-1312 sluglines from short, odd or missing keyword lines.

Fixtures in tests/fixtures/readers, written for these tests (invented copy in the AP layout).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.readers import read_bytes, read_file
from storage.readers.anpa import slugline
from storage.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def _one(name: str) -> Article:
    fmt, (item,) = read_file(FIXTURES / name)
    assert fmt == "anpa" and isinstance(item, Article)
    return item


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("BC-LT--Argentina-Cancer Beauty,466", "Argentina-Cancer"),
        ("BC-US--APNewsAlert,17", "APNewsAlert"),
        ("BC-US--AT&T-Merger,300", "AT&T-Merger"),
        ("BC-EU--Zürich-Bank, 1st Ld-Writethru,200", "Zürich-Bank"),
        ("bc-us--ferry-repairs,120", "ferry-repairs"),
        ("*9006< ^AP-Top-Entertainment-Headlines,0176", "Top-Entertainment-Headlines"),
        ("BC-10 Things to Know-Today,364", "10 Things to Know-Today"),
        ("BC-LT--Argentina-CancerB", "Argentina-CancerB"),
        ("BC-LT--,466", ""),
    ],
)
def test_slugline_of_a_keyword_line(line: str, expected: str) -> None:
    assert slugline(line) == expected


def test_keyword_with_word_count_gives_the_keyword() -> None:
    a = _one("anpa_keyword_count.tst")
    assert (a.slugline, a.headline, a.byline) == ("Harbour-Ferry", "Harbour ferry back after repairs", "JO TESTER")


def test_copy_without_keyword_line_keeps_its_headline_and_takes_the_header_keyword() -> None:
    a = _one("anpa_no_keyword_line.tst")
    assert (a.slugline, a.headline) == ("Zürich-Ferry", "Zürich ferry back")


def test_eds_note_first_is_the_ednote_not_the_slugline() -> None:
    a = _one("anpa_eds_first.tst")
    assert (a.slugline, a.ednote, a.headline) == ("AT&T-Ferry", "Moving on general news services.", "AT&T buys a ferry")


def test_keyword_line_without_selector_is_still_the_keyword_line() -> None:
    data = (FIXTURES / "anpa_keyword_count.tst").read_bytes().replace(b"^BC-LT--Harbour", b"^LT--Harbour")
    a = read_bytes(data)[1][0]
    assert isinstance(a, Article) and (a.slugline, a.headline) == ("Harbour-Ferry", "Harbour ferry back after repairs")


def test_keyword_line_without_keyword_falls_back_to_the_header() -> None:
    assert _one("anpa_empty_keyword.tst").slugline == "Ferry-Fares"
