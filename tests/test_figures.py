"""Figures with the quantity they count, and sentences whose figure a later report replaced."""

from __future__ import annotations

from datetime import datetime

import pytest

from cluster.figures import figures, superseded


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("At least 12 people were killed and dozens injured when an earthquake struck", {"dead": 12}),
        ("The death toll from Thursday's magnitude 6.4 earthquake rose to 19 on Friday", {"dead": 19, "magnitude": 6.4}),
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
    sentences = ["At least 12 people were killed in the quake.", "The death toll rose to 19 on Friday.",
                 "Rescuers worked through the night.", "Eleven people were hurt."]
    assert superseded(sentences, [day1, day2, day1, day1]) == [True, False, False, False]
    assert superseded(sentences[:2], [day1, day1]) == [False, False]  # same time: nothing is newer
    assert superseded(["12 people were killed.", "12 people were killed, police said."], [day1, day2]) == [False, False]
    assert superseded(sentences[:2], [None, day2]) == [False, False]  # no time: never superseded


def test_demo_summaries_never_print_a_superseded_toll(night, fake_config):
    """After both demo nights no story's summary carries two different tolls, and the Peru story
    that holds night 2's copy states its toll, 19."""
    import duckdb

    from conftest import DEMO

    night([DEMO / "night1.jsonl"], as_of=datetime(2026, 11, 26, 23))
    night([DEMO / "night2.jsonl"], as_of=datetime(2026, 11, 27, 23))
    con = duckdb.connect(fake_config.db, read_only=True)
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
