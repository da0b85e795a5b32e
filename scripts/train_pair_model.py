"""Train the pair scorer of `cluster.grouping.clustering` and print `PAIR_WEIGHTS` / `PAIR_INTERCEPT`.

Training pairs are the candidate edges (default k=30 kNN graphs, features exactly as
`pair_features` computes them, background = the seed plus the corpus's own document
frequencies, as an archive holding it would have) of the `fit` parts of neus, ecbplus and
gva_dev (`cluster.evaluate.splits`): edges with both ends in the fit part. Label = same gold story.
Each corpus gets equal total sample weight. The time prior is not part of this model (it is
chosen separately, on replays). sklearn LogisticRegression(C=1, lbfgs) is deterministic.
    .venv/bin/python scripts/train_pair_model.py [--emb DIR] [--corpora DIR]
Embeddings: DIR/<corpus>_minilm256.npy in file order (scripts/embed_corpora.py writes them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.evaluate.splits import split_of  # noqa: E402
from cluster.grouping.clustering import PAIR_FEATURES, pair_features  # noqa: E402
from cluster.text.background import Background  # noqa: E402
from cluster.text.features import document_terms  # noqa: E402

CORPORA = ("neus", "ecbplus", "gva_dev")


def corpus_pairs(corpora: Path, emb: Path, name: str) -> tuple[np.ndarray, np.ndarray]:
    records = [json.loads(line) for line in (corpora / f"{name}.jsonl").open(encoding="utf-8")]
    vectors = np.load(emb / f"{name}_minilm256.npy")
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    background = Background().plus(document_terms(t) for t in texts)
    rows, cols, feats = pair_features(
        vectors, texts, languages=[r.get("language") for r in records], background=background
    )
    mask = np.array([split_of(name, r) == "fit" for r in records])
    gold = np.array([str(r["story"]) for r in records])
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
    parts = {name: corpus_pairs(args.corpora, args.emb, name) for name in CORPORA}
    x = np.vstack([p[0] for p in parts.values()])
    y = np.concatenate([p[1] for p in parts.values()])
    w = np.concatenate([np.full(len(p[1]), 1.0 / len(p[1])) for p in parts.values()])
    model = LogisticRegression(C=1.0, max_iter=5000).fit(x, y, sample_weight=w / w.mean())
    for name, (xs, ys) in parts.items():
        print(
            f"# {name} fit pairs {len(ys)} ({ys.mean():.3f} positive), "
            f"AUC {roc_auc_score(ys, model.decision_function(xs)):.4f}"
        )
    print("PAIR_WEIGHTS = np.array(")
    print("    [")
    for name, coef in zip(PAIR_FEATURES, model.coef_[0]):
        print(f"        {coef:+.4f},  # {name}")
    print("    ]")
    print(")")
    print(f"PAIR_INTERCEPT = {model.intercept_[0]:+.4f}")


if __name__ == "__main__":
    main()
