"""Lexical signals that separate look-alike stories, computed on a batch and read on graph edges.

Embeddings alone confuse "same kind of event" (two earthquakes, two rehab check-ins); the words,
names and years a story uses tell them apart (field notes). Everything here is a scikit-learn
sparse matrix fitted on the batch itself, so IDF reflects what is common *tonight*, and every
pairwise quantity is computed only for the edges of the neighbour graph, never as a dense n x n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import re

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

#: Edges processed per chunk when reading row-wise dot products: bounds the temporary
#: sparse matrices to a few tens of MB at 50k documents.
EDGE_CHUNK = 100_000

#: Capitalised words: names of people, places, organisations (a cheap stand-in for NER that
#: costs nothing per document). Sentence-initial words slip in; IDF weighting mutes them.
ENTITY_PATTERN = r"\b[A-Z][a-zA-Z]+\b"

#: Four-digit years 1950-2039: the two look-alike events of an ECB+ topic are usually years
#: apart, and same-story pairs that both name a year share one 88 % of the time, while
#: different-story pairs of the same topic share one only 21 % of the time (measured on ecbplus).
YEAR_PATTERN = r"\b(?:19[5-9]\d|20[0-3]\d)\b"

#: Any number (years, counts, magnitudes, scores). Two reports of one event tend to repeat its
#: numbers; look-alike events differ in them.
NUMBER_PATTERN = r"\b\d[\d,.]*\d\b|\b\d\b"

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def headline(text: str) -> str:
    """The headline of a "headline\\n\\nbody" text; without one, the body's first sentence (lead)."""
    head, _, body = text.partition("\n\n")
    if head.strip():
        return head.strip()
    first_line = body.strip().split("\n", 1)[0]
    return _SENTENCE_END.split(first_line, 1)[0]


@dataclass(frozen=True)
class TextFeatures:
    """L2-normalised TF-IDF rows (words, capitalised names, headline words in the vocabulary of
    `words`), binary year and number rows, and character lengths for one batch."""

    words: sp.csr_matrix
    entities: sp.csr_matrix
    years: sp.csr_matrix
    heads: sp.csr_matrix
    numbers: sp.csr_matrix
    lengths: np.ndarray


def _fit(vectorizer: CountVectorizer, texts: Sequence[str]) -> sp.csr_matrix:
    """Fit on the batch; a batch with no matching token at all yields an all-zero matrix."""
    try:
        return sp.csr_matrix(vectorizer.fit_transform(texts), dtype=np.float32)
    except ValueError:  # empty vocabulary
        return sp.csr_matrix((len(texts), 1), dtype=np.float32)


def text_features(texts: Sequence[str], max_df: float = 0.5) -> TextFeatures:
    """Build the three lexical views of `texts` (full "headline\\n\\nbody" strings).

    `max_df` drops words in more than that share of the batch (with sublinear TF this mostly
    removes boilerplate); it is ignored for batches too small for it to make sense.
    """
    df = max_df if len(texts) >= 10 else 1.0
    word_vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", max_df=df, dtype=np.float32)
    words = _fit(word_vec, texts)
    heads = (
        normalize(sp.csr_matrix(word_vec.transform([headline(t) for t in texts]), dtype=np.float32))
        if hasattr(word_vec, "vocabulary_")
        else sp.csr_matrix((len(texts), 1), dtype=np.float32)
    )
    entities = _fit(
        TfidfVectorizer(
            sublinear_tf=True, lowercase=False, token_pattern=ENTITY_PATTERN, max_df=df, dtype=np.float32
        ),
        texts,
    )
    years = _fit(CountVectorizer(token_pattern=YEAR_PATTERN, binary=True, dtype=np.float32), texts)
    numbers = _fit(CountVectorizer(token_pattern=NUMBER_PATTERN, binary=True, dtype=np.float32), texts)
    lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
    return TextFeatures(words, entities, years, heads, numbers, lengths)


def edge_dot(
    matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray, other: sp.csr_matrix | None = None
) -> np.ndarray:
    """Row-wise dot product matrix[rows[e]] . other[cols[e]] (other defaults to matrix) per edge, in chunks."""
    other = matrix if other is None else other
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), EDGE_CHUNK):
        stop = start + EDGE_CHUNK
        prod = matrix[rows[start:stop]].multiply(other[cols[start:stop]])
        out[start:stop] = np.asarray(prod.sum(axis=1)).ravel()
    return out


def years_disjoint(years: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1.0 on edges whose two documents both name a year (or number) but share none, else 0.0."""
    has = np.asarray(years.sum(axis=1)).ravel() > 0
    shared = edge_dot(years, rows, cols) > 0
    return (has[rows] & has[cols] & ~shared).astype(np.float32)


def years_shared(years: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1.0 on edges whose two documents name a common year, else 0.0."""
    return (edge_dot(years, rows, cols) > 0).astype(np.float32)
