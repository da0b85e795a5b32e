"""The exact kNN graph is the same on its numpy path (one block) and its numba heap path."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from cluster.grouping import clustering, dedup, knn
from cluster.grouping.knn import _top_k_heaps, _top_k_one_block, knn_graph, sort_rows


def _tied_vectors(n: int, dim: int = 12, seed: int = 5) -> np.ndarray:
    """0/1 rows, some repeated: integer dot products, so many exactly tied similarities."""
    rng = np.random.default_rng(seed)
    base = (rng.random((n // 2, dim)) < 0.4).astype(np.float32)
    return np.concatenate([base, base[rng.integers(0, len(base), n - len(base))]])


@pytest.mark.parametrize("k", [1, 5, 29])
def test_numpy_and_heap_paths_give_the_same_neighbours_and_similarities_on_one_block(k):
    vecs = _tied_vectors(120)
    idx_np, sims_np = _top_k_one_block(vecs, k)
    idx_heap, sims_heap = sort_rows(*_top_k_heaps(vecs, k, block=len(vecs)))
    assert np.array_equal(idx_np, idx_heap) and np.array_equal(sims_np, sims_heap)


def test_a_window_of_one_block_takes_the_numpy_path_and_matches_several_heap_blocks():
    rng = np.random.default_rng(8)
    vecs = rng.normal(size=(200, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    idx_np, sims_np = knn_graph(vecs, 7)
    idx_heap, sims_heap = sort_rows(*knn_graph(vecs, 7, block=64))
    assert np.array_equal(idx_np, idx_heap)
    assert np.allclose(sims_np, sims_heap, atol=1e-6)


def test_near_duplicates_and_clusters_are_the_same_on_both_paths(monkeypatch):
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(12, 32))
    vecs = np.repeat(centres, 6, axis=0) + rng.normal(scale=0.05, size=(72, 32))
    vecs = (vecs / np.linalg.norm(vecs, axis=1, keepdims=True)).astype(np.float32)
    words = [f"w{s}x{i}" for s in range(12) for i in range(40)]
    texts = [" ".join(words[i // 6 * 40 : i // 6 * 40 + 30 + i % 6]) for i in range(72)]
    t0 = datetime(2026, 12, 1, tzinfo=timezone.utc)
    docs = [
        dedup.Doc(str(i), f"src{i % 3}", str(i), None, t0 + timedelta(minutes=i), str(i), False, t)
        for i, t in enumerate(texts)
    ]

    def both() -> tuple:
        keep, dups = dedup.near_duplicates(docs, vecs)
        return keep, dups, clustering.cluster_documents(vecs, texts, [None] * 72).tolist()

    on_numpy = both()

    def heaps(vectors: np.ndarray, k: int, block: int = knn.BLOCK) -> tuple[np.ndarray, np.ndarray]:
        return _top_k_heaps(np.ascontiguousarray(vectors, dtype=np.float32), k, len(vectors))

    monkeypatch.setattr(clustering, "knn_graph", heaps)
    monkeypatch.setattr(dedup, "knn_graph", heaps)
    assert on_numpy[1] and both() == on_numpy
