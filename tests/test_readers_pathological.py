"""Hostile shapes cannot make sniffing or parsing slow: every regex in the readers runs in linear time.

Real mail and ANPA/IPTC 7901 files start with hundreds of CR/LF and control characters; the old XML
prolog pattern backtracked exponentially on them (30 newlines took longer than 20 s). Each input
below is detected and parsed (read_bytes) in well under a second, or refused with a ReaderError.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage.readers import ReaderError, detect, read_bytes

MB = 1024 * 1024
NITF = b'<?xml version="1.0"?>\n<nitf><head><title>T</title></head><body><body.content><p>Text.</p></body.content></body></nitf>'
G2 = b'<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:x:1"><contentMeta><headline>H</headline></contentMeta></newsItem>'
RSS = b'<rss version="2.0"><channel><title>Wire</title><item><guid>g1</guid><title>T</title><description>D</description></item></channel></rss>'
ANPA = b"\x16\x16\x01a0001 \x13\x11 r i BC-Test 12-01 0123\x02^Headline<\n   Body text.\n\x03AP-NY-12-01-24 1200GMT"
IPTC = b"\x01dpa0123 4 pl 345 dpa 0123\n\x02Headline=\nBody text of the story.\n\x03241205 Sep 24"
JSONL = b'{"id": "a1", "title": "T", "text": "Body."}\n'
CSV = b"id,title,text\na1,T,Body.\n"
SAMPLES = {"nitf": NITF, "newsml-g2": G2, "rss-atom": RSS, "anpa": ANPA, "iptc7901": IPTC, "jsonl": JSONL, "csv": CSV}

_RUNS = {
    "crlf": b"\r\n",
    "lf": b"\n",
    "space": b" ",
    "tab-vt-ff": b"\t\x0b\x0c",
    "nul": b"\x00",
    "soh": b"\x01",
    "controls": bytes(range(32)),
    "lt": b"<",
    "pi-open": b"<?",
    "comment-open": b"<!--",
    "doctype-open": b"<!DOCTYPE",
    "bang": b"<!",
    "cdata-open": b"<![CDATA[",
    "paren-line": b"(\n",
    "hash-line": b"#\n",
    "digits": b"1234567890",
    "kill": b"KILL ",
    "xmlns": b' xmlns:a="',
    "brackets": b"]]",
    "quote": b'"',
    "brace": b"{",
}


def _corpus() -> dict[str, bytes]:
    corpus: dict[str, bytes] = {}
    for name, unit in _RUNS.items():
        for size in (30, 3000, 300_000):
            run = unit * (size // len(unit) + 1)
            corpus[f"{name}x{size}+ZCZC"] = run + b"ZCZC x"
            corpus[f"{name}x{size}+nitf"] = run + NITF
            corpus[f"nitf+{name}x{size}"] = NITF.replace(b"Text.", run)
        corpus[f"{name}x1MB"] = unit * (MB // len(unit))
    for name, unit in (("a", b"a"), ("lt", b"<"), ("lf", b"\n"), ("nul", b"\x00"), ("space", b" ")):
        corpus[f"10MB of {name}"] = unit * (10 * MB)
    corpus["unterminated comment"] = b"<?xml version='1.0'?><!--" + b"-" * MB
    corpus["unterminated doctype"] = b"<!DOCTYPE nitf [" + b"<!ELEMENT a (b|c)*>" * 50_000
    corpus["unterminated cdata"] = b"<nitf><body><![CDATA[" + b"]" * MB
    corpus["unterminated pi"] = b"<?xml " + b"?" * MB
    corpus["deeply nested tags"] = b"<nitf>" + b"<p>" * 200_000 + b"x" + b"</p>" * 200_000 + b"</nitf>"
    corpus["deeply nested html body"] = NITF.replace(b"Text.", b"&lt;div&gt;" * 200_000)
    corpus["many xmlns"] = b"<nitf" + b' xmlns:a="' * 60_000 + b">"
    corpus["anpa header whitespace"] = b"\x16\x16\x01\x13\x11" + b" " * 500 + b"x" + b"\x02\n" + b" " * MB
    corpus["iptc header whitespace"] = b"\x01" + b" \t" * 150 + b"dpa0123 4 pl 345" + b" " * 300
    corpus["iptc parens without end"] = b"\x01dpa0123 4 pl 345 dpa 0123\n\x02" + b"(\n" * 500_000 + b"=\nBody\n\x03"
    corpus["iptc many flag lines"] = b"\x01dpa0123 4 pl 345 dpa 0123\n\x02" + b"EIL\n" * 250_000 + b"=\nBody\n\x03"
    corpus["iptc notepad hashes"] = IPTC.replace(b"Body text", b"#" + b" " * MB)
    corpus["iptc trailer digits"] = IPTC + b"1" * MB + b" " * MB
    corpus["anpa writethru digits"] = ANPA.replace(b"BC-Test", b"BC-" + b"1" * MB)
    corpus["dpa kill headline"] = (
        b'{"format": "digitalwires@1", "urn": "u", "headline": "'
        + b"KILL " * 200_000
        + b'x", "article_html": "<p>b</p>"}'
    )
    corpus["jsonl one long line"] = b'{"id": "a", "title": "' + b"x" * (5 * MB) + b'"}'
    corpus["csv one long field"] = b'id,title,text\na,"' + b'"' * MB
    return corpus


CORPUS = _corpus()


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_pathological_input_is_read_in_under_a_second(name: str) -> None:
    data = CORPUS[name]
    start = time.process_time()
    try:
        read_bytes(data, name)
    except ReaderError:
        pass
    elapsed = time.process_time() - start
    assert elapsed < 1.0, f"{name}: {elapsed:.2f} s of CPU to read {len(data)} bytes"


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_samples_are_what_the_prefix_test_builds_on(fmt: str) -> None:
    assert detect(SAMPLES[fmt]) == fmt


_PREFIX = st.lists(
    st.sampled_from(
        [
            b" ",
            b"\t",
            b"\r",
            b"\n",
            b"\r\n",
            b"\x00",
            b"\x01",
            b"\x0b",
            b"\x0c",
            b"\x1f",
            b"\x7f",
            b"<",
            b"<?",
            b"<!",
            b"<!--",
            b"?>",
            b"-->",
            b">",
        ]
    ),
    min_size=1,
    max_size=400,
).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIX, fmt=st.sampled_from(sorted(SAMPLES)))
def test_any_prefix_leaves_detection_fast_and_unchanged_or_a_clean_error(prefix: bytes, fmt: str) -> None:
    """Prepended junk either changes nothing, or makes the file a ReaderError; never a hang or a crash."""
    start = time.process_time()
    try:
        found = detect(prefix + SAMPLES[fmt])
    except ReaderError:
        found = None
    assert time.process_time() - start < 1.0
    assert found in (fmt, None), f"{prefix!r} turned {fmt} into {found}"
