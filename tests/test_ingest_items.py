"""Ingest keeps a night moving: a per-file read budget, per-item quarantine, and recorded skips.

- A file whose reader never returns (here: a regex backtracking in C, which no signal interrupts)
  is quarantined as "took longer than 0.2 s to read" while the night's other files land.
- A bad line, row, entry or item of a multi-item file is quarantined alone, with its position;
  the good ones land, the file is recorded as ingested, the night exits 3, and a rerun adds nothing.
- An item a reader skips (a picture, a package) is recorded with its reason as kind 'skipped',
  visible in `wirestory quarantine list --kind skipped`, and does not make the night exit 3.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb
import pytest
from conftest import write_jsonl

import storage.readers as readers
from cluster.cli.main import cli
from storage.readers import ReaderError, read_bytes
from storage.readers.guarded import ReaderFailure, read_guarded
from storage.records import Article, Rejected, Skipped

GOOD = [
    {"id": f"g{i}", "source": "AP", "title": f"Port strike day {i}", "text": "Dockers walked out again."}
    for i in range(2)
]


def _rows(db: str, sql: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _stalling_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register a reader for files starting with b"STALL" that backtracks exponentially inside re."""
    real = readers._registry

    def stall(data: bytes, path: str) -> list:
        re.match(rb"(?:\s+)*<", b"\n" * 64)  # hours of C-level backtracking
        return []

    monkeypatch.setattr(readers, "_registry", lambda: [("stall", lambda d: d.startswith(b"STALL"), stall), *real()])


def test_a_file_over_the_read_budget_is_quarantined_and_the_night_goes_on(night, fake_config, tmp_path, monkeypatch):
    _stalling_registry(monkeypatch)
    first = write_jsonl(tmp_path / "a.jsonl", GOOD[:1])
    stuck = tmp_path / "b.stall"
    stuck.write_bytes(b"STALL forever")
    last = write_jsonl(tmp_path / "c.jsonl", GOOD[1:])
    report = night([first, stuck, last], read_timeout_seconds=0.2)
    assert report.exit_code == 3
    assert report.quarantined == [(str(stuck), "took longer than 0.2 s to read")]
    assert _rows(fake_config.db, "SELECT path, item, kind, reason FROM quarantine") == [
        (str(stuck), "", "quarantined", "took longer than 0.2 s to read")
    ]
    assert sorted(r[0] for r in _rows(fake_config.db, "SELECT item_key FROM articles")) == ["g0", "g1"]


def test_read_guarded_keeps_order_and_isolates_stalls_and_crashes(monkeypatch):
    _stalling_registry(monkeypatch)

    def crash(data: bytes, path: str) -> tuple[str, list]:
        if data == b"CRASH":
            os._exit(7)
        return read_bytes(data, path)

    line = json.dumps(GOOD[0]).encode()
    files = [("1", line), ("2", b"STALL"), ("3", b"<nope"), ("4", b"CRASH"), ("5", line)]
    outcomes = list(read_guarded(files, 0.5, crash))
    assert [o.format for o in outcomes] == ["jsonl", None, None, None, "jsonl"]
    assert outcomes[1].error == "took longer than 0.5 s to read"
    assert outcomes[2].error and "unknown format" in outcomes[2].error
    assert outcomes[3].error == "reader crashed (worker exit code 7)"
    assert isinstance(outcomes[4].items[0], Article) and outcomes[4].items[0].item_key == "g0"


def test_read_guarded_raises_reader_bugs_and_refuses_a_zero_budget():
    def buggy(data: bytes, path: str) -> tuple[str, list]:
        raise ZeroDivisionError("bug")

    with pytest.raises(ReaderFailure, match="x.jsonl: ZeroDivisionError: bug"):
        list(read_guarded([("x.jsonl", b"{}")], 5, buggy))
    with pytest.raises(ValueError, match="> 0"):
        list(read_guarded([("x", b"{}")], 0))


