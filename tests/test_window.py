"""The window keeps each article's body once, inside its text: headline and body cut back exactly."""

from datetime import datetime

from conftest import DEMO

from cluster.settings import Settings
from cluster.window import open_window
from storage import db as dbm


def test_headline_body_gives_back_the_stored_headline_and_body(night, fake_config):
    night([DEMO / "night1.jsonl"], as_of=datetime(2026, 11, 27))
    con = dbm.connect(fake_config.db, read_only=True)
    try:
        stored = {
            a: (h or "", b or "")
            for a, h, b in con.execute("SELECT article_id, headline, body FROM articles").fetchall()
        }
        window = open_window(con, "no-such-run", datetime(2026, 11, 27), Settings.of(fake_config))
        assert window is not None and window.rows
        for article_id, row in window.rows.items():
            assert "body" not in row
            assert window.headline_body(article_id) == stored[article_id]
    finally:
        con.close()


def test_headline_body_cuts_at_the_headline_even_when_it_holds_a_blank_line():
    from cluster.window import Window, article_text

    row = {"headline": "Two\n\nlines", "text": article_text("Two\n\nlines", "The body.\n\nMore.")}
    window = Window(datetime.min, datetime.min, {"a": row}, [], {}, {}, [], [], set(), set(), "")
    assert window.headline_body("a") == ("Two\n\nlines", "The body.\n\nMore.")
