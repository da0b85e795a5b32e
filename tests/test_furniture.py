"""Furniture classes: each rule catches its own lines and leaves sentences that state facts alone."""

import pytest

from cluster.text.furniture import furniture_kind, is_furniture, normalise, shared_boilerplate

FACTS = [
    "LIMA (AFP) - At least 12 people were killed when an earthquake struck southern Peru on Thursday.",
    "Rotterdam (dpa) - The strike in the port of Rotterdam has ended earlier than planned.",
    '"The first night was the worst. Now we just want to get to Arequipa," said Camille Bertrand, 29.',
    "Video footage showed the rocket breaking apart at an altitude of about 11 km.",
    "The ministry said it had received 1,400 complaints by phone and e-mail since Monday.",
    "The rocket lifted off at 11:20 a.m. (0220 GMT) from the Hokkaido Spaceport.",
    "Former labour inspectorate chief Hendrik Wassenaar will meet union representatives on Friday.",
]


@pytest.mark.parametrize("text", FACTS)
def test_sentences_that_state_facts_are_not_furniture(text: str) -> None:
    assert furniture_kind(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "(Reporting by Bart Meijer; Editing by Kim Shaw)",
        "Writing by Anna Ringstrom; editing by Toby Chopra",
        "Additional reporting by Marcelo Rochabrun in Lima",
        "Associated Press writer Mike Corder in The Hague contributed to this report.",
        "(Adds new death toll, state of emergency, aftershock)",
        "(Updates with quotes, paragraphs 4-6)",
    ],
)
def test_signoffs_are_furniture(text: str) -> None:
    assert furniture_kind(text) == "signoff"


@pytest.mark.parametrize(
    "text",
    [
        "Send tips to the newsdesk at tips@example.com anytime.",
        "Follow the reporter on X at @bartmeijer for live updates.",
        "Media inquiries can be made on +31 20 504 5000 during office hours.",
        "Contact: Press office of the port authority, Rotterdam",
        "For more information about the strike schedule visit the union website.",
    ],
)
def test_credit_and_contact_lines_are_furniture(text: str) -> None:
    assert furniture_kind(text) == "contact"


@pytest.mark.parametrize(
    "text",
    [
        "Photo: Dockworkers gather outside the Maasvlakte terminal on Thursday",
        "Rescuers search the rubble in Chivay, Peru, on Nov. 26, 2026. (AP Photo/Martin Mejia)",
        "FILE – Container ships wait off the Dutch coast near the port of Rotterdam",
    ],
)
def test_photo_captions_are_furniture(text: str) -> None:
    assert furniture_kind(text) == "caption"


@pytest.mark.parametrize(
    "text", ["Read more about the Colca valley earthquake here", "Related: Peru quake toll climbs to 19"]
)
def test_read_more_and_related_pointers_are_furniture(text: str) -> None:
    assert furniture_kind(text) == "pointer"


@pytest.mark.parametrize("text", ["BERLIN (dpa) -", "LIMA, Nov 27 (Reuters) -", "ROTTERDAM, Netherlands (AP) —"])
def test_a_dateline_alone_is_furniture(text: str) -> None:
    assert furniture_kind(text) == "dateline"


@pytest.mark.parametrize(
    "text",
    [
        "He said.",
        "More to come.",
        "said Camille Bertrand, 29, a French tourist from Lyon.",
        ", the ministry said on Friday.",
    ],
)
def test_short_and_cut_fragments_are_furniture(text: str) -> None:
    assert furniture_kind(text) == "fragment"


def test_boilerplate_is_what_two_stories_share_verbatim() -> None:
    standing = "The Associated Press receives support from the Walton Family Foundation for coverage."
    bodies = {
        "S1": [f"A strike closed the port of Rotterdam on Thursday. {standing}", "No one was injured."],
        "S2": [f"An earthquake struck southern Peru on Thursday. {standing.upper()}", "No one was injured."],
        "S3": ["A strike closed the port of Rotterdam on Thursday."],
    }
    shared = shared_boilerplate(bodies)
    assert shared == {normalise(standing), normalise("A strike closed the port of Rotterdam on Thursday.")}
    assert furniture_kind(standing, shared) == "boilerplate"
    assert not is_furniture("No one was injured at the scene.", shared)


def test_the_same_sentence_twice_in_one_story_is_not_boilerplate() -> None:
    signoff_free = "Rotterdam dockworkers ended their strike early on Friday after a deal."
    assert shared_boilerplate({"S1": [signoff_free, signoff_free]}) == frozenset()


def test_a_fact_two_look_alike_stories_share_is_not_boilerplate() -> None:
    standing = "The Associated Press receives support from the Walton Family Foundation for coverage."
    called_off = "The search was called off Thursday, officials said."
    toll = "At least 5 people are still missing, the coast guard said."
    bodies = {
        "boat-1": [f"A boat capsized off Dunmarra. {called_off} {toll} {standing}"],
        "boat-2": [f"A boat capsized off Oberfelden. {called_off} {toll} {standing}"],
    }
    states_fact = {called_off, toll}.__contains__
    assert shared_boilerplate(bodies, states_fact=states_fact) == {normalise(standing)}
    assert shared_boilerplate(bodies) == {normalise(standing), normalise(called_off), normalise(toll)}
