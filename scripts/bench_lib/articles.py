"""A synthetic story's facts (names, places, numbers, all from its seed and uid) and its wire copy."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from bench_lib.events import EVENT_TYPES, EVENTS
from bench_lib.vocab import (
    COUNTRIES,
    FIRST,
    GENERIC,
    MONTHS,
    OPENERS,
    ORDINALS,
    ORG_KIND,
    PARTY,
    SUFFIX_PERSON,
    SUFFIX_PLACE,
    SYL,
    TAILS,
    TOPICS,
    WEEKDAYS,
    WIRE_TAG,
)


def _syllables(rng: random.Random, lo: int, hi: int) -> str:
    return "".join(rng.choice(SYL) for _ in range(rng.randint(lo, hi)))


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {(_syllables(rng, 1, 2) + rng.choice(SUFFIX_PERSON)).capitalize()}"


def _place(rng: random.Random) -> str:
    return (_syllables(rng, 1, 2) + rng.choice(SUFFIX_PLACE)).capitalize()


def _org(rng: random.Random) -> str:
    return f"{_syllables(rng, 2, 3).capitalize()} {rng.choice(ORG_KIND)}"


@dataclass
class StorySpec:
    """The facts a story's copy is written from; derived from (seed, story uid) alone."""

    uid: str
    event: str
    slots: dict[str, str]
    single_wire: str | None = None


def story_spec(seed: int, uid: str) -> StorySpec:
    rng = random.Random(f"story:{seed}:{uid}")
    event = rng.choice(EVENT_TYPES)
    c, c2 = rng.sample(COUNTRIES, 2)
    slots = {
        "p1": _person(rng),
        "p2": _person(rng),
        "p3": _person(rng),
        "pl": _place(rng),
        "pl2": _place(rng),
        "c": c,
        "c2": c2,
        "org": _org(rng),
        "org2": _org(rng),
        "org3": _org(rng),
        "n1": str(rng.randint(2, 99)),
        "n2": str(rng.randint(2, 90)),
        "n3": f"{rng.randint(100, 9999):,}",
        "day": rng.choice(WEEKDAYS),
        "pct": f"{rng.uniform(1, 60):.1f}",
        "pct2": f"{rng.uniform(1, 80):.1f}",
        "pct3": f"{rng.uniform(0.1, 3):.1f}",
        "money": f"{rng.randint(2, 900)} million euros",
        "money2": f"{rng.randint(2, 90)} million dollars",
        "year": str(rng.randint(1995, 2027)),
        "mag": f"{rng.uniform(4.5, 7.9):.1f}",
        "party": rng.choice(PARTY),
        "topic": rng.choice(TOPICS),
        "bank": f"Bank of {c}",
        "month": rng.choice(MONTHS),
        "ord": rng.choice(ORDINALS),
        "team": f"{_place(rng)} {rng.choice(['United', 'City', 'Rovers', 'FC', 'Athletic'])}",
        "team2": f"{_place(rng)} {rng.choice(['United', 'City', 'Rovers', 'FC', 'Athletic'])}",
    }
    return StorySpec(uid, event, slots)


def _fill(template: str, slots: dict[str, str]) -> str:
    return template.format_map(slots)


def write_sentence(rng: random.Random, spec: StorySpec, generic: float = 0.3) -> str:
    if rng.random() < generic:
        return _fill(rng.choice(GENERIC), spec.slots)
    core = rng.choice(EVENTS[spec.event]["core"])
    opener = rng.choice(OPENERS)
    s = _fill(opener + core + rng.choice(TAILS), spec.slots)
    return s[0].upper() + s[1:] + "."


def item_id(rng: random.Random, wire: str, when: datetime) -> str:
    h = f"{rng.getrandbits(64):016x}"
    if wire == "Reuters":
        return f"reuters:L8N3{h[:5].upper()}"
    if wire == "AP":
        return f"ap:{h}{rng.getrandbits(64):016x}"
    if wire == "AFP":
        return f"afp:TX-PAR-{h[:6].upper()}"
    if wire == "dpa":
        return f"dpa:urn:newsml:dpa.com:{when:%Y%m%d}:{when:%y%m%d}-99-{int(h[:8], 16) % 1000000:06d}"
    if wire == "PA":
        return f"pa:{h[:12]}"
    return f"ansa:{when:%Y%m%d}_{h[:10].upper()}"


def write_article(rng: random.Random, spec: StorySpec, wire: str, when: datetime) -> tuple[str, str]:
    """Headline and body of one wire's own report of the story."""
    title = _fill(rng.choice(EVENTS[spec.event]["head"]), spec.slots)
    words_target = int(rng.triangular(150, 800, 320))
    lead = write_sentence(rng, spec, generic=0.0)
    paras = [f"{spec.slots['pl'].upper()}, {when:%b} {when.day} ({WIRE_TAG[wire]}) - {lead}"]
    words = len(paras[0].split())
    para: list[str] = []
    while words < words_target:
        s = write_sentence(rng, spec)
        para.append(s)
        words += s.count(" ") + 1
        if len(para) >= rng.randint(1, 3):
            paras.append(" ".join(para))
            para = []
    if para:
        paras.append(" ".join(para))
    return title, "\n".join(paras)
