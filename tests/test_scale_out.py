"""The engine path of the embed stage (cluster/scale) gives the single-process night's vectors
and stories: partitions -> EncoderActor per batch -> vectors Parquet -> embeddings table -> night."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from conftest import DEMO, memberships

from cluster.encoders.base import EncoderSpec, FakeEncoder
from cluster.scale import load, partitions
from cluster.scale.ray_embed import EncoderActor

SPEC = EncoderSpec("fake-256")


def _groups(db: str) -> set[frozenset[str]]:
    by_story: dict[str, set[str]] = {}
    for item, story in memberships(db).items():
        by_story.setdefault(story, set()).add(item)
    return {frozenset(s) for s in by_story.values()}


def _embed_in_process(texts: Path, vectors: Path) -> None:
    """What each engine worker does to its batches, run here without the engine."""
    actor = EncoderActor({"model": SPEC.model, "max_tokens": SPEC.max_tokens, "precision": SPEC.precision})
    vectors.mkdir()
    for path in sorted(texts.glob("*.parquet")):
        pq.write_table(actor(pq.read_table(path)), vectors / path.name)


def test_partitioned_vectors_and_stories_equal_single_process(tmp_path, night, fake_config) -> None:
    inputs = [str(DEMO / "night1.jsonl")]
    rows = partitions.night_texts(inputs)
    assert len(partitions.write_partitions(rows, tmp_path / "texts", 3, SPEC.cache_key)) == 3
    _embed_in_process(tmp_path / "texts", tmp_path / "vectors")
    engine_db = str(tmp_path / "engine.duckdb")
    assert load.load_vectors(engine_db, tmp_path / "vectors") == len(rows)

    hashes, vectors, key = load.read_vectors(tmp_path / "vectors")
    assert key == FakeEncoder(256).cache_key
    want = FakeEncoder(256).encode([dict((r[0], r[2]) for r in rows)[h] for h in hashes])
    assert np.array_equal(vectors, want)

    single = night(inputs)
    engine_report = night(inputs, db=engine_db)
    assert engine_report.counts["embed_new"] == 0
    assert _groups(engine_db) == _groups(fake_config.db)
    night_texts = single.counts["embed_new"] + single.counts["embed_reused"] + single.counts["embed_cached"]
    assert engine_report.counts["embed_cached"] == night_texts


@pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed (the `scale` extra)")
@pytest.mark.skipif(
    os.environ.get("WIRESTORY_RAY_TEST") != "1",
    reason="starts a local Ray cluster (minutes on a 2-core machine): set WIRESTORY_RAY_TEST=1",
)
def test_ray_engine_gives_the_in_process_vectors(tmp_path) -> None:
    from cluster.scale import ray_embed

    rows = partitions.night_texts([str(DEMO / "night1.jsonl")])
    partitions.write_partitions(rows, tmp_path / "texts", 2, SPEC.cache_key)
    ray_embed.start(ray_embed.LocalCluster(num_cpus=2, object_store_mb=128))
    ray_embed.embed_partitions(tmp_path / "texts", tmp_path / "vectors", SPEC, workers=1, batch_size=64)
    hashes, vectors, _ = load.read_vectors(tmp_path / "vectors")
    text_of = {r[0]: r[2] for r in rows}
    assert sorted(hashes) == sorted(text_of)
    assert np.array_equal(vectors, FakeEncoder(256).encode([text_of[h] for h in hashes]))
