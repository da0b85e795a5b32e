"""Make tests/fixtures/db_v1.duckdb: a small database in the FIRST schema version, with real data.

tests/test_migrations_forward.py opens a copy of it with the current code and checks that every
later migration applies and that the data made under version 1 is intact. Do not regenerate it
when a migration is added - the point is that it stays a version-1 database. Regenerate only if it
is lost, and then with migrations limited to 0001, which this script does.

How it was made (wirestory at commit b655c8f plus the issue-7 work, DuckDB 2.0.0, 2026-11-28):

    .venv/bin/python scripts/make_db_fixture.py            # writes tests/fixtures/db_v1.duckdb

* schema: only migration 0001_initial is applied (`storage.db.migrations` is limited to
  version 1 for the duration), so `schema_migrations` holds exactly version 1;
* night 1 (as of 2026-11-27T00:00): 14 items of demo/night1.jsonl, chosen to include an item with
  versions, a withdrawal, an exact duplicate across resends, an embargoed item and stories carried
  by several wires;
* night 2 (as of 2026-11-28T00:00): 4 items of demo/night2.jsonl that extend night-1 stories, plus
  one broken XML file, which is quarantined;
* the fake encoder (fake-256), so no model is needed;
* the file is then compacted (COPY FROM DATABASE into a new file with 16 KiB blocks) because a
  fresh DuckDB file with 256 KiB blocks per table is ~9 MB; the copy holds the same schema and
  rows, it is just smaller (< 2 MB).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from cluster.config import Config  # noqa: E402
from cluster.encoders.base import FakeEncoder  # noqa: E402
from cluster.night import run_night  # noqa: E402
from storage import db as dbm  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "db_v1.duckdb"
NIGHT1_LINES = (0, 1, 2, 3, 4, 7, 9, 11, 14, 15, 18, 19, 22, 23, 24, 31, 35, 38, 39, 43, 50)
NIGHT2_LINES = (0, 1, 3, 6, 12, 14)
FIRST_SCHEMA = 1


def _lines(path: Path, picks: tuple[int, ...]) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    return "".join(lines[i] + "\n" for i in picks)


def make(out: Path = OUT) -> dict:
    all_migrations = dbm.migrations
    dbm.migrations = lambda: [m for m in all_migrations() if m[0] <= FIRST_SCHEMA]
    work = Path(tempfile.mkdtemp(prefix="wirestory-fixture-"))
    cwd = os.getcwd()
    try:
        os.chdir(work)  # inputs are recorded by the (relative) path they were given
        Path("night1.jsonl").write_text(_lines(ROOT / "demo" / "night1.jsonl", NIGHT1_LINES), encoding="utf-8")
        Path("night2.jsonl").write_text(_lines(ROOT / "demo" / "night2.jsonl", NIGHT2_LINES), encoding="utf-8")
        Path("broken.xml").write_bytes(b"<newsItem><unclosed>")
        cfg = Config(db="big.duckdb", model="fake-256")
        r1 = run_night(cfg, ["night1.jsonl"], lambda: FakeEncoder(256), as_of=datetime(2026, 11, 27))
        r2 = run_night(cfg, ["night2.jsonl", "broken.xml"], lambda: FakeEncoder(256), as_of=datetime(2026, 11, 28))
        assert r1.status == "ok" and r2.status == "quarantined", (r1.status, r2.status)
        con = duckdb.connect(":memory:")
        con.execute("ATTACH 'big.duckdb' AS big (READ_ONLY)")
        con.execute("ATTACH 'small.duckdb' AS small (BLOCK_SIZE 16384)")
        con.execute("COPY FROM DATABASE big TO small")
        con.execute("DETACH small")
        con.close()
        check = duckdb.connect("small.duckdb", read_only=True)
        try:
            versions = [r[0] for r in check.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()]
            assert versions == [FIRST_SCHEMA], versions
            counts = {
                t: check.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for t in (
                    "articles",
                    "stories",
                    "story_articles",
                    "summary_sentences",
                    "duplicates",
                    "quarantine",
                    "runs",
                )
            }
        finally:
            check.close()
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile("small.duckdb", out)
    finally:
        os.chdir(cwd)
        dbm.migrations = all_migrations
        shutil.rmtree(work, ignore_errors=True)
    return {"path": str(out), "bytes": out.stat().st_size, "schema_versions": versions, "rows": counts}


if __name__ == "__main__":
    print(json.dumps(make(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT), indent=2))
