"""Stage 7, write: store tonight's memberships and duplicates, recording every story change.

Only what changed is written. Every article that moves from one story to another is counted in
`story_lineage` as a merge (its old story left empty) or a split, so no story changes silently.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from cluster.assign import lineage, membership_changes
from cluster.events import NightReport
from cluster.grouping.dedup import Duplicate
from storage import stories as story_rows


def write_night(
    con: duckdb.DuckDBPyConnection,
    assigned: dict[str, tuple[str, str]],
    moved_whole: dict[str, tuple[str, str]],
    duplicates: Sequence[Duplicate],
    run_id: str,
    report: NightReport,
) -> set[str]:
    """Write memberships, lineage and duplicates; return the stories whose membership changed."""
    wanted = {**moved_whole, **assigned}
    changes, touched, moves = membership_changes(wanted, story_rows.memberships(con, wanted))
    report.counts["write_memberships"] = story_rows.replace_memberships(con, changes, run_id)
    remaining = story_rows.story_sizes(con, {old for old, _ in moves})
    report.counts["write_lineage"] = story_rows.record_lineage(con, lineage(moves, remaining), run_id)
    story_rows.record_duplicates(
        con, [(d.article_id, d.duplicate_of, d.reason, d.similarity) for d in duplicates], run_id
    )
    return touched