def _jsonl_with_bad_line(path: Path) -> Path:
    lines = [json.dumps(GOOD[0]).encode(), b'{"id": "bad", "title": "\xff\xfe"}', json.dumps(GOOD[1]).encode()]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_one_bad_jsonl_line_is_quarantined_alone_and_the_others_land(night, fake_config, tmp_path):
    path = _jsonl_with_bad_line(tmp_path / "mixed.jsonl")
    report = night([path])
    assert report.exit_code == 3 and report.status == "quarantined"
    assert sorted(r[0] for r in _rows(fake_config.db, "SELECT item_key FROM articles")) == ["g0", "g1"]
    rows = _rows(fake_config.db, "SELECT path, item, kind, reason FROM quarantine")
    assert [r[:3] for r in rows] == [(str(path), "line 2", "quarantined")]
    assert "not UTF-8" in rows[0][3]
    assert _rows(fake_config.db, "SELECT path, n_items FROM files") == [(str(path), 2)]
    before = {t: _rows(fake_config.db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("articles", "files", "quarantine")}
    assert night([path]).exit_code == 0  # known by content: skipped, no second quarantine row
    assert {t: _rows(fake_config.db, f"SELECT * FROM {t} ORDER BY ALL") for t in before} == before


RSS = b"""<rss version="2.0"><channel><title>Reuters</title>
<item><guid>e1</guid><title>First</title><description>One.</description></item>
<item><title>No id</title></item>
<item><guid>e3</guid><title>Third</title><description>Three.</description></item>
</channel></rss>"""
G2 = b"""<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>
<newsItem guid="urn:x:1"><contentMeta><headline>One</headline></contentMeta></newsItem>
<newsItem><contentMeta><headline>No guid</headline></contentMeta></newsItem>
<packageItem guid="urn:x:p"/>
</itemSet></newsMessage>"""
REUTERS = json.dumps(
    {
        "data": {
            "items": [
                {"uri": "tag:reuters.com,2024:newsml_A1", "headLine": "Good", "bodyXhtml": "<p>Body.</p>"},
                {"usn": "", "headLine": "No key"},
                {"uri": "tag:reuters.com,2024:newsml_A3", "headLine": "Also good", "subject": 5},
            ]
        }
    }
).encode()
AP_PAGE = json.dumps(
    {
        "data": {
            "items": [
                {"item": {"altids": {"itemid": "a1"}, "headline": "Good", "type": "text"}},
                {"item": {"altids": "broken", "headline": "Bad"}},
            ]
        }
    }
).encode()
CSV = b"id,title,text\nc1,Good,Body\nc2,\xff\xfe,Body\n,No id,Body\nc4,Also good,Body\n"


@pytest.mark.parametrize(
    ("data", "good", "bad", "skipped"),
    [
        (RSS, 2, [], ["entry 2"]),  # an entry without id or link is skipped (as before), not bad
        (G2, 1, ["item 2"], ["item 3"]),
        (REUTERS, 1, ["item 2", "item 3"], []),
        (AP_PAGE, 1, ["item 2"], []),
        (CSV, 2, ["row 3", "row 4"], []),
    ],
    ids=["rss", "newsml-g2", "reuters", "ap-page", "csv"],
)
def test_a_bad_item_of_a_container_is_rejected_with_its_position(data, good, bad, skipped):
    _, items = read_bytes(data, "x")
    assert sum(isinstance(i, Article) for i in items) == good
    rejected = [i.position for i in items if isinstance(i, Rejected)]
    skips = [i.position for i in items if isinstance(i, Skipped)]
    assert rejected == bad and skips == skipped
    assert all(i.reason for i in items if isinstance(i, Rejected))


def test_a_container_of_only_bad_items_is_a_reader_error():
    with pytest.raises(ReaderError, match=r"line 1: JSONL record without an id \(and 1 more bad items\)"):
        read_bytes(b'{"id": "", "title": "x"}\n{"id": "2"\n', "x")


def test_skipped_items_are_recorded_with_their_reason_but_do_not_fail_the_night(night, fake_config, tmp_path, runner):
    picture = tmp_path / "picture.json"
    picture.write_text(json.dumps({"uri": "urn:pic:1", "type": "picture", "headline": "A photo"}))
    good = write_jsonl(tmp_path / "good.jsonl", GOOD)
    report = night([picture, good])
    assert report.exit_code == 0 and report.status == "ok"
    assert _rows(fake_config.db, "SELECT path, item, kind, reason FROM quarantine") == [
        (str(picture), "", "skipped", "ninjs picture item without text")
    ]
    assert _rows(fake_config.db, f"SELECT n_items, n_skipped FROM files WHERE path = '{picture}'") == [(0, 1)]
    shown = runner.invoke(cli, ["--db", fake_config.db, "quarantine", "list", "--kind", "skipped", "--json"])
    assert shown.exit_code == 0, shown.output
    assert [(r["path"], r["kind"], r["reason"]) for r in json.loads(shown.output)] == [
        (str(picture), "skipped", "ninjs picture item without text")
    ]
    default = runner.invoke(cli, ["--db", fake_config.db, "quarantine", "list", "--json"])
    assert json.loads(default.output or "[]") == []  # the default lists only what could not be read
