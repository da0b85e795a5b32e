"""Clustering metrics against cases computed by hand."""

import pytest

from cluster.evaluate.metrics import bcubed, pairwise, score

GOLD = ["a", "a", "a", "b", "b"]


def test_all_singletons():
    p, r, f = bcubed(GOLD, [1, 2, 3, 4, 5])
    assert p == 1.0
    # a-docs each recall 1/3, b-docs each 1/2: (3 * 1/3 + 2 * 1/2) / 5 = 0.4
    assert r == pytest.approx(0.4)
    assert f == pytest.approx(2 * 0.4 / 1.4)
    pp, pr, pf = pairwise(GOLD, [1, 2, 3, 4, 5])
    assert (pp, pr, pf) == (1.0, 0.0, 0.0)


def test_one_big_cluster():
    p, r, _ = bcubed(GOLD, [0] * 5)
    # precision per doc: a-docs 3/5, b-docs 2/5 -> (3*0.6 + 2*0.4)/5 = 0.52
    assert p == pytest.approx(0.52)
    assert r == 1.0
    pp, pr, _ = pairwise(GOLD, [0] * 5)
    # 4 true pairs (3 in a, 1 in b) among 10 predicted pairs
    assert pp == pytest.approx(0.4)
    assert pr == 1.0


def test_mixed_case():
    pred = [1, 1, 2, 2, 2]
    p, r, _ = bcubed(GOLD, pred)
    # docs 0,1: p=1, doc 2: p=1/3, docs 3,4: p=2/3 -> (1+1+1/3+2/3+2/3)/5
    assert p == pytest.approx((2 + 1 / 3 + 4 / 3) / 5)
    # docs 0,1: r=2/3, doc 2: r=1/3, docs 3,4: r=1 -> (4/3 + 1/3 + 2)/5
    assert r == pytest.approx((4 / 3 + 1 / 3 + 2) / 5)
    pp, pr, _ = pairwise(GOLD, pred)
    assert pp == pytest.approx(2 / 4)  # true pairs (0,1) and (3,4) among 4 predicted
    assert pr == pytest.approx(2 / 4)  # of 4 gold pairs


def test_perfect_and_keys():
    s = score(GOLD, ["x", "x", "x", "y", "y"])
    assert s["bcubed_f1"] == 1.0 and s["pairwise_f1"] == 1.0
    assert s["ari"] == pytest.approx(1.0) and s["ami"] == pytest.approx(1.0)
    assert s["n_docs"] == 5 and s["n_pred"] == 2


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError):
        bcubed(["a"], [1, 2])
