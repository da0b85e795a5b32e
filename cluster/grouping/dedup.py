"""Deduplication before clustering: version chains, exact re-deliveries, near-duplicate copy.

Three layers, cheapest first, each recorded as (article, duplicate_of, reason, similarity):

* ``version``: older versions of one wire item (same source and item key); ``redelivery`` when
  the wire sent the same version again, in another format or as a resend. The newest version
  stands for the item; if the newest is a kill, the whole item is withdrawn.
* ``exact``: the same normalised text under another item key or wire (a re-sent file, a wire
  redistributing another's copy untouched).
* ``near``: lightly edited copy (dpa carrying an AP story, a Reuters REFILE or "UPDATE 1" under a
  new story number): encoder cosine at least ``NEAR_COSINE`` *and* word-trigram containment at
  least ``NEAR_CONTAINMENT``. The cosine finds candidates cheaply; the containment confirms
  that the wording, not just the topic, is shared, so two reports of one event stay two articles.

Within a group of copies the canonical article comes from the wire that reported first (across
wires, the original is the earlier copy); within that wire the newest text stands (an update
supersedes its wire's earlier copy).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from cluster.grouping.knn import knn_graph
from cluster.grouping.reuse import shingles

#: Encoder cosine above which two articles are compared word by word. Copies measured on the
#: demo corpus sit above 0.95; distinct reports of one event mostly below 0.9.
NEAR_COSINE = 0.90
#: Share of the shorter text's word trigrams found in the other: 0.6 accepts a copy with a
#: new lead paragraph or a trimmed end, rejects two wires' own wording of one event (< 0.2).
NEAR_CONTAINMENT = 0.6
#: Neighbours examined per article for near-duplicate candidates.
NEAR_NEIGHBOURS = 10

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Doc:
    """What dedup needs of an article version."""

    article_id: str
    source: str
    item_key: str
    version: int | None
    event_time: datetime
    content_hash: str
    withdrawn: bool
    text: str = ""


@dataclass(frozen=True)
class Duplicate:
    article_id: str
    duplicate_of: str
    reason: str
    similarity: float


def _version_order(doc: Doc) -> tuple:
    return (doc.version if doc.version is not None else -1, doc.event_time, doc.article_id)


def _version_reason(older: Doc, newest: Doc) -> str:
    """``redelivery`` when the wire sent the same version again (another format, a resend)."""
    same = older.version is not None and older.version == newest.version
    return "redelivery" if same else "version"


def resolve_versions(docs: Sequence[Doc]) -> tuple[list[Doc], list[Duplicate], set[str]]:
    """Newest version per item; older versions as duplicates; ids of every version of killed items."""
    items: dict[tuple[str, str], list[Doc]] = {}
    for doc in docs:
        items.setdefault((doc.source, doc.item_key), []).append(doc)
    latest: list[Doc] = []
    dups: list[Duplicate] = []
    withdrawn: set[str] = set()
    for key in sorted(items):
        versions = sorted(items[key], key=_version_order)
        newest = versions[-1]
        if newest.withdrawn:
            withdrawn.update(d.article_id for d in versions)
            continue
        latest.append(newest)
        dups.extend(Duplicate(d.article_id, newest.article_id, _version_reason(d, newest), 1.0) for d in versions[:-1])
    return latest, dups, withdrawn


def _canonical_of(group: Sequence[Doc]) -> Doc:
    first = min(group, key=lambda d: (d.event_time, d.article_id))
    same_wire = [d for d in group if d.source == first.source]
    return max(same_wire, key=lambda d: (d.event_time, d.article_id))


def exact_duplicates(docs: Sequence[Doc]) -> tuple[list[Doc], list[Duplicate]]:
    """Collapse items with identical normalised text; return the canonical docs and the rest."""
    groups: dict[str, list[Doc]] = {}
    for doc in docs:
        groups.setdefault(doc.content_hash, []).append(doc)
    keep: list[Doc] = []
    dups: list[Duplicate] = []
    for group in groups.values():
        canon = _canonical_of(group)
        keep.append(canon)
        dups.extend(Duplicate(d.article_id, canon.article_id, "exact", 1.0) for d in group if d is not canon)
    keep.sort(key=lambda d: (d.event_time, d.article_id))
    return keep, dups


def trigrams(text: str) -> frozenset[tuple[str, str, str]]:
    words = _WORD.findall(text.lower())
    return frozenset(zip(words, words[1:], words[2:]))


def containment(a: frozenset, b: frozenset) -> float:
    """|A ∩ B| / min(|A|, |B|): high when one text is (nearly) inside the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _hashed_containment(a: np.ndarray, b: np.ndarray) -> float:
    """`containment` of two sorted unique arrays of hashed trigrams (what `near_duplicates` keeps:
    8 bytes a trigram instead of a tuple of three strings, ~10x less memory on a big night)."""
    if not len(a) or not len(b):
        return 0.0
    return int(np.intersect1d(a, b, assume_unique=True).size) / min(len(a), len(b))


def near_duplicates(
    docs: Sequence[Doc],
    vectors: np.ndarray,
    cosine: float = NEAR_COSINE,
    min_containment: float = NEAR_CONTAINMENT,
    neighbours: int = NEAR_NEIGHBOURS,
) -> tuple[list[int], list[Duplicate]]:
    """Group lightly edited copies; return indices of canonical docs (sorted) and the duplicates."""
    n = len(docs)
    if n < 2:
        return list(range(n)), []
    idx, sims = knn_graph(vectors, min(neighbours, n - 1))
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    grams: dict[int, np.ndarray] = {}
    vocab: dict[str, int] = {}

    def grams_of(i: int) -> np.ndarray:
        if i not in grams:
            grams[i] = shingles(docs[i].text, 3, vocab, whole=False)
        return grams[i]

    tried: set[tuple[int, int]] = set()
    #: Each article's highest confirmed containment: the similarity recorded for its duplicate row.
    best: dict[int, float] = {}
    for i, j in zip(*np.nonzero(sims >= cosine)):
        a, b = sorted((int(i), int(idx[i, j])))
        if a == b or (a, b) in tried:
            continue
        tried.add((a, b))
        c = _hashed_containment(grams_of(a), grams_of(b))
        if c >= min_containment:
            best[a] = max(best.get(a, 0.0), c)
            best[b] = max(best.get(b, 0.0), c)
            parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    keep: list[int] = []
    dups: list[Duplicate] = []
    for members in groups.values():
        canon_doc = _canonical_of([docs[i] for i in members])
        canon = next(i for i in members if docs[i] is canon_doc)
        keep.append(canon)
        for i in members:
            if i != canon:
                dups.append(Duplicate(docs[i].article_id, docs[canon].article_id, "near", round(best.get(i, 0.0), 4)))
    return sorted(keep), dups
