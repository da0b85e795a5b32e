"""Give tonight's clusters story ids, keeping yesterday's ids wherever the copy allows.

HDBSCAN cannot add points without refitting, and a refit renumbers everything, so identity is a
step of its own. The rule, applied deterministically:

1. **Claims.** Each cluster counts its members that already belong to a story. Claims are granted
   greedily, largest count first (ties: older story, then smaller id): a story goes to the one
   cluster holding most of its members, and a cluster claims at most one story. The claiming
   cluster keeps that id: the surviving id in any merge is the story with the most members in the
   merged cluster.
2. **Merges.** A story claimed by no cluster is absorbed whole (its out-of-window members too) by
   the cluster that holds most of its members.
3. **Splits.** Members of a story that was claimed by another cluster move with their cluster.
   A cluster of one (HDBSCAN noise) never tears an article out of its story: it stays where it was.
4. **Links.** A cluster with no previous members joins the most similar recent story that no
   cluster claimed, if their centroids' cosine is at least ``LinkParams.link_cosine``; otherwise
   it becomes a new story. New ids hash the founding member set, so reruns give the same ids.

The pipeline records every resulting change of an article's story in the lineage table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from storage.records import sha256_hex


@dataclass(frozen=True)
class LinkParams:
    #: Centroid cosine for attaching a new cluster to a recent story with no member in the window.
    #: Stories of one event measured 0.8-0.95 apart across nights on the demo corpus; distinct
    #: look-alike events below 0.75.
    link_cosine: float = 0.80


@dataclass(frozen=True)
class PriorStory:
    story_id: str
    first_seen: datetime
    size: int


@dataclass
class LinkResult:
    assignment: dict[str, str] = field(default_factory=dict)
    #: stories absorbed whole into another: old id -> survivor
    merged: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)


def new_story_id(member_ids: Sequence[str], taken: set[str]) -> str:
    """A deterministic id from the founding members, unique among `taken`."""
    base = sha256_hex("\x1f".join(sorted(member_ids)))
    for salt in range(len(taken) + 1):
        candidate = "S" + (base if salt == 0 else sha256_hex(f"{base}:{salt}"))[:11]
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: more salts than taken ids")


def link_clusters(
    clusters: Sequence[Sequence[str]],
    previous: Mapping[str, str],
    priors: Mapping[str, PriorStory],
    centroids: np.ndarray,
    recent_ids: Sequence[str],
    recent_centroids: np.ndarray,
    taken_ids: set[str],
    params: LinkParams = LinkParams(),
) -> LinkResult:
    """Assign a story id to every article of every cluster; see the module docstring for the rule."""
    result = LinkResult()
    taken = set(taken_ids)
    counts = [Counter(previous[a] for a in members if a in previous) for members in clusters]

    claims = sorted(
        (
            (-n, priors[s].first_seen, s, ci)
            for ci, c in enumerate(counts)
            if len(clusters[ci]) > 1
            for s, n in c.items()
        ),
    )
    claimed_by: dict[str, int] = {}
    story_of: dict[int, str] = {}
    for _, _, story, ci in claims:
        if story in claimed_by or ci in story_of:
            continue
        claimed_by[story] = ci
        story_of[ci] = story

    unclaimed_recent = [i for i, s in enumerate(recent_ids) if s not in claimed_by]
    for ci, members in enumerate(clusters):
        if ci in story_of or counts[ci]:
            continue
        if unclaimed_recent and len(recent_centroids):
            sims = recent_centroids[unclaimed_recent] @ centroids[ci]
            best = int(np.argmax(sims))
            if sims[best] >= params.link_cosine:
                story = recent_ids[unclaimed_recent.pop(best)]
                claimed_by[story] = ci
                story_of[ci] = story
                continue
        story_of[ci] = new_story_id(members, taken)
        taken.add(story_of[ci])
        result.created.append(story_of[ci])

    moves: Counter[tuple[str, str]] = Counter()
    for ci, members in enumerate(clusters):
        if ci not in story_of:
            if len(members) == 1 and members[0] in previous:
                result.assignment[members[0]] = previous[members[0]]
                continue
            story_of[ci] = new_story_id(members, taken)
            taken.add(story_of[ci])
            result.created.append(story_of[ci])
        for a in members:
            result.assignment[a] = story_of[ci]
            old = previous.get(a)
            if old is not None and old != story_of[ci]:
                moves[(old, story_of[ci])] += 1

    # An unclaimed story is absorbed whole by the cluster that took most of it; any other part is a split.
    absorbed: dict[str, str] = {}
    for (old, target), n in sorted(moves.items(), key=lambda kv: (-kv[1], kv[0])):
        if old not in claimed_by and old not in absorbed:
            absorbed[old] = target
    result.merged = absorbed
    return result
