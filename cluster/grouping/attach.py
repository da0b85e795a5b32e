"""Attach lone documents to the piece of a story they belong to, on rare shared evidence.

After HDBSCAN and `detach_p`, recall is lost mostly to stories split into pieces: one report left
alone beside the rest of its story. A plain average-link merge of clusters joins look-alike
stories too (neus: several outlets on the same politicians' week of news share the same names).
Here only a *lone document* (a one-document story after the clustering) may join, and only a
piece it is linked to in the candidate graph, when all three hold:

* the average-link p(same story) over every (document, member) pair reaches `attach_p` (all
  pairs are scored, not only candidate edges, capped at the `MAX_PIECE` most recent members);
* the document shares at least `attach_rare_words` words whose background IDF is at least
  `attach_idf` with the piece (a word in under ~e^-(idf-1) of the archive's documents: a place,
  a rare name; politicians frequent in the archive do not count);
* the document and the piece do not both name years, or numbers, with none in common.

Each gate is a function of the document, the piece and the fixed background alone
(`attach_evidence`), so it does not change with the window; among the pieces that pass, the
document joins the one with the highest average link.

Chosen on the fit parts only (scripts/eval_clustering_lab.py, batch; F1 neus / ecbplus / gva_dev
and neus precision; off: 0.779 / 0.881 / 0.915, P 0.866), attach_p with (idf, words):
0.35 (5, 3) 0.780 / 0.898 / 0.917 P 0.835; 0.35 (6, 3) 0.781 / 0.893 / 0.916 P 0.849;
0.4 (6, 2) 0.782 / 0.893 / 0.916 P 0.846; **0.4 (6, 3) 0.782 / 0.892 / 0.916 P 0.852**;
0.4 (7, 1) 0.782 / 0.887 / 0.915 P 0.851; 0.45 (6, 3) 0.782 / 0.889 / 0.915 P 0.856;
0.5 (6, 3) 0.782 / 0.887 / 0.915 P 0.858; without the rare-word gate (0.4, words 0) neus
precision fell to 0.836. The rule, fixed before any held-out part was looked at: the largest
summed fit F1 gain with no fit precision loss over 0.015 on any corpus. IDF 6 = a word in under
~0.7 % of the background's documents, whatever the archive's size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp

from cluster.grouping.follow_up import union_rows
from cluster.text.features import TextFeatures

#: p(same story) of document pairs (rows[e], cols[e]) given their embedding cosines.
PairScore = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]

#: Members of a piece scored against the lone document: its most recent ones (as linking's MAX_GROUP).
MAX_PIECE = 30

#: (document, member) pairs whose evidence is computed at once: the pair model's features and the
#: requests' word unions of one step stay at tens of MB (a 50k window has millions of pairs).
STEP_PAIRS = 200_000


def attach_evidence(
    f: TextFeatures,
    vectors: np.ndarray,
    secs: np.ndarray,
    docs: np.ndarray,
    pieces: Sequence[np.ndarray],
    score: PairScore,
    min_idf: float,
    min_words: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per request (docs[r], pieces[r]): average-link p, shared words of IDF >= `min_idf`, and
    the veto (years or numbers on both sides, none shared). `score(rows, cols, emb)` is the
    pair model's p(same story) of document pairs; `secs` are timestamps (NaN = unknown). The
    average link is scored only where the words and the veto pass (`min_words`), else 0: the
    pair model is most of the cost. Requests go in steps of about `STEP_PAIRS` (document, member)
    pairs, each step's arrays freed before the next: the same answer in bounded memory."""
    capped = [_recent(p, secs) for p in pieces]
    sizes = np.array([len(p) for p in capped], dtype=np.int64)
    out = np.zeros(len(docs)), np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
    ends = np.cumsum(sizes)
    lo = 0
    while lo < len(docs):
        hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + STEP_PAIRS, side="right")))
        step = _evidence_step(f, vectors, docs[lo:hi], capped[lo:hi], sizes[lo:hi], score, min_idf, min_words)
        for whole, part in zip(out, step):
            whole[lo:hi] = part
        lo = hi
    return out


