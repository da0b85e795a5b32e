"""Rerunning a night on the same input changes no row: every table but `runs`, every column.

`runs` is left out because a rerun is a run: it is recorded, and nothing else. An unchanged night
writes not even that into the database: it is journaled beside it (storage.journal) and folded into
`runs` by the next night that publishes.
"""

import sys
from datetime import datetime

import pytest
from conftest import DEMO, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from crash_harness import checksums, content  # noqa: E402

AS_OF = datetime(2026, 11, 27)
NIGHT1, NIGHT2 = DEMO / "night1.jsonl", DEMO / "night2.jsonl"


def _state(db: str):
    return checksums(db), content(db, skip_columns=frozenset())


def _runs(db: str) -> list[tuple]:
    """Runs published in `runs` and those journaled beside it (an unchanged night writes no row)."""
    from storage import db as dbm
    from storage import journal, queries

    pending = journal.pending(db)
    con = dbm.connect(db, read_only=True)
    try:
        return [(r["run_id"], r["status"]) for r in reversed(queries.runs(con, None, pending))]
    finally:
        con.close()


def test_rerunning_a_night_changes_no_row(night, fake_config):
    night([NIGHT1], as_of=AS_OF)
    sums, rows = _state(fake_config.db)
    assert sums["articles"][0] > 40 and sums["stories"][0] > 3 and sums["summary_sentences"][0] > 0
    report = night([NIGHT1], as_of=AS_OF)
    assert report.status == "ok" and report.counts["ingest_new"] == 0
    assert _state(fake_config.db) == (sums, rows)
    assert [s for _, s in _runs(fake_config.db)] == ["ok", "ok"]


def test_rerunning_the_second_night_or_both_changes_no_row(night, fake_config, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(b"<newsItem><unclosed>")
    night([NIGHT1], as_of=AS_OF)
    night([NIGHT2, bad], as_of=datetime(2026, 11, 28))
    before = _state(fake_config.db)
    assert before[0]["quarantine"][0] == 1
    assert night([NIGHT2, bad], as_of=datetime(2026, 11, 28)).status == "quarantined"
    assert _state(fake_config.db) == before
    assert night([NIGHT1, NIGHT2, bad], as_of=datetime(2026, 11, 28)).status == "quarantined"
    assert _state(fake_config.db) == before
    # the same files found through their folder and a glob are the same input
    assert night([str(DEMO / "night*.jsonl")], as_of=datetime(2026, 11, 28)).status == "ok"
    assert _state(fake_config.db) == before


def test_full_recomputation_of_an_unchanged_night_writes_nothing(night, fake_config):
    """`--recompute` skips the fingerprint shortcut: the whole night runs again - and still changes no row."""
    night([NIGHT1], as_of=AS_OF)
    night([NIGHT2], as_of=AS_OF)
    before = _state(fake_config.db)
    report = night([NIGHT1, NIGHT2], as_of=AS_OF, recompute=True)
    assert report.status == "ok" and "dedup_unchanged" not in report.counts
    assert report.counts.get("write_memberships", 0) == 0
    after = _state(fake_config.db)
    changed = {t for t in before[1] if before[1][t] != after[1][t]}
    assert not changed, f"tables rewritten by an unchanged night: {sorted(changed)}"


@pytest.mark.parametrize("as_of", [AS_OF])
def test_rerun_through_the_cli_subprocess_changes_no_row(tmp_path, as_of):
    """The same, end to end: two `wirestory nightly` processes on the same input."""
    from crash_harness import run_nightly

    db = str(tmp_path / "cli.duckdb")
    first = run_nightly(db, [str(NIGHT1)], as_of=as_of.isoformat())
    assert first.returncode == 0, first.stderr
    before = _state(db)
    second = run_nightly(db, [str(NIGHT1)], as_of=as_of.isoformat())
    assert second.returncode == 0, second.stderr
    assert "nothing changed since the last night" in second.stderr
    assert _state(db) == before


def test_changed_algorithm_constants_recompute_an_unchanged_window(night, fake_config, monkeypatch):
    """After an upgrade that changes the algorithms, the same window is recomputed, not skipped."""
    import cluster.settings as settings_module

    first = night([NIGHT1])
    assert night([NIGHT1]).counts.get("dedup_unchanged")
    monkeypatch.setattr(settings_module, "ALGORITHM_VERSION", settings_module.ALGORITHM_VERSION + 1)
    upgraded = night([NIGHT1])
    assert upgraded.fingerprint != first.fingerprint
    assert not upgraded.counts.get("dedup_unchanged")
    assert upgraded.counts["summarize_stories"] == first.counts["summarize_stories"] > 0  # every story rewritten
