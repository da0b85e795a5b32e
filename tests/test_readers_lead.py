"""The byline and dateline that open the copy are cut from the body when they repeat the item's own
byline and dateline fields; the rest of the copy stays verbatim.

Fixtures in tests/fixtures/readers, written for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.readers import normalise, read_file
from storage.readers.explain import explain_file
from storage.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def _articles(name: str) -> dict[str, Article]:
    return {a.item_key: a for a in read_file(FIXTURES / name)[1] if isinstance(a, Article)}


def test_byline_line_and_dateline_that_repeat_the_fields_are_cut() -> None:
    a = _articles("g2_lead_byline_dateline.xml")["urn:newsml:harbour.example:lead-both"]
    assert a.body == "The Senate voted 51-49 on Tuesday to fund the harbour ferry.\n\nThe bill goes to the House."
    assert (a.byline, a.dateline) == ("JOHN SMITH", "Washington")


def test_reuters_style_dateline_with_date_is_cut_and_kept_as_the_dateline() -> None:
    a = _articles("g2_lead_byline_dateline.xml")["urn:newsml:harbour.example:lead-dateline"]
    assert a.body == "Germany's parliament backed the ferry plan on Monday.\n\nIt costs 2 million euros."
    assert a.dateline == "Berlin"


def test_opening_that_names_another_place_or_author_stays_verbatim() -> None:
    items = _articles("g2_lead_byline_dateline.xml")
    assert (
        items["urn:newsml:harbour.example:other-place"].body == "LYON (AFP) - The ferry strike reached Lyon on Monday."
    )
    other = items["urn:newsml:harbour.example:other-byline"]
    assert other.body == "By Jo Captain\nThe crew of the harbour ferry was honoured on Monday."
    assert other.byline == "Ann Other"


def test_nitf_dateline_element_repeated_by_the_first_paragraph_is_cut() -> None:
    (a,) = _articles("nitf_lead_dateline.xml").values()
    assert a.body == "The ferry across the lake returned on Thursday.\n\nIt had been out of service for a month."
    assert a.dateline == "Tegucigalpa"


def test_dateline_written_only_in_the_copy_stays_in_it() -> None:
    """ANPA has no dateline field: the place is read from the copy, which keeps it as wire copy."""
    (a,) = _articles("anpa_keyword_count.tst").values()
    assert a.dateline == "Laketown"
    assert a.body.startswith("LAKETOWN, Testland (AP) _ The harbour ferry sails again.")


def test_explain_names_the_cuts() -> None:
    _, items = explain_file(FIXTURES / "g2_lead_byline_dateline.xml")
    assert isinstance(items[0], list)
    body = {f.name: f for f in items[0]}["body"]
    assert body.rule == "leading byline cut; leading dateline cut (kept as the dateline)"


@pytest.mark.parametrize(
    ("text", "place", "expected"),
    [
        ("BERLIN, Dec 1 (Reuters) - Germany's parliament voted.", "Berlin", "Germany's parliament voted."),
        ("WASHINGTON (AP) — The Senate voted.", "Washington", "The Senate voted."),
        ("Tegucigalpa, Jan 2 (EFE).- Test body.", "Tegucigalpa", "Test body."),
        ("San Diego (tca/dpa) - History says.", "San Diego", "History says."),
        ("LYON (AFP) - The strike spread.", "Paris", "LYON (AFP) - The strike spread."),
        ("BERLIN (dpa) - Text.", None, "BERLIN (dpa) - Text."),
        ("Jan 3 (Reuters) - Results.", "Berlin", "Jan 3 (Reuters) - Results."),
    ],
)
def test_drop_lead_dateline(text: str, place: str | None, expected: str) -> None:
    assert normalise.drop_lead_dateline(text, place) == expected


@pytest.mark.parametrize(
    ("text", "byline", "expected"),
    [
        ("By JOHN SMITH\nWASHINGTON (AP) — Text.", "JOHN SMITH", "WASHINGTON (AP) — Text."),
        ("By John Smith\nText.\n\nMore.", "JOHN SMITH", "Text.\n\nMore."),
        ("By John Smith\nText.", "Ann Other", "By John Smith\nText."),
        ("By John Smith\nText.", None, "By John Smith\nText."),
        ("By the river\nthe ferry waits.", "JOHN SMITH", "By the river\nthe ferry waits."),
        ("By Toby Davis\n\nLONDON (Reuters) - Rafa", "Toby Davis", "LONDON (Reuters) - Rafa"),
    ],
)
def test_drop_lead_byline(text: str, byline: str | None, expected: str) -> None:
    assert normalise.drop_lead_byline(text, byline) == expected
