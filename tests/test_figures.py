"""Figures with the quantity they count, and sentences whose figure a later report replaced."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest
from conftest import DEMO

from cluster.summary.figures import figures, states, superseded


def demo_nights(night, fake_config) -> duckdb.DuckDBPyConnection:
    """Both demo nights at the clocks scripts/demo uses; the database opened read-only."""
    night([DEMO / "night1.jsonl"], as_of=datetime(2026, 11, 26, 23))
    night([DEMO / "night2.jsonl"], as_of=datetime(2026, 11, 27, 23))
    return duckdb.connect(fake_config.db, read_only=True)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("At least 12 people were killed and dozens injured when an earthquake struck", {"dead": 12}),
        (
            "The death toll from Thursday's magnitude 6.4 earthquake rose to 19 on Friday",
            {"dead": 19, "magnitude": 6.4},
        ),
        ("Earthquake in Peru's Andes kills at least 11, topples adobe homes", {"dead": 11}),
        ("Peru: Number of earthquake victims rises to 19", {"dead": 19}),
        ("Fire at chemical plant injures 11 workers", {"injured": 11}),
        ("Eleven people were hurt, police said.", {"injured": 11}),
        ("Police arrested three men on Friday.", {"arrested": 3}),
        ("Four crew members are still missing, the coast guard said.", {"missing": 4}),
        ("Authorities evacuated 2,300 residents from the valley.", {"evacuated": 2300}),
        ("The employers have offered 3.2 per cent.", {}),
        ("Dozens of people were injured.", {}),
    ],
)
def test_figures_read_the_number_with_what_it_counts(sentence, expected):
    assert figures(sentence) == expected


def test_a_later_report_of_another_figure_supersedes_the_older_sentence():
    day1, day2 = datetime(2026, 11, 26, 12), datetime(2026, 11, 27, 14)
    sentences = [
        "At least 12 people were killed in the quake.",
        "The death toll rose to 19 on Friday.",
        "Rescuers worked through the night.",
        "Eleven people were hurt.",
    ]
    assert superseded(sentences, [day1, day2, day1, day1]) == [True, False, False, False]
    assert superseded(sentences[:2], [day1, day1]) == [False, False]  # same time: nothing is newer
    assert superseded(["12 people were killed.", "12 people were killed, police said."], [day1, day2]) == [False, False]
    assert superseded(sentences[:2], [None, day2]) == [False, False]  # no time: never superseded


def test_demo_summaries_never_print_a_superseded_toll(night, fake_config) -> None:
    """After both demo nights no story's summary carries two different tolls, and the Peru story
    that holds night 2's copy states its toll, 19."""
    con = demo_nights(night, fake_config)
    try:
        rows = con.execute(
            "SELECT ss.story_id, ss.sentence, s.last_seen FROM summary_sentences_v ss JOIN stories_v s USING (story_id) "
            "WHERE s.status = 'active' AND ss.kind = 'summary'"
        ).fetchall()
    finally:
        con.close()
    tolls: dict[str, set[float]] = {}
    for story, sentence, _ in rows:
        tolls.setdefault(story, set()).update(v for q, v in figures(sentence).items() if q == "dead")
    assert all(len(t) <= 1 for t in tolls.values()), tolls
    peru_night2 = {story for story, sentence, last in rows if "Peru" in sentence and last.day == 27}
    assert peru_night2 and all(tolls[s] <= {19.0} for s in peru_night2)


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Dockworkers at the port of Rotterdam suspended their strike on Friday afternoon", {"strike": "over"}),
        ("The strike in the port of Rotterdam has ended earlier than planned.", {"strike": "over"}),
        ("Dockworkers at Rotterdam called off their strike on Friday, a day early", {"strike": "over"}),
        ("Dockworkers at the port of Rotterdam began a 48-hour strike on Thursday", {"strike": "on"}),
        ("Stranded travellers camp out at Orly as controllers' strike drags on", {"strike": "on"}),
        ("The all clear was given at noon, the fire brigade said.", {"fire": "out"}),
        ("Two men were charged with arson on Saturday.", {"suspect": "charged"}),
        ("Police are searching for the driver of the van.", {"suspect": "sought"}),
        ("The union said talks would continue on Monday.", {}),
        ("The government appointed a mediator to try to end a strike at the port of Rotterdam", {}),
        ("The strike by about 2,400 workers at the port's container terminals began at 6 a.m.", {"strike": "on"}),
        ("The strike, which began on Thursday morning, was originally planned to last 48 hours.", {}),
    ],
)
def test_states_read_what_a_sentence_says_a_thing_is_now(sentence, expected):
    assert states(sentence) == expected


def test_demo_rotterdam_leads_with_the_strike_ended(night, fake_config):
    """After night 2 no Rotterdam summary sentence or headline says the strike is on, and the
    story that holds night 2's copy leads with its end."""
    con = demo_nights(night, fake_config)
    try:
        stories = con.execute(
            "SELECT story_id, headline FROM stories_v WHERE status = 'active' AND last_seen >= '2026-11-27' "
            "AND story_id IN (SELECT story_id FROM summary_sentences_v WHERE sentence ILIKE '%Rotterdam%')"
        ).fetchall()
        assert stories
        for story, headline in stories:
            lines = [
                r[0]
                for r in con.execute(
                    "SELECT sentence FROM summary_sentences_v WHERE story_id = ? AND kind = 'summary' ORDER BY position",
                    [story],
                ).fetchall()
            ]
            assert all(states(x).get("strike") != "on" for x in [headline, *lines]), (headline, lines)
            assert states(lines[0]).get("strike") == "over", lines
    finally:
        con.close()


def test_an_aim_is_not_a_state_and_the_same_figure_is_the_same_fact():
    from cluster.summary.figures import shared_facts

    assert states("The government appointed a mediator to try to end a strike at the port.") == {}
    assert figures("The number of people killed by the quake rose to 19 on Friday.") == {"dead": 19}
    pairs = shared_facts(["The death toll rose to 19.", "Rescuers dug all night.", "Peru quake toll climbs to 19."])
    assert pairs == [(0, 2)]


def test_demo_toll_is_corroborated_by_the_wires_that_report_the_same_figure(night, fake_config):
    """Each wire's own copy saying 19 dead confirms the summary's toll sentence."""
    con = demo_nights(night, fake_config)
    try:
        rows = con.execute(
            "SELECT sentence, source, also_sources FROM summary_sentences_v WHERE kind = 'summary'"
        ).fetchall()
    finally:
        con.close()
    tolls = [(source, also) for sentence, source, also in rows if figures(sentence).get("dead") == 19.0]
    assert tolls and max(len(set(also) - {source}) for source, also in tolls) >= 2, tolls


@pytest.mark.parametrize(
    "sentence",
    [
        "She recalled the collapse of a bridge over the Douro river in 2001 that killed 59 people.",
        "It was the strongest quake since 1990, when 40 people were killed.",
        "In March 2019 a similar fire at the plant injured 4 workers.",
    ],
)
def test_the_figures_of_an_earlier_years_event_are_background_not_the_toll(sentence):
    assert figures(sentence) == {}


def test_a_figure_without_a_year_is_still_read():
    assert figures("The quake killed 19 people on Thursday, two years after the last one.") == {"dead": 19}
