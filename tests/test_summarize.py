"""Summaries of a constructed four-wire story whose shared and exclusive facts are known."""

import random
from datetime import datetime, timedelta, timezone

from cluster.encoders.base import FakeEncoder, encoder_text
from cluster.summary.summarize import summarize_story
from cluster.summary.types import Exclusive, Member, StorySummary, SummarySentence

T0 = datetime(2024, 5, 7, 10, 0, tzinfo=timezone.utc)

QUAKE = "A magnitude 6.8 earthquake struck central Italy on Tuesday, killing at least 12 people, officials said."
QUAKE_AFP = (
    "At least 12 people were killed when a magnitude 6.8 earthquake struck central Italy on Tuesday, officials said."
)
RESCUE = "Rescue teams searched collapsed buildings in the town of Norcia through the night."
EMERGENCY = "Prime Minister Mario Rossi said the government would declare a state of emergency."
TOWER = "A Reuters witness saw a medieval bell tower lying across the main square."
ROME = "Residents of Rome felt buildings sway, callers told AFP."
SCHOOLS = "Schools across Umbria will remain closed until Friday, the education ministry announced."
WITHDRAWN = "Forty people died in Perugia after the quake, a mayor wrongly claimed on Tuesday."

#: sentence -> (wires also carrying it, articles also carrying it), as the story is written
EXPECTED_ALSO = {
    QUAKE: (("AFP", "AP"), ("afp-1", "ap-1")),
    RESCUE: (("AFP",), ("afp-1",)),
    EMERGENCY: (("AP",), ("ap-1",)),
    TOWER: ((), ()),
    ROME: ((), ()),
    SCHOOLS: ((), ()),
}
FACT = {QUAKE: "quake", QUAKE_AFP: "quake", RESCUE: "rescue", EMERGENCY: "emergency"}


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def story() -> list[Member]:
    return [
        Member("ap-1", "AP", at(30), "Earthquake kills 12 in central Italy, emergency declared",
               f"{QUAKE} {EMERGENCY} {SCHOOLS}", "en"),
        Member("rtr-1", "Reuters", at(0), "Norcia bell tower collapses as tremor hits",
               f"{QUAKE}\n{RESCUE} {EMERGENCY} {TOWER}", "en"),
        Member("afp-1", "AFP", at(5), "Earthquake kills at least 12 in central Italy", f"{QUAKE_AFP} {RESCUE} {ROME}", "en"),
        Member("dpa-1", "dpa", at(20), "Erdbeben in Mittelitalien: mindestens zwölf Tote",
               "Ein Erdbeben der Stärke 6,8 hat am Dienstag Mittelitalien erschüttert. Mindestens zwölf Menschen kamen ums Leben.", "de"),
        Member("ap-0", "AP", at(40), "Quake toll rises to 40", WITHDRAWN, "en", withdrawn=True),
    ]  # fmt: skip


def test_attribution_is_exact() -> None:
    summary = summarize_story(story(), words=80)
    assert [s.text for s in summary.sentences] == [QUAKE, RESCUE, EMERGENCY, TOWER, ROME, SCHOOLS]
    for s in summary.sentences:
        assert (s.also_sources, s.also_article_ids) == EXPECTED_ALSO[s.text]
    # identical copies are credited to the first wire that carried them
    assert [s.source for s in summary.sentences] == ["Reuters"] * 4 + ["AFP", "AP"]
    assert {(e.source, e.text) for e in summary.exclusives} == {("Reuters", TOWER), ("AFP", ROME), ("AP", SCHOOLS)}


def test_spans_point_into_the_cited_article() -> None:
    bodies = {m.article_id: m.body for m in story()}
    summary = summarize_story(story())
    cited: list[SummarySentence | Exclusive] = [*summary.sentences, *summary.exclusives]
    for s in cited:
        assert bodies[s.article_id][s.start : s.end] == s.text


def test_withdrawn_article_contributes_nothing() -> None:
    summary = summarize_story(story())
    texts = [s.text for s in summary.sentences] + [e.text for e in summary.exclusives]
    assert WITHDRAWN not in texts
    assert all("ap-0" not in s.also_article_ids for s in summary.sentences)
    assert summary.headline != "Quake toll rises to 40"
    everything_withdrawn = [
        Member(m.article_id, m.source, m.published_at, m.headline, m.body, m.language, True) for m in story()
    ]
    dead = summarize_story(everything_withdrawn)
    assert dead.withdrawn and dead.sentences == () and dead.exclusives == () and dead.credit_line == ""


def test_no_two_sentences_say_the_same_thing() -> None:
    for words in (20, 40, 80, 200):
        facts = [FACT.get(s.text, s.text) for s in summarize_story(story(), words=words).sentences]
        assert len(facts) == len(set(facts))


def test_credit_line_language_and_first_report() -> None:
    summary = summarize_story(story())
    assert summary.credit_line == "(Reuters, AFP, dpa, AP)"
    assert summary.sources_in_order == ("Reuters", "AFP", "dpa", "AP")
    assert (summary.first_source, summary.first_reported_at) == ("Reuters", T0)
    assert summary.language == "en"  # dpa's German copy is credited but not quoted
    assert not summary.withdrawn


def test_headline_is_central_shared_and_fresh_not_simply_first() -> None:
    summary = summarize_story(story())
    assert summary.headline == "Earthquake kills 12 in central Italy, emergency declared"
    assert summary.headline_article_id == "ap-1"


def test_word_budget() -> None:
    short = summarize_story(story(), words=30)
    assert sum(len(s.text.split()) for s in short.sentences) <= 30
    assert [s.position for s in short.sentences] == list(range(len(short.sentences)))


def test_deterministic_and_independent_of_input_order() -> None:
    first = summarize_story(story())
    for seed in range(5):
        members = story()
        random.Random(seed).shuffle(members)
        assert summarize_story(members) == first


def test_article_vectors_are_used_without_changing_attribution() -> None:
    encoder = FakeEncoder(64)
    members = [
        Member(m.article_id, m.source, m.published_at, m.headline, m.body, m.language, m.withdrawn,
               encoder.encode([encoder_text(m.headline, m.body)])[0])
        for m in story()
    ]  # fmt: skip
    summary: StorySummary = summarize_story(members)
    for s in summary.sentences:
        assert (s.also_sources, s.also_article_ids) == EXPECTED_ALSO[s.text]


def test_single_article_and_empty_bodies() -> None:
    one = summarize_story([Member("x", "Reuters", None, "Headline", f"{QUAKE} {RESCUE}", "en")])
    assert [s.text for s in one.sentences] == [QUAKE, RESCUE] and one.exclusives == ()
    empty = summarize_story([Member("y", "AP", None, "Only a headline", "", None)])
    assert empty.sentences == () and empty.headline == "Only a headline" and empty.language is None
