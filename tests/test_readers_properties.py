"""Property tests: random bytes and mutated real documents never make a reader raise anything but ReaderError.

A multi-item file may come back with some items Rejected (quarantined alone), each with its position and reason.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.readers import ReaderError, _registry, detect, read_as, read_bytes
from storage.records import Article, Rejected, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "wire"
SAMPLES = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "wire_samples"
SEEDS = sorted(FIXTURES.iterdir()) + sorted(
    p
    for d in (
        "newsml-g2/reuters",
        "newsml-g2/tt",
        "nitf/ap",
        "anpa/ap",
        "iptc7901/dpa-converted",
        "dpa-digitalwires",
        "ninjs/3.0",
    )
    for p in (SAMPLES / d).glob("*")
    if SAMPLES.is_dir() and p.stat().st_size < 40_000
)
DOCS = [p.read_bytes() for p in SEEDS]
NAMES = [name for name, _, _ in _registry()]


def every_reader(data: bytes) -> None:
    for name, sniff, _ in _registry():
        sniff(data)
        try:
            items = read_as(name, data, "fuzz")
        except ReaderError:
            continue
        assert all(isinstance(i, (Article, Skipped, Rejected)) for i in items)
        assert all(i.position and i.reason for i in items if isinstance(i, Rejected))
    try:
        detect(data)
        read_bytes(data, "fuzz")
    except ReaderError:
        pass


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    doc = bytearray(draw(st.sampled_from(DOCS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        at = draw(st.integers(0, max(len(doc) - 1, 0)))
        if op == "flip" and doc:
            doc[at] = draw(st.integers(0, 255))
        elif op == "cut":
            del doc[at:]
        elif op == "insert":
            doc[at:at] = draw(
                st.sampled_from(
                    [b"<", b">", b"&", b'"', b"\x00", b"\x02", b"\x03", b"{", b"]", b"\xff", b"<!ENTITY a 'b'>"]
                )
            )
        elif doc:
            del doc[at : at + draw(st.integers(1, 200))]
    return bytes(doc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes(data: bytes) -> None:
    every_reader(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_documents(data: bytes) -> None:
    every_reader(data)


def test_seeds_cover_every_format() -> None:
    formats = set()
    for doc in DOCS:
        try:
            formats.add(detect(doc))
        except ReaderError:
            pass
    assert formats == set(NAMES)
