"""Sentence splitting: exact spans, abbreviations, quotes, paragraphs, German and French."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.sentences import split_sentences


def texts(body: str) -> list[str]:
    return [s.text for s in split_sentences(body)]


def test_english_abbreviations_numbers_and_quotes() -> None:
    body = (
        'The U.S. Senate voted on Jan. 5. Mr. Smith said growth was 3.5 percent. '
        '"It is over," he said. "Is it?" she asked. John F. Kennedy was mentioned. Then she left.'
    )
    assert texts(body) == [
        "The U.S. Senate voted on Jan. 5.",
        "Mr. Smith said growth was 3.5 percent.",
        '"It is over," he said.',
        '"Is it?" she asked.',
        "John F. Kennedy was mentioned.",
        "Then she left.",
    ]


def test_acronym_ends_sentence_before_an_opener_and_paragraphs_always_split() -> None:
    body = "He lives in the U.S. The president disagreed.\nSecond paragraph without a stop\n\nThird!"
    assert texts(body) == ["He lives in the U.S.", "The president disagreed.", "Second paragraph without a stop", "Third!"]


def test_german_and_french() -> None:
    de = "Scholz sagte am 3. Oktober in Berlin, die Lage sei ernst. Das sei z.B. an Preisen zu sehen. Die Polizei (ca. 200 Beamte) war da."
    assert texts(de) == [
        "Scholz sagte am 3. Oktober in Berlin, die Lage sei ernst.",
        "Das sei z.B. an Preisen zu sehen.",
        "Die Polizei (ca. 200 Beamte) war da.",
    ]
    fr = "M. Macron a déclaré : « Nous allons gagner. » Le président est parti. Mme. Dupont a confirmé."
    assert texts(fr) == ["M. Macron a déclaré : « Nous allons gagner. »", "Le président est parti.", "Mme. Dupont a confirmé."]


def test_spans_are_exact() -> None:
    body = "  First one.  Second one!\n\n  Third one?  "
    for s in split_sentences(body):
        assert body[s.start : s.end] == s.text == s.text.strip()
    assert texts(body) == ["First one.", "Second one!", "Third one?"]


ALPHABET = st.sampled_from(list("abc XYZ 12.!?\"'«»()\n\t") + ["U.S. ", "Mr. ", "3.5 ", "… ", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=60).map("".join))
def test_spans_always_reproduce_and_cover_the_text(body: str) -> None:
    sentences = split_sentences(body)
    covered = set()
    last_end = 0
    for s in sentences:
        assert s.text and body[s.start : s.end] == s.text == s.text.strip()
        assert s.start >= last_end
        last_end = s.end
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, ch in enumerate(body) if not ch.isspace())
