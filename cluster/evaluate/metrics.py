"""Clustering quality against gold labels: B-cubed, pairwise, ARI and AMI."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), averaged over documents."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    if not gold:
        return 0.0, 0.0, 0.0
    joint = Counter(zip(gold, pred))
    gsize = Counter(gold)
    psize = Counter(pred)
    p = sum(c * c / psize[pl] for (_, pl), c in joint.items()) / len(gold)
    r = sum(c * c / gsize[gl] for (gl, _), c in joint.items()) / len(gold)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Precision, recall and F1 over document pairs put together. With no pairs on a side, that side is 1."""
    joint = Counter(zip(gold, pred))
    tp = sum(_pairs(c) for c in joint.values())
    pred_pairs = sum(_pairs(c) for c in Counter(pred).values())
    gold_pairs = sum(_pairs(c) for c in Counter(gold).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """Every clustering metric the evaluate command prints, keyed as in its JSON."""
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    bp, br, bf = bcubed(gold, pred)
    pp, pr, pf = pairwise(gold, pred)
    g = [str(x) for x in gold]
    q = [str(x) for x in pred]
    return {
        "bcubed_p": bp,
        "bcubed_r": br,
        "bcubed_f1": bf,
        "pairwise_p": pp,
        "pairwise_r": pr,
        "pairwise_f1": pf,
        "ari": float(adjusted_rand_score(g, q)),
        "ami": float(adjusted_mutual_info_score(g, q)),
        "n_docs": len(gold),
        "n_pred": len(set(pred)),
    }
