"""A lone document joins the piece of its story on rare shared words, not on common names."""

from __future__ import annotations

import numpy as np

from cluster.grouping.attach import attach_evidence, attach_lone
from cluster.text.background import Background
from cluster.text.features import document_terms, text_features

PIECE = [
    "Kerry meets Zarif in Oslo\n\nJohn Kerry met Javad Zarif in Oslo, Trump said in the Senate.",
    "Kerry and Zarif talk in Oslo\n\nKerry and Zarif held talks in Oslo on Monday, Trump said.",
]
#: Same story: shares Kerry, Zarif and Oslo with the piece (rare in the archive).
SAME = "Trump attacks Kerry over Oslo talks\n\nTrump attacked Kerry for meeting Zarif in Oslo."
#: Look-alike: shares only Trump, Senate and Republicans (in most of the archive's copy).
LOOKALIKE = "Trump tells Senate Republicans to act\n\nTrump told Senate Republicans to vote on Monday."


def _archive() -> Background:
    """An archive in which the politicians' names are everywhere and the story's names nowhere else."""
    common = [
        f"Trump and Senate Republicans debate bill {i}\n\nTrump said Senate Republicans vote {i}." for i in range(400)
    ]
    other = [f"Harbour report {i}\n\nShips docked at berth {i} in the harbour." for i in range(400)]
    return Background().plus(document_terms(t) for t in common + other + PIECE + [SAME, LOOKALIKE])


def _attach(texts: list[str], labels: list[int], p: float = 0.6) -> np.ndarray:
    f = text_features(texts, None, _archive())
    n = len(texts)
    rows, cols = np.triu_indices(n, 1)
    vectors = np.eye(n, dtype=np.float32)

    def score(r: np.ndarray, c: np.ndarray, emb: np.ndarray) -> np.ndarray:
        return np.full(len(r), p)  # every pair equally likely: only the rare-word gate and veto decide

    return attach_lone(np.array(labels), rows, cols, f, vectors, np.full(n, np.nan), score, 0.4, 6.0, 3)


def test_piece_sharing_rare_names_merges():
    labels = _attach(PIECE + [SAME], [0, 0, -1])
    assert labels[2] == labels[0] == labels[1]


def test_lookalike_sharing_only_common_politicians_stays_alone():
    labels = _attach(PIECE + [LOOKALIKE], [0, 0, -1])
    assert labels[2] != labels[0]
    f = text_features(PIECE + [LOOKALIKE], None, _archive())
    _, shared, _ = attach_evidence(
        f, np.eye(3, dtype=np.float32), np.full(3, np.nan), np.array([2]), [np.array([0, 1])], _half, 6.0
    )
    assert shared[0] == 0  # Trump, Senate, Republicans are not rare in this archive


def test_disjoint_years_veto_the_join():
    texts = [t + " It was 2014." for t in PIECE] + [SAME + " It was 2019."]
    labels = _attach(texts, [0, 0, -1])
    assert labels[2] != labels[0]


def test_weak_average_link_stays_alone():
    labels = _attach(PIECE + [SAME], [0, 0, -1], p=0.3)
    assert labels[2] != labels[0]


def _half(r: np.ndarray, c: np.ndarray, emb: np.ndarray) -> np.ndarray:
    return np.full(len(r), 0.5)


def test_evidence_in_small_steps_equals_one_step(monkeypatch):
    """`attach_evidence` bounds its memory by working in steps of STEP_PAIRS pairs: the average
    link, the shared words and the veto of every request are those of one step over all of them."""
    import cluster.grouping.attach as attach

    texts = PIECE + [SAME, LOOKALIKE, SAME + " It was 2019.", PIECE[0] + " It was 2014."]
    f = text_features(texts, None, _archive())
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((len(texts), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = np.array([2, 3, 4, 2, 3])
    pieces = [np.array([0, 1]), np.array([0, 1, 5]), np.array([5]), np.array([], dtype=np.int64), np.array([4, 5])]

    def score(r: np.ndarray, c: np.ndarray, emb: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-3 * emb))

    monkeypatch.setattr(attach, "STEP_PAIRS", 10**9)
    whole = attach_evidence(f, vectors, np.full(len(texts), np.nan), docs, pieces, score, 6.0, 1)
    monkeypatch.setattr(attach, "STEP_PAIRS", 2)
    stepped = attach_evidence(f, vectors, np.full(len(texts), np.nan), docs, pieces, score, 6.0, 1)
    assert whole[0].max() > 0 and whole[1].max() >= 3 and whole[2].any()
    for a, b in zip(whole, stepped):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
