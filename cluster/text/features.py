"""Lexical signals that separate look-alike stories, read on the edges of the neighbour graph.

Embeddings alone confuse "same kind of event" (two earthquakes, two rehab check-ins); the words,
names and years a story uses tell them apart (field notes). Term weights come from a background
(`cluster.text.background`: a general-language seed plus the archive's own counts), never from the
window, so a pair's features depend on its two texts only, not on what else came in tonight.
Pairwise quantities are computed only for the graph's edges, never as a dense n x n.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from cluster.text.background import Background

#: Edges processed per chunk when reading row-wise dot products: bounds the temporary
#: sparse matrices (the rows of two long texts' TF-IDF vectors per edge) to a few MB.
EDGE_CHUNK = 20_000

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
    `words`; background IDF), binary year and number rows, and character lengths for one batch."""

    words: sp.csr_matrix
    entities: sp.csr_matrix
    years: sp.csr_matrix
    heads: sp.csr_matrix
    numbers: sp.csr_matrix
    lengths: np.ndarray
    #: Each word present, at its IDF (unnormalised): the rarest word two documents share.
    rare: sp.csr_matrix
    #: Capitalised words present (binary): how many names two documents share.
    names: sp.csr_matrix

    def rows(self, idx: Sequence[int]) -> TextFeatures:
        """The features of a subset of the documents: with a fixed background a document's rows
        do not depend on the others, so one computation serves every subset of a night."""
        i = np.asarray(idx, dtype=np.int64)
        return TextFeatures(
            self.words[i],
            self.entities[i],
            self.years[i],
            self.heads[i],
            self.numbers[i],
            self.lengths[i],
            self.rare[i],
            self.names[i],
        )


#: Word tokens (sklearn's default pattern); the archive's document frequencies count these.
WORD_PATTERN = r"(?u)\b\w\w+\b"


def document_terms(text: str) -> set[str]:
    """The lower-cased word types of a text, as the archive's document frequencies count them."""
    return set(re.findall(WORD_PATTERN, text.lower()))


def _counts(vectorizer: Any, texts: Sequence[str]) -> tuple[sp.csr_matrix, list[str]]:
    """Term counts and the vocabulary; a batch with no matching token yields one empty column."""
    try:
        m = sp.csr_matrix(vectorizer.fit_transform(texts), dtype=np.float32)
    except ValueError:  # empty vocabulary
        return sp.csr_matrix((len(texts), 1), dtype=np.float32), [""]
    return m, list(vectorizer.get_feature_names_out())


def _idf_rows(
    counts: sp.csr_matrix, vocab: list[str], languages: Sequence[str | None], bg: Background
) -> sp.csr_matrix:
    """The background IDF (of each row's language) at every term a row contains."""
    m = counts.copy()
    langs = [lang or "" for lang in languages]
    scale = np.empty(m.nnz, dtype=np.float32)
    for lang in sorted(set(langs)):
        idf = bg.idf(vocab, lang)
        for r in (i for i, x in enumerate(langs) if x == lang):
            lo, hi = m.indptr[r], m.indptr[r + 1]
            scale[lo:hi] = idf[m.indices[lo:hi]]
    m.data = scale
    return m


def _weighted(counts: sp.csr_matrix, idf_rows: sp.csr_matrix) -> sp.csr_matrix:
    """Sublinear TF times the background IDF, L2-normalised rows."""
    from sklearn.preprocessing import normalize

    m = counts.copy()
    m.data = (1.0 + np.log(m.data)) * idf_rows.data
    return normalize(m)


def text_features(
    texts: Sequence[str], languages: Sequence[str | None] | None = None, background: Background | None = None
) -> TextFeatures:
    """Build the lexical views of `texts` (full "headline\\n\\nbody" strings).

    The vocabulary is the batch's, but a term's weight is the background's: two documents get
    the same similarity in any batch that holds them both.
    """
    # Imported here: sklearn costs seconds to import, and a one-document night never builds features.
    from sklearn.feature_extraction.text import CountVectorizer

    bg = background or Background()
    langs = list(languages) if languages is not None else [None] * len(texts)
    word_vec = CountVectorizer(stop_words="english", token_pattern=WORD_PATTERN, dtype=np.float32)
    counts, vocab = _counts(word_vec, texts)
    rare = _idf_rows(counts, vocab, langs, bg)
    words = _weighted(counts, rare)
    if hasattr(word_vec, "vocabulary_"):
        head_counts = sp.csr_matrix(word_vec.transform([headline(t) for t in texts]), dtype=np.float32)
        heads = _weighted(head_counts, _idf_rows(head_counts, vocab, langs, bg))
    else:
        heads = sp.csr_matrix((len(texts), 1), dtype=np.float32)
    ent_counts, ent_vocab = _counts(
        CountVectorizer(lowercase=False, token_pattern=ENTITY_PATTERN, dtype=np.float32), texts
    )
    entities = _weighted(ent_counts, _idf_rows(ent_counts, ent_vocab, langs, bg))
    names = ent_counts.copy()
    names.data[:] = 1.0
    years = _counts(CountVectorizer(token_pattern=YEAR_PATTERN, binary=True, dtype=np.float32), texts)[0]
    numbers = _counts(CountVectorizer(token_pattern=NUMBER_PATTERN, binary=True, dtype=np.float32), texts)[0]
    lengths = np.array([max(len(t), 1) for t in texts], dtype=np.float64)
    return TextFeatures(words, entities, years, heads, numbers, lengths, rare, names)


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


def edge_max_shared(matrix: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Per edge, the largest value of a column both rows contain (the smaller of the two values)."""
    out = np.empty(len(rows), dtype=np.float32)
    for start in range(0, len(rows), EDGE_CHUNK):
        stop = start + EDGE_CHUNK
        both = matrix[rows[start:stop]].minimum(matrix[cols[start:stop]])
        out[start:stop] = both.max(axis=1).toarray().ravel()
    return out


def years_disjoint(years: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1.0 on edges whose two documents both name a year (or number) but share none, else 0.0."""
    has = np.asarray(years.sum(axis=1)).ravel() > 0
    shared = edge_dot(years, rows, cols) > 0
    return (has[rows] & has[cols] & ~shared).astype(np.float32)


def years_shared(years: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """1.0 on edges whose two documents name a common year, else 0.0."""
    return (edge_dot(years, rows, cols) > 0).astype(np.float32)
