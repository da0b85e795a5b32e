"""The benchmark's measurements: each in a fresh interpreter (bench_lib.children), on generated nights."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bench_lib.report import derive, derive_cached, fmt_stages
from cluster.encoders.base import EncoderSpec

SCRIPTS = Path(__file__).resolve().parent.parent
ROOT = SCRIPTS.parent

#: The cache key the nights embed under (the default model at 256 tokens, this CPU's precision).
MODEL_NAME = EncoderSpec("all-MiniLM-L6-v2", 256, "auto").cache_key


def child(spec: dict) -> dict:
    """Run one measurement in a fresh interpreter; return its JSON (last stdout line)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(SCRIPTS)]),
        "HF_HUB_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
    }
    code = "import sys; from bench_lib.children import main; main(sys.argv[1:])"
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(spec)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-8000:])
        raise SystemExit(f"benchmark child {spec['mode']} failed with exit code {proc.returncode}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["subprocess_wall"] = elapsed
    return out


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {msg}", flush=True)


def make_night(work: Path, n: int, seed: int, night: int = 0) -> tuple[Path, dict]:
    from bench_lib.synth import describe, generate_night, write_night

    d = work / f"nights/n{n}-s{seed}-k{night}"
    t = time.perf_counter()
    data = generate_night(n, seed, night)
    gen_s = time.perf_counter() - t
    write_night(data, d)
    info = describe(data)
    info["generate_seconds"] = round(gen_s, 2)
    return d, info


def as_of(night: int) -> str:
    from bench_lib.synth import BASE_DATE

    return (BASE_DATE + timedelta(days=night + 1)).isoformat()


def fresh_db(path: Path) -> str:
    for suffix in ("", ".wal", ".new", ".new.wal", ".lock"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)


def run_sizes(args: argparse.Namespace, work: Path, results: dict, save: Callable[[], None]) -> None:
    for n in args.sizes:
        key = str(n)
        res = results["sizes"].setdefault(key, {})
        d, info = make_night(work, n, args.seed)
        res["night"] = info
        log(f"{n}: generated {info['records']} records / {info['stories']} stories in {info['generate_seconds']} s")
        db = fresh_db(work / f"db/n{n}.duckdb")
        reuse = not args.no_reuse
        res["run"] = child(
            {"mode": "night", "db": db, "inputs": [str(d)], "as_of": as_of(0), "score": True, "reuse": reuse}
        )
        log(f"{n}: night wall {res['run']['wall']:.1f} s  {fmt_stages(res['run']['seconds'])}")
        save()
        sample = args.encoder_sample if n > args.encoder_full_max else None
        res["encoder"] = child({"mode": "encoder", "db": db, "sample": sample, "seed": args.seed})
        res["encoder"]["sampled"] = bool(sample)
        log(f"{n}: encoder alone {res['encoder']['per_s']:.1f}/s on {res['encoder']['n']} texts")
        res["rerun"] = child(
            {"mode": "night", "db": db, "inputs": [str(d)], "as_of": as_of(0), "preload": False, "reuse": reuse}
        )
        log(f"{n}: rerun run_night {res['rerun']['wall']:.2f} s, process {res['rerun']['subprocess_wall']:.2f} s")
        res["derived"] = derive(res["run"], res["encoder"])
        save()


def run_cached_sizes(args: argparse.Namespace, work: Path, results: dict, save: Callable[[], None]) -> None:
    """Night sizes run with the embedding cache pre-filled with stand-in vectors (no model forward
    pass in the night): every non-embedding stage at full size in minutes, for a machine too loaded
    to embed that many texts in the time available. The encoder alone is timed on a sample of the
    same texts, so the embedding stage of a real night can be projected from it."""
    import numpy as np

    from bench_lib.archive import night_vectors

    for n in args.cached_sizes:
        res = results.setdefault("cached_sizes", {}).setdefault(str(n), {})
        d, info = make_night(work, n, args.seed)
        res["night"] = info
        db = fresh_db(work / f"db/cached-n{n}.duckdb")
        cache = work / f"db/cached-n{n}.npz"
        hashes, vecs = night_vectors([d], args.seed)
        np.savez(cache, hashes=np.array(hashes), vectors=vecs, model=np.array(MODEL_NAME))
        child({"mode": "prefill", "db": db, "cache": str(cache)})
        res["run"] = child({"mode": "night", "db": db, "inputs": [str(d)], "as_of": as_of(0), "score": True})
        log(f"{n} (cache pre-filled): night wall {res['run']['wall']:.1f} s  {fmt_stages(res['run']['seconds'])}")
        save()
        res["encoder"] = child({"mode": "encoder", "db": db, "sample": args.encoder_sample, "seed": args.seed})
        res["encoder"]["sampled"] = True
        log(f"{n}: encoder alone {res['encoder']['per_s']:.1f}/s on {res['encoder']['n']} texts")
        res["rerun"] = child({"mode": "night", "db": db, "inputs": [str(d)], "as_of": as_of(0), "preload": False})
        log(
            f"{n} (cached): rerun run_night {res['rerun']['wall']:.2f} s, process {res['rerun']['subprocess_wall']:.2f} s"
        )
        res["derived"] = derive_cached(res)
        save()


def run_archive(args: argparse.Namespace, work: Path, results: dict, save: Callable[[], None]) -> None:
    arc = results.setdefault("archive", {})
    dirs = []
    for k in range(args.archive_nights):
        d, info = make_night(work, args.archive_night_size, args.seed, k)
        dirs.append(d)
        arc[f"night{k}"] = info
    cache = work / "db/archive-nights-vectors.npz"
    cache.parent.mkdir(parents=True, exist_ok=True)
    if args.archive_real_vectors:
        arc["encode"] = child({"mode": "encode_nights", "inputs": [str(d) for d in dirs], "out": str(cache)})
        log(
            f"archive: encoded {arc['encode']['n']} night texts at {arc['encode']['per_s']:.1f}/s (embedding cache for both DBs)"
        )
    else:
        import numpy as np

        from bench_lib.archive import night_vectors

        hashes, vecs = night_vectors(dirs, args.seed)
        np.savez(cache, hashes=np.array(hashes), vectors=vecs, model=np.array(MODEL_NAME))
        arc["encode"] = {
            "n": len(hashes),
            "vectors": "synthetic story-centre vectors (bench_lib.archive.night_vectors)",
        }
        log(f"archive: {len(hashes)} stand-in night vectors for the embedding cache of both DBs")
    empty = fresh_db(work / "db/empty.duckdb")
    full = fresh_db(work / "db/archive.duckdb")
    from bench_lib.synth import BASE_DATE

    arc["build"] = child(
        {
            "mode": "archive",
            "db": full,
            "n": args.archive_size,
            "seed": args.seed,
            "before": BASE_DATE.isoformat(),
            "model": MODEL_NAME,
        }
    )
    log(f"archive: built {arc['build']['counts']} in {arc['build']['seconds']:.1f} s")
    for db in (empty, full):
        child({"mode": "prefill", "db": db, "cache": str(cache)})
    arc["db_mb_before"] = {"empty": os.path.getsize(empty) / 2**20, "archive": os.path.getsize(full) / 2**20}
    save()
    import shutil

    seeds = {}
    for name, db in (("empty", empty), ("archive", full)):
        seeds[name] = f"{db}.initial"
        shutil.copyfile(db, seeds[name])
    # The whole three-night sequence is repeated on fresh copies of the two prepared databases;
    # per night the fastest repeat is reported (other jobs on a shared machine only add time).
    for rep in range(args.archive_repeats):
        for name, db in (("empty", empty), ("archive", full)):
            fresh_db(Path(db))
            shutil.copyfile(seeds[name], db)
        for k, d in enumerate(dirs):
            for name, db in (("empty", empty), ("archive", full)):
                r = child({"mode": "night", "db": db, "inputs": [str(d)], "as_of": as_of(k), "score": True})
                r["repeat"] = rep
                arc.setdefault(f"{name}{k}_walls", []).append(round(r["wall"], 2))
                if f"{name}{k}" not in arc or r["wall"] < arc[f"{name}{k}"]["wall"]:
                    arc[f"{name}{k}"] = r
                log(f"archive: repeat {rep} night {k} on {name}: wall {r['wall']:.1f} s  {fmt_stages(r['seconds'])}")
                save()
    for name, db in (("empty", empty), ("archive", full)):
        r = child(
            {"mode": "night", "db": db, "inputs": [str(dirs[-1])], "as_of": as_of(len(dirs) - 1), "preload": False}
        )
        arc[f"rerun_{name}"] = r
        log(
            f"archive: rerun of night {len(dirs) - 1} on {name}: run_night {r['wall']:.2f} s, process {r['subprocess_wall']:.2f} s"
        )
    save()
