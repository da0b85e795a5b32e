"""The night's bookkeeping rules, as pure functions: duplicate roots, roles, memberships, lineage.

No database and no model here: the stages hand in what they hold and write what comes back,
so each rule is unit-tested alone (tests/test_assign.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from cluster.grouping.dedup import Duplicate

#: Duplicate reasons whose article is an earlier take of the same item (role 'version'); every
#: other reason (exact, near, redistributed copy) makes a 'duplicate'.
VERSION_REASONS = ("version", "redelivery")


def duplicate_root(duplicates: Iterable[Duplicate]) -> Callable[[str], str]:
    """The canonical article each article stands for: follow `duplicate_of` to its end."""
    dup_of = {d.article_id: d.duplicate_of for d in duplicates}

    def root(article_id: str) -> str:
        seen = set()
        while article_id in dup_of and article_id not in seen:
            seen.add(article_id)
            article_id = dup_of[article_id]
        return article_id

    return root


def carried_stories(
    previous: Mapping[str, str], previous_role: Mapping[str, str], root: Callable[[str], str]
) -> dict[str, str]:
    """Each article's story before tonight, and for a canonical article that had none, the story of
    an article it now stands for (a new version takes over its old version's story); withdrawn
    articles pass nothing on."""
    out = dict(previous)
    for article_id, story in previous.items():
        r = root(article_id)
        if r not in out and previous_role.get(article_id) != "withdrawn":
            out[r] = story
    return out


def role_of(duplicate: Duplicate) -> str:
    return "version" if duplicate.reason in VERSION_REASONS else "duplicate"


def assignment(
    canonical: Mapping[str, str],
    duplicates: Sequence[Duplicate],
    root: Callable[[str], str],
    withdrawn: Iterable[str],
    previous: Mapping[str, str],
    merged: Mapping[str, str],
) -> dict[str, tuple[str, str]]:
    """(story, role) of every article tonight: canonical ones as linked, a duplicate in its root's
    story, a withdrawn article kept in its old story (or the survivor it merged into)."""
    out = {a: (s, "canonical") for a, s in canonical.items()}
    for dup in duplicates:
        target = root(dup.article_id)
        if target in canonical:
            out[dup.article_id] = (canonical[target], role_of(dup))
    for a in withdrawn:
        if a in previous:
            out[a] = (merged.get(previous[a], previous[a]), "withdrawn")
    return out


def follow_merges(
    members: Iterable[tuple[str, str, str]], merged: Mapping[str, str], assigned: Mapping[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Members (article, story, role) of absorbed stories not assigned tonight follow their story
    to the survivor."""
    return {a: (merged[s], role) for a, s, role in members if a not in assigned and s in merged}


def membership_changes(
    wanted: Mapping[str, tuple[str, str]], current: Mapping[str, tuple[str, str]]
) -> tuple[dict[str, tuple[str, str]], set[str], Counter[tuple[str, str]]]:
    """What to write: the changed memberships, every story they touch, and the articles moved
    from one story to another (old, new) -> count."""
    changes = {a: v for a, v in wanted.items() if current.get(a) != v}
    touched: set[str] = set()
    moves: Counter[tuple[str, str]] = Counter()
    for a, (story, _role) in changes.items():
        touched.add(story)
        if a in current:
            touched.add(current[a][0])
            if current[a][0] != story:
                moves[(current[a][0], story)] += 1
    return changes, touched, moves


def lineage(moves: Mapping[tuple[str, str], int], remaining: Mapping[str, int]) -> list[tuple[str, str, str, int]]:
    """(old, new, reason, articles) for every move: a 'merge' when the old story is left empty,
    else a 'split'. Every move is recorded, so no story ever changes silently."""
    return [
        (old, new, "merge" if remaining.get(old, 0) == 0 else "split", n) for (old, new), n in sorted(moves.items())
    ]


def time_segments(times: Sequence[datetime], gap: timedelta) -> list[list[int]]:
    """Indices split wherever the copy falls silent for longer than `gap`, in time order.

    Copy separated by such a silence is never one story within a night (a backfill of months
    clusters each busy stretch on its own); stories continue across silences only by linking.
    """
    order = sorted(range(len(times)), key=lambda i: times[i])
    segments: list[list[int]] = []
    for i in order:
        if segments and times[i] - times[segments[-1][-1]] <= gap:
            segments[-1].append(i)
        else:
            segments.append([i])
    return [sorted(seg) for seg in segments]
