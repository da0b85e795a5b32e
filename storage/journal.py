"""What a night records beside the database, so that it never writes the live file before it publishes.

Any write to the live DuckDB file locks it and refuses every reader for that moment, so a night
keeps its bookkeeping in two small sidecar files instead:

* `<db>.night` - the night now running (run id, pid, start, command, parameters), one JSON object
  written atomically under the night lock and removed when the night ends. Found by the next night,
  it is a night that was killed: that night journals it as failed.
* `<db>.runs.jsonl` - runs that ended without publishing (failed, killed, or unchanged and so
  skipped), one JSON object a line, appended with fsync. The next published night folds them into
  its working copy's `runs` table, and they are dropped from the journal once that copy is live.

Readers merge both with `runs` (the table wins for a run id it holds). Sidecars get the mode, and
where the process may, the owner of the database, so they never show more than the database does.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

INTERRUPTED = "killed or crashed before it finished"


def night_path(db: str) -> str:
    return f"{db}.night"


def journal_path(db: str) -> str:
    return f"{db}.runs.jsonl"


def match_database(db: str, fd: int) -> None:
    """Give a sidecar the database's mode (never wider) and, where permitted, its owner."""
    try:
        live = os.stat(db)
    except FileNotFoundError:
        return  # a fresh database: the sidecar keeps the mode the umask gave it, like the database will
    with contextlib.suppress(PermissionError):  # a file someone else owns keeps its mode
        os.fchmod(fd, stat.S_IMODE(live.st_mode) & 0o666)
    here = os.fstat(fd)
    if (here.st_uid, here.st_gid) != (live.st_uid, live.st_gid):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, live.st_uid, live.st_gid)


def _fsync_dir(path: str) -> None:
    fd = os.open(os.path.dirname(os.path.abspath(path)) or ".", os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_atomic(db: str, path: str, data: bytes) -> None:
    tmp = f"{path}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        match_database(db, fd)
        os.write(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    _fsync_dir(path)


def begin(db: str, record: dict[str, Any]) -> None:
    """Record the night now running in `<db>.night`."""
    _write_atomic(db, night_path(db), json.dumps({**record, "status": "running"}, default=str).encode())


def running(db: str) -> dict[str, Any] | None:
    """The night recorded as running, if any (a dead pid means it was killed)."""
    try:
        return json.loads(Path(night_path(db)).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def end(db: str) -> None:
    """The night is over (published, or journaled): forget it."""
    with contextlib.suppress(FileNotFoundError):
        os.remove(night_path(db))


def append(db: str, record: dict[str, Any]) -> None:
    """Journal a run that ended without publishing; durable once this returns."""
    path = journal_path(db)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        match_database(db, fd)
        os.write(fd, (json.dumps(record, default=str, sort_keys=True) + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(db: str, finished_at: str) -> int:
    """Journal a night left running by a killed process as failed; call under the night lock."""
    left = running(db)
    if left is None:
        return 0
    append(db, {**left, "status": "failed", "finished_at": finished_at, "error": left.get("error") or INTERRUPTED})
    end(db)
    return 1


def entries(db: str) -> list[dict[str, Any]]:
    """Journaled runs, the last record of each run id, oldest first; a torn last line is skipped."""
    try:
        lines = Path(journal_path(db)).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    latest: dict[str, dict[str, Any]] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and record.get("run_id"):
            latest[record["run_id"]] = record
    return sorted(latest.values(), key=lambda r: str(r.get("started_at")))


def forget(db: str, run_ids: set[str]) -> None:
    """Drop journaled runs now in the published `runs` table; call under the night lock."""
    if not run_ids:
        return
    keep = [r for r in entries(db) if r["run_id"] not in run_ids]
    if keep:
        _write_atomic(db, journal_path(db), "".join(json.dumps(r, sort_keys=True) + "\n" for r in keep).encode())
    else:
        with contextlib.suppress(FileNotFoundError):
            os.remove(journal_path(db))


def _alive(pid: Any) -> bool:
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, TypeError):
        return False
    except PermissionError:
        return True
    return True


def pending(db: str) -> list[dict[str, Any]]:
    """Runs not in the published `runs` table yet: the journal plus the night now running.

    Read these before opening the database: a night publishing in between then shows its runs in
    the table, and the table wins.
    """
    out = {r["run_id"]: r for r in entries(db)}
    now = running(db)
    if now and now.get("run_id") and now["run_id"] not in out:
        if not _alive(now.get("pid")):
            now = {**now, "error": f"process {now.get('pid')} is gone ({INTERRUPTED}); the next night marks it failed"}
        out[now["run_id"]] = now
    return list(out.values())
