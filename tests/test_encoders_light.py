"""The night's default encoder is the light MiniLM path, and it gives sentence-transformers' vectors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cluster.encoders.base import EncoderSpec, SentenceTransformerEncoder, encoder_text, get_encoder
from cluster.encoders.minilm_numpy import NumpyMiniLMEncoder
from cluster.encoders.query import MiniLMEncoder, NightMiniLMEncoder

DEMO = Path(__file__).resolve().parents[1] / "demo"


def _night_texts(limit: int = 150) -> list[str]:
    texts = []
    for line in (DEMO / "night1.jsonl").read_text(encoding="utf-8").splitlines()[:limit]:
        rec = json.loads(line)
        texts.append(encoder_text(rec["title"], rec["text"]))
    # A batch mixing lengths: padding must not change a text's vector.
    return texts + ["Quake hits.", "", "x " * 400]


@pytest.mark.model
@pytest.mark.parametrize("precision", ["bf16", "fp32"])
def test_night_encoder_gives_sentence_transformers_vectors_under_the_same_cache_key(precision):
    texts = _night_texts()
    heavy = SentenceTransformerEncoder(precision=precision)
    expected = heavy.encode(texts, batch_size=64)
    assert heavy.cache_key == EncoderSpec(precision=precision).cache_key
    light = get_encoder(precision=precision)
    if precision == "fp32":
        # Both paths of the fp32 night encoder: numpy for a small call, torch for a large one.
        assert isinstance(light, NightMiniLMEncoder)
        paths = [NightMiniLMEncoder(numpy_max_texts=len(texts)), NightMiniLMEncoder(numpy_max_texts=0)]
        assert isinstance(paths[0].backend(len(texts)), NumpyMiniLMEncoder)
        assert isinstance(paths[1].backend(len(texts)), MiniLMEncoder)
    else:
        assert isinstance(light, MiniLMEncoder)
        paths = [light]
    for encoder in paths:
        assert encoder.cache_key == heavy.cache_key and encoder.dim == heavy.dim
        got = encoder.encode(texts, batch_size=64)
        assert got.shape == expected.shape
        assert float(np.min(np.sum(got * expected, axis=1))) >= 0.9999


def test_the_fp32_night_encoder_keeps_torch_once_loaded():
    encoder = NightMiniLMEncoder(numpy_max_texts=2)
    encoder._torch = torch_stand_in = get_encoder("fake-384")
    assert encoder.backend(1) is torch_stand_in


@pytest.mark.model
def test_building_the_night_encoder_imports_neither_sentence_transformers_nor_transformers():
    code = "from cluster.encoders.base import get_encoder; get_encoder().encode(['a text'])"
    assert _loaded_after(code, ("sentence_transformers", "transformers")) == []


@pytest.mark.model
def test_a_small_fp32_night_encodes_without_importing_torch():
    """fp32 asked for by name, so the test runs on bf16 CPUs too (where "auto" means bf16 and torch)."""
    code = "from cluster.encoders.base import get_encoder; get_encoder(precision='fp32').encode(['a text', 'another'])"
    assert _loaded_after(code, ("torch",)) == []


def test_importing_the_night_imports_neither_hdbscan_nor_sklearn():
    assert (
        _loaded_after("import cluster.night, cluster.cli.main", ("hdbscan", "sklearn", "sentence_transformers")) == []
    )


def _loaded_after(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported after running `code`."""
    probe = f"import sys; {code}; print(','.join(m for m in {modules!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return [m for m in out.stdout.strip().split(",") if m]
