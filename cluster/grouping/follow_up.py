"""The evidence that lets a follow-up report days later join its story: rare words the two share.

A follow-up (an arrest, charges, a funeral three to ten days after a shooting) repeats the names
of the story, its street, its town, but the time prior (`ClusterParams.time_penalty`) takes
1 to 2.5 logits off every pair of it a few days later, so linking split it off. Look-alike
incidents days apart, on the other hand, share the template ("shot", "police said") and often the
town, rarely the names. So linking relaxes the time prior for one (new copy, story) request only
when, between the new copy and the story's recent copy (each side the union of its articles'
words):

* at least `LinkParams.follow_up_words` words of background IDF >= `LinkParams.follow_up_idf`
  are shared (a rare name, a street: words in under ~e^-(idf-1) of the archive's documents);
* the two sides do not both name years, or numbers, with none in common (the veto of
  `cluster.grouping.attach`).

The relaxed affinity must still reach `link_p`, so the request needs the rare words *and* copy
that matches: more evidence than a join in the same night, never less. Every gate is a function
of the two groups and the fixed background alone, so it does not change with the window.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from cluster.text.features import TextFeatures


def union_rows(owner: sp.csr_matrix, marks: sp.csr_matrix) -> sp.csr_matrix:
    """Per request (row of `owner`, requests x documents), the columns of `marks` (documents x
    columns) any of its documents has, as 1."""
    binary = marks.copy().tocsr()
    binary.data = np.ones_like(binary.data)
    union = (owner @ binary).tocsr()
    union.data = np.ones_like(union.data)
    return union


def _owner(sides: Sequence[np.ndarray], n_docs: int) -> sp.csr_matrix:
    rows = np.repeat(np.arange(len(sides)), [len(s) for s in sides])
    cols = np.concatenate([np.asarray(s, dtype=np.int64) for s in sides]) if sides else np.zeros(0, np.int64)
    return sp.csr_matrix((np.ones(len(cols)), (rows, cols)), shape=(len(sides), n_docs))


def shared_evidence(
    f: TextFeatures, a: Sequence[np.ndarray], b: Sequence[np.ndarray], min_idf: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per request (a[r], b[r], documents' row indices in `f`): the number of words of IDF >=
    `min_idf` both sides contain, and the veto (both name years, or both numbers, none shared)."""
    n = f.rare.shape[0]
    own_a, own_b = _owner(a, n), _owner(b, n)
    rare = f.rare.multiply(f.rare >= min_idf).tocsr()
    rare.eliminate_zeros()
    shared = np.asarray(union_rows(own_a, rare).multiply(union_rows(own_b, rare)).sum(axis=1)).ravel()
    veto = np.zeros(len(a), dtype=bool)
    for marks in (f.years, f.numbers):
        ua, ub = union_rows(own_a, marks), union_rows(own_b, marks)
        both = (np.asarray(ua.sum(axis=1)).ravel() > 0) & (np.asarray(ub.sum(axis=1)).ravel() > 0)
        veto |= both & (np.asarray(ua.multiply(ub).sum(axis=1)).ravel() == 0)
    return shared.astype(np.int64), veto
