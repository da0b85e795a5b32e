"""Stages 2 and 4, dedup: exact copies before embedding, near copies after.

Versions were resolved with the window (`cluster.window`): only the newest version of an item
and copy out of embargo go on. Exact copies (same cleaned text) need no vector; lightly edited
copies are found on the embedding kNN graph and their trigram containment.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cluster.events import NightReport
from cluster.grouping.dedup import Doc, Duplicate, exact_duplicates, near_duplicates
from cluster.settings import DedupParams
from cluster.window import Window


def exact(window: Window, report: NightReport) -> tuple[list[Doc], list[Duplicate]]:
    """The live copy of the window without exact duplicates, and those duplicates."""
    live = [d for d in window.latest if d.article_id not in window.embargoed]
    unique, dups = exact_duplicates(live)
    report.counts.update(
        dedup_versions=len(window.version_dups),
        dedup_exact=len(dups),
        dedup_withdrawn=len(window.withdrawn),
        dedup_embargoed=len(window.embargoed),
    )
    return unique, dups


def near(
    unique: Sequence[Doc], vectors: np.ndarray, params: DedupParams, report: NightReport
) -> tuple[list[Doc], np.ndarray, list[Duplicate]]:
    """The canonical copy (docs and their vectors) and the near duplicates among `unique`."""
    keep, dups = near_duplicates(
        unique,
        vectors,
        cosine=params.near_cosine,
        min_containment=params.near_containment,
        neighbours=params.near_neighbours,
    )
    report.counts["dedup_near_found"] = len(dups)
    return [unique[i] for i in keep], vectors[keep], dups
