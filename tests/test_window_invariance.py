"""The probability that two articles report one story does not depend on what else is in the window.

Ten pairs of articles (two reports of each of ten events) are scored inside windows of 20, 200,
2,000 and 9,000 documents, the rest of each window being other copy. With a fixed background the
pair's features and probability are functions of the two texts alone, so they agree to float32
rounding: the documented tolerance is 1e-5 in probability. The attach gate
(`cluster.grouping.attach`: a lone document's average link to a piece, its rare shared words and
the year / number veto) is checked the same way, with the same tolerance on the average link, and
so is the follow-up evidence of linking (`cluster.grouping.follow_up`: rare shared words, veto).
"""

from __future__ import annotations

import numpy as np
import pytest

from cluster.encoders.base import FakeEncoder
from cluster.grouping.attach import attach_evidence
from cluster.grouping.clustering import ClusterParams, pair_probabilities, pair_score
from cluster.grouping.follow_up import shared_evidence
from cluster.text.background import Background
from cluster.text.features import document_terms, text_features

TOLERANCE = 1e-5
PLACES = [
    "Arequipa",
    "Wesseling",
    "Piraeus",
    "Orly",
    "Hokkaido",
    "Lisbon",
    "Valais",
    "Copenhagen",
    "Rotterdam",
    "Halmahera",
]
EVENTS = [
    "earthquake",
    "chemical fire",
    "ferry collision",
    "strike",
    "rocket failure",
    "bridge closure",
    "rockfall",
    "cyberattack",
    "port strike",
    "tremor",
]


def _pairs() -> list[str]:
    texts = []
    for place, event in zip(PLACES, EVENTS):
        texts.append(
            f"{event.title()} in {place}\n\nA {event} hit {place} on Thursday, officials said, and 14 people were hurt."
        )
        texts.append(
            f"{place} {event} injures 14\n\nOfficials in {place} said 14 people were hurt in the {event} on Thursday."
        )
    return texts


def _filler(n: int, rng: np.random.Generator) -> list[str]:
    words = [f"w{i}" for i in range(3000)] + [
        "council",
        "budget",
        "vote",
        "minister",
        "market",
        "shares",
        "league",
        "match",
    ]
    return [" ".join(rng.choice(words, 6)) + "\n\n" + " ".join(rng.choice(words, 40)) for _ in range(n)]


@pytest.fixture(scope="module")
def background() -> Background:
    """One fixed background for every window, as a night's archive statistics would be."""
    rng = np.random.default_rng(1)
    return Background().plus(document_terms(t) for t in _pairs() + _filler(500, rng))


@pytest.mark.parametrize("size", [20, 200, 2000, 9000])
def test_pair_probabilities_do_not_depend_on_the_window(size, background):
    pairs = _pairs()
    rng = np.random.default_rng(size)
    texts = pairs + _filler(size - len(pairs), rng)
    order = rng.permutation(len(texts))
    texts = [texts[i] for i in order]
    where = np.argsort(order)[: len(pairs)]  # window index of each pair document
    encoder = FakeEncoder(256)
    rows, cols, prob = pair_probabilities(encoder.encode(texts), texts, [None] * len(texts), background=background)
    edge = {(int(r), int(c)): float(p) for r, c, p in zip(rows, cols, prob)}
    got = []
    for k in range(len(PLACES)):
        a, b = sorted((int(where[2 * k]), int(where[2 * k + 1])))
        assert (a, b) in edge, "each pair's two reports are nearest neighbours in every window"
        got.append(edge[(a, b)])
    reference = _reference(background)
    assert np.max(np.abs(np.array(got) - reference)) <= TOLERANCE
    assert min(got) > 0.5  # and they are scored as one story each


def _reference(background: Background) -> np.ndarray:
    """The pairs scored alone (a window of just their own two documents each)."""
    pairs = _pairs()
    encoder = FakeEncoder(256)
    out = []
    for k in range(len(PLACES)):
        texts = pairs[2 * k : 2 * k + 2]
        _, _, prob = pair_probabilities(encoder.encode(texts), texts, [None, None], background=background)
        out.append(float(prob[0]))
    return np.array(out)


def _gate(texts: list[str], docs: np.ndarray, pieces: list[np.ndarray], background: Background):
    """The attach gate's evidence for (docs[r], pieces[r]) inside the window `texts`."""
    f = text_features(texts, None, background)
    secs = np.full(len(texts), np.nan)
    score = pair_score(f, secs, ClusterParams(), None, None)
    return attach_evidence(f, FakeEncoder(256).encode(texts), secs, docs, pieces, score, 6.0)


def _shuffled_window(size: int) -> tuple[list[str], list[str], np.ndarray]:
    """The event report pairs hidden among filler in a window of `size` documents: (the pairs,
    the window's texts, each pair text's position in the window)."""
    pairs = _pairs()
    rng = np.random.default_rng(size)
    texts = pairs + _filler(size - len(pairs), rng)
    order = rng.permutation(len(texts))
    return pairs, [texts[i] for i in order], np.argsort(order)[: len(pairs)]


@pytest.mark.parametrize("size", [20, 200, 2000, 9000])
def test_attach_gate_does_not_depend_on_the_window(size, background):
    """Each event's second report against a piece of its first report and the next event's first
    report: average link, rare shared words and veto equal those of the three documents alone."""
    pairs, texts, where = _shuffled_window(size)
    k = np.arange(len(PLACES))
    docs = where[2 * k + 1]
    pieces = [np.array([where[2 * j], where[(2 * j + 2) % len(pairs)]]) for j in k]
    got = _gate(texts, docs, pieces, background)
    alone = [[pairs[2 * j], pairs[(2 * j + 2) % len(pairs)], pairs[2 * j + 1]] for j in k]
    ref = [_gate(three, np.array([2]), [np.array([0, 1])], background) for three in alone]
    assert np.max(np.abs(got[0] - np.array([r[0][0] for r in ref]))) <= TOLERANCE
    assert got[1].tolist() == [r[1][0] for r in ref]
    assert got[2].tolist() == [r[2][0] for r in ref]
    assert min(got[1]) >= 1  # each report shares its place name, rare in the archive


@pytest.mark.parametrize("size", [20, 200, 2000, 9000])
def test_follow_up_evidence_does_not_depend_on_the_window(size, background):
    """Each event's second report against its first report and the next event's first report (a
    story's recent copy): rare shared words and veto equal those of the three documents alone."""
    pairs, texts, where = _shuffled_window(size)
    k = np.arange(len(PLACES))
    news = [np.array([where[2 * j + 1]]) for j in k]
    stories = [np.array([where[2 * j], where[(2 * j + 2) % len(pairs)]]) for j in k]
    got = shared_evidence(text_features(texts, None, background), news, stories, 6.0)
    alone = [
        shared_evidence(
            text_features([pairs[2 * j], pairs[(2 * j + 2) % len(pairs)], pairs[2 * j + 1]], None, background),
            [np.array([2])],
            [np.array([0, 1])],
            6.0,
        )
        for j in k
    ]
    assert got[0].tolist() == [int(a[0][0]) for a in alone]
    assert got[1].tolist() == [bool(a[1][0]) for a in alone]
    assert min(got[0]) >= 1  # each report shares its place name, rare in the archive
