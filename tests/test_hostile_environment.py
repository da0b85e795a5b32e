"""A night in a hostile environment: a restricted archive, readers that never retry, a full disk.

* The published file keeps the mode, owner and group the archive had (the working copy gets them
  before the rename); when they cannot be kept the night refuses before any work.
* Plain `duckdb.connect(db, read_only=True)`, no retry, every 20 ms from another process through
  whole nights - start, publication, a killed night, an unchanged rerun - is never refused: a night
  writes nothing into the live file before its atomic rename.
* Out of room - too little free space for the copy, ENOSPC while copying, during the night's writes
  - the night fails saying so, leaves no working copy, the live file is byte for byte as it was,
  the failure is journaled, and the next night succeeds with nothing to delete by hand.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import time
from collections import namedtuple
from pathlib import Path

import duckdb
import pytest
from conftest import DEMO, ROOT

from storage import db as dbm
from storage import journal

sys.path.insert(0, str(ROOT / "scripts"))
import crash_harness as harness  # noqa: E402

NIGHT1, NIGHT2 = DEMO / "night1.jsonl", DEMO / "night2.jsonl"
OTHER_UID = OTHER_GID = 12345


def _mode(path: str) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def _sidecars(db: str) -> list[str]:
    return [p for p in (f"{db}.lock", journal.night_path(db), journal.journal_path(db)) if os.path.exists(p)]


def _assert_nothing_changed(db: str, before: bytes, message: str) -> None:
    """The failed night left no working copy, the live file as it was, and its failure journaled."""
    for leftover in (f"{db}.new", f"{db}.new.wal", f"{db}.wal", journal.night_path(db)):
        assert not os.path.exists(leftover), f"{leftover} left behind"
    assert Path(db).read_bytes() == before
    [failed] = [r for r in journal.pending(db) if r["status"] == "failed"]
    assert message in failed["error"]


# --------------------------------------------------------------------------- mode and owner


def test_mode_owner_and_group_survive_a_night(night, fake_config):
    db = fake_config.db
    night([NIGHT1])
    os.chmod(db, 0o600)
    os.chown(db, OTHER_UID, OTHER_GID)
    night([NIGHT2])
    st = os.stat(db)
    assert (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid) == (0o600, OTHER_UID, OTHER_GID)
    for side in _sidecars(db):
        assert _mode(side) & ~0o600 == 0, f"{side} is {oct(_mode(side))}, wider than the database"


def test_a_fresh_database_and_its_sidecars_follow_the_umask(night, fake_config):
    old = os.umask(0o027)
    try:
        night([NIGHT1])
    finally:
        os.umask(old)
    assert _mode(fake_config.db) == 0o640
    assert all(_mode(side) & ~0o640 == 0 for side in _sidecars(fake_config.db))


def test_the_working_copy_and_its_wal_are_no_wider_than_the_database(tmp_path):
    db = str(tmp_path / "restricted.duckdb")
    dbm.connect(db).close()
    os.chmod(db, 0o600)
    with dbm.night_lock(db), dbm.working_copy(db) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(1000)")  # autocommit: the WAL exists now
        assert os.path.exists(f"{db}.new.wal")
        assert _mode(f"{db}.new") == 0o600 and _mode(f"{db}.new.wal") & ~0o600 == 0
    assert _mode(db) == 0o600 and _mode(f"{db}.lock") == 0o600


def test_an_owner_that_cannot_be_kept_refuses_the_night_before_any_work(night, fake_config, monkeypatch):
    db = fake_config.db
    night([NIGHT1])
    os.chown(db, OTHER_UID, OTHER_GID)
    before = Path(db).read_bytes()

    def eperm(*args, **kwargs):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chown", eperm)
    monkeypatch.setattr(os, "fchown", eperm)
    with pytest.raises(dbm.OwnerNotKept) as failure:
        night([NIGHT2])
    message = str(failure.value)
    assert db in message and f"uid {OTHER_UID}" in message and "Nothing was changed" in message
    _assert_nothing_changed(db, before, "cannot keep the owner")
    monkeypatch.undo()
    assert night([NIGHT2]).status == "ok"
    assert (os.stat(db).st_uid, os.stat(db).st_gid) == (OTHER_UID, OTHER_GID)


# --------------------------------------------------------------------------- plain readers

PLAIN_READER = r"""
import duckdb, json, os, sys, time
path, stop, out = sys.argv[1:4]
with open(out, "w") as log:
    while not os.path.exists(stop):
        t = time.monotonic()
        try:
            con = duckdb.connect(path, read_only=True)  # no retry: what an analyst's script does
            con.execute("SELECT count(*) FROM stories").fetchall()
            con.close()
            log.write(json.dumps({"t": t, "ok": True}) + "\n")
        except duckdb.Error as exc:
            log.write(json.dumps({"t": t, "ok": False, "error": str(exc)}) + "\n")
        log.flush()
        time.sleep(0.02)
