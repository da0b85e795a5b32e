"""Time and peak memory of `cluster_documents` on synthetic windows of 1k, 10k and 50k documents.

Stories of 1-8 documents are Gaussian clouds around random centres on the unit sphere in 384
dimensions (cosine to the centre ~0.75, like MiniLM same-story pairs); texts are short
template sentences with story-specific names, places and numbers, so TF-IDF has realistic
vocabulary growth. Each size runs in a fresh process so peak RSS is that size's own. The time includes counting the
window's terms into the background, as a night does before clustering.
    .venv/bin/python scripts/bench_cluster.py [SIZES...]
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = "storm vote court fire strike deal talks crash election protest trial merger quake flood".split()


def synthetic(n: int, dim: int = 384, seed: int = 0) -> tuple[np.ndarray, list[str], list[datetime], np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, size=n)
    gold = np.repeat(np.arange(n), sizes)[:n]
    centres = rng.standard_normal((gold.max() + 1, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vecs = centres[gold] + 0.045 * rng.standard_normal((n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    t0 = datetime(2024, 5, 1)
    story_time = rng.uniform(0, 24, size=gold.max() + 1)
    texts, times = [], []
    for i, g in enumerate(gold):
        word = WORDS[g % len(WORDS)]
        texts.append(
            f"{word.title()} in Town{g} leaves {g % 97} hurt\n\n"
            f"Officials in Town{g} said the {word} involving Person{g} and Group{g % 500} "
            f"affected {g % 1000} people on day {i % 7}, wire {i % 5} reported."
        )
        times.append(t0 + timedelta(hours=float(story_time[g] + rng.uniform(0, 3))))
    return vecs, texts, times, gold


def run_one(n: int) -> None:
    import resource

    from cluster.evaluate.metrics import bcubed
    from cluster.grouping.clustering import cluster_documents
    from cluster.text.background import Background
    from cluster.text.features import document_terms

    vecs, texts, times, gold = synthetic(n)
    languages = ["en"] * n
    cluster_documents(vecs[:200], texts[:200], times[:200], languages=languages[:200])  # JIT, seed load
    t = time.perf_counter()
    background = Background().plus(document_terms(x) for x in texts)  # the night reads this from term_df
    labels = cluster_documents(vecs, texts, times, languages=languages, background=background)
    secs = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    f1 = bcubed(gold.tolist(), labels.tolist())[2]
    print(f"n={n:6d}  {secs:6.1f} s  peak RSS {peak_mb:7.0f} MB  bcubed F1 {f1:.3f}", flush=True)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        run_one(int(sys.argv[2]))
        return
    for n in [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]:
        subprocess.run([sys.executable, __file__, "--one", str(n)], check=True)


if __name__ == "__main__":
    main()
