"""Which wires independently confirm a summary sentence: a redistributed copy confirms nothing.

dpa redistributing AP's story is AP's reporting under a dpa slug; the summarizer sees two wires
carrying the same sentence, but an editor counting sources must see one. An article's origin wire
is the wire at the end of its `duplicates.duplicate_of` chain (itself when it duplicates nothing);
another article supports a sentence only if it is its wire's own reporting and that wire differs
from the origin of the sentence's article.
"""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pyarrow as pa

from cluster.summarize import StorySummary

#: Longest duplicate chain followed (versions of a near-copy of a version ...); real chains are 1-2.
MAX_CHAIN = 8


def origin_wires(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> dict[str, str]:
    """The wire whose reporting each article is, following duplicate_of to its end."""
    if not article_ids:
        return {}
    con.register("_origin_ids", pa.table({"article_id": article_ids}))
    try:
        rows = con.execute(
            f"""
            WITH RECURSIVE chain(article_id, cur, depth) AS (
                SELECT article_id, article_id, 0 FROM _origin_ids
                UNION ALL
                SELECT c.article_id, d.duplicate_of, c.depth + 1
                FROM chain c JOIN duplicates d ON d.article_id = c.cur WHERE c.depth < {MAX_CHAIN}
            )
            SELECT c.article_id, arg_max(a.source, c.depth)
            FROM chain c JOIN articles a ON a.article_id = c.cur GROUP BY 1
            """
        ).fetchall()
    finally:
        con.unregister("_origin_ids")
    return dict(rows)


def independent_support(summary: StorySummary, source_of: dict[str, str], origin_of: dict[str, str]) -> StorySummary:
    """The summary with each sentence's `also_sources` limited to wires reporting on their own."""
    sentences = []
    for s in summary.sentences:
        origin = origin_of.get(s.article_id, s.source)
        also = [
            source_of[a]
            for a in s.also_article_ids
            if a in source_of and origin_of.get(a, source_of[a]) == source_of[a] != origin
        ]
        sentences.append(replace(s, also_sources=tuple(dict.fromkeys(w for w in also if w != s.source))))
    return replace(summary, sentences=tuple(sentences))
