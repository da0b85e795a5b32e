"""A night's texts to embed, written to N Parquet partitions (content hash, article id, encoder
input, cache key): the engine's input. The encoder input is `encoder_text` of the text the wire
reader gives, exactly what the single-process embed stage hands the encoder."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cluster.encoders.base import encoder_text
from storage import readers
from storage.inputs import expand_inputs
from storage.records import Article

SCHEMA = pa.schema(
    [("content_hash", pa.string()), ("article_id", pa.string()), ("text", pa.string()), ("cache_key", pa.string())]
)


def night_texts(inputs: Sequence[str]) -> list[tuple[str, str, str]]:
    """(content hash, article id, encoder input) of every distinct text in the inputs, first
    delivery wins (the vector belongs to the text, not the delivery)."""
    seen: dict[str, tuple[str, str, str]] = {}
    for _, read in readers.read_each(expand_inputs(inputs)[0], readers.read_file):
        if isinstance(read, Exception):
            continue
        for item in read[1]:
            if isinstance(item, Article) and item.content_hash not in seen:
                seen[item.content_hash] = (item.content_hash, item.article_id, encoder_text(item.headline, item.body))
    return list(seen.values())


def partition_of(content_hash: str, parts: int) -> int:
    """Stable partition of a text: a re-run or another machine puts it in the same file."""
    return int.from_bytes(hashlib.blake2b(content_hash.encode(), digest_size=8).digest(), "little") % parts


def write_partitions(rows: Iterable[tuple[str, str, str]], out_dir: Path, parts: int, cache_key: str) -> list[Path]:
    """Write the rows to `parts` Parquet files `part-NNNNN.parquet` under `out_dir`; returns them."""
    buckets: list[list[tuple[str, str, str]]] = [[] for _ in range(parts)]
    for row in rows:
        buckets[partition_of(row[0], parts)].append(row)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, bucket in enumerate(buckets):
        table = pa.table(
            {
                "content_hash": [r[0] for r in bucket],
                "article_id": [r[1] for r in bucket],
                "text": [r[2] for r in bucket],
                "cache_key": [cache_key] * len(bucket),
            },
            schema=SCHEMA,
        )
        path = out_dir / f"part-{i:05d}.parquet"
        pq.write_table(table, path)
        paths.append(path)
    return paths
