"""What a story's summary is made from: its members with their text and vectors, the first report
of their items, the wire each copy originates from, and the bodies boilerplate is judged on.

Read by the summarize stage one step of stories at a time (cluster.stages.summarize), so
these return rows for the stories asked for only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from storage.db import registered


def summary_members(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str], model: str
) -> dict[str, list[dict[str, Any]]]:
    """Every member of the given stories with its text and vector (a float32 array, None where
    `model` has none), in time order, by story. The vectors come through Arrow into one array:
    as Python lists of floats a 50k night's members cost about 600 MB."""
    cur = con.execute(
        """
        SELECT sa.story_id, sa.role, a.article_id, a.source, a.item_key, a.event_time, a.first_created,
               a.headline, a.body, a.language, e.vector
        FROM story_articles sa JOIN articles a USING (article_id)
        LEFT JOIN embeddings e ON e.content_hash = a.content_hash AND e.model = ?
        WHERE sa.story_id IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY sa.story_id, a.event_time, a.article_id
        """,
        [model, list(story_ids)],
    )
    table = cur.to_arrow_table()
    vectors = _vector_rows(table.column("vector"))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r, vector in zip(table.drop_columns(["vector"]).to_pylist(), vectors):
        r["vector"] = vector
        out[r["story_id"]].append(r)
    return out


def member_bodies(
    con: duckdb.DuckDBPyConnection, story_ids: Sequence[str], roles: Sequence[str]
) -> dict[str, list[str]]:
    """The bodies of the given stories' members of `roles`, by story (what boilerplate is judged on)."""
    out: dict[str, list[str]] = defaultdict(list)
    for story_id, body in con.execute(
        "SELECT sa.story_id, coalesce(a.body, '') FROM story_articles sa JOIN articles a USING (article_id) WHERE sa.story_id "
        "IN (SELECT unnest(?::VARCHAR[])) AND sa.role IN (SELECT unnest(?::VARCHAR[])) ORDER BY 1, a.event_time, a.article_id",
        [list(story_ids), list(roles)],
    ).fetchall():
        out[story_id].append(body)
    return out


def _vector_rows(column: pa.ChunkedArray) -> list[np.ndarray | None]:
    """Each row of a FLOAT[] column as a float32 view into one buffer, None for a NULL row."""
    lists = column.combine_chunks()
    if len(lists) == 0:
        return []
    values = lists.values.to_numpy(zero_copy_only=False)
    offsets = lists.offsets.to_numpy()
    valid = lists.is_valid().to_numpy(zero_copy_only=False)
    return [values[offsets[i] : offsets[i + 1]] if valid[i] else None for i in range(len(lists))]


def item_firsts(con: duckdb.DuckDBPyConnection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], datetime]:
    """First report time of each (source, item_key) over all its stored versions."""
    if not keys:
        return {}
    table = pa.table({"source": [k[0] for k in keys], "item_key": [k[1] for k in keys]})
    with registered(con, "_keys", table):
        rows = con.execute(
            "SELECT source, item_key, min(least(event_time, coalesce(first_created, event_time))) "
            "FROM articles JOIN _keys USING (source, item_key) GROUP BY 1, 2"
        ).fetchall()
    return {(s, k): t for s, k, t in rows}


def origin_wires(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str], max_chain: int) -> dict[str, str]:
    """The wire whose reporting each article is: the source at the end of its `duplicate_of` chain
    (followed at most `max_chain` steps), itself when it duplicates nothing."""
    if not article_ids:
        return {}
    with registered(con, "_origin_ids", pa.table({"article_id": list(article_ids)})):
        rows = con.execute(
            f"""
            WITH RECURSIVE chain(article_id, cur, depth) AS (
                SELECT article_id, article_id, 0 FROM _origin_ids
                UNION ALL
                SELECT c.article_id, d.duplicate_of, c.depth + 1
                FROM chain c JOIN duplicates d ON d.article_id = c.cur WHERE c.depth < {int(max_chain)}
            )
            SELECT c.article_id, arg_max(a.source, c.depth)
            FROM chain c JOIN articles a ON a.article_id = c.cur GROUP BY 1
            """
        ).fetchall()
    return dict(rows)
