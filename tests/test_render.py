"""Article references in `stories show`: wire, time and headline, never a bare id."""

from datetime import datetime

from cluster.cli.render import REF_HEADLINE_CHARS, article_ref, render_story

DAY = datetime(2026, 11, 26, 7, 5)


def test_a_reference_gives_the_time_alone_on_the_storys_day_and_the_date_otherwise() -> None:
    assert article_ref("AP", datetime(2026, 11, 26, 9, 40), "Dockworkers strike", DAY) == "AP 09:40 Dockworkers strike"
    assert (
        article_ref("AP", datetime(2026, 11, 27, 9, 40), "Dockworkers strike", DAY)
        == "AP 2026-11-27 09:40 Dockworkers strike"
    )


def test_a_long_headline_is_cut_at_a_word_to_about_sixty_characters() -> None:
    headline = "Dockworkers strike at Rotterdam, Europe's biggest port, over pay and automation"
    ref = article_ref("AP", datetime(2026, 11, 26, 10, 20), headline, DAY)
    assert ref == "AP 10:20 Dockworkers strike at Rotterdam, Europe's biggest port …"
    assert len(ref.removeprefix("AP 10:20 ")) <= REF_HEADLINE_CHARS + 2


def test_the_timeline_names_the_duplicated_article_not_its_id() -> None:
    row = {"article_id": "b" * 24, "source": "dpa", "version": None, "event_time": datetime(2026, 11, 26, 10, 34),
           "role": "duplicate", "headline": "Dockworkers strike", "duplicate_of": "a" * 24, "duplicate_reason": "near",
           "duplicate_source": "AP", "duplicate_time": datetime(2026, 11, 26, 10, 20), "duplicate_headline": "Dockworkers strike"}  # fmt: skip
    story = {
        "story_id": "S1",
        "status": "active",
        "first_seen": DAY,
        "last_seen": DAY,
        "sentences": [],
        "articles": [row],
        "lineage": [],
    }
    text = render_story(story)
    assert "(near-copy of AP 10:20 Dockworkers strike)" in text and "a" * 24 not in text
