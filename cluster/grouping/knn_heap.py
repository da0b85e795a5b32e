"""The numba per-row min-heap update of `cluster.grouping.knn.knn_graph` for windows past one block.

Its own module so that importing `knn` never imports numba (0.4-1.0 s): a window of one block
takes the numpy path and never loads this.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(parallel=True, cache=True)
def push_block(sims: np.ndarray, row0: int, col0: int, best_sim: np.ndarray, best_idx: np.ndarray) -> None:
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
