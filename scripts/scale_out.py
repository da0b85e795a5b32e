"""The embed stage of a night on a local Ray cluster, then the normal night on the cached vectors.

    python scripts/scale_out.py --db night.duckdb --work /tmp/scale --parts 8 --workers 2 INPUT...

partition (the night's texts to N Parquet files) -> embed (Ray Data, `workers` encoder actors)
-> load (vectors into the embeddings table) -> `wirestory nightly` as usual (`--night`), whose
embed stage finds every vector cached. Needs the `scale` extra (`pip install wirestory[scale]`).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import datetime
from pathlib import Path

from cluster.config import Config
from cluster.encoders.base import EncoderSpec
from cluster.night import run_night
from cluster.scale import load, partitions, ray_embed


def distributed_embed(args: argparse.Namespace, spec: EncoderSpec) -> dict:
    """Partition, embed on the engine, load; returns the figures of each step."""
    work = Path(args.work)
    parts_dir, vec_dir = work / "texts", work / "vectors"
    for d in (parts_dir, vec_dir):
        shutil.rmtree(d, ignore_errors=True)
    t = time.perf_counter()
    rows = partitions.night_texts(args.inputs)
    partitions.write_partitions(rows, parts_dir, args.parts, spec.cache_key)
    out: dict = {"texts": len(rows), "parts": args.parts, "partition_s": time.perf_counter() - t}
    ray_embed.start(ray_embed.LocalCluster(num_cpus=args.workers * args.threads + 1, object_store_mb=args.store_mb))
    out["embed"] = ray_embed.embed_partitions(
        parts_dir, vec_dir, spec, args.workers, batch_size=args.batch_size, threads=args.threads
    )
    t = time.perf_counter()
    out["loaded"] = load.load_vectors(args.db, vec_dir)
    out["load_s"] = time.perf_counter() - t
    return out


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+")
    p.add_argument("--db", required=True)
    p.add_argument("--work", required=True, help="folder for the Parquet partitions and vectors")
    p.add_argument("--model", default="all-MiniLM-L6-v2")
    p.add_argument("--parts", type=int, default=8)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=1, help="torch threads per worker")
    p.add_argument("--batch-size", type=int, default=256)
    p.add_argument("--store-mb", type=int, default=512, help="object store memory of the local cluster")
    p.add_argument("--night", action="store_true", help="then run the night on the cached vectors")
    p.add_argument("--as-of", help="the night's as-of time (ISO), with --night")
    return p


def main() -> None:
    args = parser().parse_args()
    spec = EncoderSpec(args.model)
    out = distributed_embed(args, spec)
    if args.night:
        as_of = datetime.fromisoformat(args.as_of) if args.as_of else None
        report = run_night(Config(db=args.db, model=args.model), args.inputs, spec, as_of=as_of)
        out["night"] = {"counts": report.counts, "seconds": report.seconds}
    print(json.dumps(out, default=str, indent=1))


if __name__ == "__main__":
    main()
