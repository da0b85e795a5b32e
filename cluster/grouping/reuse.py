"""Recognising a copy before it is embedded, so it takes the vector of the text it copies.

A wire redistributing another's story (dpa carrying AP, "(dpa/AP)" for "(AP)") or a new version
whose text barely changed would cost a forward pass of the encoder for a vector nearly equal to
one the night already has or is about to compute. Here such a text is matched to an *anchor*: a
text whose vector is cached or will be encoded tonight, never another copy, so the vector a copy
takes is exactly the vector of the anchor's own text.

Texts are compared by their word ``shingle_words``-shingles (lower-cased ``\\w+`` words), hashed to
64 bits. Candidates come from banded MinHash (``bands`` bands of ``rows`` values: two texts at
Jaccard J share a band with probability 1 - (1 - J**rows)**bands, 0.9998 at J = 0.9 with the
defaults, 0.00005 at J = 0.05); every candidate is then verified by the exact Jaccard of the two
shingle sets, and only J >= ``jaccard`` is accepted. The MinHash estimate never decides.

Word hashes are CRC-32 of the word (not Python's per-process `hash`), so the same text gets the
same signature in every process and the choice of anchor never depends on the run.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: Shingle Jaccard at or above which a text takes its anchor's vector. The synthetic dpa copies of
#: AP (by-line changed, last paragraph dropped) sit at 0.93-0.99 on the encoder's input; a new
#: lead sentence in a short version falls below 0.9 and is embedded. Distinct reports of one
#: event by two wires share under 0.3.
REUSE_JACCARD = 0.9
#: Words per shingle.
REUSE_SHINGLE_WORDS = 5
#: MinHash bands and values per band (bands * rows hash functions).
REUSE_BANDS = 8
REUSE_ROWS = 4

_WORD = re.compile(r"\w+")
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_P = np.uint64(0x100000001B3)  # FNV-64 prime, to combine word hashes into a shingle hash
#: Documents per vectorised MinHash block (bounds the temporary arrays).
_BLOCK = 2048


@dataclass(frozen=True)
class ReuseParams:
    """When a text takes the vector of a text it copies instead of being embedded."""

    #: Off: every new text is embedded.
    enabled: bool = True
    jaccard: float = REUSE_JACCARD
    shingle_words: int = REUSE_SHINGLE_WORDS
    bands: int = REUSE_BANDS
    rows: int = REUSE_ROWS

    def __post_init__(self) -> None:
        if not 0.0 < self.jaccard <= 1.0:
            raise ValueError(f"reuse jaccard must be in (0, 1], got {self.jaccard}")
        for name in ("shingle_words", "bands", "rows"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"reuse {name} must be a positive integer, got {value!r}")
        if self.bands * self.rows > 1024:
            raise ValueError(f"reuse bands * rows must be at most 1024, got {self.bands * self.rows}")


def shingles(text: str, k: int, vocab: dict[str, int] | None = None, whole: bool = True) -> np.ndarray:
    """Sorted unique 64-bit hashes of the text's word k-shingles (for fewer than k words one
    shingle of them all, or none if not `whole`; none for no words). `vocab` caches word hashes
    across calls."""
    words = _WORD.findall(text.lower())
    if not words or (not whole and len(words) < k):
        return np.zeros(0, dtype=np.uint64)
    if vocab is None:
        vocab = {}
    hashes = []
    for w in words:
        h = vocab.get(w)
        if h is None:
            h = vocab[w] = zlib.crc32(w.encode("utf-8")) | (len(w) << 32)
        hashes.append(h)
    w64 = np.asarray(hashes, dtype=np.uint64)
    k = min(k, len(w64))
    n = len(w64) - k + 1
    with np.errstate(over="ignore"):
        out = w64[:n].copy()
        for j in range(1, k):
            out = out * _P ^ w64[j : j + n]
    return np.unique(out)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard of two sorted unique hash arrays."""
    if not len(a) or not len(b):
        return 0.0
    inter = int(np.intersect1d(a, b, assume_unique=True).size)
    return inter / (len(a) + len(b) - inter)


def _hash_params(n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(20261202)
    a = rng.integers(1, 2**63, size=n, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=n, dtype=np.uint64)
    return a, b


def signatures(sets: Sequence[np.ndarray], n_hashes: int) -> np.ndarray:
    """MinHash signature per set (rows of `n_hashes` uint64; all-ones for an empty set)."""
    a, b = _hash_params(n_hashes)
    out = np.full((len(sets), n_hashes), _MASK, dtype=np.uint64)
    for start in range(0, len(sets), _BLOCK):
        block = [s for s in sets[start : start + _BLOCK]]
        sizes = np.array([len(s) for s in block])
        full = np.nonzero(sizes)[0]
        if not len(full):
            continue
        flat = np.concatenate([block[i] for i in full])
        starts = np.concatenate([[0], np.cumsum(sizes[full])[:-1]])
        with np.errstate(over="ignore"):
            for p in range(n_hashes):
                v = flat * a[p] + b[p]
                v ^= v >> np.uint64(31)
                out[start + full, p] = np.minimum.reduceat(v, starts)
    return out


def copies(texts: Sequence[str], known: Sequence[bool], params: ReuseParams) -> dict[int, tuple[int, float]]:
    """For texts without a vector, the anchor whose vector each may take: {index: (anchor, jaccard)}.

    `texts` in the order anchors are chosen: texts with a vector (`known`) first, then the new
    ones, oldest first. A new text is matched against the known texts and the new texts before it
    that are not themselves copies; the best verified Jaccard >= `params.jaccard` wins (ties: the
    earlier anchor). A new text with no match becomes an anchor itself (it will be encoded).
    """
    if not params.enabled or not texts:
        return {}
    vocab: dict[str, int] = {}
    sets = [shingles(t, params.shingle_words, vocab) for t in texts]
    sigs = signatures(sets, params.bands * params.rows)
    r = params.rows
    keys = [[sigs[i, band * r : (band + 1) * r].tobytes() for band in range(params.bands)] for i in range(len(texts))]
    buckets: list[dict[bytes, list[int]]] = [{} for _ in range(params.bands)]
    found: dict[int, tuple[int, float]] = {}
    for i in range(len(texts)):
        if not len(sets[i]):
            continue
        if not known[i]:
            seen: set[int] = set()
            best: tuple[float, int] | None = None
            for band, key in enumerate(keys[i]):
                for j in buckets[band].get(key, ()):
                    if j in seen:
                        continue
                    seen.add(j)
                    small, large = sorted((len(sets[i]), len(sets[j])))
                    if small < params.jaccard * large:  # Jaccard <= |small| / |large|
                        continue
                    sim = jaccard(sets[i], sets[j])
                    if sim >= params.jaccard and (best is None or sim > best[0] or (sim == best[0] and j < best[1])):
                        best = (sim, j)
            if best is not None:
                found[i] = (best[1], round(best[0], 4))
                continue
        for band, key in enumerate(keys[i]):
            buckets[band].setdefault(key, []).append(i)
    return found
