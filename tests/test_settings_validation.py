"""Every setting is checked before any work: type, range and allowed values, with exit 2 and a
message naming the file and key, the variable or the option; unknown WIRESTORY_* names warn."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DEMO, ROOT

from cluster.cli.main import cli
from cluster.config import RULES, Config, ConfigError, check, load_config

ENV = {"WIRESTORY_MODEL": "fake-256", "WIRESTORY_DB": None, "WIRESTORY_CONFIG": None}


def invoke(args: list[str], env: dict | None = None):
    return CliRunner().invoke(cli, args, env={**ENV, **(env or {})})


def _nothing_created(db: Path) -> bool:
    return not any(db.parent.glob(db.name + "*"))


@pytest.mark.parametrize(
    "var, value",
    [
        ("WIRESTORY_SUMMARY_WORDS", "-1"),
        ("WIRESTORY_SUMMARY_WORDS", "0"),
        ("WIRESTORY_PRECISION", "fp8"),
        ("WIRESTORY_WINDOW_HOURS", "abc"),
        ("WIRESTORY_WINDOW_HOURS", "nan"),
        ("WIRESTORY_WINDOW_HOURS", "0"),
        ("WIRESTORY_LINK_DAYS", "-inf"),
        ("WIRESTORY_LINK_DAYS", "-1"),
        ("WIRESTORY_MAX_TOKENS", "4"),
        ("WIRESTORY_MAX_TOKENS", "100000"),
        ("WIRESTORY_BATCH_SIZE", "0"),
        ("WIRESTORY_BATCH_SIZE", "1.5"),
        ("WIRESTORY_MODEL", ""),
        ("WIRESTORY_TIME_FEATURE", "maybe"),
        ("WIRESTORY_READ_TIMEOUT_SECONDS", "0"),
    ],
)
def test_invalid_variable_stops_the_night_before_any_work(tmp_path, var, value):
    db = tmp_path / "news.duckdb"
    res = invoke(["--db", str(db), "nightly", str(DEMO / "night1.jsonl")], env={var: value})
    assert res.exit_code == 2, res.output
    assert f"environment variable {var}" in res.stderr and "Traceback" not in res.output
    assert len(res.stderr.strip().splitlines()) == 1
    assert _nothing_created(db), "a rejected setting must not start the night"


def test_invalid_file_value_names_file_and_key(tmp_path):
    toml = tmp_path / "ws.toml"
    for text, key in (
        ("summary_words = -1\n", "summary_words"),
        ('precision = "fp8"\n', "precision"),
        ("model = 5\n", "model"),
        ('time_feature = "sometimes"\n', "time_feature"),
        ("window_hours = nan\n", "window_hours"),
        ("link_days = inf\n", "link_days"),
    ):
        toml.write_text(text, encoding="utf-8")
        res = invoke(["--config", str(toml), "config", "show"])
        assert res.exit_code == 2, (text, res.output)
        assert f"{toml}: key '{key}'" in res.stderr


def test_invalid_option_names_the_option(tmp_path):
    res = invoke(["--db", "", "config", "show"])
    assert res.exit_code == 2 and "option --db" in res.stderr


@pytest.mark.parametrize(
    "text, expected",
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("no", False),
        ("on", True),
        ("off", False),
    ],
)
def test_booleans_accept_the_usual_spellings(text, expected):
    assert check("time_feature", text, "test") is expected


@pytest.mark.parametrize("text", ["maybe", "2", "tru", "", "y"])
def test_booleans_reject_anything_else(text):
    with pytest.raises(ConfigError, match="expected a boolean"):
        check("time_feature", text, "test")


def test_every_setting_has_a_rule_and_the_defaults_pass_it():
    names = {f.name for f in fields(Config)} - {"sources"}
    assert set(RULES) == names
    defaults = Config()
    for name in names:
        assert check(name, getattr(defaults, name), "default") == getattr(defaults, name)
    assert defaults.read_timeout_seconds == 30.0


def test_valid_values_are_typed(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for var in ("WIRESTORY_DB", "WIRESTORY_CONFIG", "WIRESTORY_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("WIRESTORY_WINDOW_HOURS", "48")
    monkeypatch.setenv("WIRESTORY_TIME_FEATURE", "off")
    monkeypatch.setenv("WIRESTORY_READ_TIMEOUT_SECONDS", "2.5")
    cfg = load_config()
    assert cfg.window_hours == 48.0 and cfg.time_feature is False and cfg.read_timeout_seconds == 2.5


def test_unknown_variable_warns_one_line_and_carries_on(tmp_path):
    res = invoke(
        ["--db", str(tmp_path / "x.duckdb"), "config", "show", "--json"],
        env={"WIRESTORY_MODLE": "usem3", "WIRESTORY_KILL_AT": "", "WIRESTORY_CONFIG": None},
    )
    assert res.exit_code == 0, res.output
    warnings = res.stderr.strip().splitlines()
    assert warnings == ["wirestory: warning: ignoring unknown environment variable WIRESTORY_MODLE"]
    assert {r["setting"]: r["value"] for r in json.loads(res.stdout)}["model"] == "fake-256"


def test_known_variables_do_not_warn(tmp_path):
    toml = tmp_path / "ws.toml"
    toml.write_text("summary_words = 60\n", encoding="utf-8")
    res = invoke(
        ["config", "show"],
        env={
            "WIRESTORY_DB": str(tmp_path / "x.duckdb"),
            "WIRESTORY_CONFIG": str(toml),
            "WIRESTORY_KILL_AT": "never",
            "WIRESTORY_LINK_DAYS": "2",
        },
    )
    assert res.exit_code == 0, res.output
    assert res.stderr == ""


def test_a_named_config_file_must_exist(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "missing.toml"
    by_option = invoke(["--config", str(missing), "config", "show"])
    assert (
        by_option.exit_code == 2 and f"{missing}: no such file" in by_option.stderr and "--config" in by_option.stderr
    )
    by_env = invoke(["config", "show"], env={"WIRESTORY_CONFIG": str(missing)})
    assert by_env.exit_code == 2 and "WIRESTORY_CONFIG" in by_env.stderr
    # the default wirestory.toml may be absent
    assert invoke(["config", "show"]).exit_code == 0


def test_readme_config_block_is_valid_and_documents_validation(tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml\n", 1)[1].split("```", 1)[0]
    assert "read_timeout_seconds" in block
    toml = tmp_path / "readme.toml"
    toml.write_text(block, encoding="utf-8")
    monkeypatch.delenv("WIRESTORY_CONFIG", raising=False)
    assert load_config(str(toml)).sources["read_timeout_seconds"] == str(toml)
    top = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert "--debug" in top and "checked before any work" in top and "exit 2" in top
    assert "--debug" in readme and "checked before any work" in readme
