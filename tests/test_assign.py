"""The night's bookkeeping rules (cluster.assign), without a database."""

from __future__ import annotations

from datetime import datetime, timedelta

from cluster.assign import (
    assignment,
    carried_stories,
    duplicate_root,
    follow_merges,
    lineage,
    membership_changes,
    time_segments,
)
from cluster.grouping.dedup import Duplicate


def _dup(a: str, of: str, reason: str = "near") -> Duplicate:
    return Duplicate(article_id=a, duplicate_of=of, reason=reason, similarity=0.95)


def test_duplicate_root_follows_chains_and_stops_on_a_cycle():
    root = duplicate_root([_dup("v1", "v2", "version"), _dup("v2", "c"), _dup("x", "y"), _dup("y", "x")])
    assert root("v1") == "c" and root("v2") == "c" and root("c") == "c"
    assert root("x") in {"x", "y"}  # a malformed cycle ends instead of looping


def test_a_new_version_inherits_its_old_versions_story_but_not_from_a_withdrawn_one():
    root = duplicate_root([_dup("old", "new", "version"), _dup("killed", "other", "version")])
    carried = carried_stories({"old": "S1", "killed": "S2"}, {"old": "canonical", "killed": "withdrawn"}, root)
    assert carried == {"old": "S1", "new": "S1", "killed": "S2"}


def test_roles_follow_the_duplicate_reason_and_withdrawn_copy_follows_a_merge():
    dups = [_dup("v", "c", "version"), _dup("r", "c", "redelivery"), _dup("n", "c", "near")]
    out = assignment({"c": "S9"}, dups, duplicate_root(dups), ["w"], {"w": "S1"}, {"S1": "S9"})
    assert out == {
        "c": ("S9", "canonical"),
        "v": ("S9", "version"),
        "r": ("S9", "version"),
        "n": ("S9", "duplicate"),
        "w": ("S9", "withdrawn"),
    }


def test_members_of_an_absorbed_story_follow_it_unless_assigned_tonight():
    members = [("a", "S1", "canonical"), ("b", "S1", "duplicate")]
    assert follow_merges(members, {"S1": "S2"}, {"a": ("S3", "canonical")}) == {"b": ("S2", "duplicate")}


def test_only_changed_memberships_are_written_and_moves_are_counted():
    wanted = {"a": ("S1", "canonical"), "b": ("S2", "canonical"), "c": ("S2", "duplicate")}
    current = {"a": ("S1", "canonical"), "b": ("S1", "canonical")}
    changes, touched, moves = membership_changes(wanted, current)
    assert changes == {"b": ("S2", "canonical"), "c": ("S2", "duplicate")}
    assert touched == {"S1", "S2"} and moves == {("S1", "S2"): 1}


def test_a_move_that_empties_a_story_is_a_merge_else_a_split():
    moves = {("S1", "S2"): 3, ("S3", "S4"): 1}
    assert lineage(moves, {"S3": 2}) == [("S1", "S2", "merge", 3), ("S3", "S4", "split", 1)]


def test_time_segments_split_at_silences_longer_than_the_gap():
    t0 = datetime(2026, 11, 1)
    times = [t0, t0 + timedelta(hours=5), t0 + timedelta(days=10), t0 + timedelta(hours=1)]
    assert time_segments(times, timedelta(hours=72)) == [[0, 1, 3], [2]]
