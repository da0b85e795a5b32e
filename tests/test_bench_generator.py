"""The benchmark's synthetic wire-night generator: deterministic by seed, realistic in shape, readable."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from bench_lib.synth import describe, generate_night, night_digest, write_night  # noqa: E402


@pytest.fixture(scope="module")
def night():
    return generate_night(3000, seed=7)


def test_deterministic_by_seed(night):
    assert night_digest(generate_night(3000, seed=7)) == night_digest(night)
    assert night_digest(generate_night(3000, seed=8)) != night_digest(night)
    assert night_digest(generate_night(3000, seed=7, night=1)) != night_digest(night)


def test_exact_size_and_record_shape(night):
    assert len(night.records) == 3000
    for r in night.records[:50]:
        assert {"id", "source", "title", "text", "published_at", "language", "version", "story"} <= set(r)
        assert r["published_at"].startswith("2026-03-02T") and r["published_at"].endswith("Z")


def test_story_size_distribution(night):
    info = describe(night)
    bands = info["story_size_bands"]
    stories = info["stories"]
    assert bands["1"] / stories > 0.2  # many one-record stories
    assert bands["2-8"] / stories > 0.5  # most stories have 2-8 records
    assert bands.get("20-60", 0) >= 1  # a few large running stories
    assert max(Counter(r["story"] for r in night.records).values()) <= 60


def test_wires_versions_redistributions(night):
    info = describe(night)
    assert len(info["wires"]) >= 4 and {"Reuters", "AFP", "dpa", "AP"} <= set(info["wires"])
    assert info["versions_gt1"] > 0.05 * 3000
    assert info["redistributions"] > 0.01 * 3000
    by_id = {}
    for r in night.records:
        by_id.setdefault((r["source"], r["id"]), []).append(r["version"])
    assert any(sorted(v) == [1, 2, 3] for v in by_id.values())
    ap = {r["text"].replace("(AP) -", "(dpa/AP) -", 1)[:300] for r in night.records if r["source"] == "AP"}
    assert any(r["source"] == "dpa" and r["text"][:300] in ap for r in night.records)


def test_lengths_and_times(night):
    lo, median, hi = describe(night)["words_min_median_max"]
    assert lo >= 100 and 250 <= median <= 500 and hi <= 850
    hours = {int(r["published_at"][11:13]) for r in night.records}
    assert len(hours) >= 20  # spread over the night's 24 h


def test_files_are_read_by_the_jsonl_reader(night, tmp_path):
    from storage.readers import read_file
    from storage.records import Article

    paths = write_night(night, tmp_path)
    total = 0
    for p in paths:
        _fmt, items = read_file(p)
        assert all(isinstance(a, Article) for a in items)
        total += len(items)
        first = json.loads(p.read_text().splitlines()[0])
        assert f"{first['source'].lower()}-{first['published_at'][11:13]}" == p.stem
    assert total == 3000


def test_next_night_continues_some_stories():
    a = {r["story"] for r in generate_night(2000, seed=3, night=0).records}
    b = {r["story"] for r in generate_night(2000, seed=3, night=1).records}
    assert 0 < len(a & b) < 0.5 * len(b)
