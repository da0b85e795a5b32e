"""Cluster one window of documents into stories: HDBSCAN over learned same-story probabilities.

How and why:
1. Candidate pairs are each document's `knn_k` nearest neighbours by embedding cosine (exact,
   `cluster.grouping.knn`). All later work happens on these O(n k) edges only, so a 50k window costs
   seconds and a few hundred MB; small windows (n <= knn_k + 1) get the complete graph.
2. Each edge gets the `PAIR_FEATURES`: embedding cosine, word / capitalised-name / headline
   TF-IDF cosines with background IDF (`cluster.text.background`), headline-vs-body overlap, year and
   number agreement, the rarest shared word, shared names and the length ratio, all functions of
   the two documents alone. A logistic regression (`PAIR_WEIGHTS`, scripts/train_pair_model.py,
   fit parts only) turns them into p(same story); pairs in different languages use the encoder's
   calibrated cosine instead (`cluster.grouping.cross_language`).
3. A logarithmic time prior is subtracted from the logit when both timestamps are known (a
   story is local in time, follow-ups days later still join on strong copy).
4. HDBSCAN proper on distance `dist_offset + 1 - p`: core distances, mutual reachability on the
   edges, minimum spanning tree, condensed tree and excess-of-mass selection (hdbscan's own
   tree code). The graph is made connected first (`cluster.grouping.density`).
5. Members whose average-link probability to the rest of their cluster is below `detach_p`
   become one-document stories: with min_samples=1 and EOM, HDBSCAN hangs every document on some
   cluster, which absorbed single-wire stories into unrelated big ones.
   Optionally, clusters whose average-link probability exceeds `merge_p` are merged.
6. Lone documents join the piece of their story on rare shared evidence (`attach_p`,
   `cluster.grouping.attach`).
7. Noise points become one-document stories, labels are renumbered by first appearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from cluster.grouping.attach import PairScore, attach_lone
from cluster.grouping.cross_language import cross_pairs
from cluster.grouping.density import hdbscan_labels, mutual_reachability
from cluster.grouping.knn import knn_graph, sort_rows, sparse_knn
from cluster.text.background import Background
from cluster.text.features import TextFeatures, edge_dot, edge_max_shared, text_features, years_disjoint, years_shared

#: Edge features, in the column order of `pair_features` and `PAIR_WEIGHTS`. Every one is a
#: function of the two documents (and the fixed background's term weights) alone: nothing here
#: depends on which other documents share the window (no neighbour ranks, no shared-neighbour
#: overlap, no hubness correction, no IDF fitted on the batch).
PAIR_FEATURES = (
    "cos",  # embedding cosine
    "words",  # word TF-IDF cosine (sublinear tf, English stop words, background IDF)
    "entities",  # capitalised-word TF-IDF cosine (names of people, places, organisations)
    "years_disjoint",  # both name a year 1950-2039, none in common
    "years_shared",  # a year in common
    "head",  # headline-vs-headline word TF-IDF cosine (headline = title, else first sentence)
    "head_body",  # max of headline-of-one vs full-text-of-other cosines
    "length_ratio",  # |log(len_i / len_j)| in characters
    "numbers_disjoint",  # both contain numbers, none in common
    "cos_words",  # cos * words: the two views agreeing counts more than either alone
    "rarest_shared",  # IDF of the rarest word both contain, / 10 (a name, a place, a street)
    "names_shared",  # log1p(capitalised words both contain)
    "cos_sq",  # cos squared: the embedding's evidence is not linear in the cosine
)

#: Logistic-regression weights (one per feature) and intercept, printed by
#: `scripts/train_pair_model.py` (sklearn LogisticRegression, C=1, lbfgs) on the candidate edges of
#: the fit parts only (`cluster.evaluate.splits`: neus train, ecbplus odd topics, gva_dev even-hash
#: stories), each corpus weighted equally.
PAIR_WEIGHTS = np.array(
    [
        -0.9838,  # cos
        +3.0520,  # words
        +3.8289,  # entities
        -0.3504,  # years_disjoint
        +1.3559,  # years_shared
        -0.0243,  # head
        +2.7742,  # head_body
        +0.5417,  # length_ratio
        -0.5875,  # numbers_disjoint
        +3.4754,  # cos_words
        +3.6214,  # rarest_shared
        +0.6341,  # names_shared
        +3.3750,  # cos_sq
    ]
)
PAIR_INTERCEPT = -8.9779


@dataclass(frozen=True)
class ClusterParams:
    """Every threshold of the clustering, with what it did on the eval sets (B-cubed F1,
    scripts/eval_clustering_lab.py, whole-file clustering, scored on the fit parts unless said
    otherwise; `cluster.evaluate.splits`).

    One parameter set serves ecbplus (long articles, ~11 docs a story), neus (title + lead, ~3
    docs a story) and gva_dev (dated local news, look-alike incidents); values were chosen on the
    fit parts of all three at once, never per corpus. With these defaults, batch: ecbplus 0.888,
    neus 0.767, gva_dev 0.908 on the whole files; the nightly path's figures, per split, are in
    docs/quality.md. Figures measured with the earlier, window-dependent pair model (rank,
    shared-neighbour and CSLS features; ecbplus 0.901, neus 0.785) are not comparable: that model
    scored pairs differently in every window.
    """

    #: Candidate neighbours per document (exact embedding kNN). Same-story pairs inside the
    #: k=30 graph: ecbplus 99.5 %, neus 91.7 % (the recall ceiling of any edge scorer here).
    #: 30 keeps a 50k window near 20 s (the kNN search is most of the time). Candidates only:
    #: a pair's probability does not depend on which other edges exist.
    knn_k: int = 30
    #: Extra candidates: each document's `tfidf_k` nearest by word TF-IDF cosine (exact sparse
    #: products in row blocks, `cluster.grouping.knn.sparse_knn`), added to the embedding kNN edges. 0 = off.
    #: Same-story neus pairs among candidates: 91.7 % (embedding k=30) -> 93.7 % (+ TF-IDF k=10).
    #: Measured with the earlier pair model only (labels within noise); the sparse search cost
    #: 6.7 s on neus (9k) and scales as n^2, too slow for a 50k window. Off; not remeasured.
    tfidf_k: int = 0
    #: Time prior: logit minus `time_penalty * ln(1 + dt / time_scale_days)` when both
    #: timestamps are known. Logarithmic, not Gaussian: a follow-up two to ten days later still
    #: joins when its content says so (arrests, charges, funerals), while look-alike events months
    #: apart need near-identical copy. Chosen on gva_dev's fit half (dated local news; batch,
    #: detach_p 0.15): penalty 0 / 0.5 / 0.6 / 0.75 / 1 / 2 gave F1 0.908 / 0.920 / 0.918 / 0.915 /
    #: 0.910 / 0.889 at precision 0.929 / 0.972 / 0.979 / 0.988 / 0.991 / 0.997; the rule was the
    #: lowest penalty keeping fit precision >= 0.98. Time off costs every dated set (docs/quality.md).
    time_scale_days: float = 1.0
    time_penalty: float = 0.75
    #: HDBSCAN distance is `dist_offset + 1 - p`. Without an offset near-certain pairs (p ~ 1)
    #: get distance ~0, i.e. near-infinite density, and excess of mass shatters big stories into
    #: those pairs: offset 0 gave ecbplus ~0.45 (recall 0.3). With the current model (batch,
    #: detach_p 0.15, time_penalty 1): 0.05 / 0.1 gave ecbplus 0.873 / 0.864, neus 0.766 / 0.754.
    dist_offset: float = 0.05
    #: HDBSCAN min_samples (core distance = distance to this many-th neighbour). 1 keeps
    #: three-document stories (2 lowered neus-val from 0.886 to 0.845 with the earlier model).
    min_samples: int = 1
    #: HDBSCAN min_cluster_size: 2, since a story reported by two wires is a story.
    min_cluster_size: int = 2
    #: "eom" (excess of mass) or "leaf". Leaf shatters ecbplus's ~11-doc stories (halves
    #: ~0.43) for +0.00-0.01 on neus.
    selection: str = "eom"
    #: After HDBSCAN, a member whose average-link p(same story) to the rest of its cluster is
    #: below this becomes a one-article story (`_detach_outliers`); 0 turns it off. Why: with
    #: min_samples=1 and EOM every point hangs from some cluster, which absorbed single-wire
    #: stories into unrelated big ones. B-cubed F1 on the fit parts (batch, time_penalty 0.75),
    #: ecbplus / neus / gva_dev: 0.10: 0.885 / 0.781 / 0.923; 0.15: 0.881 / 0.779 / 0.915;
    #: 0.25: 0.866 / 0.774 / 0.900. 0.15, not the slightly better 0.10, keeps a precision margin
    #: (gva fit precision 0.988 against 0.982); the demo's four single-wire stories stay alone at
    #: all three values.
    detach_p: float = 0.15
    #: After HDBSCAN, merge clusters whose average-link p(same story) (pairs outside the
    #: candidate graph count 0) exceeds this; 0 or 1 turns it off. With the current model
    #: (detach_p 0.15, time_penalty 1) 0.5 gave whole-file ecbplus 0.880 (+0.007), gva_dev 0.874
    #: (-0.028), neus 0.744 (-0.022); on held-out parts clustered alone it helps (neus test
    #: 0.851 -> 0.867 with detach 0.1, ecbplus even 0.856 -> 0.892). It costs the whole files,
    #: so it stays off.
    merge_p: float = 0.0
    #: A lone document (a one-document story after the steps above) joins the piece it is best
    #: linked to when its average-link p to the piece reaches `attach_p`, it shares at least
    #: `attach_rare_words` words of background IDF >= `attach_idf` with it, and they name no
    #: disjoint years or numbers; 0 = off. Why, and the grid these were chosen on (fit parts
    #: only): `cluster.grouping.attach`.
    attach_p: float = 0.4
    attach_idf: float = 6.0
    attach_rare_words: int = 3


def cluster_documents(
    vectors: np.ndarray,
    texts: Sequence[str],
    times: Sequence[datetime | None],
    params: ClusterParams = ClusterParams(),
    languages: Sequence[str | None] | None = None,
    background: Background | None = None,
    cross_language: tuple[float, float] | None = None,
    features: TextFeatures | None = None,
) -> np.ndarray:
    """Labels 0..k-1 for every doc; HDBSCAN noise becomes one-doc stories (a story one wire alone
    reports is still a story); deterministic (same input -> same labels, same order).

    `vectors` are L2-normalised embedding rows, `texts` the full "headline\\n\\nbody" strings,
    `times` publication times or None. Labels are numbered in order of each story's first document.
    """
    n = len(vectors)
    if not (len(texts) == len(times) == n):
        raise ValueError("vectors, texts and times differ in length")
    if n < 2:
        return np.arange(n, dtype=np.int64)
    if features is None and params.attach_p > 0.0:
        features = text_features(texts, languages, background)
    rows, cols, prob = pair_probabilities(
        vectors, texts, times, params, languages, background, cross_language, features
    )
    if n < 3:  # HDBSCAN needs a hierarchy to choose from; two documents are one story on evidence
        return np.array([0, 0 if prob.size and prob[0] >= params.detach_p else 1], dtype=np.int64)
    dist = params.dist_offset + 1.0 - prob
    reach = mutual_reachability(rows, cols, dist, n, params.min_samples)
    labels = hdbscan_labels(rows, cols, reach, n, params.min_cluster_size, params.selection)
    if params.detach_p > 0.0:
        labels = _detach_outliers(labels, rows, cols, prob, params.detach_p)
    if 0.0 < params.merge_p < 1.0:
        labels = _merge_clusters(labels, rows, cols, prob, params.merge_p)
    if params.attach_p > 0.0 and features is not None:
        secs = np.array([t.timestamp() if t is not None else np.nan for t in times], dtype=np.float64)
        score = pair_score(features, secs, params, languages, cross_language)
        labels = attach_lone(
            labels,
            rows,
            cols,
            features,
            np.ascontiguousarray(vectors, dtype=np.float32),
            secs,
            score,
            params.attach_p,
            params.attach_idf,
            params.attach_rare_words,
        )
    return _renumber(labels)


def pair_score(
    f: TextFeatures,
    secs: np.ndarray,
    params: ClusterParams,
    languages: Sequence[str | None] | None,
    cross_language: tuple[float, float] | None,
) -> PairScore:
    """p(same story) of any document pairs, as the candidate edges get it (features, time prior, languages)."""

    def score(rows: np.ndarray, cols: np.ndarray, emb: np.ndarray) -> np.ndarray:
        gap = np.abs(secs[rows] - secs[cols]) / 86400.0
        cross = cross_pairs(languages, rows, cols) if cross_language else None
        return edge_probability(edge_features(f, emb, rows, cols), gap, params, cross, cross_language)

    return score


def pair_probabilities(
    vectors: np.ndarray,
    texts: Sequence[str],
    times: Sequence[datetime | None],
    params: ClusterParams = ClusterParams(),
    languages: Sequence[str | None] | None = None,
    background: Background | None = None,
    cross_language: tuple[float, float] | None = None,
    features: TextFeatures | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate edges (rows < cols) and p(same story) of each, time prior included."""
    rows, cols, feats = pair_features(vectors, texts, params, languages, background, features)
    cross = cross_pairs(languages, rows, cols) if cross_language else None
    return rows, cols, edge_probability(feats, _time_gap_days(times, rows, cols), params, cross, cross_language)


