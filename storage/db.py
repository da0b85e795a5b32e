"""Opening the one DuckDB file: migrations, the night's exclusive lock, and atomic publication.

DuckDB lets one process hold a file for writing and blocks every other process meanwhile. So a
night never writes the live file for long: it copies the file, does all its work on the copy, and
publishes it with one atomic rename. Readers open the live file read-only for the moment they
need; they see the previous night until the rename and the new one after it, never half a night.
A crash leaves the copy behind, which the next night throws away.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import duckdb

ENV_DB = "WIRESTORY_DB"
DEFAULT_DB = "wirestory.duckdb"

#: How long a reader keeps retrying while a night holds the live file for its short writes.
READ_RETRY_SECONDS = 10.0


class AlreadyRunning(RuntimeError):
    """Another night holds the lock on this database."""


class UnreadableDatabase(RuntimeError):
    """The file a reading command was pointed at is not a wirestory database it can read."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None) -> tuple | None:
    """First row or None, consuming the result: DuckDB refuses new work on an unfinished one."""
    rows = con.execute(sql, args or []).fetchall()
    return rows[0] if rows else None


def db_path(path: str | None = None) -> str:
    return path or os.environ.get(ENV_DB) or DEFAULT_DB


def migrations() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped with the package, in order: (number, name, sql)."""
    out = []
    for entry in resources.files("storage.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            out.append((int(name[:4]), name[:-4], entry.read_text(encoding="utf-8")))
    return sorted(out)


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration not yet recorded in `schema_migrations`; return the names applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    done = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    applied = []
    for number, name, sql in migrations():
        if number in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [number, name]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        row = fetch_one(con, "SELECT max(version) FROM schema_migrations")
    except duckdb.CatalogException:
        return 0
    return int(row[0] or 0)


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An in-memory, migrated database: what tests use."""
    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    return "lock" in str(exc).lower()


def connect(path: str, read_only: bool = False, retry_seconds: float = READ_RETRY_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the database, retrying briefly while another process holds it for a short write.

    A writable open migrates the schema first.
    """
    if read_only and not Path(path).exists():
        raise UnreadableDatabase(path, "no wirestory database here (run `wirestory nightly` first)")
    deadline = time.monotonic() + retry_seconds
    delay = 0.005
    while True:
        try:
            con = duckdb.connect(path, read_only=read_only)
            break
        except duckdb.IOException as exc:
            if read_only and not _is_lock_conflict(exc):
                raise _unreadable(path, exc) from exc
            if not _is_lock_conflict(exc) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
    if not read_only:
        migrate(con)
    elif schema_version(con) == 0:
        con.close()
        raise UnreadableDatabase(path, "a DuckDB database without the wirestory schema")
    return con


def _unreadable(path: str, exc: duckdb.IOException) -> UnreadableDatabase:
    """DuckDB's refusal to open `path`, as one short problem."""
    if "not a valid DuckDB database" in str(exc):
        return UnreadableDatabase(path, "not a DuckDB database")
    if Path(path).is_dir():
        return UnreadableDatabase(path, "is a folder, not a database file")
    return UnreadableDatabase(path, str(exc).removeprefix("IO Error: ").splitlines()[0])


@contextlib.contextmanager
def night_lock(path: str) -> Iterator[None]:
    """Hold the night's exclusive lock for `path`, or raise AlreadyRunning at once."""
    lock_path = f"{path}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            raise AlreadyRunning(
                f"another wirestory night is running on {path} (pid {holder or 'unknown'}); exiting"
            ) from exc
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def working_copy_path(path: str) -> str:
    return f"{path}.new"


@contextlib.contextmanager
def working_copy(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the live database; published atomically only if the block succeeds.

    Must be called under `night_lock`. A copy left by a killed night is discarded first.
    """
    work = working_copy_path(path)
    for stale in (work, f"{work}.wal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(stale)
    if Path(path).exists():
        shutil.copyfile(path, work)
    con = connect(work)
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        fd = os.open(work, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(work, path)
        dir_fd = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except BaseException:
        with contextlib.suppress(Exception):
            con.close()
        for stale in (work, f"{work}.wal"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(stale)
        raise
