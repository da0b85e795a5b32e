"""Crash harness for issue 7, "never lose a night": run `wirestory nightly` in a subprocess, SIGKILL it
at stage boundaries and at random points inside stages, rerun it, and compare databases by content.

Used by tests/test_crash_safety.py (and the other issue-7 tests for `run_nightly` and `content`);
also runnable by hand against the demo corpus:

    .venv/bin/python scripts/crash_harness.py --random 20 --seed 3 --keep /tmp/crash

How kills are placed
--------------------
* Stage boundaries, deterministically: `WIRESTORY_KILL_AT=<stage>` makes the night SIGKILL itself on
  entering that stage, `WIRESTORY_KILL_AT=<stage>:end` on leaving it (the hook is the night's
  `cluster.events.KillPoints` observer). Every stage of the nightly, both ends: `KILL_POINTS`.
* Random points: the harness reads the night's stage log lines as they arrive, picks an anchor
  (process start, or the end of a stage) and a random delay up to the time the reference run took
  to reach the next anchor, and sends SIGKILL then. That lands kills inside stages, in the start-up
  (opening the live file, recording the run), and in commit / checkpoint / publication.

What "the same database" means
------------------------------
`content()` reads every table but `runs`, every row, ordered, without the columns that name a run
(`run_id`, `created_run`, `updated_run`) or record wall-clock time (`schema_migrations.applied_at`).
Those differ between any two runs by design: a run id is the run's start time plus its pid, and
the killed attempts are *meant* to leave rows in `runs` (status failed). Everything a reader sees
- articles, files, quarantine, embeddings, duplicates, stories (ids, summaries, credit lines),
memberships, lineage, summary sentences - is compared value for value. `articles.received_at` is
the night's clock, pinned with `--as-of`, so it is compared too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from cluster.events import KILL_AT_ENV, KILL_POINTS, STAGES  # noqa: E402
from storage import db as dbm  # noqa: E402
from storage import journal, queries  # noqa: E402

DEMO = ROOT / "demo"
AS_OF = "2026-11-27T00:00:00"
#: Columns that name a run or hold wall-clock time: they differ between any two runs by design.
RUN_COLUMNS = frozenset({"run_id", "created_run", "updated_run", "applied_at"})
#: The runs table differs by design too: killed attempts leave rows (status failed).
RUN_TABLES = frozenset({"runs"})


# --------------------------------------------------------------------------- running a night


def nightly_command(db: str, inputs: Sequence[str], as_of: str | None = AS_OF) -> list[str]:
    """`wirestory nightly` as a subprocess command (`python -m cluster.cli.main` has no __main__)."""
    cmd = [
        sys.executable,
        "-c",
        "from cluster.cli.main import main; main()",
        "--db",
        str(db),
        "nightly",
        "--log-format",
        "json",
        *map(str, inputs),
    ]
    return cmd + (["--as-of", as_of] if as_of else [])


def night_env(kill_at: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a test night: fake encoder, no stray configuration, optional kill point."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTORY_")}
    env["WIRESTORY_MODEL"] = "fake-256"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    env.update(extra or {})
    return env


@dataclass
class Outcome:
    returncode: int
    pid: int
    seconds: float
    maxrss_kb: int  # peak resident set size of the child (getrusage via wait4), in KiB
    stdout: str
    stderr: str
    marks: dict[str, float] = field(default_factory=dict)  # stage -> seconds after spawn its end was logged
    killed_by_harness: bool = False

    @property
    def sigkilled(self) -> bool:
        return self.returncode == -signal.SIGKILL


def _stage_of(line: bytes) -> str | None:
    """The stage a JSON log line reports finished (`--log-format json` gives it as a field)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record.get("stage") if isinstance(record, dict) else None


