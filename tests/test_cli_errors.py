"""User errors are one line naming the file and the problem, with the README's exit code, never a
traceback (unless --debug); reading commands never create or change a database; a typo in an
input path is a usage error that creates nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from conftest import DEMO, ROOT

from cluster.cli.main import cli
from cluster.config import Config
from cluster.encoders.base import FakeEncoder
from cluster.night import run_night

ENV = {"WIRESTORY_MODEL": "fake-256", "WIRESTORY_DB": None, "WIRESTORY_CONFIG": None}

READING = [
    ["stories", "list"],
    ["stories", "show", "S000000000000"],
    ["stories", "search", "--keyword", "quake"],
    ["stories", "export"],
    ["runs", "list"],
    ["runs", "show", "r1"],
    ["quarantine", "list"],
    ["report"],
]


def invoke(args: list[str], env: dict | None = None):
    return CliRunner().invoke(cli, args, env={**ENV, **(env or {})})


def _bad_db(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}.duckdb"
    if kind == "random":
        path.write_bytes(bytes(range(256)) * 40)
    elif kind == "empty":
        path.write_bytes(b"")
    else:
        con = duckdb.connect(str(path))
        con.execute("CREATE TABLE notes (x INTEGER)")
        con.close()
    return path


def _one_error_line(res, *parts: str) -> None:
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.output
    assert lines[0].startswith("wirestory: error: ") and all(p in lines[0] for p in parts), lines[0]
    assert "Traceback" not in res.output


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    report = run_night(
        Config(db=str(path), model="fake-256"),
        [str(DEMO / "night1.jsonl")],
        lambda: FakeEncoder(256),
        as_of=datetime(2026, 11, 26, 23),
    )
    assert report.status == "ok"
    return str(path)


@pytest.mark.parametrize(
    "kind, problem",
    [
        ("random", "not a DuckDB database"),
        ("empty", "not a DuckDB database"),
        ("foreign", "without the wirestory schema"),
    ],
)
@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_reading_an_unreadable_database_is_one_line(tmp_path, kind, problem, args):
    db = _bad_db(tmp_path, kind)
    before = db.read_bytes()
    res = invoke(["--db", str(db), *args])
    assert res.exit_code == 1, res.output
    _one_error_line(res, str(db), problem)
    assert db.read_bytes() == before, "a reading command changed the file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [db.name], "a reading command left files behind"


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_reading_a_missing_database_creates_nothing(tmp_path, args):
    db = tmp_path / "none.duckdb"
    res = invoke(["--db", str(db), *args])
    assert res.exit_code == 1
    _one_error_line(res, str(db), "no wirestory database")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["stories", "export", "--out"],
        ["stories", "export", "--format", "csv", "--out"],
        ["stories", "export", "--format", "parquet", "--out"],
        ["report", "--out"],
    ],
    ids=" ".join,
)
def test_output_into_a_missing_folder_is_a_usage_error(demo_db, tmp_path, args):
    out = tmp_path / "no" / "such" / "folder" / "file.out"
    res = invoke(["--db", demo_db, *args, str(out)])
    assert res.exit_code == 2, res.output
    _one_error_line(res, str(out), "does not exist")
    assert not (tmp_path / "no").exists()


def test_debug_shows_the_traceback_instead(tmp_path):
    db = _bad_db(tmp_path, "random")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTORY_")}
    env["PYTHONPATH"] = str(ROOT)
    cmd = [sys.executable, "-m", "cluster.cli.main", "--db", str(db)]
    plain = subprocess.run([*cmd, "runs", "list"], capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 1 and "Traceback" not in plain.stderr
    assert plain.stderr.strip() == f"wirestory: error: {db}: not a DuckDB database"
    debug = subprocess.run(
        [*cmd[:-2], "--debug", "--db", str(db), "runs", "list"], capture_output=True, text=True, env=env, timeout=120
    )
    assert debug.returncode == 1 and "Traceback (most recent call last)" in debug.stderr
    assert "UnreadableDatabase" in debug.stderr


@pytest.mark.parametrize("command", ["nightly", "ingest"])
@pytest.mark.parametrize("typo", ["/typo/path", "{tmp}/missing.jsonl", "{tmp}/*.nothing"])
def test_an_input_that_names_nothing_is_a_usage_error_and_creates_nothing(tmp_path, command, typo):
    db = tmp_path / "db" / "news.duckdb"
    db.parent.mkdir()
    arg = typo.format(tmp=tmp_path)
    res = invoke(["--db", str(db), command, str(DEMO / "night1.jsonl"), arg])
    assert res.exit_code == 2, res.output
    _one_error_line(res, arg)
    assert list(db.parent.iterdir()) == [], "no database, lock file or working copy"


def test_an_existing_empty_folder_is_an_empty_night(tmp_path):
    empty = tmp_path / "incoming"
    empty.mkdir()
    db = tmp_path / "news.duckdb"
    res = invoke(["--db", str(db), "nightly", str(empty)])
    assert res.exit_code == 0, res.output
    assert db.exists()


def test_output_onto_a_folder_is_a_usage_error(demo_db, tmp_path):
    res = invoke(["--db", demo_db, "report", "--out", str(tmp_path)])
    assert res.exit_code == 2, res.output
    _one_error_line(res, str(tmp_path), "is a folder")
