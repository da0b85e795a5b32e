"""HDBSCAN proper on a sparse candidate graph: core distances, mutual reachability, the minimum
spanning tree and hdbscan's own condensed-tree selection (`cluster.grouping.clustering` step 4).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def per_node_sorted(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, descending: bool):
    """Both directions of every edge, grouped by node and sorted by value inside each group."""
    node = np.concatenate([rows, cols])
    val = np.concatenate([values, values])
    order = np.lexsort((-val if descending else val, node))
    node, val = node[order], val[order]
    starts = np.searchsorted(node, np.arange(n))
    return val, starts, np.bincount(node, minlength=n)


def mutual_reachability(rows: np.ndarray, cols: np.ndarray, dist: np.ndarray, n: int, min_samples: int) -> np.ndarray:
    """max(d, core_i, core_j); core = distance to the min_samples-th nearest candidate."""
    val, starts, deg = per_node_sorted(rows, cols, dist, n, descending=False)
    core = val[starts + np.minimum(min_samples, deg) - 1]
    return np.maximum(dist, np.maximum(core[rows], core[cols]))


def connect_components(rows: np.ndarray, cols: np.ndarray, reach: np.ndarray, n: int):
    """Guard: chain the graph's connected components together with edges longer than any real one.

    A kNN graph splits when a group of documents is closer to itself than to anything else
    (a burst of near-duplicates, a foreign-language batch). hdbscan refuses such graphs; here
    each component's first document is linked to the next component's first document at the
    largest mutual-reachability distance of the graph, roughly where a complete graph would join
    them (documents outside each other's k nearest are about that far apart). Components thus
    join only near the root of the hierarchy, and a whole component becomes one story only if
    it is itself a stable cluster.
    """
    from scipy.sparse.csgraph import connected_components  # not imported by a one-story night

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


def hdbscan_labels(
    rows: np.ndarray, cols: np.ndarray, reach: np.ndarray, n: int, min_cluster_size: int, selection: str
) -> np.ndarray:
    """MST of the mutual-reachability graph -> hdbscan condensed tree -> story labels."""
    # Imported here: `import hdbscan` pulls in sklearn and scipy.stats (~4 s at load 5), which a
    # night of fewer than three documents never needs.
    from hdbscan._hdbscan_linkage import label as single_linkage
    from hdbscan._hdbscan_tree import compute_stability, condense_tree, get_clusters
    from scipy.sparse.csgraph import minimum_spanning_tree

    rows, cols, reach = connect_components(rows, cols, reach, n)
    # sparse matrices drop explicit zeros (exact duplicates); a tiny floor keeps those edges
    weights = np.maximum(reach, 1e-12)
    mst = minimum_spanning_tree(sp.csr_matrix((weights, (rows, cols)), shape=(n, n))).tocoo()
    order = np.lexsort((mst.col, mst.row, mst.data))
    edges = np.column_stack([mst.row[order], mst.col[order], mst.data[order]]).astype(np.float64)
    tree = condense_tree(single_linkage(edges), min_cluster_size)
    labels, _, _ = get_clusters(
        tree, compute_stability(tree), cluster_selection_method=selection, allow_single_cluster=False
    )
    return np.asarray(labels)
