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

Chosen on the fit parts only, on the night-by-night predictions of link_days 30 (before attach),
re-linking each predicted story's first day of copy to its 5 shortlisted earlier stories (last
copy within 30 days; their 8 most recent articles), link_p 0.35 (B-cubed F1 / precision, fit
parts; off: gva_dev 0.900 / 0.989, ecbplus 0.853 / 0.907, neus 0.774 / 0.858). Time penalty
times 0 (time off for the evidence) with IDF 5-7, 2-4 words: gva_dev up to 0.912, but neus
precision 0.78-0.85 (e.g. IDF 6, 3 words: 0.910 / 0.985, 0.860 / 0.869, 0.773 / 0.824). Times
0.5: IDF 5, 2 words 0.908 / 0.988, 0.869 / 0.904, 0.775 / 0.830; IDF 6, 3 words 0.906 / 0.989,
0.867 / 0.904, 0.775 / 0.841; **IDF 6, 4 words 0.905 / 0.989, 0.867 / 0.904, 0.774 / 0.846**;
IDF 7, 2 words 0.906 / 0.989, 0.860 / 0.906, 0.775 / 0.848. Years-only veto: neus precision
0.003-0.005 lower everywhere. The rule, fixed before any held-out part of these runs was scored
(as attach's): the largest summed fit F1 gain with no fit precision loss over 0.015 on any corpus
(a first gva_dev-only printout of the time-off rows also showed its held-out part; no 0.5 row did).

2 words since 2026-12-04: once linking scored a story against its own copy beyond the cluster, the
4 words kept out synthetic ecbplus follow-ups. On the real nightly replay, fit F1 (precision), 4 -> 2
words: ecbplus 0.884 (0.928) -> 0.886 (0.928), neus 0.775 (0.852) -> 0.776 (0.846), gva_dev 0.907
(0.989) -> 0.908 (0.989); one constant, chosen on the fit parts (docs/quality.md).
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
