"""The embed stage on Ray Data: read_parquet -> map_batches(EncoderActor) -> write_parquet.

Each actor builds the encoder once with `EncoderSpec` (the same code, text preparation and
truncation as the single-process night) and keeps it for every batch it is handed; the input
column is already `encoder_text`, so the vectors are the ones the night would compute.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from cluster.encoders.base import EncoderSpec


class EncoderActor:
    """One model per worker process, loaded once; `threads` torch threads (1: one core each)."""

    def __init__(self, spec: dict, threads: int = 1) -> None:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        if not spec["model"].startswith("fake"):
            import torch

            torch.set_num_threads(threads)
        built = EncoderSpec(**spec)
        self.encoder = built()
        self.cache_key = built.cache_key

    def __call__(self, batch: pa.Table) -> pa.Table:
        texts = batch.column("text").to_pylist()
        vectors = self.encoder.encode(texts, batch_size=min(64, max(1, len(texts))))
        flat = pa.array(np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1), type=pa.float32())
        return pa.table(
            {
                "content_hash": batch.column("content_hash"),
                "cache_key": pa.array([self.cache_key] * len(texts), type=pa.string()),
                "vector": pa.FixedSizeListArray.from_arrays(flat, int(vectors.shape[1])),
            }
        )


@dataclass(frozen=True)
class LocalCluster:
    """A bounded local Ray cluster: loopback only, no dashboard, a capped object store."""

    num_cpus: int = 2
    object_store_mb: int = 512


def start(cluster: LocalCluster) -> None:
    """Start (or join the already started) local Ray cluster in this process."""
    import ray

    if not ray.is_initialized():
        ray.init(
            num_cpus=cluster.num_cpus,
            include_dashboard=False,
            _node_ip_address="127.0.0.1",
            object_store_memory=cluster.object_store_mb * 2**20,
            log_to_driver=False,
            configure_logging=False,
        )


def embed_partitions(
    in_dir: Path, out_dir: Path, spec: EncoderSpec, workers: int, batch_size: int = 256, threads: int = 1
) -> dict:
    """Embed every Parquet partition under `in_dir` with `workers` encoder actors, writing
    (content_hash, cache_key, vector) Parquet under `out_dir`; returns rows, seconds, per-worker rate."""
    import ray

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    t = time.perf_counter()
    files = sorted(str(p) for p in in_dir.glob("*.parquet"))
    # One block per partition, so every actor gets work (Ray would merge small files into one).
    ds = ray.data.read_parquet(files, columns=["content_hash", "text"], override_num_blocks=len(files))
    out = ds.map_batches(
        EncoderActor,
        fn_constructor_kwargs={"spec": asdict(spec), "threads": threads},
        batch_size=batch_size,
        batch_format="pyarrow",
        concurrency=workers,
        num_cpus=threads,
    )
    out.write_parquet(str(out_dir))
    seconds = time.perf_counter() - t
    rows = _count(out_dir)
    return {"rows": rows, "seconds": seconds, "workers": workers, "per_worker_per_s": rows / seconds / workers}


def _count(out_dir: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in out_dir.glob("*.parquet"))
