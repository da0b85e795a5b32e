"""Stage 6, link: give tonight's clusters story ids, so a story keeps its id from night to night.

A cluster continues the stored story most of its copy belonged to; otherwise it joins a story
only on the same evidence as clustering (average-link p(same story) against that story's own
recent copy: its copy in the window, or a quiet story's latest articles), else it founds a new
story (`cluster.grouping.linking`). Duplicates follow their canonical article; absorbed stories'
older members follow them to the survivor.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import duckdb

from cluster.assign import assignment, follow_merges
from cluster.events import NightReport
from cluster.grouping.affinity import PairScorer
from cluster.grouping.dedup import Duplicate
from cluster.grouping.linking import PriorStory, link_clusters
from cluster.settings import Settings
from cluster.stages.cluster import Clustered
from cluster.window import EPOCH, Window
from storage import stories as story_rows

Assignment = dict[str, tuple[str, str]]


def priors(con: duckdb.DuckDBPyConnection, story_ids: set[str]) -> dict[str, PriorStory]:
    """First seen and size of each story; one not stored yet counts as new and empty."""
    stored = story_rows.prior_rows(con, story_ids)
    return {s: PriorStory(s, *stored.get(s, (EPOCH, 0))) for s in story_ids}


def link_window(
    con: duckdb.DuckDBPyConnection,
    clustered: Clustered,
    window: Window,
    carried: dict[str, str],
    duplicates: Sequence[Duplicate],
    root: Callable[[str], str],
    settings: Settings,
    report: NightReport,
) -> tuple[Assignment, Assignment]:
    """(story, role) of every article tonight, and of the older members of stories absorbed tonight."""
    scorer = PairScorer(
        clustered.ids,
        clustered.vectors,
        clustered.texts,
        clustered.times,
        clustered.languages,
        clustered.background,
        settings.cluster,
        cross_language=clustered.cross_language,
        features=clustered.features,
    )
    # Stories new copy may join beyond its own cluster: every story with copy in the window
    # (its canonical copy there) and every quiet story (its most recent copy).
    recent: dict[str, list[str]] = defaultdict(list)
    for d in clustered.canon:
        if d.article_id in carried:
            recent[carried[d.article_id]].append(d.article_id)
    for q in clustered.quiet:
        recent[q.story_id].append(q.article_id)
    candidates: dict[str, Sequence[str]] = dict(recent)
    link = link_clusters(
        clustered.clusters,
        carried,
        priors(con, set(carried.values())),
        story_rows.taken_ids(con),
        scorer.affinity,
        candidates,
        scorer.shortlister(candidates),
        params=settings.link,
        affinities=scorer.affinities,
        follow_ups=lambda requests: scorer.follow_ups(
            requests, settings.link.follow_up_idf, settings.link.follow_up_words, settings.link.follow_up_time
        ),
    )
    assigned = assignment(link.assignment, duplicates, root, window.withdrawn, window.previous, link.merged)
    moved_whole = follow_merges(story_rows.members(con, link.merged), link.merged, assigned)
    report.counts["link_new_stories"] = len(link.created)
    report.counts["link_merged"] = len(link.merged)
    return assigned, moved_whole