class Night:
    """A running `wirestory nightly` subprocess whose stage log lines are timestamped as they arrive."""

    def __init__(self, cmd: Sequence[str], env: dict[str, str], cwd: str | None = None) -> None:
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.marks: dict[str, float] = {}
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._out, False), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._err, True), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, stream, sink: list[bytes], parse: bool) -> None:
        for line in iter(stream.readline, b""):
            if parse and (stage := _stage_of(line)):
                self.marks.setdefault(stage, time.monotonic() - self.start)
            sink.append(line)
        stream.close()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, kill_after: tuple[str, float] | None = None, timeout: float = 180.0) -> Outcome:
        """Wait for the night; with kill_after=(anchor, delay) SIGKILL it `delay` s after the anchor
        ("start", or a stage whose end was logged). Reaps with wait4 to get the child's peak RSS."""
        deadline = None
        killed = False
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            if kill_after and deadline is None:
                anchor, delay = kill_after
                at = 0.0 if anchor == "start" else self.marks.get(anchor)
                if at is not None:
                    deadline = self.start + at + delay
            if deadline is not None and not killed and now >= deadline:
                with_suppress_kill(self.proc.pid)
                killed = True
            if now - self.start > timeout:
                with_suppress_kill(self.proc.pid)
                os.wait4(self.proc.pid, 0)
                raise TimeoutError(f"night {self.proc.pid} still running after {timeout}s")
            time.sleep(0.002)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        for t in self._threads:
            t.join(timeout=10)
        return Outcome(
            returncode=self.proc.returncode,
            pid=self.proc.pid,
            seconds=time.monotonic() - self.start,
            maxrss_kb=int(usage.ru_maxrss),
            stdout=b"".join(self._out).decode("utf-8", "replace"),
            stderr=b"".join(self._err).decode("utf-8", "replace"),
            marks=dict(self.marks),
            killed_by_harness=killed,
        )


