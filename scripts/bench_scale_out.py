"""Engine path vs single-process night on one synthetic night (scripts/bench_lib): throughput per
worker and the equivalence figures (vectors max |diff|, min cosine, B-cubed of the stories).

    python scripts/bench_scale_out.py --n 3000 --workers 2 --parts 8 [--model fake-256]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_lib.runs import as_of, fresh_db, make_night  # noqa: E402
from scale_out import distributed_embed  # noqa: E402

from cluster.config import Config  # noqa: E402
from cluster.encoders.base import EncoderSpec  # noqa: E402
from cluster.evaluate.metrics import bcubed  # noqa: E402
from cluster.night import run_night  # noqa: E402
from storage import db as dbm  # noqa: E402
from storage import queries, store  # noqa: E402


def labels(db: str) -> dict[str, str]:
    con = dbm.connect(db)
    try:
        return queries.predictions(con)
    finally:
        con.close()


def vectors(db: str, key: str) -> dict[str, np.ndarray]:
    con = dbm.connect(db)
    try:
        hashes = [h for (h,) in con.execute("SELECT content_hash FROM embeddings WHERE model = ?", [key]).fetchall()]
        return store.cached_embeddings(con, hashes, key)
    finally:
        con.close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=3000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--model", default="all-MiniLM-L6-v2")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--parts", type=int, default=8)
    p.add_argument("--work", default="/tmp/wirestory-scale")
    p.add_argument("--single", action=argparse.BooleanOptionalAction, default=True)
    args = p.parse_args()
    work = Path(args.work)
    night_dir, _ = make_night(work, args.n, args.seed)
    spec = EncoderSpec(args.model)
    cfg_a, db_b = fresh_db(work / "single.duckdb"), fresh_db(work / "engine.duckdb")
    out: dict = {"n": args.n, "model": spec.cache_key, "load_before": os.getloadavg()}
    when = datetime.fromisoformat(as_of(0))
    ns = argparse.Namespace(
        inputs=[str(night_dir)], db=db_b, work=str(work / "engine"), parts=args.parts, workers=args.workers,
        threads=1, batch_size=256, store_mb=512,
    )  # fmt: skip
    out["engine"] = distributed_embed(ns, spec)
    t = time.perf_counter()
    rb = run_night(Config(db=db_b, model=args.model), [str(night_dir)], spec, as_of=when)
    out["engine"]["night_s"] = time.perf_counter() - t
    out["engine"]["night_embed_new"] = rb.counts["embed_new"]
    if args.single:
        ra = run_night(Config(db=cfg_a, model=args.model), [str(night_dir)], spec, as_of=when)
        out["single"] = {"seconds": ra.seconds, "counts": {k: ra.counts[k] for k in ("embed_new", "embed_reused")}}
        out["single"]["embed_per_s"] = ra.counts["embed_new"] / ra.seconds["embed"]
        va, vb = vectors(cfg_a, spec.cache_key), vectors(db_b, spec.cache_key)
        common = sorted(set(va) & set(vb))
        a, b = np.stack([va[h] for h in common]), np.stack([vb[h] for h in common])
        cos = np.sum(a * b, axis=1)
        out["vectors"] = {
            "compared": len(common),
            "max_abs_diff": float(np.abs(a - b).max()),
            "min_cosine": float(cos.min()),
            "below_0.9999": int((cos < 0.9999).sum()),
        }
        la, lb = labels(cfg_a), labels(db_b)
        items = sorted(set(la) & set(lb))
        out["stories"] = {
            "items": len(items),
            "identical_partition": len({(la[i], lb[i]) for i in items})
            == len({la[i] for i in items})
            == len({lb[i] for i in items}),
            "bcubed_f": bcubed([la[i] for i in items], [lb[i] for i in items])[2],
        }
    out["load_after"] = os.getloadavg()
    print(json.dumps(out, default=str, indent=1))


if __name__ == "__main__":
    main()