def _evidence_step(
    f: TextFeatures,
    vectors: np.ndarray,
    docs: np.ndarray,
    capped: Sequence[np.ndarray],
    sizes: np.ndarray,
    score: PairScore,
    min_idf: float,
    min_words: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`attach_evidence` for one step of requests."""
    if not sizes.sum():
        return np.zeros(len(docs)), np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
    request = np.repeat(np.arange(len(docs)), sizes)
    cols = np.concatenate(capped)
    owner = sp.csr_matrix((np.ones(len(cols)), (request, cols)), shape=(len(docs), len(vectors)))
    rare = union_rows(owner, f.rare)
    mine = f.rare[docs]
    mine = mine.multiply(mine >= min_idf).tocsr()
    shared = np.asarray((mine.multiply(rare) > 0).sum(axis=1)).ravel()
    veto = np.zeros(len(docs), dtype=bool)
    for marks in (f.years, f.numbers):
        theirs = union_rows(owner, marks)
        own = marks[docs]
        both = (np.asarray(own.sum(axis=1)).ravel() > 0) & (np.asarray(theirs.sum(axis=1)).ravel() > 0)
        veto |= both & (np.asarray((own.multiply(theirs) > 0).sum(axis=1)).ravel() == 0)
    scored = ((shared >= min_words) & ~veto)[request]
    rows = np.repeat(docs, sizes)[scored]
    emb = np.einsum("ij,ij->i", vectors[rows], vectors[cols[scored]])
    p = np.bincount(request[scored], score(rows, cols[scored], emb), minlength=len(docs))
    return p / np.maximum(sizes, 1), shared, veto


def attach_lone(
    labels: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    f: TextFeatures,
    vectors: np.ndarray,
    secs: np.ndarray,
    score: PairScore,
    threshold: float,
    min_idf: float,
    min_words: int,
) -> np.ndarray:
    """`labels` (-1 = noise, a lone document) with lone documents joined to their best piece
    passing the three gates; pieces are clusters or other lone documents linked by a candidate
    edge. One pass; joins are the connected components of the chosen (document, piece) links."""
    n = len(labels)
    labels = np.where(labels < 0, labels.max(initial=-1) + 1 + np.arange(n), labels)
    _, labels = np.unique(labels, return_inverse=True)
    size = np.bincount(labels)
    lone = size[labels] == 1
    doc = np.concatenate([rows[lone[rows]], cols[lone[cols]]])
    piece = np.concatenate([labels[cols[lone[rows]]], labels[rows[lone[cols]]]])
    keys = np.unique(doc * (labels.max() + 1) + piece)
    doc, piece = keys // (labels.max() + 1), keys % (labels.max() + 1)
    keep = labels[doc] != piece
    doc, piece = doc[keep], piece[keep]
    if not len(doc):
        return labels
    order = np.argsort(labels, kind="stable")
    starts = np.concatenate([[0], np.cumsum(size)])
    members = [order[starts[p] : starts[p + 1]] for p in piece]
    avg, shared, veto = attach_evidence(f, vectors, secs, doc, members, score, min_idf, min_words)
    ok = np.flatnonzero((avg >= threshold) & (shared >= min_words) & ~veto)
    if not len(ok):
        return labels
    ranked = ok[np.lexsort((piece[ok], -avg[ok], doc[ok]))]
    _, first = np.unique(doc[ranked], return_index=True)
    best = ranked[first]
    m = int(labels.max()) + 1
    graph = sp.coo_matrix((np.ones(len(best)), (labels[doc[best]], piece[best])), shape=(m, m))
    from scipy.sparse.csgraph import connected_components  # not imported by a one-story night

    return connected_components(graph, directed=False)[1][labels]


def _recent(members: np.ndarray, secs: np.ndarray) -> np.ndarray:
    members = np.asarray(members, dtype=np.int64)
    if len(members) <= MAX_PIECE:
        return members
    order = np.argsort(np.nan_to_num(secs[members], nan=-np.inf), kind="stable")
    return np.sort(members[order[-MAX_PIECE:]])
