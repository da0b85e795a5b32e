"""The self-contained HTML night report: content, escaping, no external assets, and a real render
in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import write_jsonl

from cluster.cli.main import cli
from cluster.cli.report import build_report

ENV = {"WIRESTORY_MODEL": "fake-256", "WIRESTORY_DB": None, "WIRESTORY_CONFIG": None}
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)> "quoted"'


def _report(db: str, **kw) -> tuple[str, int]:
    con = duckdb.connect(db, read_only=True)
    try:
        return build_report(con, **kw)
    finally:
        con.close()


def test_report_of_the_latest_night_has_every_story_with_its_parts(demo_db):
    page, n = _report(demo_db)
    con = duckdb.connect(demo_db, read_only=True)
    run_id = con.execute("SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0]
    touched = con.execute(
        "SELECT story_id, headline, credit_line FROM stories WHERE status = 'active' AND (updated_run = ? OR story_id IN "
        "(SELECT story_id FROM story_articles JOIN articles USING (article_id) WHERE articles.run_id = ?))",
        [run_id, run_id],
    ).fetchall()
    sentence = con.execute(
        "SELECT sentence FROM summary_sentences WHERE story_id = ? AND kind = 'summary' ORDER BY position LIMIT 1",
        [touched[0][0]],
    ).fetchone()[0]
    con.close()
    assert n == len(touched) > 0
    from html import escape

    for story_id, headline, credit in touched:
        assert f'id="{story_id}"' in page and f'href="#{story_id}"' in page
        assert escape(headline) in page and escape(credit) in page
    assert escape(sentence) in page
    for part in ("<h3>Summary</h3>", "<h3>Wires</h3>", "Timeline:", run_id, "All times UTC"):
        assert part in page
    # self-contained: no scripts, no external stylesheets, fonts or images
    assert "<script" not in page.lower()
    assert not re.search(r'(src|href)="(https?:)?//', page) and "@import" not in page and "url(" not in page


def test_report_since_and_by_run_through_the_cli(demo_db, tmp_path):
    runner = CliRunner()
    runs = runner.invoke(cli, ["--db", demo_db, "runs", "list", "--json"], env=ENV)
    first_run = __import__("json").loads(runs.output)[-1]["run_id"]
    out = tmp_path / "night1.html"
    res = runner.invoke(cli, ["--db", demo_db, "report", "--run", first_run, "--out", str(out)], env=ENV)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and first_run in page and "Night of Thursday 26 November 2026" in page
    since = runner.invoke(cli, ["--db", demo_db, "report", "--since", "2026-11-27T12:00:00"], env=ENV)
    assert since.exit_code == 0 and "Stories since 27 November 2026 12:00" in since.output
    all_page, n_all = _report(demo_db, since=datetime(2000, 1, 1))
    con = duckdb.connect(demo_db, read_only=True)
    assert n_all == con.execute("SELECT count(*) FROM stories WHERE status = 'active'").fetchone()[0]
    con.close()
    assert runner.invoke(cli, ["--db", demo_db, "report", "--run", "r-none"], env=ENV).exit_code == 1
    both = runner.invoke(cli, ["--db", demo_db, "report", "--run", first_run, "--since", "2026-11-27"], env=ENV)
    assert both.exit_code == 2


def test_wire_text_is_escaped(night, fake_config, tmp_path):
    items = [
        {
            "id": f"evil:{i}",
            "source": "Evil&Co<blink>",
            "title": EVIL if i == 0 else f"Other item {i} {EVIL}",
            "text": f"{EVIL} The harbour of Somewhere closed on Monday. " + " ".join(f"word{j}" for j in range(40)),
            "published_at": f"2026-11-20T0{i}:00:00Z",
            "language": "en",
            "url": None,
        }
        for i in range(2)
    ]
    report = night([write_jsonl(tmp_path / "evil.jsonl", items)], as_of=datetime(2026, 11, 21))
    assert report.status == "ok"
    page, n = _report(fake_config.db)
    assert n >= 1
    assert "<script" not in page and "<img" not in page and "<blink>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Evil&amp;Co&lt;blink&gt;" in page


def _png_info(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the first rows) of a PNG, with the standard library."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompressobj().decompress(idat, 4 * width * 400)
    return width, height, len(set(raw))


@pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap installs it when run as root)"
)
def test_report_renders_in_headless_chromium(demo_db, tmp_path):
    html_path = tmp_path / "night.html"
    page, n = _report(demo_db)
    html_path.write_text(page, encoding="utf-8")
    shot = tmp_path / "night.png"
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp_path)
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        html_path.as_uri(),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(tmp_path)})
    assert shot.exists(), f"no screenshot; chromium exited {proc.returncode}: {proc.stderr[-2000:]}"
    width, height, distinct = _png_info(shot)
    assert (width, height) == (1280, 2000)
    # a rendered page with text, tables and coloured chips: big and varied, unlike a blank page
    assert shot.stat().st_size > 100_000, shot.stat().st_size
    assert distinct > 50
    keep = os.environ.get("WIRESTORY_KEEP_SCREENSHOT")
    if keep:
        shutil.copyfile(shot, keep)
