"""The archive's document frequencies (`term_df`): read for a vocabulary, add a night's articles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

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


def add_documents(con: duckdb.DuckDBPyConnection, documents: Iterable[Iterable[str]]) -> int:
    """Count each document's terms (each once) into `term_df`; return the documents counted."""
    counts: Counter[str] = Counter()
    n = 0
    for terms in documents:
        n += 1
        counts.update(set(terms))
    if not n:
        return 0
    counts[TOTAL] = n
    with registered(con, "_df", pa.table({"term": list(counts), "df": list(counts.values())})):
        con.execute(
            "INSERT INTO term_df SELECT term, df FROM _df "
            "ON CONFLICT (term) DO UPDATE SET df = term_df.df + excluded.df"
        )
    return n
