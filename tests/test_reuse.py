"""A copy recognised before embedding takes the vector of the text it copies; other texts are encoded."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime

import duckdb
import numpy as np
import pytest
from conftest import write_jsonl

from cluster.encoders.base import FakeEncoder, encoder_text
from cluster.grouping.reuse import ReuseParams, copies, jaccard, shingles
from cluster.night import run_night
from cluster.settings import Settings

WORDS = (
    "port harbour ferry strike union minister council budget rocket launch court ruling flood river "
    "bridge police inquiry market shares bank rate election vote senator mayor storm coast airport "
    "factory workers wages hospital doctors school teachers railway signal power outage drought farm"
).split()


def body(seed: int, words: int = 160) -> str:
    rng = random.Random(seed)
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))).capitalize() + ".")
    return " ".join(sentences)


def article(id_: str, source: str, title: str, text: str, when: str, version: int = 1) -> dict:
    return {
        "id": id_,
        "source": source,
        "title": title,
        "text": text,
        "published_at": when,
        "language": "en",
        "version": version,
    }


ORIGINAL = body(1)
TITLE = "Ferry strike shuts the harbour"
#: dpa carrying AP: the by-line changed, everything else verbatim.
COPY = "BERLIN (dpa/AP) - " + ORIGINAL
#: A new version: one figure changed.
VERSION = ORIGINAL.replace(".", " 12.", 1)
#: Same topic words, another text.
OTHER = body(2)


class Counting:
    """A fake-encoder factory that tells its name and cache key up front and records every text encoded."""

    def __init__(self) -> None:
        self._encoder = FakeEncoder(256)
        self.name = self._encoder.name
        self.cache_key = self._encoder.cache_key
        self.built = 0
        self.texts: list[str] = []

    def __call__(self) -> Counting:
        self.built += 1
        return self

    @property
    def dim(self) -> int:
        return self._encoder.dim

    def encode(self, texts, batch_size: int = 64) -> np.ndarray:
        self.texts.extend(texts)
        return self._encoder.encode(texts, batch_size)


def vectors(db: str) -> dict[str, np.ndarray]:
    """Item key -> cached vector of its article's text."""
    con = duckdb.connect(db, read_only=True)
    try:
        rows = con.execute(
            "SELECT a.item_key, e.vector FROM articles a JOIN embeddings e USING (content_hash)"
        ).fetchall()
    finally:
        con.close()
    return {k: np.asarray(v, dtype=np.float32) for k, v in rows}


def test_shingle_jaccard_sees_the_copy_and_not_the_other_text():
    a, b, c, d = (shingles(encoder_text(TITLE, t), 5) for t in (ORIGINAL, COPY, VERSION, OTHER))
    assert jaccard(a, a) == 1.0
    assert jaccard(a, b) >= 0.9 and jaccard(a, c) >= 0.9
    assert jaccard(a, d) < 0.2
    assert shingles("", 5).size == 0 and shingles("two words", 5).size == 1


def test_copies_picks_a_verified_anchor_and_never_a_copy():
    texts = [ORIGINAL, COPY, VERSION, OTHER, "BERLIN (dpa/AP) - " + VERSION]
    found = copies(texts, [False] * len(texts), ReuseParams())
    assert set(found) == {1, 2, 4}
    assert all(anchor in (0, 3) for anchor, _ in found.values()), "an anchor is encoded, never a copy"
    assert all(sim >= 0.9 for _, sim in found.values())
    assert copies(texts, [False] * len(texts), ReuseParams(enabled=False)) == {}
    assert copies(texts, [False] * len(texts), ReuseParams(jaccard=1.0)) == {}
    # a known (cached) text is an anchor, never matched itself
    assert copies([ORIGINAL, COPY], [True, False], ReuseParams()) == {1: (0, pytest.approx(found[1][1]))}


@pytest.mark.parametrize(
    "kwargs",
    [{"jaccard": 0.0}, {"jaccard": 1.5}, {"shingle_words": 0}, {"bands": 0}, {"rows": 2.5}, {"bands": 64, "rows": 32}],
)
def test_reuse_params_are_validated(kwargs):
    with pytest.raises(ValueError):
        ReuseParams(**kwargs)


