"""Average-link p(same story) between groups of articles: the evidence linking asks for.

Built once per night over every article linking may compare (the window's canonical copy and the
most recent copy of quiet stories), with the same pair model, background and time prior as the
clustering, so a link means what a cluster means. Every cross pair of two groups is scored
(no candidate graph), capped at the `MAX_GROUP` most recent articles of each side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from cluster.grouping.clustering import ClusterParams, edge_features, edge_probability
from cluster.grouping.cross_language import cross_pairs
from cluster.grouping.follow_up import shared_evidence
from cluster.text.background import Background
from cluster.text.features import TextFeatures, text_features

#: Members scored against every candidate story in one block of the shortlist's product.
SHORTLIST_BLOCK = 512
#: Articles of a group scored against the other group: the most recent ones, bounding a pair of
#: large stories to MAX_GROUP^2 pairs.
MAX_GROUP = 30


class PairScorer:
    """p(same story) for any pair among `ids`, and average link between groups of them."""

    def __init__(
        self,
        ids: Sequence[str],
        vectors: np.ndarray,
        texts: Sequence[str],
        times: Sequence[datetime | None],
        languages: Sequence[str | None],
        background: Background,
        params: ClusterParams = ClusterParams(),
        cross_language: tuple[float, float] | None = None,
        features: TextFeatures | None = None,
    ) -> None:
        self._index = {a: i for i, a in enumerate(ids)}
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        # Built on the first scored pair: a night of one document never imports sklearn.
        self._features = features
        self._feature_input = (texts, languages, background) if len(ids) else None
        self._secs = np.array([t.timestamp() if t is not None else np.nan for t in times], dtype=np.float64)
        self._params = params
        self._languages = list(languages)
        self._cross_language = cross_language

    def _recent(self, group: Sequence[str]) -> np.ndarray:
        idx = np.array([self._index[a] for a in group], dtype=np.int64)
        if len(idx) <= MAX_GROUP:
            return idx
        order = np.argsort(np.nan_to_num(self._secs[idx], nan=-np.inf), kind="stable")
        return np.sort(idx[order[-MAX_GROUP:]])

    def features(self) -> TextFeatures:
        """The text features of every article, built on first use."""
        if self._features is None:
            assert self._feature_input is not None, "no articles to build features of"
            self._features = text_features(*self._feature_input)
        return self._features

    def affinity(self, a: Sequence[str], b: Sequence[str]) -> float:
        """Mean p over all pairs (one from `a`, one from `b`); 0 for an empty side."""
        return self.affinities([(a, b)])[0]

    def affinities(
        self, requests: Sequence[tuple[Sequence[str], Sequence[str]]], time_scale: float = 1.0
    ) -> list[float]:
        """`affinity` of many (a, b) requests, scored in one vectorised pass over all their pairs;
        `time_scale` multiplies the time prior's penalty (1: the clustering's)."""
        if self._feature_input is None:
            return [0.0] * len(requests)
        return self._scored([(self._recent(a), self._recent(b)) for a, b in requests], time_scale)

    def follow_ups(
        self, requests: Sequence[tuple[Sequence[str], Sequence[str]]], min_idf: float, min_words: int, time_scale: float
    ) -> list[float]:
        """Per (a, b) request, its average link with the time penalty times `time_scale` where
        the two sides share at least `min_words` words of IDF >= `min_idf` and no year or number
        veto holds (`cluster.grouping.follow_up`), else 0. Sides capped as in `affinities`."""
        if self._feature_input is None or not requests:
            return [0.0] * len(requests)
        sides = [(self._recent(a), self._recent(b)) for a, b in requests]
        shared, veto = shared_evidence(self.features(), [a for a, _ in sides], [b for _, b in sides], min_idf)
        ok = np.flatnonzero((shared >= min_words) & ~veto)
        out = [0.0] * len(requests)
        for k, p in zip(ok, self._scored([sides[k] for k in ok], time_scale)):
            out[int(k)] = p
        return out

    def _scored(self, sides: Sequence[tuple[np.ndarray, np.ndarray]], time_scale: float) -> list[float]:
        if not sides:
            return []
        sizes = np.array([len(ia) * len(ib) for ia, ib in sides], dtype=np.int64)
        out = np.zeros(len(sides))
        if not sizes.sum():
            return out.tolist()
        rows = np.concatenate([np.repeat(ia, len(ib)) for ia, ib in sides])
        cols = np.concatenate([np.tile(ib, len(ia)) for ia, ib in sides])
        emb = np.einsum("ij,ij->i", self._vectors[rows], self._vectors[cols])
        feats = edge_features(self.features(), emb, rows, cols)
        gap = np.abs(self._secs[rows] - self._secs[cols]) / 86400.0
        cross = cross_pairs(self._languages, rows, cols) if self._cross_language else None
        params = (
            self._params
            if time_scale == 1.0
            else replace(self._params, time_penalty=self._params.time_penalty * time_scale)
        )
        prob = edge_probability(feats, gap, params, cross, self._cross_language)
        nonempty = sizes > 0
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])[nonempty]
        out[nonempty] = np.add.reduceat(prob, starts) / sizes[nonempty]
        return out.tolist()

    def shortlister(self, groups: dict[str, Sequence[str]], per_group: int = 3):
        """A `shortlist(members_list, k)` over `groups`: for each list of members, the k groups
        whose closest recent article (of their `per_group` most recent) is nearest by embedding
        cosine to any of the members. Scored in blocks of `SHORTLIST_BLOCK` members."""
        names = sorted(groups)
        if not names:
            return lambda parts, k: [[] for _ in parts]
        picks = [self._recent(groups[s])[-per_group:] for s in names]
        starts = np.cumsum([0] + [len(p) for p in picks[:-1]])
        quiet = self._vectors[np.concatenate(picks)]

        def shortlist(parts: Sequence[Sequence[str]], k: int) -> list[list[str]]:
            out: list[list[str]] = []
            rows = [self._recent(p) for p in parts]
            lo = 0
            while lo < len(rows):
                hi, size = lo, 0
                while hi < len(rows) and (size == 0 or size + len(rows[hi]) <= SHORTLIST_BLOCK):
                    size += len(rows[hi])
                    hi += 1
                block = rows[lo:hi]
                sims = self._vectors[np.concatenate(block)] @ quiet.T
                per_story = np.maximum.reduceat(sims, starts, axis=1)
                per_part = np.maximum.reduceat(per_story, np.cumsum([0] + [len(r) for r in block[:-1]]), axis=0)
                out.extend([names[i] for i in np.argsort(-score, kind="stable")[:k]] for score in per_part)
                lo = hi
            return out

        return shortlist
