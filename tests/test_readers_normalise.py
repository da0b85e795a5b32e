"""The shared field rules: each test names the real variant it stands for."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from storage.readers import normalise
from storage.readers._common import html_to_text


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-US", "en"),
        ("EN", "en"),
        ("nb-NO", "nb"),
        ("fi-FI", "fi"),
        ("de-DE", "de"),
        ("deu", "de"),
        ("sv", "sv"),
        ("", None),
        ("english!", None),
        (None, None),
    ],
)
def test_language_is_iso_639_1(code, expected) -> None:
    assert normalise.language(code) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By BERNARD CONDON AP Business Writer", "BERNARD CONDON"),
        ("By PAUL BYRNE and ALMUDENA CALATRAVA Associated Press", "PAUL BYRNE and ALMUDENA CALATRAVA"),
        ("By A. Grower AP Writer", "A. Grower"),
        ("Von Marco Krefting und Sunrita Sen, dpa", "Marco Krefting und Sunrita Sen"),
        ("By Meredith Jameson, Staff Reporter", "Meredith Jameson"),
        ("Martin Hardenberger/TT", "Martin Hardenberger"),
        ("Geir Molnes / Faktisk.no", "Geir Molnes"),
        ("By Jo Bloggs Staff Writer", "Jo Bloggs"),
        ("Paulo Santalucia and Frances d'Emilio", "Paulo Santalucia and Frances d'Emilio"),
        ("By Test Writer", "Test Writer"),
    ],
)
def test_byline_keeps_names_only(raw, expected) -> None:
    assert normalise.byline(raw) == expected


@pytest.mark.parametrize("login", ["degenhardt.sandra", "tsafos", "gr/bp", "NTB", "NTB-AFP-DPA", "futurezone/KN", "  "])
def test_author_logins_and_agency_codes_are_not_bylines(login) -> None:
    assert normalise.byline(login) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("STOCKHOLM, Aug 29, 2014 (AFP)", "Stockholm"),
        ("London (dpa) -", "London"),
        ("Tel Aviv/Beirut (dpa)", "Tel Aviv/Beirut"),
        ("FORT WASHINGTON, Pa.", "Fort Washington"),
        ("Newport News , VA", "Newport News"),
        ("4/4/2018", None),
        ("2018-01-03 20:13:08 GMT+00:00", None),
    ],
)
def test_dateline_is_the_place(raw, expected) -> None:
    assert normalise.dateline(raw) == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("BUENOS AIRES, Argentina (AP) _ For cancer patients", "Buenos Aires"),
        ("Tegucigalpa, Jan 2 (EFE).- Test body.", "Tegucigalpa"),
        ("Berlin (dpa) - Die Grünen", "Berlin"),
        ("Jan 30 (Gracenote) - Results and standings", None),
        ("A story that opens (as some do) - with an aside", None),
    ],
)
def test_dateline_from_the_opening_of_the_body(body, expected) -> None:
    assert normalise.dateline_from_body(body) == expected


def test_body_html_escaped_in_cdata_becomes_text() -> None:
    assert normalise.body("<P>First.</P><P>Second &amp; last.</P>", html_to_text).split() == [
        "First.",
        "Second",
        "&",
        "last.",
    ]


def test_body_entity_tags_become_characters() -> None:
    assert normalise.body("1990<endash>2000 and<emdash>then", html_to_text) == "1990–2000 and—then"


def test_body_wordpress_shortcodes_removed_but_brackets_in_text_kept() -> None:
    text = '[dropcap]T[/dropcap]he council met. [contact_form id="3"] He said it was "bad [sic]".'
    assert normalise.body(text, html_to_text) == 'The council met.  He said it was "bad [sic]".'


def test_leading_byline_paragraph_is_cut_from_the_body() -> None:
    assert (
        normalise.drop_lead_byline("By Toby Davis\n\nLONDON (Reuters) - Rafa", "Toby Davis")
        == "LONDON (Reuters) - Rafa"
    )
    assert normalise.drop_lead_byline("By the river, nothing.\n\nMore.", None).startswith("By the river")


def test_subject_parents_are_derived() -> None:
    assert normalise.subjects_with_parents(("15073001",)) == ("15073001", "15073000", "15000000")
    assert normalise.subjects_with_parents(("subj:04011002", "medtop:20000523")) == (
        "subj:04011002",
        "subj:04011000",
        "subj:04000000",
        "medtop:20000523",
    )
    assert normalise.subjects_with_parents(("15000000", "15000000")) == ("15000000",)


def test_naive_wall_clock_time_gets_the_feed_zone() -> None:
    oslo = normalise.local_time(datetime(2021, 5, 16, 9, 0, 4), "Europe/Oslo")
    assert oslo is not None and oslo.astimezone(timezone.utc) == datetime(2021, 5, 16, 7, 0, 4, tzinfo=timezone.utc)
    aware = datetime(2021, 5, 16, 9, tzinfo=timezone.utc)
    assert normalise.local_time(aware, "Europe/Oslo") is aware
