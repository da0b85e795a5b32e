"""Train the pair scorer of `cluster.clustering` and print `PAIR_WEIGHTS` / `PAIR_INTERCEPT`.

Training pairs are the candidate edges (default k=30 kNN graphs, features exactly as
`pair_features` computes them) of
  * neus, the whole file clustered as one batch, edges with BOTH ends in the `train` split;
  * ecbplus, the whole file as one batch, edges with BOTH ends in an odd-numbered `topic`
    (the even-numbered topics are held out and reported separately by eval_clustering_lab.py).
Label = same gold `story`. Each corpus gets equal total sample weight (neus has ~20x the edges).
sklearn LogisticRegression(C=1, lbfgs) is deterministic, so the printed constants reproduce.
    .venv/bin/python scripts/train_pair_model.py [--emb DIR] [--corpora DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.clustering import PAIR_FEATURES, pair_features  # noqa: E402


def corpus_pairs(corpora: Path, emb: Path, name: str, keep) -> tuple[np.ndarray, np.ndarray]:
    records = [json.loads(line) for line in (corpora / f"{name}.jsonl").open(encoding="utf-8")]
    vectors = np.load(emb / f"{name}_minilm256.npy")
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    rows, cols, feats = pair_features(vectors, texts)
    mask = np.array([keep(r) for r in records])
    gold = np.array([r["story"] for r in records])
    sel = mask[rows] & mask[cols]
    return feats[sel], (gold[rows] == gold[cols])[sel].astype(np.int64)


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    args = ap.parse_args()
    xn, yn = corpus_pairs(args.corpora, args.emb, "neus", lambda r: r.get("split") == "train")
    xe, ye = corpus_pairs(args.corpora, args.emb, "ecbplus", lambda r: int(r["topic"]) % 2 == 1)
    x, y = np.vstack([xn, xe]), np.concatenate([yn, ye])
    w = np.concatenate([np.full(len(yn), 1.0 / len(yn)), np.full(len(ye), 1.0 / len(ye))])
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w / w.mean())
    print(f"# pairs: neus-train {len(yn)} ({yn.mean():.3f} positive), ecbplus-odd {len(ye)} ({ye.mean():.3f})")
    print(f"# training AUC: neus {roc_auc_score(yn, model.decision_function(xn)):.4f}, "
          f"ecbplus {roc_auc_score(ye, model.decision_function(xe)):.4f}")
    print("PAIR_WEIGHTS = np.array(")
    print("    [")
    for name, coef in zip(PAIR_FEATURES, model.coef_[0]):
        print(f"        {coef:+.4f},  # {name}")
    print("    ]")
    print(")")
    print(f"PAIR_INTERCEPT = {model.intercept_[0]:+.4f}")


if __name__ == "__main__":
    main()