def test_a_redistributed_copy_takes_the_originals_vector_without_the_encoder(fake_config, tmp_path):
    path = write_jsonl(
        tmp_path / "night.jsonl",
        [
            article("ap:1", "AP", TITLE, "NEW YORK (AP) - " + ORIGINAL, "2026-11-26T08:00:00Z"),
            article("dpa:9", "dpa", TITLE, "NEW YORK (dpa/AP) - " + ORIGINAL, "2026-11-26T08:40:00Z"),
            article("reuters:5", "Reuters", "Harbour ferries stop", OTHER, "2026-11-26T09:00:00Z"),
        ],
    )
    factory = Counting()
    report = run_night(fake_config, [str(path)], factory, as_of=datetime(2026, 11, 27))
    assert report.counts["embed_new"] == 2 and report.counts["embed_reused"] == 1
    assert len(factory.texts) == 2 and not any("dpa/AP" in t for t in factory.texts)
    got = vectors(fake_config.db)
    assert np.array_equal(got["dpa:9"], got["ap:1"]), "the copy's vector is the original's"
    expected = FakeEncoder(256).encode([encoder_text(TITLE, "NEW YORK (AP) - " + ORIGINAL)])[0]
    assert np.allclose(got["ap:1"], expected)
    assert not np.allclose(got["reuters:5"], got["ap:1"])


def test_a_barely_changed_version_on_a_later_night_never_loads_the_encoder(fake_config, tmp_path):
    first = write_jsonl(tmp_path / "n1.jsonl", [article("ap:1", "AP", TITLE, ORIGINAL, "2026-11-26T08:00:00Z")])
    run_night(fake_config, [str(first)], Counting(), as_of=datetime(2026, 11, 27))
    second = write_jsonl(
        tmp_path / "n2.jsonl", [article("ap:1", "AP", TITLE, VERSION, "2026-11-27T08:00:00Z", version=2)]
    )
    factory = Counting()
    report = run_night(fake_config, [str(second)], factory, as_of=datetime(2026, 11, 28))
    assert report.counts["embed_reused"] == 1 and report.counts["embed_new"] == 0
    assert factory.built == 0, "every text was cached or a copy: the model is never loaded"
    con = duckdb.connect(fake_config.db, read_only=True)
    try:
        (n,) = con.execute("SELECT count(DISTINCT vector) FROM embeddings").fetchone()
    finally:
        con.close()
    assert n == 1, "the new version took the cached vector of the first"


def test_a_substantially_changed_version_is_embedded(fake_config, tmp_path):
    first = write_jsonl(tmp_path / "n1.jsonl", [article("ap:1", "AP", TITLE, ORIGINAL, "2026-11-26T08:00:00Z")])
    run_night(fake_config, [str(first)], Counting(), as_of=datetime(2026, 11, 27))
    rewritten = body(3, 40) + " " + ORIGINAL[: len(ORIGINAL) // 2]  # a new lead, half the old text
    second = write_jsonl(
        tmp_path / "n2.jsonl", [article("ap:1", "AP", TITLE, rewritten, "2026-11-27T08:00:00Z", version=2)]
    )
    factory = Counting()
    report = run_night(fake_config, [str(second)], factory, as_of=datetime(2026, 11, 28))
    assert report.counts["embed_reused"] == 0 and report.counts["embed_new"] == 1
    assert factory.texts == [encoder_text(TITLE, rewritten)]


def test_reuse_off_embeds_every_new_text(fake_config, tmp_path):
    path = write_jsonl(
        tmp_path / "night.jsonl",
        [
            article("ap:1", "AP", TITLE, "NEW YORK (AP) - " + ORIGINAL, "2026-11-26T08:00:00Z"),
            article("dpa:9", "dpa", TITLE, "NEW YORK (dpa/AP) - " + ORIGINAL, "2026-11-26T08:40:00Z"),
        ],
    )
    factory = Counting()
    settings = Settings(config=fake_config, reuse=ReuseParams(enabled=False))
    report = run_night(settings, [str(path)], factory, as_of=datetime(2026, 11, 27))
    assert report.counts["embed_new"] == 2 and report.counts["embed_reused"] == 0
    assert replace(settings, reuse=ReuseParams()).digest != settings.digest
