"""The developing-story set (demo/developing) through the real nightly path, fake encoder."""

from __future__ import annotations

import filecmp
import subprocess
import sys
from pathlib import Path

import pytest

from cluster.config import Config
from cluster.encoders.base import FakeEncoder
from cluster.evaluate.developing import evaluate_developing

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "demo" / "developing"


@pytest.fixture(scope="module")
def result() -> dict:
    return evaluate_developing(str(SET), Config(), lambda: FakeEncoder(256))


def test_generator_output_is_current(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_developing_set.py"), str(tmp_path)], check=True)
    names = [f"night-{n}.jsonl" for n in range(1, 5)] + ["gold.json"]
    match, mismatch, errors = filecmp.cmpfiles(SET, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_set_is_what_the_issue_asks_for(result):
    assert result["stories"] >= 30
    assert result["redistributions"] >= 3


def test_redistributed_copies_are_recorded_and_never_corroborate(result):
    assert result["redistributions_near"] == result["redistributions"]
    assert result["redistribution_violations"] == 0, result["details"]["violations"]


def test_no_stale_figure_in_final_summaries(result):
    assert result["stale"] == 0, result["details"]["stale"]
