"""The archive's document frequencies (`term_df`): read for a vocabulary, add a night's articles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import duckdb
import pyarrow as pa

from storage.db import registered

#: The row of `term_df` that counts the articles behind it.
TOTAL = ""


def document_frequencies(con: duckdb.DuckDBPyConnection, terms: Sequence[str]) -> tuple[int, dict[str, int]]:
    """(articles counted, df of each of `terms` that the archive has seen)."""
    with registered(con, "_terms", pa.table({"term": sorted(set(terms) | {TOTAL})})):
        rows = con.execute("SELECT t.term, t.df FROM term_df t JOIN _terms USING (term)").fetchall()
    df = dict(rows)
    return int(df.pop(TOTAL, 0)), df


def add_documents(con: duckdb.DuckDBPyConnection, n_docs: int, counts: Mapping[str, int]) -> int:
    """Add `n_docs` documents whose document frequencies are `counts` (each term counted once per
    document) to `term_df`; return `n_docs`. Counts, not term sets: a night's 50k term sets held
    at once cost about a GB."""
    if not n_docs:
        return 0
    counts = {**counts, TOTAL: n_docs}
    with registered(con, "_df", pa.table({"term": list(counts), "df": list(counts.values())})):
        con.execute(
            "INSERT INTO term_df SELECT term, df FROM _df "
            "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df"
        )
    return n_docs
