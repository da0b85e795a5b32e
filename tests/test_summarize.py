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


def test_only_here_lists_a_sentence_two_versions_repeat_once() -> None:
    lead = "An overcrowded boat flipped over off Dunmarra near Brno on Wednesday, officials said."
    members = [
        Member(
            "afp-1", "AFP", at(0), "Boat overturns off Dunmarra", "Rescuers said six residents remained missing.", "en"
        ),
        Member("ap-1", "AP", at(90), "Boat flips off Dunmarra", f"{lead} Crews pulled 33 people from the water.", "en"),
        Member("ap-2", "AP", at(900), "Boat flips off Dunmarra", f"{lead} The search was called off Thursday.", "en"),
    ]
    texts = [(e.source, e.text) for e in summarize_story(members, words=80).exclusives]
    assert texts.count(("AP", lead)) == 1
    assert [e.article_id for e in summarize_story(members, words=80).exclusives if e.text == lead] == ["ap-1"]


def _developing_fire() -> list[Member]:
    """Night 1: the fire (two wires); night 2: the investigation, whose lede repeats the toll."""
    day2 = T0 + timedelta(days=1)
    return [
        Member("rtr-1", "Reuters", at(0), "Fire at chemical plant injures 11",
               "A fire at a chemical plant in Wesseling near Cologne injured 11 workers early on Thursday and sent a "
               "plume of smoke over the Rhine. Firefighters worked through the morning. No one was killed.", "en"),
        Member("dpa-1", "dpa", at(60), "Chemical plant fire near Cologne",
               "A major fire broke out at a chemical plant in Wesseling near Cologne, injuring 11 workers. "
               "Residents were told to keep their windows closed. Around 150 firefighters were at the scene.", "en"),
        Member("rtr-2", "Reuters", day2, "Prosecutors probe chemical plant fire",
               "German prosecutors have opened an investigation into Thursday's fire at the plant in Wesseling near "
               "Cologne, which injured 11 workers, and are examining whether a leaking pump caused it. "
               "No individual is yet under suspicion.", "en"),
    ]  # fmt: skip


def test_a_developing_story_opens_with_the_latest_reports_lede() -> None:
    summary = summarize_story(_developing_fire(), words=60)
    assert summary.sentences[0].article_id == "rtr-2"
    assert summary.sentences[0].text.startswith("German prosecutors have opened an investigation")


DPA_PARAPHRASE = (
    "After the fire at a chemical plant in Wesseling near Cologne, the public prosecutor's office has "
    "started proceedings on suspicion of negligent arson."
)


def _with_dpa_update(hours_after: float) -> list[Member]:
    day2 = T0 + timedelta(days=1)
    dpa = Member("dpa-2", "dpa", day2 - timedelta(hours=hours_after), "Wesseling: prosecutors investigate",
                 f"{DPA_PARAPHRASE} Investigators secured the plant's maintenance records.", "en")  # fmt: skip
    return [*_developing_fire(), dpa]


def test_a_second_wires_lede_of_the_same_update_is_not_repeated() -> None:
    summary = summarize_story(_with_dpa_update(hours_after=2), words=80)
    texts = [s.text for s in summary.sentences]
    assert texts[0].startswith("German prosecutors have opened an investigation")
    assert DPA_PARAPHRASE not in texts
    assert sum(len(t.split()) for t in texts) >= 40  # the budget went to other facts instead


def test_a_lede_from_another_night_is_not_taken_for_a_restatement() -> None:
    summary = summarize_story(_with_dpa_update(hours_after=20), words=80)
    assert DPA_PARAPHRASE in [s.text for s in summary.sentences]


def test_a_versions_own_time_decides_what_is_current_and_its_first_report_who_was_first() -> None:
    day2 = T0 + timedelta(days=1)
    members = [
        Member("afp-1", "AFP", at(30), "Quake kills 12 in Peru", "At least 12 people were killed in the quake.", "en"),
        Member("rtr-1", "Reuters", day2, "Peru quake toll rises to 19",
               "The death toll from the quake rose to 19 on Friday, officials said.", "en", first_reported_at=at(0)),
    ]  # fmt: skip
    summary = summarize_story(members, words=60)
    assert [s.text for s in summary.sentences] == [
        "The death toll from the quake rose to 19 on Friday, officials said."
    ]
    assert (summary.first_source, summary.first_reported_at) == ("Reuters", at(0))
    assert summary.sources_in_order == ("Reuters", "AFP")
