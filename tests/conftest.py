"""Shared fixtures: a fake encoder configuration, temporary databases, the demo corpus, a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from cluster.config import Config
from cluster.encoders.base import FakeEncoder
from cluster.events import NightReport
from cluster.night import run_night

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "corpora" / "eval"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Both demo nights with the fake encoder, built once per test module (a module that needs
    another demo database defines its own `demo_db`)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    cfg = Config(db=str(path), model="fake-256")
    for n, as_of in ((1, datetime(2026, 11, 26, 23)), (2, datetime(2026, 11, 27, 23))):
        assert run_night(cfg, [str(DEMO / f"night{n}.jsonl")], lambda: FakeEncoder(256), as_of=as_of).status == "ok"
    return str(path)


@pytest.fixture
def fake_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Config:
    """A configuration on a temporary database with the deterministic fake encoder."""
    for var in ("WIRESTORY_DB", "WIRESTORY_MODEL", "WIRESTORY_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return Config(db=str(tmp_path / "test.duckdb"), model="fake-256")


@pytest.fixture
def night(fake_config: Config) -> Callable[..., NightReport]:
    """Run a night with the fake encoder: night(inputs, as_of, recompute=, settings=, **config_overrides);
    `settings` (a cluster.settings.Settings) replaces every algorithm parameter, its config the overridden one."""

    def run(inputs: list[str], as_of=None, recompute: bool = False, settings=None, **overrides) -> NightReport:
        cfg = replace(fake_config, **overrides)
        given = replace(settings, config=cfg) if settings is not None else cfg
        return run_night(given, [str(p) for p in inputs], lambda: FakeEncoder(256), as_of=as_of, recompute=recompute)

    return run


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def memberships(db: str) -> dict[str, str]:
    """Item key -> story id of every article in a story, read as an analyst would."""
    import duckdb

    con = duckdb.connect(db, read_only=True)
    try:
        return dict(
            con.execute(
                "SELECT a.item_key, sa.story_id FROM articles a JOIN story_articles sa USING (article_id)"
            ).fetchall()
        )
    finally:
        con.close()