"""


def test_plain_read_only_readers_are_never_refused_during_a_night(tmp_path):
    db = str(tmp_path / "live.duckdb")
    assert harness.run_nightly(db, [str(NIGHT1)]).returncode == 0
    stop, log = tmp_path / "stop", tmp_path / "reads.jsonl"
    reader = subprocess.Popen([sys.executable, "-c", PLAIN_READER, db, str(stop), str(log)])
    spans = []
    try:
        deadline = time.monotonic() + 30
        while not (log.exists() and log.stat().st_size):
            assert time.monotonic() < deadline, "the reader never read"
            time.sleep(0.01)
        for kill_at, code in (("write", -9), (None, 0), (None, 0)):  # killed, published, unchanged rerun
            t0 = time.monotonic()
            out = harness.run_nightly(db, [str(NIGHT2)], kill_at=kill_at)
            spans.append((t0, time.monotonic()))
            assert out.returncode == code, out.stderr
        assert "nothing changed since the last night" in out.stderr
        time.sleep(0.2)
    finally:
        stop.touch()
        reader.wait(timeout=30)
    reads = [json.loads(line) for line in log.read_text().splitlines()]
    refused = [r for r in reads if not r["ok"]]
    print(f"\n{len(reads)} plain read-only connects, {len(refused)} refused")
    assert not refused, refused[:3]
    assert all(any(a <= r["t"] <= b for r in reads) for a, b in spans), "a night passed without a read"


# --------------------------------------------------------------------------- disk full


def _enospc_copy(src, dst, *args, **kwargs):
    """shutil.copyfile on a full disk: part of the copy written, then ENOSPC."""
    with open(dst, "ab") as fh:
        fh.write(Path(src).read_bytes()[:65536])
    raise OSError(errno.ENOSPC, "No space left on device", dst)


def test_enospc_while_copying_leaves_nothing_and_the_next_night_succeeds(night, fake_config, monkeypatch):
    db = fake_config.db
    night([NIGHT1])
    before = Path(db).read_bytes()
    monkeypatch.setattr(shutil, "copyfile", _enospc_copy)
    with pytest.raises(OSError) as failure:
        night([NIGHT2])
    assert failure.value.errno == errno.ENOSPC
    assert "nothing was changed, the archive is as it was" in str(failure.value)
    assert f"the working copy {db}.new was removed" in str(failure.value)
    _assert_nothing_changed(db, before, "No space left on device")
    monkeypatch.undo()
    assert night([NIGHT2]).status == "ok"
    assert not os.path.exists(f"{db}.new") and journal.pending(db) == []


def test_too_little_free_space_refuses_before_copying(night, fake_config, monkeypatch):
    db = fake_config.db
    night([NIGHT1])
    before = Path(db).read_bytes()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _path: usage(10**9, 10**9 - 300_000, 300_000))
    copies = []
    monkeypatch.setattr(shutil, "copyfile", lambda *a, **k: copies.append(a))
    with pytest.raises(dbm.NoSpace) as failure:
        night([NIGHT2])
    message = str(failure.value)
    assert message.startswith("no space left on /") and f"for the working copy of {db}" in message
    assert "300.0 KB free" in message and "nothing was changed, the archive is as it was" in message
    assert not copies
    _assert_nothing_changed(db, before, "no space left on")
    monkeypatch.undo()
    assert night([NIGHT2]).status == "ok"


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        duckdb.IOException('IO Error: Could not write file "x.duckdb.new.wal": No space left on device'),
    ],
)
def test_enospc_during_the_nights_writes_cleans_up(night, fake_config, monkeypatch, error):
    db = fake_config.db
    night([NIGHT1])
    before = Path(db).read_bytes()

    def full(*args, **kwargs):
        raise error

    monkeypatch.setattr("cluster.stages.summarize.refresh_stories", full)
    with pytest.raises(dbm.NoSpace, match="nothing was changed, the archive is as it was"):
        night([NIGHT2])
    _assert_nothing_changed(db, before, "No space left on device")
    monkeypatch.undo()
    assert night([NIGHT2]).status == "ok"


# --------------------------------------------------------------------------- a real small filesystem


@pytest.fixture
def small_fs(tmp_path):
    """A 96 MiB tmpfs, where mounting one is permitted (root in a sandbox that allows it)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mnt)], capture_output=True, text=True
        )
    except FileNotFoundError:
        pytest.skip("no mount command")
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def _fill(mnt: Path, leave: int) -> Path:
    filler = mnt / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        os.posix_fallocate(fd, 0, shutil.disk_usage(mnt).free - leave)
    finally:
        os.close(fd)
    return filler


