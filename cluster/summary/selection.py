"""Which candidate sentences a summary takes and in what order: MMR under a word budget, then
story order, a developing story's latest lede and current facts first.

Kept apart from `summarize` (which builds the candidates and their similarities) so each stays
small; both work on `StoryCandidates`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cluster.summary.figures import facts
from cluster.summary.types import Member, SummaryParams


@dataclass
class StoryCandidates:
    """The candidate sentences of a story and their similarity structure."""

    members: list[Member]  # candidate members, in order of first report
    art: np.ndarray  # article index of each sentence (sentences are grouped by article)
    pos: np.ndarray  # position of each sentence in its article
    spans: list[tuple[str, int, int]]  # (text, start, end) into the article body
    n_words: np.ndarray
    sim: np.ndarray  # sentence x sentence cosine
    best: np.ndarray  # sentence x article: best cosine to that article's sentences (-1 for its own)
    centroid_sim: np.ndarray  # sentence cosine to the centroid (mean of unit article vectors)
    headline_sim: np.ndarray  # sentence cosine to the mean headline vector
    head_centroid: np.ndarray  # headline cosine to the centroid
    head_sim: np.ndarray  # headline x headline cosine

    @property
    def developing(self) -> bool:
        """Copy from more than one report time: the rules for current facts and ledes apply."""
        return len({m.published_at for m in self.members if m.published_at is not None}) > 1


def select(st: StoryCandidates, scores: np.ndarray, words: int, params: SummaryParams) -> list[int]:
    """MMR under a word budget, then story order; in a developing story a second lede of the
    opening lede's night is dropped (it restates the same development in other words, which
    TF-IDF across translations does not see) and the budget refilled without it."""
    developing = st.developing
    closed = np.zeros(len(scores), dtype=bool)
    while True:
        picked = _mmr(st, scores, words, params, closed)
        ordered = _ordered(st, picked, scores, params, developing)
        restated = [i for i in (_restated_ledes(st, ordered, params) if developing else []) if not closed[i]]
        if not restated:  # each round closes at least one more candidate, so this ends
            return ordered
        closed[restated] = True


def _mmr(st: StoryCandidates, scores: np.ndarray, words: int, params: SummaryParams, closed: np.ndarray) -> list[int]:
    """Maximal marginal relevance; a candidate too close to a pick is dropped for good."""
    top = scores.max() if scores.size else 1.0
    rel = scores / top if top > 0 else scores
    open_ = ~closed
    overlap = np.zeros(len(scores))
    picked: list[int] = []
    total = 0
    while open_.any() and total < words:
        value = np.where(open_, params.mmr_lambda * rel - (1 - params.mmr_lambda) * overlap, -np.inf)
        i = int(np.argmax(value))
        open_[i] = False
        if overlap[i] >= params.redundancy_threshold:
            continue
        if picked and total + st.n_words[i] > words + params.overrun_words:
            continue
        picked.append(i)
        total += int(st.n_words[i])
        overlap = np.maximum(overlap, st.sim[i])
    return picked


def _ordered(
    st: StoryCandidates, picked: list[int], scores: np.ndarray, params: SummaryParams, developing: bool
) -> list[int]:
    cited = []
    for i in picked:  # the earliest near-verbatim copy (sentences are in order of first report)
        copies = np.flatnonzero(st.sim[i] >= params.verbatim_threshold)
        cited.append(int(copies[0]) if copies.size and copies[0] < i else i)
    support = (st.best >= params.also_threshold).sum(axis=1)
    ordered = sorted(cited, key=lambda i: _current_first(st, i, developing, int(support[i])))
    return _latest_lede_first(st, ordered, scores) if developing else ordered


def _restated_ledes(st: StoryCandidates, ordered: list[int], params: SummaryParams) -> list[int]:
    """Ledes after the opening one, from reports within `lede_window_hours` of it, that state no
    figure or state the other picks do not: another wire's account of the same development."""
    opening = ordered[0] if ordered else None
    if opening is None or st.pos[opening] != 0:
        return []
    t0 = st.members[st.art[opening]].published_at
    window = params.lede_window_hours * 3600.0
    out = []
    for i in ordered[1:]:
        t = st.members[st.art[i]].published_at
        if st.pos[i] != 0 or t is None or t0 is None or abs((t0 - t).total_seconds()) > window:
            continue
        stated = {k: v for j in ordered if j != i for k, v in facts(st.spans[j][0]).items()}
        if all(stated.get(k) == v for k, v in facts(st.spans[i][0]).items()):
            out.append(i)
    return out


def _latest_lede_first(st: StoryCandidates, ordered: list[int], scores: np.ndarray) -> list[int]:
    """A developing story opens with the opening sentence of the latest report among the picks
    (the best scored if several), as a wire's update does: "No one was injured" or a quotation
    is a fact of the story, never its lead."""
    ledes = [i for i in ordered if st.pos[i] == 0 and st.members[st.art[i]].published_at is not None]
    if not ledes:
        return ordered
    lede = max(ledes, key=lambda i: (st.members[st.art[i]].published_at, scores[i], -i))
    return [lede, *(i for i in ordered if i != lede)]


def _current_first(st: StoryCandidates, i: int, developing: bool, support: int) -> tuple[int, int, int, int]:
    """In a developing story, sentences stating a figure or state lead (its current facts); within
    each group the facts more wires' own copy carries come first, then the latest report among
    current facts and the order of first report among the rest."""
    if developing and st.members[st.art[i]].published_at is not None and facts(st.spans[i][0]):
        return (0, -support, -int(st.art[i]), int(st.pos[i]))
    return (1, -support, int(st.art[i]), int(st.pos[i]))