def edge_probability(
    feats: np.ndarray,
    gap_days: np.ndarray,
    params: ClusterParams = ClusterParams(),
    cross: np.ndarray | None = None,
    cross_language: tuple[float, float] | None = None,
) -> np.ndarray:
    """p(same story) from `PAIR_FEATURES` rows and time gaps in days (NaN = unknown); pairs marked
    in `cross` (different languages) use the encoder's `cross_language` calibration instead."""
    logit = feats.astype(np.float64) @ PAIR_WEIGHTS + PAIR_INTERCEPT
    if cross is not None and cross_language is not None and cross.any():
        w, b = cross_language
        logit = np.where(cross, w * feats[:, 0].astype(np.float64) + b, logit)
    logit -= params.time_penalty * np.log1p(np.nan_to_num(gap_days, nan=0.0) / params.time_scale_days)
    return 1.0 / (1.0 + np.exp(-logit))


def candidate_edges(
    vectors: np.ndarray, k: int, extra: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted kNN lists (n x k, nearest first), the undirected edges (i < j, sorted) they contain,
    plus those of `extra` neighbour lists (n x m, index n = none), and each edge's embedding cosine."""
    n = len(vectors)
    idx, cos = sort_rows(*knn_graph(vectors, k))
    i = np.repeat(np.arange(n, dtype=np.int64), k)
    j = idx.ravel()
    sims = cos.ravel()
    if extra is not None and extra.size:
        ei = np.repeat(np.arange(n, dtype=np.int64), extra.shape[1])
        ej = extra.ravel()
        ok = ej < n
        i, j = np.concatenate([i, ei[ok]]), np.concatenate([j, ej[ok]])
        sims = np.concatenate([sims, np.full(int(ok.sum()), np.nan, dtype=np.float32)])
    keys, first = np.unique(np.minimum(i, j) * n + np.maximum(i, j), return_index=True)
    rows, cols, emb = keys // n, keys % n, sims[first]
    missing = np.flatnonzero(np.isnan(emb))  # TF-IDF-only edges: embedding cosine in chunks
    for start in range(0, len(missing), 100_000):
        e = missing[start : start + 100_000]
        emb[e] = np.einsum("ij,ij->i", vectors[rows[e]], vectors[cols[e]])
    return idx, cos, rows, cols, emb


def pair_features(
    vectors: np.ndarray,
    texts: Sequence[str],
    params: ClusterParams = ClusterParams(),
    languages: Sequence[str | None] | None = None,
    background: Background | None = None,
    features: TextFeatures | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Candidate edges (rows < cols) and their `PAIR_FEATURES` matrix (edges x features, float32);
    `features`, when given, are the texts' features already computed on the same background."""
    n = len(vectors)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    f = features if features is not None else text_features(texts, languages, background)
    extra = sparse_knn(f.words, params.tfidf_k)[0] if params.tfidf_k > 0 else None
    _, _, rows, cols, emb = candidate_edges(vectors, min(params.knn_k, n - 1), extra)
    return rows, cols, edge_features(f, emb, rows, cols)


def edge_features(f: TextFeatures, emb: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """`PAIR_FEATURES` of the given document pairs, from their text features and embedding cosines.
    Filled column by column into one float32 matrix: stacking the columns made float64 copies of
    all of them at once (at 50k, several hundred MB at the cluster stage's peak)."""
    out = np.empty((len(rows), len(PAIR_FEATURES)), dtype=np.float32)
    words = edge_dot(f.words, rows, cols)
    out[:, 0] = emb
    out[:, 1] = words
    out[:, 2] = edge_dot(f.entities, rows, cols)
    out[:, 3] = years_disjoint(f.years, rows, cols)
    out[:, 4] = years_shared(f.years, rows, cols)
    out[:, 5] = edge_dot(f.heads, rows, cols)
    out[:, 6] = np.maximum(edge_dot(f.heads, rows, cols, f.words), edge_dot(f.heads, cols, rows, f.words))
    out[:, 7] = np.abs(np.log(f.lengths[rows] / f.lengths[cols]))
    out[:, 8] = years_disjoint(f.numbers, rows, cols)
    out[:, 9] = emb * words
    out[:, 10] = edge_max_shared(f.rare, rows, cols) / 10.0
    out[:, 11] = np.log1p(edge_dot(f.names, rows, cols))
    out[:, 12] = emb * emb
    return out


def _detach_outliers(
    labels: np.ndarray, rows: np.ndarray, cols: np.ndarray, prob: np.ndarray, threshold: float
) -> np.ndarray:
    """Make noise (later a one-document story) of every cluster member whose average-link
    probability to the other members of its cluster is below `threshold` (one pass).

    Average link = sum of p over candidate edges to the other members / (cluster size - 1);
    pairs outside the candidate graph count as p = 0, as in `_merge_clusters`. A cluster left
    with a single member dissolves into noise as well.
    """
    labels = np.asarray(labels).copy()
    if labels.max(initial=-1) < 0:
        return labels
    inside = (labels[rows] == labels[cols]) & (labels[rows] >= 0)
    total = np.bincount(rows[inside], prob[inside], minlength=len(labels))
    total += np.bincount(cols[inside], prob[inside], minlength=len(labels))
    clustered = labels >= 0
    size = np.bincount(labels[clustered], minlength=int(labels.max(initial=-1)) + 1)
    others = np.where(clustered, size[np.maximum(labels, 0)] - 1, 0)
    weak = clustered & (total < threshold * np.maximum(others, 1))
    labels[weak] = -1
    left = np.bincount(labels[labels >= 0], minlength=len(size))
    labels[(labels >= 0) & (left[np.maximum(labels, 0)] < 2)] = -1
    return labels


def _merge_clusters(
    labels: np.ndarray, rows: np.ndarray, cols: np.ndarray, prob: np.ndarray, threshold: float
) -> np.ndarray:
    """Join clusters (noise = its own cluster) whose average-link probability exceeds `threshold`.

    Average link = sum of p over candidate edges between the two clusters / (size_a * size_b);
    pairs outside the candidate graph count as p = 0. Joins are the connected components of the
    cluster pairs above the threshold (one pass).
    """
    n = len(labels)
    labels = np.where(labels < 0, labels.max(initial=-1) + 1 + np.arange(n), labels)
    _, labels = np.unique(labels, return_inverse=True)
    m = int(labels.max()) + 1
    a, b = labels[rows], labels[cols]
    cross = a != b
    pair = (
        sp.coo_matrix((prob[cross], (np.minimum(a, b)[cross], np.maximum(a, b)[cross])), shape=(m, m)).tocsr().tocoo()
    )
    size = np.bincount(labels, minlength=m).astype(np.float64)
    join = pair.data / (size[pair.row] * size[pair.col]) > threshold
    graph = sp.coo_matrix((np.ones(int(join.sum())), (pair.row[join], pair.col[join])), shape=(m, m))
    from scipy.sparse.csgraph import connected_components  # 0.15 s of import: not for a one-story night

    return connected_components(graph, directed=False)[1][labels]


def _time_gap_days(times: Sequence[datetime | None], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """|t_i - t_j| in days per edge; NaN where either time is unknown."""
    known = np.array([t is not None for t in times], dtype=bool)
    if not known.any():
        return np.full(len(rows), np.nan)
    secs = np.array([t.timestamp() if t is not None else 0.0 for t in times])
    gap = np.abs(secs[rows] - secs[cols]) / 86400.0
    return np.where(known[rows] & known[cols], gap, np.nan)


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Noise (-1) to singletons, then 0..k-1 in order of each story's first document."""
    labels = np.where(labels < 0, labels.max(initial=-1) + 1 + np.arange(len(labels)), labels)
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]
