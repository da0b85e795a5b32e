"""Under cron (not a terminal) and with --log-format json, nothing but the night's log lines reaches
stdout or stderr: no third-party progress bars, no bare warnings."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, ROOT

from cluster import night as night_module
from cluster.cli.main import cli


def _tiny_input(tmp_path: Path) -> Path:
    lines = (DEMO / "night1.jsonl").read_text(encoding="utf-8").splitlines()[:4]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _night(tmp_path: Path, *log_args: str) -> subprocess.CompletedProcess:
    """A night with the real packaged model in a subprocess whose streams are pipes, as under cron."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WIRESTORY_", "HF_", "TQDM_", "TRANSFORMERS_"))}
    env["PYTHONPATH"] = str(ROOT)
    db = tmp_path / f"night{len(log_args)}.duckdb"
    cmd = [sys.executable, "-m", "cluster.cli.main", "--db", str(db), "nightly", *log_args, str(_tiny_input(tmp_path))]
    result = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.model
def test_json_night_with_the_real_model_prints_only_json(tmp_path):
    result = _night(tmp_path, "--log-format", "json")
    lines = [line for stream in (result.stdout, result.stderr) for line in stream.split("\n") if line.strip()]
    assert any(json.loads(line).get("stage") == "embed" for line in lines), "the model was not used"
    for line in lines:
        assert isinstance(json.loads(line), dict), line


@pytest.mark.model
def test_plain_night_under_cron_has_no_progress_bars(tmp_path):
    result = _night(tmp_path)
    assert "embed:" in result.stderr
    for line in (result.stdout + result.stderr).split("\n"):
        assert "%|" not in line and "\r" not in line, repr(line)


def test_a_python_warning_during_a_json_night_is_a_json_line(fake_config, monkeypatch):
    real = night_module.run_night

    def warning_night(*args, **kwargs):
        warnings.warn("something deprecated", FutureWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(night_module, "run_night", warning_night)
    res = CliRunner().invoke(
        cli,
        ["--db", fake_config.db, "nightly", "--log-format", "json", str(DEMO / "night1.jsonl")],
        env={"WIRESTORY_MODEL": "fake-256"},
    )
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stderr.splitlines() if line.strip()]
    assert any(r["level"] == "WARNING" and "something deprecated" in r["message"] for r in records)


def test_an_unknown_variable_warning_in_a_json_night_is_a_json_line(fake_config):
    res = CliRunner().invoke(
        cli,
        ["--db", fake_config.db, "nightly", "--log-format", "json", str(DEMO / "night1.jsonl")],
        env={"WIRESTORY_MODEL": "fake-256", "WIRESTORY_MODLE": "usem3"},
    )
    assert res.exit_code == 0, res.output
    records = [json.loads(line) for line in res.stderr.splitlines() if line.strip()]
    assert any(r["level"] == "WARNING" and "WIRESTORY_MODLE" in r["message"] for r in records)
