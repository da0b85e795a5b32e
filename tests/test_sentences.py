"""Sentence splitting: exact spans, abbreviations, quotes, paragraphs, German and French."""

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.text.sentences import split_sentences
from storage.readers import ReaderError, read_bytes
from storage.records import Article

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "corpora" / "wire_samples"


def texts(body: str) -> list[str]:
    return [s.text for s in split_sentences(body)]


def test_english_abbreviations_numbers_and_quotes() -> None:
    body = (
        "The U.S. Senate voted on Jan. 5. Mr. Smith said growth was 3.5 percent. "
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
    assert texts(body) == [
        "He lives in the U.S.",
        "The president disagreed.",
        "Second paragraph without a stop",
        "Third!",
    ]


def test_german_and_french() -> None:
    de = "Scholz sagte am 3. Oktober in Berlin, die Lage sei ernst. Das sei z.B. an Preisen zu sehen. Die Polizei (ca. 200 Beamte) war da."
    assert texts(de) == [
        "Scholz sagte am 3. Oktober in Berlin, die Lage sei ernst.",
        "Das sei z.B. an Preisen zu sehen.",
        "Die Polizei (ca. 200 Beamte) war da.",
    ]
    fr = "M. Macron a déclaré : « Nous allons gagner. » Le président est parti. Mme. Dupont a confirmé."
    assert texts(fr) == [
        "M. Macron a déclaré : « Nous allons gagner. »",
        "Le président est parti.",
        "Mme. Dupont a confirmé.",
    ]


def test_a_quote_of_several_sentences_stays_one_sentence() -> None:
    body = (
        '"The first night was the worst. Now we just want to get to Arequipa," said Camille Bertrand, 29. '
        'Rescuers kept digging. "We lost everything. The house is gone. Where do we go?" she asked. He nodded.'
    )
    assert texts(body) == [
        '"The first night was the worst. Now we just want to get to Arequipa," said Camille Bertrand, 29.',
        "Rescuers kept digging.",
        '"We lost everything. The house is gone. Where do we go?" she asked.',
        "He nodded.",
    ]


def test_a_quote_ending_a_sentence_ends_it_and_nested_quotes_hold() -> None:
    body = (
        'He said: "It is over." Then he left. '
        "\"They told me 'no. Never.' I said “fine. Go.” Then I went home,\" Smith said. Police arrived."
    )
    assert texts(body) == [
        'He said: "It is over."',
        "Then he left.",
        "\"They told me 'no. Never.' I said “fine. Go.” Then I went home,\" Smith said.",
        "Police arrived.",
    ]


def test_german_and_french_quotations_stay_whole() -> None:
    de = "„Das war die schlimmste Nacht. Jetzt wollen wir nur nach Hause“, sagte sie. Er schwieg. »Es reicht. Wir gehen«, rief er."
    assert texts(de) == [
        "„Das war die schlimmste Nacht. Jetzt wollen wir nur nach Hause“, sagte sie.",
        "Er schwieg.",
        "»Es reicht. Wir gehen«, rief er.",
    ]
    fr = "« C'est fini. Nous rentrons », a dit M. Dupont. Le port a rouvert."
    assert texts(fr) == ["« C'est fini. Nous rentrons », a dit M. Dupont.", "Le port a rouvert."]


def test_abbreviations_inside_and_outside_quotes() -> None:
    body = '"The U.S. Navy arrived on Jan. 5. It left," said Mr. Smith. The U.S. The end.'
    assert texts(body) == ['"The U.S. Navy arrived on Jan. 5. It left," said Mr. Smith.', "The U.S.", "The end."]


def test_an_unclosed_quote_does_not_swallow_its_paragraph() -> None:
    body = '"We will stay until the end. They cannot move us. The port is ours.\n"It is over," he said.'
    assert texts(body) == [
        '"We will stay until the end.',
        "They cannot move us.",
        "The port is ours.",
        '"It is over," he said.',
    ]


def _balanced(text: str) -> bool:
    """Every quotation style of `text` closes as often as it opens (German „…“ counted apart)."""
    if text.count('"') % 2 or text.count("«") != text.count("»"):
        return False
    if "„" in text:
        return text.count("„") == text.count("“") and "”" not in text
    return text.count("“") == text.count("”")


def _sample_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted(p for p in SAMPLES.rglob("*") if p.is_file() and "schemas" not in p.parts):
        if path.suffix == ".txt" or path.name == "MANIFEST.json":
            continue
        try:
            _, items = read_bytes(path.read_bytes(), str(path))
        except ReaderError:
            continue
        paragraphs += [line for i in items if isinstance(i, Article) for line in (i.body or "").split("\n")]
    return paragraphs


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="needs ../shared/corpora/wire_samples")
def test_no_sentence_of_the_wire_samples_starts_inside_a_quotation() -> None:
    quoted = [p for p in _sample_paragraphs() if _balanced(p) and any(m in p for m in '"“„«')]
    assert len(quoted) > 50
    cut_inside = [s.text for p in quoted for s in split_sentences(p) if not _balanced(s.text)]
    assert cut_inside == []


def test_no_sentence_of_the_demo_copy_starts_inside_a_quotation() -> None:
    bodies = [
        json.loads(line)["text"] for name in ("night1", "night2") for line in open(ROOT / "demo" / f"{name}.jsonl")
    ]
    quoted = [p for b in bodies for p in b.split("\n") if _balanced(p) and any(m in p for m in '"“„«')]
    assert quoted
    assert [s.text for p in quoted for s in split_sentences(p) if not _balanced(s.text)] == []


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
    covered: set[int] = set()
    last_end = 0
    for s in sentences:
        assert s.text and body[s.start : s.end] == s.text == s.text.strip()
        assert s.start >= last_end
        last_end = s.end
        covered.update(range(s.start, s.end))
    assert all(i in covered for i, ch in enumerate(body) if not ch.isspace())
