"""Exact k-nearest-neighbour graph of L2-normalised rows by blocked matrix multiply.

Why not an approximate index: pynndescent recompiles for 30-40 s in every new process and
fast_hdbscan's default graph silently fell apart from 5k documents up (field notes). An exact
search is predictable. Only the upper triangle of block pairs is multiplied (cosine is
symmetric), which halves the BLAS work, and a numba heap keeps the top k per row while
streaming, so memory stays at one block of `block` x `block` floats plus n x k results.
"""

from __future__ import annotations

import numba
import numpy as np

#: Rows per block: 2048 x 2048 float32 = 16 MB per similarity block.
BLOCK = 2048


@numba.njit(parallel=True, cache=True)
def _push_block(sims: np.ndarray, row0: int, col0: int, best_sim: np.ndarray, best_idx: np.ndarray) -> None:
    """Offer every entry of `sims` (rows row0.., columns col0..) to the per-row min-heaps."""
    k = best_sim.shape[1]
    for r in numba.prange(sims.shape[0]):
        i = row0 + r
        heap_s = best_sim[i]
        heap_i = best_idx[i]
        for c in range(sims.shape[1]):
            j = col0 + c
            s = sims[r, c]
            if j == i or s < heap_s[0] or (s == heap_s[0] and j >= heap_i[0]):
                continue
            # replace the root (smallest; ties broken towards the larger index) and sift down
            pos = 0
            while True:
                left = 2 * pos + 1
                if left >= k:
                    break
                child = left
                right = left + 1
                if right < k and (
                    heap_s[right] < heap_s[left] or (heap_s[right] == heap_s[left] and heap_i[right] > heap_i[left])
                ):
                    child = right
                if s < heap_s[child] or (s == heap_s[child] and j > heap_i[child]):
                    break
                heap_s[pos] = heap_s[child]
                heap_i[pos] = heap_i[child]
                pos = child
            heap_s[pos] = s
            heap_i[pos] = j


def knn_graph(vectors: np.ndarray, k: int, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Indices and cosine similarities of each row's k nearest other rows (n x k each).

    Exact and deterministic: ties go to the smaller column index. Requires 1 <= k < n.
    """
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    n = len(vectors)
    best_sim = np.full((n, k), -np.inf, dtype=np.float32)
    best_idx = np.full((n, k), n, dtype=np.int64)
    for r0 in range(0, n, block):
        rows = vectors[r0 : r0 + block]
        for c0 in range(r0, n, block):
            sims = rows @ vectors[c0 : c0 + block].T
            _push_block(sims, r0, c0, best_sim, best_idx)
            if c0 != r0:
                _push_block(np.ascontiguousarray(sims.T), c0, r0, best_sim, best_idx)
    return best_idx, best_sim


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
