"""docs/formats.md is generated from the real wire samples and cannot drift from the readers."""

from __future__ import annotations

import importlib.util
import sys

import pytest
from conftest import ROOT

SAMPLES = ROOT.parent / "shared" / "corpora" / "wire_samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared wire samples not present")


def _gen():
    spec = importlib.util.spec_from_file_location("gen_formats_doc", ROOT / "scripts" / "gen_formats_doc.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_formats_doc"] = module
    spec.loader.exec_module(module)
    return module


def test_formats_doc_is_up_to_date() -> None:
    gen = _gen()
    current = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    assert current == gen.render(), "docs/formats.md is stale: run `python scripts/gen_formats_doc.py`"


def test_every_format_row_counts_every_field_and_gaps_are_listed() -> None:
    text = _gen().render()
    rows = [line for line in text.splitlines() if line.startswith("| ") and "/" in line]
    assert {r.split(" | ")[0][2:] for r in rows} >= {
        "anpa",
        "iptc7901",
        "nitf",
        "newsml-g2",
        "newsml-1",
        "ninjs",
        "ap-json",
        "dpa",
    }
    assert "## Known gaps" in text and text.count("\n- **") >= 5
