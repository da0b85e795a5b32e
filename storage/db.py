"""Opening the one DuckDB file: migrations, the night's exclusive lock, and atomic publication.

DuckDB lets one process hold a file for writing and refuses every other process meanwhile. So a
night never writes the live file at all: it copies the file (mode, owner and group included), does
all its work on the copy, and publishes it with one atomic rename; its bookkeeping goes to the
sidecars of storage.journal. Readers open the live file read-only whenever they like; they see the
previous night until the rename and the new one after it, never half a night. A kill leaves the
copy behind, which the next night throws away; any other failure removes it at once.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import stat
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from storage import journal

ENV_DB = "WIRESTORY_DB"

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


def scalar(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None) -> Any:
    """The first column of the one row an aggregate query returns."""
    row = fetch_one(con, sql, args)
    if row is None:
        raise LookupError(f"no row from {sql!r}")
    return row[0]


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None) -> tuple | None:
    """First row or None, consuming the result: DuckDB refuses new work on an unfinished one."""
    rows = con.execute(sql, args or []).fetchall()
    return rows[0] if rows else None


@contextlib.contextmanager
def registered(con: duckdb.DuckDBPyConnection, name: str, table: Any) -> Iterator[str]:
    """`table` (Arrow) visible to SQL as `name` for the block, and gone after it even on error."""
    con.register(name, table)
    try:
        yield name
    finally:
        con.unregister(name)


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
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)", [number, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    try:
        return int(scalar(con, "SELECT max(version) FROM schema_migrations") or 0)
    except duckdb.CatalogException:
        return 0


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
    """Hold the night's exclusive lock for `path`, or raise AlreadyRunning at once.

    The lock file holds the pid of the night and gets the database's mode: never wider.
    """
    lock_path = f"{path}.lock"
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600 if Path(path).exists() else 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            raise AlreadyRunning(
                f"another wirestory night is running on {path} (pid {holder or 'unknown'}); exiting"
            ) from exc
        journal.match_database(path, fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def working_copy_path(path: str) -> str:
    return f"{path}.new"


class _Refusal(OSError):
    """An OSError whose text is the whole explanation, without the "[Errno n]" prefix."""

    def __str__(self) -> str:
        return str(self.strerror)


class NoSpace(_Refusal):
    """Too little room for the night's working copy, or the room ran out during the night."""


class OwnerNotKept(_Refusal, PermissionError):
    """The published file could not keep the live file's owner and group."""


#: Room a night needs beyond the copy itself, for what the night adds and DuckDB's WAL and
#: checkpoint: half the database (a backfill can grow it that much), at least 64 MiB.
GROWTH_FRACTION = 0.5
GROWTH_MIN_BYTES = 64 * 2**20


def space_needed(size: int) -> int:
    """Free bytes a night needs beside a database of `size` bytes: the copy plus its growth."""
    return size + max(int(size * GROWTH_FRACTION), GROWTH_MIN_BYTES)


def _human(n: float) -> str:
    if n < 1000:
        return f"{n:.0f} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1000
        if n < 1000:
            return f"{n:.1f} {unit}"
    return f"{n / 1000:.1f} TB"


def _mount_point(path: str) -> str:
    here = os.path.dirname(os.path.abspath(path))
    while not os.path.ismount(here):
        here = os.path.dirname(here)
    return here


def check_space(path: str) -> None:
    """Refuse the night before any work when the working copy would not fit."""
    size = os.stat(path).st_size if Path(path).exists() else 0
    need = space_needed(size)
    free = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free
    if free < need:
        raise NoSpace(
            errno.ENOSPC,
            f"no space left on {_mount_point(path)}: need {_human(need)} for the working copy of {path} "
            f"({_human(size)} plus room to grow), {_human(free)} free; nothing was changed, the archive is as it was",
        )


