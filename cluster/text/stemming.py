"""Stemmed word tokens per language: the one Python stemming helper (summaries, their evaluation).

Snowball stemmers from the pure-Python `snowballstemmer` package (BSD-3), not nltk's port:
`import nltk` runs its whole `__init__` (collocations -> scipy.stats), 1.2-3 s of a one-article
night's start-up for one class. Snowball 3 stems a few words differently from nltk's port (0.16 %
of the English tokens of demo + neus + ecbplus; 8 of their 3,152 summaries differ: docs/
performance.md, "One-article night under 5 s"), hence `cluster.settings.ALGORITHM_VERSION` 7.
The full-text index stems in SQL with DuckDB's own Snowball (storage/fts.py), never here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_WORD_RE = re.compile(r"\w+")

#: ISO 639-1 -> Snowball algorithm; other languages are not stemmed.
SNOWBALL = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch",
    "pt": "portuguese", "sv": "swedish", "da": "danish", "no": "norwegian", "fi": "finnish",
    "ru": "russian", "ro": "romanian", "hu": "hungarian",
}  # fmt: skip

_STEMS: dict[str | None, dict[str, str]] = {}
_STEMMERS: dict[str | None, Callable[[str], str] | None] = {}


def _stemmer(language: str | None) -> Callable[[str], str] | None:
    if language not in _STEMMERS:
        name = SNOWBALL.get(language or "")
        if name:
            import snowballstemmer

            _STEMMERS[language] = snowballstemmer.stemmer(name).stemWord
        else:
            _STEMMERS[language] = None
        _STEMS[language] = {}
    return _STEMMERS[language]


def stemmed_words(text: str, language: str | None) -> list[str]:
    """Lowercased, Snowball-stemmed word tokens (stemming pairs "slammed" with "slams"); words of a
    language without a stemmer come back lowercased only."""
    stem = _stemmer(language)
    cache = _STEMS[language]
    out = []
    for word in _WORD_RE.findall(text.lower()):
        stemmed = cache.get(word)
        if stemmed is None:
            stemmed = cache[word] = stem(word) if stem is not None else word
        out.append(stemmed)
    return out
