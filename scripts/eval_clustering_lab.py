"""Print B-cubed P/R/F1 of `cluster_documents` on ecbplus, neus, neus-train and neus-test.

Reads precomputed embeddings (rows in file order of the eval corpora), so it runs in seconds:
    .venv/bin/python scripts/eval_clustering_lab.py [--emb DIR] [--corpora DIR] [--exact]
`--exact` also runs the dense reference (every pair scored, hdbscan on the full precomputed
matrix) to show the kNN graph path loses nothing; it needs n x n memory (neus: ~1.4 GB).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.clustering import ClusterParams, cluster_documents  # noqa: E402
from cluster.metrics import bcubed  # noqa: E402


def load(corpora: Path, emb: Path, name: str) -> tuple[list[dict], np.ndarray, list[str]]:
    records = [json.loads(line) for line in (corpora / f"{name}.jsonl").open(encoding="utf-8")]
    vectors = np.load(emb / f"{name}_minilm256.npy")
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    return records, vectors, texts


def exact_reference(vectors: np.ndarray, texts: list[str], params: ClusterParams) -> np.ndarray:
    """Same similarity on every pair (dense) and hdbscan's own precomputed-matrix path."""
    import hdbscan

    from cluster.clustering import _renumber
    from cluster.features import text_features

    f = text_features(texts)
    years = (f.years @ f.years.T).toarray() > 0
    has = np.asarray(f.years.sum(axis=1)).ravel() > 0
    sim = (
        params.w_embedding * (vectors @ vectors.T)
        + params.w_words * (f.words @ f.words.T).toarray()
        + params.w_entities * (f.entities @ f.entities.T).toarray()
        - params.year_penalty * (has[:, None] & has[None, :] & ~years)
    )
    np.fill_diagonal(sim, -np.inf)
    top = -np.partition(-sim, params.csls_k - 1, axis=1)[:, : params.csls_k].mean(axis=1)
    dist = np.maximum(1.0 - (sim - 0.5 * (top[:, None] + top[None, :])), 0.0)
    np.fill_diagonal(dist, 0.0)
    labels = hdbscan.HDBSCAN(
        min_cluster_size=params.min_cluster_size,
        min_samples=params.min_samples,
        metric="precomputed",
        cluster_selection_method=params.selection,
    ).fit_predict(dist)
    return _renumber(labels)


def report(name: str, gold: list[str], labels: np.ndarray, seconds: float) -> None:
    p, r, f = bcubed(gold, labels.tolist())
    print(f"{name:12s} n={len(gold):5d} stories={len(set(gold)):5d} pred={len(set(labels.tolist())):5d} "
          f"bcubed P={p:.3f} R={r:.3f} F1={f:.3f}  {seconds:.1f}s", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    ap.add_argument("--exact", action="store_true", help="also run the dense reference")
    args = ap.parse_args()
    params = ClusterParams()
    print(params)
    for name in ("ecbplus", "neus"):
        records, vectors, texts = load(args.corpora, args.emb, name)
        times = [None] * len(records)
        gold = [r["story"] for r in records]
        t = time.perf_counter()
        labels = cluster_documents(vectors, texts, times, params)
        report(name, gold, labels, time.perf_counter() - t)
        if args.exact:
            t = time.perf_counter()
            report(f"{name}-exact", gold, exact_reference(vectors, texts, params), time.perf_counter() - t)
        if name == "neus":
            for split in ("train", "test"):
                keep = [i for i, r in enumerate(records) if r.get("split") == split]
                t = time.perf_counter()
                sub = cluster_documents(vectors[keep], [texts[i] for i in keep], [None] * len(keep), params)
                report(f"neus-{split}", [gold[i] for i in keep], sub, time.perf_counter() - t)


if __name__ == "__main__":
    main()
