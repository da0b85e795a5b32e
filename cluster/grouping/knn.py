"""Exact k-nearest-neighbour graph of L2-normalised rows by blocked matrix multiply.

Why not an approximate index: pynndescent recompiles for 30-40 s in every new process and
fast_hdbscan's default graph silently fell apart from 5k documents up (field notes). An exact
search is predictable. Only the upper triangle of block pairs is multiplied (cosine is
symmetric), which halves the BLAS work, and a numba heap keeps the top k per row while
streaming, so memory stays at one block of `block` x `block` floats plus n x k results.

A window of at most one block (n <= `block`) takes a numpy path instead: the same one product
`vectors @ vectors.T` (so the same float32 similarities), then each row's top k by (similarity
descending, index ascending), the order the heap keeps. Memory: a few n x n temporaries beside
the block (about 80 MB at n = 2048), against one block for the heap. Why one block is the threshold (384-d, load ~3): numba's import plus the
first call of its cached heap cost 0.93 s in a fresh process; the numpy path's partition is
slower than the heap by at most 0.13 s a call at n = 2048 (0.17-0.20 s against 0.07-0.10 s,
k 10-30; faster below ~500), and a night makes two calls (dedup_near, cluster).
`tests/test_knn_paths.py` checks that both paths give the same neighbours and similarities.
"""

from __future__ import annotations

import numpy as np

#: Rows per block: 2048 x 2048 float32 = 16 MB per similarity block.
BLOCK = 2048


def knn_graph(vectors: np.ndarray, k: int, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine similarities of each row's k nearest other rows (n x k each).

    Exact and deterministic: ties go to the smaller column index. Requires 1 <= k < n. The order
    within a row is unspecified (`sort_rows` orders it).
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    if n <= block:
        return _top_k_one_block(vectors, k)
    return _top_k_heaps(vectors, k, block)


def _top_k_heaps(vectors: np.ndarray, k: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """`knn_graph` past one block: block products of the upper triangle streamed into numba heaps."""
    from cluster.grouping.knn_heap import push_block

    n = len(vectors)
    best_sim = np.full((n, k), -np.inf, dtype=np.float32)
    best_idx = np.full((n, k), n, dtype=np.int64)
    for r0 in range(0, n, block):
        rows = vectors[r0 : r0 + block]
        for c0 in range(r0, n, block):
            sims = rows @ vectors[c0 : c0 + block].T
            push_block(sims, r0, c0, best_sim, best_idx)
            if c0 != r0:
                push_block(np.ascontiguousarray(sims.T), c0, r0, best_sim, best_idx)
    return best_idx, best_sim


def _top_k_one_block(vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """`knn_graph` for n <= one block without numba: rows nearest first, ties to the smaller index."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    kth = -np.partition(-sims, k - 1, axis=1)[:, k - 1 : k]  # each row's k-th largest similarity
    above = sims > kth
    # Of the entries equal to the k-th value, the smallest indices fill the row up to k.
    ties = (sims == kth) & (np.cumsum(sims == kth, axis=1) <= k - above.sum(axis=1, keepdims=True))
    rows, cols = np.nonzero(above | ties)
    idx = cols.reshape(len(vectors), k).astype(np.int64)
    return sort_rows(idx, sims[rows, cols].reshape(len(vectors), k))


def sort_rows(idx: np.ndarray, sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's neighbours nearest first (ties: smaller index first), as `knn_graph` leaves heaps unordered."""
    by_index = np.argsort(idx, axis=1, kind="stable")
    idx, sims = np.take_along_axis(idx, by_index, 1), np.take_along_axis(sims, by_index, 1)
    order = np.argsort(-sims, axis=1, kind="stable")
    return np.take_along_axis(idx, order, 1), np.take_along_axis(sims, order, 1)


#: Rows per block of the sparse TF-IDF neighbour search: 1024 x 50k float32 = 200 MB dense
#: similarity block at 50k documents.
SPARSE_BLOCK = 1024


def sparse_knn(matrix, k: int, block: int = SPARSE_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosines of each row's k nearest other rows of an L2-normalised sparse matrix
    (TF-IDF), by sparse matrix products in row blocks. Exact and deterministic (ties to the smaller
    index); rows with fewer than k non-zero similarities pad with index n and similarity 0."""
    import scipy.sparse as sp

    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    n = matrix.shape[0]
    k = min(k, n - 1)
    idx = np.full((n, k), n, dtype=np.int64)
    sims = np.zeros((n, k), dtype=np.float32)
    if k <= 0:
        return idx, sims
    transposed = matrix.T.tocsc()
    for r0 in range(0, n, block):
        dense = (matrix[r0 : r0 + block] @ transposed).toarray()
        rows = np.arange(dense.shape[0])
        dense[rows, r0 + rows] = -1.0  # not its own neighbour
        top = np.argpartition(-dense, k - 1, axis=1)[:, :k]
        top_s = np.take_along_axis(dense, top, 1)
        by_index = np.argsort(top, axis=1, kind="stable")
        top, top_s = np.take_along_axis(top, by_index, 1), np.take_along_axis(top_s, by_index, 1)
        order = np.argsort(-top_s, axis=1, kind="stable")
        top, top_s = np.take_along_axis(top, order, 1), np.take_along_axis(top_s, order, 1)
        keep = top_s > 0
        idx[r0 : r0 + block] = np.where(keep, top, n)
        sims[r0 : r0 + block] = np.where(keep, top_s, 0.0)
    return idx, sims
