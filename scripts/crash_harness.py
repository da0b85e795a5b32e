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
import random
import shutil
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from crash_lib.compare import (  # noqa: E402
    RUN_COLUMNS,
    RUN_TABLES,
    checksums,
    content,
    copy_db,
    diff,
    rows_in,
    runs_of,
)
from crash_lib.nights import AS_OF, Night, Outcome, night_env, nightly_command, run_nightly  # noqa: E402

from cluster.events import KILL_POINTS, STAGES  # noqa: E402
from storage import db as dbm  # noqa: E402

#: The harness as the tests use it: the campaign is here, running and comparing nights in crash_lib.
__all__ = [
    "AS_OF",
    "KILL_POINTS",
    "RUN_COLUMNS",
    "RUN_TABLES",
    "CampaignResult",
    "CrashFailure",
    "KillRecord",
    "Night",
    "Outcome",
    "campaign",
    "checksums",
    "content",
    "copy_db",
    "crash_scenario",
    "diff",
    "night_env",
    "nightly_command",
    "rows_in",
    "run_nightly",
    "runs_of",
]

DEMO = ROOT / "demo"


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
