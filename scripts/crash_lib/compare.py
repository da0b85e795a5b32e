"""Comparing databases by content: every row of every table but `runs`, without the columns that name
a run or hold wall-clock time; the runs a process recorded; copying a database a killed night used."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from storage import db as dbm
from storage import journal, queries

#: Columns that name a run or hold wall-clock time: they differ between any two runs by design.
RUN_COLUMNS = frozenset({"run_id", "created_run", "updated_run", "applied_at"})
#: The runs table differs by design too: killed attempts leave rows (status failed).
RUN_TABLES = frozenset({"runs"})


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY 1"
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' "
        "AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def content(
    db: str,
    skip_tables: frozenset[str] | set[str] = RUN_TABLES,
    skip_columns: frozenset[str] | set[str] = RUN_COLUMNS,
) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), without the run-identity columns: what two runs must share.

    Opens the live file read-only through storage.db.connect, like any reader. A missing database
    has no content ({}).
    """
    if not Path(db).exists():
        return {}
    con = dbm.connect(db, read_only=True)
    try:
        out = {}
        for table in _tables(con):
            if table in skip_tables:
                continue
            cols = [c for c in _columns(con, table) if c not in skip_columns]
            select = ", ".join(f'"{c}"' for c in cols)
            out[table] = con.execute(f'SELECT {select} FROM "{table}" ORDER BY ALL').fetchall()
        return out
    finally:
        con.close()


def checksums(db: str, skip_tables: frozenset[str] | set[str] = RUN_TABLES) -> dict[str, tuple[int, int]]:
    """(rows, order-independent hash of every column of every row) per table but `runs`."""
    con = dbm.connect(db, read_only=True)
    try:
        return {
            t: tuple(con.execute(f'SELECT count(*), coalesce(sum(hash(t::VARCHAR)), 0) FROM "{t}" t').fetchall()[0])
            for t in _tables(con)
            if t not in skip_tables
        }
    finally:
        con.close()


def diff(a: dict[str, list[tuple]], b: dict[str, list[tuple]], limit: int = 3) -> str:
    """A short human-readable difference between two `content()` results ('' if equal)."""
    lines = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table), b.get(table)
        if ra == rb:
            continue
        if ra is None or rb is None:
            lines.append(f"{table}: only in {'second' if ra is None else 'first'}")
            continue
        sa, sb = set(map(repr, ra)), set(map(repr, rb))
        lines.append(
            f"{table}: {len(ra)} vs {len(rb)} rows; {len(sa - sb)} only in first, {len(sb - sa)} only in second"
        )
        lines += [f"  - {r[:300]}" for r in sorted(sa - sb)[:limit]] + [
            f"  + {r[:300]}" for r in sorted(sb - sa)[:limit]
        ]
    return "\n".join(lines)


def rows_in(snapshot: dict[str, list[tuple]]) -> int:
    return sum(len(v) for v in snapshot.values())


def runs_of(db: str, pid: int) -> list[tuple[str, str, str | None]]:
    """(run_id, status, error) of the runs a given process recorded: in `runs`, or journaled beside it."""
    pending = journal.pending(db)
    if Path(db).exists():
        con = dbm.connect(db, read_only=True)
        try:
            rows = queries.runs(con, None, pending)
        finally:
            con.close()
    else:
        rows = [queries.journaled_row(r, queries.RUN_COLUMNS) for r in pending]
    mine = sorted((r for r in rows if r["run_id"].endswith(f"-{pid}")), key=lambda r: r["started_at"])
    return [(r["run_id"], r["status"], r["error"]) for r in mine]


def copy_db(src: str, dst: str) -> None:
    """Replace `dst` (and anything a killed night left beside it, journal included) with a copy of `src`."""
    for leftover in (
        dst,
        f"{dst}.wal",
        f"{dst}.new",
        f"{dst}.new.wal",
        journal.night_path(dst),
        journal.journal_path(dst),
    ):
        Path(leftover).unlink(missing_ok=True)
    if src and Path(src).exists():
        shutil.copyfile(src, dst)
