"""Does a night cost the night or the archive? The same 1k-article night against archives of N articles.

    nice -n 10 python scripts/bench_archive.py --sizes 10000,100000 [--repeats 3] [--work /tmp/bench-archive]

For each archive size the archive is built once (`bench_lib.archive.build_archive`: direct Arrow
inserts of articles, random unit vectors as embeddings, stories / story_articles / duplicates /
summary_sentences; no encoder), then its full-text index is built as `wirestory index` would, so
the night appends to an existing index as it does in production. Each repeat copies that template
(outside the measurement) and runs the same synthetic 1k-article night (`bench_lib.synth`, seed
fixed) through `cluster.night.run_night`, the real nightly code path, with the deterministic
`FakeEncoder` the tests use (384-d bag-of-words hashing): the forward pass of a real model does not
depend on the archive and would only hide the storage cost behind minutes of encoding.

Printed per size: wall time of `run_night` (median of the repeats), the stages and the time
outside them (lock, working copy, publication), and the bytes the process wrote (`/proc/self/io`:
`wchar`, bytes passed to write-like calls, and `write_bytes`, bytes sent to the block layer) plus
the growth of the database file. One JSON line per size goes to `--out` too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for p in (str(ROOT), str(ROOT / "scripts")):
    if p not in sys.path:
        sys.path.insert(0, p)

NIGHT_N = 1000
SEED = 11


def io_counters() -> dict[str, int]:
    """This process's cumulative I/O counters (Linux)."""
    out = {}
    for line in Path("/proc/self/io").read_text().splitlines():
        key, value = line.split(":")
        out[key] = int(value)
    return out


def build_template(work: Path, n: int, model: str) -> Path:
    """An archive of `n` articles ending `GAP_DAYS` before the benchmark night, with its text index."""
    from bench_lib.archive import build_archive
    from bench_lib.synth import BASE_DATE

    from storage import db as dbm
    from storage import fts

    path = work / f"archive-{n}.duckdb"
    if path.exists():
        return path
    tmp = Path(f"{path}.tmp")
    tmp.unlink(missing_ok=True)
    t = time.perf_counter()
    build_archive(str(tmp), n, SEED, BASE_DATE, model, dim=384)
    con = dbm.connect(str(tmp))
    try:
        fts.build(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, path)
    print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.0f} s", flush=True)
    return path


def one_night(template: Path, run_db: Path, night_dir: Path) -> dict:
    """Copy the template (not measured), run the night on it, return its wall, stages and bytes."""
    from bench_lib.synth import BASE_DATE

    from cluster.config import Config
    from cluster.encoders.base import FakeEncoder
    from cluster.night import run_night

    for suffix in ("", ".wal", ".new", ".new.wal", ".lock", ".journal"):
        Path(f"{run_db}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(f"{run_db}.vec", ignore_errors=True)
    shutil.copyfile(template, run_db)
    os.sync()
    size_before = run_db.stat().st_size
    cfg = Config(db=str(run_db), model="fake-384")
    io0 = io_counters()
    t = time.perf_counter()
    report = run_night(cfg, [str(night_dir)], lambda: FakeEncoder(384), as_of=BASE_DATE + timedelta(days=1), log=None)
    wall = time.perf_counter() - t
    io1 = io_counters()
    stages = {k: round(v, 3) for k, v in report.seconds.items()}
    return {
        "wall": round(wall, 3),
        "outside_stages": round(wall - sum(report.seconds.values()), 3),
        "stages": stages,
        "wchar": io1["wchar"] - io0["wchar"],
        "write_bytes": io1["write_bytes"] - io0["write_bytes"],
        "file_growth": run_db.stat().st_size - size_before,
        "file_size": run_db.stat().st_size,
        "status": report.status,
        "new_articles": report.counts.get("ingest_new"),
        "index_fts_seconds": report.counts.get("index_fts_seconds"),
        "load": os.getloadavg(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", default="/tmp/bench-archive")
    ap.add_argument("--out", default=None, help="append one JSON line per size here")
    args = ap.parse_args()
    from bench_lib.synth import generate_night, write_night

    from cluster.encoders.base import FakeEncoder

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    night_dir = work / "night-1k"
    if not night_dir.exists():
        write_night(generate_night(NIGHT_N, SEED, 0), night_dir)
    model = FakeEncoder(384).cache_key
    for n in (int(s) for s in args.sizes.split(",")):
        template = build_template(work, n, model)
        runs = [one_night(template, work / "run.duckdb", night_dir) for _ in range(args.repeats)]
        med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "outside_stages", "wchar", "write_bytes")}
        stage_med = {s: statistics.median(r["stages"].get(s, 0.0) for r in runs) for s in runs[0]["stages"]}
        line = {
            "archive_articles": n,
            "template_bytes": template.stat().st_size,
            "median": med,
            "stages_median": stage_med,
            "runs": runs,
        }
        print(
            f"archive {n:>8}: file {template.stat().st_size / 1e6:7.0f} MB  wall {med['wall']:6.2f} s  "
            f"outside stages {med['outside_stages']:5.2f} s  wchar {med['wchar'] / 1e6:8.1f} MB  "
            f"write_bytes {med['write_bytes'] / 1e6:8.1f} MB  stages {stage_med}  load {os.getloadavg()[0]:.2f}",
            flush=True,
        )
        if args.out:
            with open(args.out, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
