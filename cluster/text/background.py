"""Term weights that do not depend on how much copy happens to be in tonight's window.

A word's IDF decides how much two articles sharing it count as one story. Fitted on the window
(as before), it meant something different in a night of 20 articles than in a corpus of 9,000,
so the same pair got a different probability depending on its neighbours. Here IDF comes from a
background that never shrinks with the window:

* a **seed**: general-language word frequencies per language from the `wordfreq` package
  (news, Wikipedia, books, subtitles, web text; data CC BY-SA 4.0), turned into a document
  frequency by ``1 - exp(-f * DOC_TOKENS)`` and weighted as ``SEED_DOCS`` documents;
* the **archive**: document frequencies of every story-founding article the nights have seen,
  kept in the database (`storage.terms`), so words common in *this* newsroom's copy ("shooting",
  "police" at a local desk) lose weight as the archive grows.

idf(w) = ln((SEED_DOCS + N + 1) / (SEED_DOCS * p_seed(w) + df(w) + 1)) + 1, sklearn's smoothed
form. For a fixed background a pair's weights depend on the two texts alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

#: The seed's weight in documents: the archive's own counts outweigh it after about this many
#: story-founding articles (a night or two of a national wire desk).
SEED_DOCS = 1000.0
#: Tokens of a typical article, to turn a per-token frequency into a per-document one.
DOC_TOKENS = 300.0
#: Languages whose seed is used as is; others fall back to English (their words then count as
#: rare, which is the right default for names and places).
SEED_FALLBACK = "en"


@lru_cache(maxsize=16)
def _seed(language: str) -> Mapping[str, float]:
    """Per-token frequencies of one language (wordfreq's 'best' list), loaded once per process."""
    import wordfreq

    lang = language if language in wordfreq.available_languages("best") else SEED_FALLBACK
    return wordfreq.get_frequency_dict(lang, "best")


def seed_doc_share(term: str, language: str) -> float:
    """Share of general-language documents that contain `term` (lower-cased)."""
    f = _seed(_base(language)).get(term, 0.0)
    return -math.expm1(-f * DOC_TOKENS)


def _base(language: str | None) -> str:
    return (language or SEED_FALLBACK).split("-")[0].split("_")[0].lower() or SEED_FALLBACK


@dataclass(frozen=True)
class Background:
    """Archive document frequencies (lower-cased terms) and the count of documents behind them."""

    n_docs: int = 0
    df: Mapping[str, int] = field(default_factory=dict)

    def idf(self, terms: Sequence[str], language: str | None) -> np.ndarray:
        """IDF of each term (matched lower-cased) for copy in `language`."""
        seed = _seed(_base(language))
        low = [t.lower() for t in terms]
        f = np.fromiter((seed.get(t, 0.0) for t in low), dtype=np.float64, count=len(low))
        df = np.fromiter((self.df.get(t, 0) for t in low), dtype=np.float64, count=len(low))
        total = SEED_DOCS + self.n_docs + 1.0
        return (np.log(total / (SEED_DOCS * -np.expm1(-f * DOC_TOKENS) + df + 1.0)) + 1.0).astype(np.float32)

    def plus(self, documents: Iterable[Iterable[str]]) -> Background:
        """This background with the term sets of `documents` counted in (each term once per document)."""
        counts: Counter[str] = Counter()
        n = 0
        for terms in documents:
            n += 1
            counts.update(set(terms))
        return self.plus_counts(n, counts)

    def plus_counts(self, n_docs: int, counts: Mapping[str, int]) -> Background:
        """This background with `n_docs` more documents whose document frequencies are `counts`
        (what `plus` counts, for a caller that counted while streaming its documents)."""
        df = dict(self.df)
        for t, c in counts.items():
            df[t] = df.get(t, 0) + c
        return Background(self.n_docs + n_docs, df)
