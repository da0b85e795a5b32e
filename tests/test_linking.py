"""Story ids across nights: survival, merges, splits, links and determinism."""

from datetime import datetime

import numpy as np

from cluster.linking import PriorStory, link_clusters, new_story_id

EMPTY = np.zeros((0, 2), dtype=np.float32)


def prior(*ids: str) -> dict[str, PriorStory]:
    return {s: PriorStory(s, datetime(2026, 11, i + 1), 1) for i, s in enumerate(ids)}


def cents(n: int) -> np.ndarray:
    return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (n, 1))


def test_story_keeps_its_id_when_it_grows():
    res = link_clusters([["a", "b", "new"]], {"a": "S1", "b": "S1"}, prior("S1"), cents(1), [], EMPTY, {"S1"})
    assert res.assignment == {"a": "S1", "b": "S1", "new": "S1"}
    assert res.merged == {} and res.created == []


def test_merge_survivor_is_the_story_with_most_members():
    prev = {"a": "S1", "b": "S2", "c": "S2"}
    res = link_clusters([["a", "b", "c", "d"]], prev, prior("S1", "S2"), cents(1), [], EMPTY, {"S1", "S2"})
    assert set(res.assignment.values()) == {"S2"}
    assert res.merged == {"S1": "S2"}


def test_split_keeps_id_on_the_larger_part():
    prev = {"a": "S1", "b": "S1", "c": "S1", "d": "S1", "e": "S1"}
    res = link_clusters([["a", "b", "c"], ["d", "e"]], prev, prior("S1"), cents(2), [], EMPTY, {"S1"})
    assert res.assignment["a"] == "S1"
    assert res.assignment["d"] == res.assignment["e"] != "S1"
    assert res.merged == {}
    assert len(res.created) == 1


def test_noise_never_tears_an_article_out_of_its_story():
    prev = {"a": "S1", "b": "S1", "c": "S1"}
    res = link_clusters([["a", "b"], ["c"]], prev, prior("S1"), cents(2), [], EMPTY, {"S1"})
    assert res.assignment == {"a": "S1", "b": "S1", "c": "S1"}


def test_new_cluster_links_to_a_recent_story_by_centroid():
    recent = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    res = link_clusters([["x", "y"]], {}, {}, cents(1), ["Sold", "Snear"], recent, {"Sold", "Snear"})
    assert set(res.assignment.values()) == {"Snear"}
    far = np.array([[0.0, 1.0]], dtype=np.float32)
    res = link_clusters([["x", "y"]], {}, {}, cents(1), ["Sold"], far, {"Sold"})
    assert res.created and set(res.assignment.values()) == set(res.created)


def test_new_ids_are_deterministic_and_unique():
    a = new_story_id(["x", "y"], set())
    assert a == new_story_id(["y", "x"], set())
    assert new_story_id(["x", "y"], {a}) != a
