"""Linking through the real nightly path: follow-ups days later join, look-alikes never chain."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from conftest import memberships, write_jsonl

from cluster.grouping.clustering import PAIR_FEATURES, edge_probability


def art(i: str, source: str, day: int, title: str, text: str) -> dict:
    return {
        "id": f"{source.lower()}:{i}",
        "source": source,
        "title": title,
        "text": text,
        "published_at": f"2026-11-{day:02d}T10:00:00Z",
        "language": "en",
    }


PIRAEUS = (
    "Ferries Aegean Star and Blue Horizon collided off Piraeus in fog, the Hellenic coast guard said; "
    "14 passengers were hurt and taken to Tzaneio hospital."
)
FOLLOW_UP = (
    "Prosecutors charged the captains of the Aegean Star and the Blue Horizon over the Piraeus collision "
    "that hurt 14 passengers, the Hellenic coast guard said."
)
NAPLES = (
    "Ferries Stella Maris and Capri Jet collided off Naples in fog, the Italian coast guard said; "
    "9 passengers were hurt and taken to Cardarelli hospital."
)


def test_follow_up_days_later_joins_and_lookalike_stays_apart(night, fake_config, tmp_path):
    night(
        [
            write_jsonl(
                tmp_path / "n1.jsonl",
                [
                    art("1", "Reuters", 2, "Ferries collide off Piraeus, 14 hurt", PIRAEUS),
                    art(
                        "2",
                        "AFP",
                        2,
                        "Fourteen hurt as Aegean Star and Blue Horizon collide off Piraeus",
                        PIRAEUS + " Rescue boats helped.",
                    ),
                ],
            )
        ],
        as_of=datetime(2026, 11, 2, 23),
    )
    night(
        [
            write_jsonl(
                tmp_path / "n2.jsonl",
                [
                    art("3", "dpa", 8, "Captains charged over Piraeus ferry collision", FOLLOW_UP),
                    art("4", "AP", 8, "Ferries collide off Naples, 9 hurt", NAPLES),
                ],
            )
        ],
        as_of=datetime(2026, 11, 8, 23),
    )
    got = memberships(fake_config.db)
    first = {v for k, v in got.items() if k in ("reuters:1", "afp:1", "1", "2", "reuters:2", "afp:2")}
    assert len(set(got.values())) == 2, got
    story = got[next(k for k in got if k.endswith("3"))]
    assert story in first, "the follow-up six days later joins its story"
    assert got[next(k for k in got if k.endswith("4"))] not in first, "the look-alike stays a story of its own"


def test_a_quiet_story_needs_more_evidence_not_less():
    feats = np.zeros((4, len(PAIR_FEATURES)), dtype=np.float32)
    feats[:, PAIR_FEATURES.index("cos")] = 0.9
    feats[:, PAIR_FEATURES.index("words")] = 0.6
    p = edge_probability(feats, np.array([0.0, 1.0, 5.0, 30.0]))
    assert np.all(np.diff(p) < 0)
    assert edge_probability(feats[:1], np.array([np.nan]))[0] == p[0]  # unknown time: no penalty


def test_follow_up_three_weeks_later_joins_its_quiet_story_and_lookalike_does_not(night, fake_config, tmp_path):
    """Beyond the re-clustered window, within `link_days`: a follow-up naming the story's ships,
    port and hospital joins; the same template about another port founds a story of its own."""
    first = [
        art("1", "Reuters", 2, "Ferries collide off Piraeus, 14 hurt", PIRAEUS),
        art("2", "AFP", 2, "Fourteen hurt as Aegean Star and Blue Horizon collide off Piraeus", PIRAEUS),
    ]
    night([write_jsonl(tmp_path / "n1.jsonl", first)], as_of=datetime(2026, 11, 2, 23))
    later = [
        art("3", "dpa", 23, "Captains charged over Piraeus ferry collision", FOLLOW_UP),
        art("4", "AP", 23, "Ferries collide off Naples, 9 hurt", NAPLES),
    ]
    night([write_jsonl(tmp_path / "n2.jsonl", later)], as_of=datetime(2026, 11, 23, 23))
    got = memberships(fake_config.db)
    story = {k.split(":")[-1]: v for k, v in got.items()}
    assert story["1"] == story["2"]
    assert story["3"] == story["1"], "the follow-up 21 days later joins its quiet story"
    assert story["4"] not in (story["1"], story["3"]), "the look-alike in another port stays apart"
