"""Cluster one window of documents into stories: HDBSCAN over a combined similarity graph.

How and why:
1. Candidate pairs are each document's `knn_k` nearest neighbours by embedding cosine (exact,
   `cluster.knn`). All later work happens on these O(n k) edges only, so a 50k window costs
   seconds and a few hundred MB; small windows (n <= knn_k + 1) get the complete graph.
2. Each edge gets a combined similarity: embedding cosine (paraphrase-robust), word TF-IDF
   cosine and capitalised-name TF-IDF cosine (who/where; separate look-alike events), a penalty
   when both documents name years but no common one, and a Gaussian time-decay penalty when
   both have timestamps (a story is local in time).
3. CSLS-style hubness correction (Conneau et al. 2018): subtract half of each endpoint's mean
   similarity to its `csls_k` best neighbours. Dense topics (dozens of similar Trump stories)
   otherwise chain together while sparse topics fall apart; on neus this raised the
   nearest-neighbour-is-same-story rate from 0.71 to 0.74.
4. HDBSCAN proper: core distances, mutual reachability on the edges, minimum spanning tree,
   condensed tree and excess-of-mass selection (hdbscan's own tree code). The graph is made
   connected first (see `_connect_components`), since a kNN graph of a real window often is not.
5. Noise points become one-document stories, labels are renumbered by first appearance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp
from hdbscan._hdbscan_linkage import label as single_linkage
from hdbscan._hdbscan_tree import compute_stability, condense_tree, get_clusters
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

from cluster.features import edge_dot, text_features, years_disjoint
from cluster.knn import knn_graph


@dataclass(frozen=True)
class ClusterParams:
    """Every threshold of the clustering, with what it did on the eval sets (B-cubed F1).

    One parameter set serves both ecbplus (long articles, ~11 docs a story) and neus (title +
    lead, ~3 docs a story); values were chosen on both at once, never per corpus.
    """

    #: Weight of embedding cosine. Embedding alone: ecbplus 0.85, neus 0.72 (HDBSCAN).
    w_embedding: float = 0.4
    #: Weight of word TF-IDF cosine (sublinear tf, English stop words, max_df 0.5, fitted on the
    #: batch). 0.5/0.5 with the embedding beat either signal alone by 0.01-0.05 on both sets.
    w_words: float = 0.4
    #: Weight of capitalised-name TF-IDF cosine. Taking 0.2 from the other two lifted ecbplus
    #: 0.862 -> 0.887 and cost neus 0.01.
    w_entities: float = 0.2
    #: Subtracted when both documents name years (1950-2039) and share none. 0.2: ecbplus
    #: +0.01 in combination with names, neus unchanged (only 13 % of its docs name a year).
    year_penalty: float = 0.2
    #: Time decay: similarity minus `time_penalty * (1 - exp(-dt^2 / (2 sigma^2)))` when both
    #: timestamps are known. sigma = 3 days follows Miranda et al. 2018; with weight 0.5 two
    #: near-identical texts a week apart fall below most same-story pairs. Not measurable on
    #: ecbplus/neus (no timestamps): a documented prior, not a tuned value.
    time_sigma_days: float = 3.0
    time_penalty: float = 0.5
    #: Neighbours averaged for the CSLS hubness correction; 0 turns it off. k=10: neus
    #: 0.788 -> 0.796 with EOM selection.
    csls_k: int = 10
    #: Candidate neighbours per document. k = 30/50/80: ecbplus 0.852/0.857/0.857, neus
    #: 0.784/0.783/0.784; every pair scored (eval_clustering_lab.py --exact): 0.864 / 0.785.
    #: 30 keeps 50k docs under 60 s.
    knn_k: int = 30
    #: HDBSCAN min_samples (core distance = distance to this many-th neighbour). 1 keeps
    #: three-document stories: 2 cost neus 0.06 while adding ecbplus 0.01-0.03.
    min_samples: int = 1
    #: HDBSCAN min_cluster_size: 2, since a story reported by two wires is a story.
    min_cluster_size: int = 2
    #: "eom" (excess of mass). "leaf" gave neus +0.01 but ecbplus -0.4 (it shatters 11-doc
    #: stories), so EOM is the one choice that serves both story sizes.
    selection: str = "eom"


def cluster_documents(
    vectors: np.ndarray,
    texts: Sequence[str],
    times: Sequence[datetime | None],
    params: ClusterParams = ClusterParams(),
) -> np.ndarray:
    """Labels 0..k-1 for every doc; HDBSCAN noise becomes one-doc stories (a story one wire alone
    reports is still a story); deterministic (same input -> same labels, same order).

    `vectors` are L2-normalised embedding rows, `texts` the full "headline\\n\\nbody" strings,
    `times` publication times or None. Labels are numbered in order of each story's first document.
    """
    n = len(vectors)
    if not (len(texts) == len(times) == n):
        raise ValueError("vectors, texts and times differ in length")
    if n < 3:
        return np.arange(n, dtype=np.int64)  # HDBSCAN needs a hierarchy to choose from
    rows, cols, sim = _edges(vectors, texts, times, params)
    dist = 1.0 - _csls(rows, cols, sim, n, params.csls_k)
    reach = _mutual_reachability(rows, cols, np.maximum(dist, 0.0), n, params.min_samples)
    return _hdbscan_labels(rows, cols, reach, n, params)


def _edges(
    vectors: np.ndarray, texts: Sequence[str], times: Sequence[datetime | None], params: ClusterParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Undirected candidate edges (i < j, sorted) and their combined similarity."""
    n = len(vectors)
    k = min(params.knn_k, n - 1)
    idx, cos = knn_graph(vectors, k)
    i = np.repeat(np.arange(n, dtype=np.int64), k)
    j = idx.ravel()
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    keys, first = np.unique(lo * n + hi, return_index=True)
    rows, cols = keys // n, keys % n
    emb = cos.ravel()[first]
    feats = text_features(texts)
    sim = (
        params.w_embedding * emb
        + params.w_words * edge_dot(feats.words, rows, cols)
        + params.w_entities * edge_dot(feats.entities, rows, cols)
        - params.year_penalty * years_disjoint(feats.years, rows, cols)
        - params.time_penalty * _time_decay(times, rows, cols, params.time_sigma_days)
    )
    return rows, cols, sim.astype(np.float64)


