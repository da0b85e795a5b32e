#!/usr/bin/env python3
"""Memory of a night, stage by stage (issue 17 item 5b: a 50k night within 2 GB of RSS).

    python scripts/bench_rss.py night --size 50000            # fake encoder: the pipeline's own memory
    python scripts/bench_rss.py night --size 10000 --real     # the real model, in the night
    python scripts/bench_rss.py model --texts 1000            # the real model alone: load + encode

`night` generates the bench's synthetic night (bench_lib.synth, by seed), runs `run_night` on a
fresh database in this process and prints one JSON object: VmRSS when each stage starts and ends,
the highest VmRSS sampled during it (every 20 ms), the process's peak (`ru_maxrss`), B-cubed
against the generator's gold stories and digests of the stories written (memberships, and story
rows with their summaries), so two runs can be checked for identical results. The fake encoder is
the tests' 384-d `FakeEncoder`: no model, so what is measured is the pipeline's own memory; `model`
measures what the real model adds (torch, weights, a forward pass over the night's texts).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
for p in (str(HERE.parent), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from cluster.events import Observer  # noqa: E402


def vm_rss_mb() -> float:
    """Resident set size now (VmRSS of /proc/self/status), in MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class StageRss(Observer):
    """VmRSS at each stage's start and end, and the highest value a sampling thread saw during it."""

    def __init__(self, every: float = 0.02) -> None:
        self.stages: dict[str, dict[str, float]] = {}
        self._current: str | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)
        self._thread.start()

    def _sample(self, every: float) -> None:
        while not self._stop.wait(every):
            name = self._current
            if name is not None:
                entry = self.stages[name]
                entry["max"] = max(entry["max"], vm_rss_mb())

    def stage_started(self, stage: str) -> None:
        now = vm_rss_mb()
        self.stages[stage] = {"start": round(now, 1), "max": now, "peak_before": round(peak_mb(), 1)}
        self._current = stage

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        entry = self.stages[stage]
        entry["end"] = round(vm_rss_mb(), 1)
        entry["max"] = round(max(entry["max"], entry["end"]), 1)
        entry["peak_after"] = round(peak_mb(), 1)
        # What runs between this stage and the next (the window, COMMIT, the search indexes) is
        # sampled under its own name.
        self.stages[f"after_{stage}"] = {"start": entry["end"], "max": entry["end"]}
        self._current = f"after_{stage}"

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        for entry in self.stages.values():
            entry["max"] = round(entry["max"], 1)


def result_digests(db: str) -> dict[str, Any]:
    """Digests of what the night wrote: memberships, story rows with summaries, summary sentences."""
    from storage import db as dbm

    con = dbm.connect(db, read_only=True)
    try:
        queries = {
            "memberships": "SELECT article_id, story_id, role FROM story_articles ORDER BY 1",
            "duplicates": "SELECT article_id, duplicate_of, reason FROM duplicates ORDER BY 1",
            "stories": "SELECT story_id, status, headline, summary, credit_line, sources, n_articles, first_seen, "
            "last_seen FROM stories ORDER BY 1",
            "sentences": "SELECT story_id, kind, position, sentence, article_id, also_sources FROM summary_sentences "
            "ORDER BY 1, 2, 3",
        }
        out: dict[str, Any] = {}
        for name, sql in queries.items():
            rows = con.execute(sql).fetchall()
            out[name] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
            out[f"{name}_n"] = len(rows)
        return out
    finally:
        con.close()


def night(args: argparse.Namespace) -> dict[str, Any]:
    from bench_lib.children import _encoder, _score_db
    from bench_lib.runs import fresh_db, make_night
    from bench_lib.synth import BASE_DATE

    from cluster.config import Config
    from cluster.encoders.base import FakeEncoder
    from cluster.night import run_night

    work = Path(args.workdir)
    night_dir, info = make_night(work, args.size, args.seed)
    db = fresh_db(work / f"db/rss-n{args.size}{'-real' if args.real else ''}.duckdb")
    start = {"rss": round(vm_rss_mb(), 1), "peak": round(peak_mb(), 1)}
    model_s = None
    if args.real:
        t = time.perf_counter()
        enc = _encoder(256, "auto")
        enc.encode(["warm-up"], batch_size=1)
        model_s = round(time.perf_counter() - t, 2)
        factory = lambda: enc  # noqa: E731
    else:
        factory = lambda: FakeEncoder(384)  # noqa: E731
    after_model = {"rss": round(vm_rss_mb(), 1), "peak": round(peak_mb(), 1)}
    rss = StageRss()
    load0 = os.getloadavg()
    t = time.perf_counter()
    report = run_night(Config(db=db), [str(night_dir)], factory, as_of=BASE_DATE + timedelta(days=1), observers=[rss])
    wall = time.perf_counter() - t
    rss.stop()
    out = {
        "size": args.size,
        "seed": args.seed,
        "encoder": "real" if args.real else "fake-384",
        "records": info["records"],
        "wall": round(wall, 1),
        "seconds": report.seconds,
        "counts": {k: v for k, v in report.counts.items() if not isinstance(v, (list, dict))},
        "rss_start": start,
        "rss_after_model": after_model,
        "model_load_s": model_s,
        "stages": rss.stages,
        "rss_end": round(vm_rss_mb(), 1),
        "peak_mb": round(peak_mb(), 1),
        "load_start": [round(x, 2) for x in load0],
        "load_end": [round(x, 2) for x in os.getloadavg()],
    }
    out["bcubed"] = _score_db(db, [str(night_dir)])
    out["digests"] = result_digests(db)
    return out


def model(args: argparse.Namespace) -> dict[str, Any]:
    """The real model alone: RSS after import, after load, and the peak over encoding `--texts` texts
    of the synthetic night (the night's own encoder input, batch 64)."""
    from bench_lib.synth import generate_night

    from cluster.encoders.base import encoder_text

    records = generate_night(max(args.texts, 1000), args.seed, 0).records
    texts = [encoder_text(r["title"], r["text"]) for r in records[: args.texts]]
    base = {"rss": round(vm_rss_mb(), 1), "peak": round(peak_mb(), 1)}
    from bench_lib.children import _encoder

    t = time.perf_counter()
    enc = _encoder(256, "auto")
    enc.encode(["warm-up"], batch_size=1)
    loaded = {"rss": round(vm_rss_mb(), 1), "peak": round(peak_mb(), 1), "seconds": round(time.perf_counter() - t, 2)}
    load0 = os.getloadavg()
    t = time.perf_counter()
    enc.encode(texts, batch_size=64)
    return {
        "texts": len(texts),
        "encoder": type(enc).__name__,
        "before_model": base,
        "after_load": loaded,
        "after_encode": {"rss": round(vm_rss_mb(), 1), "peak": round(peak_mb(), 1)},
        "encode_seconds": round(time.perf_counter() - t, 1),
        "model_adds_peak_mb": round(peak_mb() - base["peak"], 1),
        "load_start": [round(x, 2) for x in load0],
        "load_end": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("night", "model"))
    ap.add_argument("--size", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--real", action="store_true", help="night: the real model instead of the fake encoder")
    ap.add_argument("--texts", type=int, default=1000, help="model: texts to encode")
    ap.add_argument("--workdir", default="/tmp/wirestory-rss")
    ap.add_argument("--out", help="also append the JSON as one line to this file")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    out = night(args) if args.mode == "night" else model(args)
    text = json.dumps(out, default=str)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as fh:
            fh.write(text + "\n")
    print(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
