"""Never lose a night: SIGKILL `wirestory nightly` at every stage boundary and at random points, rerun.

The campaign (scripts/crash_harness.py) runs night 1 of the demo corpus from an empty database and
then night 2 on top of it. Each night is first run once uninterrupted on a copy (the reference),
then killed at every stage boundary (WIRESTORY_KILL_AT, both ends of every stage) and at random
points, one attempt after the other on the same database, and finally rerun. After every kill the
live database holds exactly the state before the night - or, when the kill came after the atomic
rename, exactly the reference night - and never anything in between; after the rerun it equals the
reference by content (every table but `runs`, every column but run ids and migration timestamps:
see the harness docstring for why), and every killed attempt is in `runs` as failed.

WIRESTORY_CRASH_RANDOM (random kills per night, default 3) and WIRESTORY_CRASH_SEED (default 7)
widen or vary the campaign.
"""

import os
import re
import sys

import pytest
from conftest import DEMO, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import crash_harness as harness  # noqa: E402


def test_kill_points_cover_every_stage_of_the_night():
    from cluster import events

    source = (ROOT / "cluster" / "night.py").read_text(encoding="utf-8")
    run = re.findall(r"with stage\(report, \"(\w+)\", observer\)", source)
    assert sorted(run) == sorted(events.STAGES), "the night's stages and cluster.events.STAGES differ"
    assert harness.KILL_POINTS == tuple(p for s in events.STAGES for p in (s, f"{s}:end"))
    assert "KillPoints()" in source


def test_a_kill_mid_night_publishes_nothing_and_the_next_night_fails_it(tmp_path):
    """One boundary, fast: kill on entering `write`, check the live file, rerun, compare."""
    db = str(tmp_path / "one.duckdb")
    inputs = [str(DEMO / "night1.jsonl")]
    ref_db = str(tmp_path / "ref.duckdb")
    assert harness.run_nightly(ref_db, inputs).returncode == 0
    killed = harness.run_nightly(db, inputs, kill_at="write")
    assert killed.sigkilled, killed.stderr
    assert os.path.exists(f"{db}.new")  # the killed night's working copy is left behind; the next night drops it
    assert harness.runs_of(db, killed.pid)[0][1] == "running"
    snapshot = harness.content(db)
    assert all(not rows for t, rows in snapshot.items() if t != "schema_migrations")
    rerun = harness.run_nightly(db, inputs)
    assert rerun.returncode == 0, rerun.stderr
    assert "marked 1 interrupted run(s) as failed" in rerun.stderr
    assert harness.content(db) == harness.content(ref_db)
    [(_, status, error)] = harness.runs_of(db, killed.pid)
    assert status == "failed" and "killed or crashed" in error
    assert not os.path.exists(f"{db}.new")


@pytest.mark.slow
def test_killed_everywhere_then_rerun_equals_an_uninterrupted_night(tmp_path):
    n_random = int(os.environ.get("WIRESTORY_CRASH_RANDOM", "3"))
    seed = int(os.environ.get("WIRESTORY_CRASH_SEED", "7"))
    result = harness.campaign(tmp_path, random_kills=n_random, seed=seed)
    boundary = [k for k in result.kills if k.how.startswith("at ")]
    assert len(boundary) == 2 * len(harness.KILL_POINTS)
    assert all(k.returncode == -9 and k.outcome == "before" for k in boundary)
    assert len(result.kills) == len(boundary) + 2 * n_random
    summary = ", ".join(f"{k.scenario} {k.how} -> {k.outcome}" for k in result.kills if not k.how.startswith("at "))
    print(
        f"\ncrash campaign (seed {seed}): {len(result.kills)} kills survived "
        f"({len(boundary)} at stage boundaries; random: {summary}); "
        f"{result.rows_compared} rows compared; {result.seconds:.1f}s"
    )