def _time_decay(times: Sequence[datetime | None], rows: np.ndarray, cols: np.ndarray, sigma_days: float) -> np.ndarray:
    """1 - exp(-dt^2 / 2 sigma^2) per edge; 0 where either time is unknown."""
    known = np.array([t is not None for t in times])
    if not known.any():
        return np.zeros(len(rows))
    secs = np.array([t.timestamp() if t is not None else 0.0 for t in times])
    dt_days = (secs[rows] - secs[cols]) / 86400.0
    decay = 1.0 - np.exp(-(dt_days**2) / (2.0 * sigma_days**2))
    return np.where(known[rows] & known[cols], decay, 0.0)


def _per_node_sorted(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, descending: bool):
    """Both directions of every edge, grouped by node and sorted by value inside each group."""
    node = np.concatenate([rows, cols])
    val = np.concatenate([values, values])
    order = np.lexsort((-val if descending else val, node))
    node, val = node[order], val[order]
    starts = np.searchsorted(node, np.arange(n))
    return val, starts, np.bincount(node, minlength=n)


def _csls(rows: np.ndarray, cols: np.ndarray, sim: np.ndarray, n: int, k: int) -> np.ndarray:
    """Similarity minus half the mean of each endpoint's k best edge similarities."""
    if k <= 0:
        return sim
    val, starts, deg = _per_node_sorted(rows, cols, sim, n, descending=True)
    take = np.minimum(deg, k)
    csum = np.concatenate([[0.0], np.cumsum(val)])
    mean_top = (csum[starts + take] - csum[starts]) / np.maximum(take, 1)
    return sim - 0.5 * (mean_top[rows] + mean_top[cols])


def _mutual_reachability(rows: np.ndarray, cols: np.ndarray, dist: np.ndarray, n: int, min_samples: int) -> np.ndarray:
    """max(d, core_i, core_j); core = distance to the min_samples-th nearest candidate."""
    val, starts, deg = _per_node_sorted(rows, cols, dist, n, descending=False)
    core = val[starts + np.minimum(min_samples, deg) - 1]
    return np.maximum(dist, np.maximum(core[rows], core[cols]))


def _connect_components(rows: np.ndarray, cols: np.ndarray, reach: np.ndarray, n: int):
    """Guard: chain the graph's connected components together with edges longer than any real one.

    A kNN graph splits when a group of documents is closer to itself than to anything else
    (a burst of near-duplicates, a foreign-language batch). hdbscan refuses such graphs; here
    each component's first document is linked to the next component's first document at the
    largest mutual-reachability distance of the graph, roughly where a complete graph would join
    them (documents outside each other's k nearest are about that far apart). Components thus
    join only near the root of the hierarchy, and a whole component becomes one story only if
    it is itself a stable cluster.
    """
    graph = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    count, comp = connected_components(graph, directed=False)
    if count == 1:
        return rows, cols, reach
    firsts = np.unique(comp, return_index=True)[1]  # first node of each component, by component id
    far = float(reach.max(initial=1.0))
    return (
        np.concatenate([rows, firsts[:-1]]),
        np.concatenate([cols, firsts[1:]]),
        np.concatenate([reach, np.full(count - 1, far)]),
    )


def _hdbscan_labels(rows: np.ndarray, cols: np.ndarray, reach: np.ndarray, n: int, params: ClusterParams) -> np.ndarray:
    """MST of the mutual-reachability graph -> hdbscan condensed tree -> story labels."""
    rows, cols, reach = _connect_components(rows, cols, reach, n)
    # sparse matrices drop explicit zeros (exact duplicates); a tiny floor keeps those edges
    weights = np.maximum(reach, 1e-12)
    mst = minimum_spanning_tree(sp.csr_matrix((weights, (rows, cols)), shape=(n, n))).tocoo()
    order = np.lexsort((mst.col, mst.row, mst.data))
    edges = np.column_stack([mst.row[order], mst.col[order], mst.data[order]]).astype(np.float64)
    tree = condense_tree(single_linkage(edges), params.min_cluster_size)
    labels, _, _ = get_clusters(
        tree, compute_stability(tree), cluster_selection_method=params.selection, allow_single_cluster=False
    )
    return _renumber(np.asarray(labels))


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Noise (-1) to singletons, then 0..k-1 in order of each story's first document."""
    labels = np.where(labels < 0, labels.max(initial=-1) + 1 + np.arange(len(labels)), labels)
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]