def with_suppress_kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_nightly(
    db: str,
    inputs: Sequence[str],
    *,
    as_of: str | None = AS_OF,
    kill_at: str | None = None,
    kill_after: tuple[str, float] | None = None,
    extra_env: dict[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 180.0,
) -> Outcome:
    """Run one `wirestory nightly` subprocess to its end (or to the kill) and report how it ended."""
    night = Night(nightly_command(db, inputs, as_of), night_env(kill_at, extra_env), cwd=cwd)
    return night.wait(kill_after=kill_after, timeout=timeout)


# --------------------------------------------------------------------------- comparing databases


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


# --------------------------------------------------------------------------- the crash campaign


@dataclass
class KillRecord:
    scenario: str
    how: str  # "at <point>" or "random <anchor>+<delay>s"
    pid: int
    returncode: int
    outcome: str  # "before" (nothing published), "published" (the kill came after the rename), "not started"


@dataclass
class CampaignResult:
    kills: list[KillRecord] = field(default_factory=list)
    rows_compared: int = 0
    seconds: float = 0.0
    log: list[str] = field(default_factory=list)


class CrashFailure(AssertionError):
    pass


def _check(cond: bool, msg: str) -> None:
    if not cond:
        raise CrashFailure(msg)


def _unchanged(now: dict[str, list[tuple]], before: dict[str, list[tuple]]) -> bool:
    """Nothing of the night published. Before the very first night there is no file; a night killed
    after it created the file leaves just the migrated, empty schema (and its own row in `runs`)."""
    if before:
        return now == before
    return all(not rows for table, rows in now.items() if table != "schema_migrations")


def crash_scenario(
    name: str,
    workdir: Path,
    start_db: str | None,
    inputs: Sequence[str],
    *,
    points: Sequence[str] = KILL_POINTS,
    random_kills: int = 6,
    rng: random.Random,
    result: CampaignResult,
) -> str:
    """One night's input, killed at every point in `points` and `random_kills` random times, then rerun.

    Starts from a copy of `start_db` (None: no database yet). Returns the path of the final database,
    whose content equals that of an uninterrupted night over the same start state.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    ref_db = str(workdir / f"{name}-reference.duckdb")
    db = str(workdir / f"{name}.duckdb")
    copy_db(start_db or "", ref_db)
    ref = run_nightly(ref_db, inputs)
    _check(ref.returncode in (0, 3), f"{name}: reference night failed ({ref.returncode}):\n{ref.stderr[-3000:]}")
    expected = content(ref_db)
    result.log.append(f"{name}: reference night {ref.seconds:.2f}s, marks {ref.marks}")

    copy_db(start_db or "", db)
    before = content(db)
    pending: list[int] = []  # pids of killed runs whose 'running' row the next night must mark failed

    def after_kill(how: str, out: Outcome) -> None:
        _check(out.sigkilled or out.returncode in (0, 3), f"{name} {how}: exit {out.returncode}\n{out.stderr[-3000:]}")
        now = content(db)
        rows = runs_of(db, out.pid)
        if _unchanged(now, before):
            outcome = "before" if rows else "not started"
            _check(
                all(r[1] in ("running", "failed") for r in rows), f"{name} {how}: unpublished run recorded as {rows}"
            )
            pending.append(out.pid)
        else:
            # the kill came after the atomic rename: the whole night is there, and says so
            _check(now == expected, f"{name} {how}: HALF A NIGHT published:\n{diff(expected, now)}")
            _check([r[1] for r in rows] in (["ok"], ["quarantined"]), f"{name} {how}: published run recorded as {rows}")
            outcome = "published"
            copy_db(start_db or "", db)  # start the next attempt from the night's start state again
            pending.clear()
        result.rows_compared += rows_in(now)
        result.kills.append(KillRecord(name, how, out.pid, out.returncode, outcome))

    for point in points:
        out = run_nightly(db, inputs, kill_at=point)
        _check(
            out.sigkilled, f"{name}: kill point {point} was not reached (exit {out.returncode}):\n{out.stderr[-3000:]}"
        )
        after_kill(f"at {point}", out)

    anchors = ["start", *[s for s in STAGES if s in ref.marks]]
    timeline = [0.0, *[ref.marks[s] for s in anchors[1:]], ref.seconds]
    for k in range(random_kills):
        if k % 2 == 0:  # a random stage, a random point inside it: reaches the millisecond stages
            i = rng.randrange(len(anchors))
            delay = round(rng.uniform(0.0, max(timeline[i + 1] - timeline[i], 0.005) * 1.1), 4)
        else:  # a random moment of the night: mostly the long parts (start-up, summarise, publication)
            t = rng.uniform(0.0, ref.seconds)
            i = max(j for j in range(len(anchors)) if timeline[j] <= t)
            delay = round(t - timeline[i], 4)
        out = run_nightly(db, inputs, kill_after=(anchors[i], delay))
        after_kill(f"random {anchors[i]}+{delay}s", out)

    final = run_nightly(db, inputs)
    _check(final.returncode == ref.returncode, f"{name}: rerun exit {final.returncode}:\n{final.stderr[-3000:]}")
    got = content(db)
    _check(got == expected, f"{name}: rerun after kills differs from an uninterrupted night:\n{diff(expected, got)}")
    result.rows_compared += rows_in(got)
    for pid in pending:
        rows = runs_of(db, pid)
        _check(all(r[1] == "failed" and r[2] for r in rows), f"{name}: killed run {pid} not marked failed: {rows}")
    con = dbm.connect(db, read_only=True)
    try:
        running = con.execute("SELECT run_id FROM runs WHERE status = 'running'").fetchall()
    finally:
        con.close()
    _check(not running, f"{name}: runs left 'running' after the rerun: {running}")
    for leftover in (f"{db}.new", f"{db}.new.wal"):
        _check(not Path(leftover).exists(), f"{name}: {leftover} left behind after a successful night")
    return db


def campaign(
    workdir: Path,
    *,
    random_kills: int = 6,
    seed: int = 7,
    points: Sequence[str] = KILL_POINTS,
    nights: Sequence[Sequence[str]] | None = None,
) -> CampaignResult:
    """Night 1 from an empty database, then night 2 on top of it, each killed everywhere and rerun."""
    nights = nights or [[str(DEMO / "night1.jsonl")], [str(DEMO / "night2.jsonl")]]
    rng = random.Random(seed)
    result = CampaignResult()
    t0 = time.monotonic()
    db: str | None = None
    for i, inputs in enumerate(nights, 1):
        db = crash_scenario(
            f"night{i}", workdir, db, inputs, points=points, random_kills=random_kills, rng=rng, result=result
        )
    result.seconds = time.monotonic() - t0
    return result


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--random", type=int, default=6, help="random kills per night (default 6)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temporary folder)")
    args = ap.parse_args(argv)
    import tempfile

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="wirestory-crash-"))
    try:
        res = campaign(workdir, random_kills=args.random, seed=args.seed)
    except CrashFailure as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    for k in res.kills:
        print(f"{k.scenario:7} {k.how:32} exit {k.returncode:>3}  {k.outcome}")
    print(f"{len(res.kills)} kills survived, {res.rows_compared} rows compared, {res.seconds:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