def _is_no_space(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    return isinstance(exc, duckdb.Error) and "no space left" in str(exc).lower()


def _owner(st: os.stat_result) -> str:
    """'user uid 1000 (ana), group gid 1000 (ana)', with names where the system knows them."""
    import grp
    import pwd

    def named(lookup, number: int) -> str:
        try:
            return f"{number} ({lookup(number)[0]})"
        except KeyError:
            return str(number)

    return f"user uid {named(pwd.getpwuid, st.st_uid)}, group gid {named(grp.getgrgid, st.st_gid)}"


def _start_copy(path: str, work: str) -> None:
    """Copy the live file to `work` with the live file's mode, owner and group, or refuse first.

    The owner is tried on the empty file, so a night that cannot keep it stops before copying.
    """
    live = os.stat(path)
    fd = os.open(work, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if (live.st_uid, live.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.fchown(fd, live.st_uid, live.st_gid)
            except PermissionError as exc:
                raise OwnerNotKept(
                    exc.errno,
                    f"cannot keep the owner of {path} ({_owner(live)}) on the night's copy: "
                    f"{exc.strerror}; run the night as that user or as root. Nothing was changed, the archive is as it was",
                ) from exc
    finally:
        os.close(fd)
    shutil.copyfile(path, work)  # writes into the file made above: its owner stays
    os.chmod(work, stat.S_IMODE(live.st_mode))


@contextlib.contextmanager
def _umask_within(path: str) -> Iterator[None]:
    """Files the night creates beside the copy (DuckDB's WAL) are no wider than the live file."""
    if not Path(path).exists():
        yield
        return
    narrow = 0o777 & ~stat.S_IMODE(os.stat(path).st_mode)
    old = os.umask(0o777)  # umask can only be read by setting it: set the narrowest meanwhile
    os.umask(old | narrow)
    try:
        yield
    finally:
        os.umask(old)


def _remove_copy(work: str) -> list[str]:
    """Delete the working copy and its WAL; return what could not be deleted."""
    left = []
    for stale in (work, f"{work}.wal"):
        try:
            os.remove(stale)
        except FileNotFoundError:
            pass
        except OSError:
            left.append(stale)
    return left


def _fsync(path: str, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class WorkingCopy:
    """The open working copy of a night: its connection, which `reopen` can renew."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.con = connect(path)

    def reopen(self) -> duckdb.DuckDBPyConnection:
        """Checkpoint, close and open the copy again, between transactions: closing the database
        hands back the memory DuckDB's allocator keeps after a large write (ingest: ~1 GB at 50k
        records, which neither a checkpoint nor its flush settings return). The copy stays
        unpublished meanwhile, so a crash in between still leaves the live file as it was."""
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = connect(self.path)
        return self.con


@contextlib.contextmanager
def working_copy(path: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable copy of the live database (its connection), as `open_working_copy`."""
    with open_working_copy(path) as copy:
        yield copy.con


@contextlib.contextmanager
def open_working_copy(path: str) -> Iterator[WorkingCopy]:
    """A writable copy of the live database; published atomically only if the block succeeds.

    Must be called under `night_lock`. A copy left by a killed night is discarded first; the copy
    has the live file's mode, owner and group, so the rename keeps them. On any failure the copy
    goes and the live file is as it was; running out of room says so, and where.
    """
    work = working_copy_path(path)
    _remove_copy(work)
    copy = None
    try:
        with _umask_within(path):
            check_space(path)
            if Path(path).exists():
                _start_copy(path, work)
            copy = WorkingCopy(work)
            yield copy
            copy.con.execute("CHECKPOINT")
            copy.con.close()
        _fsync(work)
        os.replace(work, path)
        _fsync(os.path.dirname(os.path.abspath(path)))
    except BaseException as exc:
        if copy is not None:
            with contextlib.suppress(Exception):
                copy.con.close()
        left = _remove_copy(work)
        if _is_no_space(exc) and not isinstance(exc, NoSpace):
            where = f"{', '.join(left)} could not be removed" if left else f"the working copy {work} was removed"
            raise NoSpace(
                errno.ENOSPC,
                f"no space left on {_mount_point(path)} during the night on {path} ({exc}); {where}, nothing was "
                "changed, the archive is as it was",
            ) from exc
        raise