def test_a_real_full_filesystem_refuses_then_takes_the_night_once_room_is_back(small_fs, night, fake_config):
    from dataclasses import replace

    cfg = replace(fake_config, db=str(small_fs / "news.duckdb"))
    night([NIGHT1], db=cfg.db)
    before = Path(cfg.db).read_bytes()
    filler = _fill(small_fs, leave=16 * 2**20)
    with pytest.raises(dbm.NoSpace, match=f"no space left on {small_fs}: need"):
        night([NIGHT2], db=cfg.db)
    _assert_nothing_changed(cfg.db, before, "no space left on")
    filler.unlink()
    assert night([NIGHT2], db=cfg.db).status == "ok"


def test_a_real_enospc_during_the_night_cleans_up(small_fs, night, fake_config, monkeypatch):
    from dataclasses import replace

    cfg = replace(fake_config, db=str(small_fs / "news.duckdb"))
    night([NIGHT1], db=cfg.db)
    before = Path(cfg.db).read_bytes()
    monkeypatch.setattr(dbm, "GROWTH_MIN_BYTES", 0)  # let the pre-check pass: the copy fits, the night does not
    monkeypatch.setattr(dbm, "GROWTH_FRACTION", 0.0)
    filler = _fill(small_fs, leave=len(before) + 16 * 1024)
    with pytest.raises(dbm.NoSpace, match="nothing was changed, the archive is as it was"):
        night([NIGHT2], db=cfg.db)
    _assert_nothing_changed(cfg.db, before, "No space left")
    filler.unlink()
    monkeypatch.undo()
    assert night([NIGHT2], db=cfg.db).status == "ok"


def test_runs_list_shows_failed_and_running_nights_before_they_are_published(night, fake_config, monkeypatch, runner):
    from cluster.cli.main import cli

    db = fake_config.db
    night([NIGHT1])
    monkeypatch.setattr(shutil, "copyfile", _enospc_copy)
    with pytest.raises(OSError):
        night([NIGHT2])
    monkeypatch.undo()
    journal.begin(
        db,
        {
            "run_id": "r20991231T000000000000-1",
            "command": "nightly",
            "started_at": "2099-12-31T00:00:00",
            "pid": os.getpid(),
            "params": {"inputs": ["x"]},
        },
    )
    listed = json.loads(runner.invoke(cli, ["--db", db, "runs", "list", "--json"]).output)
    assert [r["status"] for r in listed] == ["running", "failed", "ok"]
    shown = json.loads(runner.invoke(cli, ["--db", db, "runs", "show", listed[1]["run_id"]]).output)
    assert shown["status"] == "failed" and "No space left" in shown["error"]
    journal.end(db)
