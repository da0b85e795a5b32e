"""The developing stories' generator: per story a timeline of facts, its wires' articles, and gold.

Every sentence is checked against `cluster.summary.figures.facts`: a fact sentence states exactly
its facts, a background sentence none.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from cluster.summary.figures import facts
from developing_lib.fact_templates import FACT_TEMPLATES
from developing_lib.places import COMPANIES, PLACES, SURNAMES, VILLAGES
from developing_lib.story_kinds import KINDS

#: A figure (a count, a magnitude) or a state ('held', 'over'), as `facts` reads them.
Fact = float | str

SEED = 20261005
NIGHTS = [datetime(2026, 10, 5), datetime(2026, 10, 6), datetime(2026, 10, 7), datetime(2026, 10, 8)]
WIRES = ("Reuters", "AFP", "dpa", "AP")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday")


def _timeline(kind: str, nights: int, rng: random.Random) -> list[dict[str, Fact]]:
    """Facts current on each night of a story."""
    out: list[dict[str, Fact]] = []
    if kind in ("quake", "flood"):
        dead = rng.randint(4, 15)
        base: dict[str, Fact] = {"magnitude": round(rng.uniform(5.6, 7.2), 1)} if kind == "quake" else {}
        inj, miss, evac = rng.randint(20, 60), rng.randint(8, 20), rng.randint(900, 3000)
        for _ in range(nights):
            f: dict[str, Fact] = dict(base, dead=dead)
            if kind == "quake":
                f["injured"] = inj
            else:
                f.update(missing=miss, evacuated=evac)
            out.append(f)
            dead += rng.randint(3, 12)
            inj += rng.randint(5, 30)
            miss = max(1, miss - rng.randint(1, 4))
            evac += rng.randint(200, 1500)
    elif kind in ("fire", "strike"):
        topic, on, off = ("fire", "burning", "out") if kind == "fire" else ("strike", "on", "over")
        evac = rng.randint(150, 900)
        for k in range(nights):
            f = {f"state:{topic}": off if k == nights - 1 else on}
            if kind == "fire":
                f["evacuated"] = evac
                evac += rng.randint(50, 300)
            out.append(f)
    elif kind == "search":
        miss, resc = rng.randint(6, 20), rng.randint(10, 40)
        for k in range(nights):
            out.append({"missing": miss, "rescued": resc, **({"state:search": "off"} if k == nights - 1 else {})})
            resc += rng.randint(1, 5)
            miss = max(2, miss - rng.randint(1, 3))
    elif kind == "suspect":
        states = (
            ["sought", "held", "charged"][-nights:] if nights < 3 else ["sought", "held", "charged", "charged"][:nights]
        )
        out = [{"state:suspect": s} for s in states]
    elif kind == "injured":
        dead, inj = rng.randint(2, 6), rng.randint(12, 40)
        for _ in range(nights):
            out.append({"dead": dead, "injured": inj})
            inj += rng.choice([-4, -3, 5, 8, 11])
    elif kind == "evac":
        evac = rng.randint(300, 1200)
        for _ in range(nights):
            out.append({"evacuated": evac})
            evac += rng.randint(300, 2000)
    return out


def _fact_sentence(fact: str, value: Fact, wire: int, slots: dict[str, str], rng: random.Random) -> str:
    key = fact if fact in FACT_TEMPLATES else f"{fact}={value}"
    text = rng.choice(FACT_TEMPLATES[key][wire]).format(
        n=value if not isinstance(value, float) or not value.is_integer() else int(value),
        n2=max(1, int(value) // 4) if isinstance(value, int) else 1,
        **slots,
    )
    return text[0].upper() + text[1:]


def _check(sentence: str, expected: dict[str, Fact]) -> None:
    got = facts(sentence)
    want = {k: (float(v) if not isinstance(v, str) else v) for k, v in expected.items()}
    if got != want:
        raise AssertionError(f"{sentence!r}: facts {got} != {want}")


def _header(wire: str, city: str, country: str, day: datetime) -> str:
    return {
        "Reuters": f"{city.upper()}, Oct {day.day} (Reuters) - ",
        "AFP": f"{city.upper()} (AFP) - ",
        "dpa": f"{city} (dpa) - ",
        "AP": f"{city.upper()}, {country} (AP) — ",
    }[wire]


def _story(i: int, kind: str, rng: random.Random) -> tuple[str, list[dict]]:
    city, country = PLACES[i]
    v, s, co = VILLAGES[i], rng.choice(SURNAMES), rng.choice(COMPANIES)
    label = f"dev-{kind}-{v.lower().replace(' ', '-')}"
    nights = rng.randint(2, 4)
    start = rng.randint(0, 4 - nights)
    timeline = _timeline(kind, nights, rng)
    wires = rng.sample(range(4), rng.randint(1, 4))
    event, leads, backgrounds = KINDS[kind]
    records = []
    for k, current in enumerate(timeline):
        night = NIGHTS[start + k]
        d = DAYS[start + k]
        slots = {"v": v, "c": city, "s": s, "co": co, "d": d}
        reporting = [w for w in wires if k == 0 or rng.random() < 0.8] or wires[:1]
        for j, w in enumerate(reporting):
            wire = WIRES[w]
            lagging = k > 0 and j == 0 and len(reporting) > 1 and rng.random() < 0.5
            stated = timeline[k - 1] if lagging else current
            keys = [q for q in stated if rng.random() < 0.85 or q.startswith("state:")] or list(stated)[:1]
            lead = leads[w].format(**{**slots, "d": DAYS[start]})
            _check(lead, {})
            body = [lead]
            for q in keys:
                sent = _fact_sentence(q, stated[q], w, slots, rng)
                _check(sent, {q: stated[q]})
                body.append(sent)
            for b in rng.sample(backgrounds[w], rng.randint(1, 3)):
                b = b.format(**slots)
                _check(b, {})
                body.append(b)
            body = [body[0]] + rng.sample(body[1:], len(body) - 1)[:5] if len(body) > 6 else body
            when = night + timedelta(hours=6 + 2 * j + (0 if lagging else 1), minutes=rng.randint(0, 59))
            rid = {"Reuters": "reuters:DEV", "AFP": "afp:TX-DEV", "dpa": "dpa:urn:newsml:dpa.com:dev", "AP": "ap:dev"}[
                wire
            ]
            records.append(
                {
                    "id": f"{rid}-{i:02d}-{k}-{j}",
                    "source": wire,
                    "title": f"{city} {event}: latest from {v}"
                    if w % 2
                    else f"{event.capitalize()} near {city}: {v} update",
                    "text": _header(wire, city, country, night) + "\n".join(body),
                    "published_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
                    "language": "en",
                    "url": None,
                    "story": label,
                }
            )
    return label, records


def build() -> tuple[dict[int, list[dict]], dict]:
    rng = random.Random(SEED)
    kinds = list(KINDS)
    by_night: dict[int, list[dict]] = {n: [] for n in range(4)}
    gold: dict[str, dict] = {}
    redistributed: dict[str, str] = {}
    all_records: list[dict] = []
    for i in range(len(PLACES)):
        label, records = _story(i, kinds[i % len(kinds)], rng)
        ap = [r for r in records if r["source"] == "AP"]
        if ap and len(redistributed) < 6 and rng.random() < 0.6:
            orig = rng.choice(ap)
            by = rng.choice(["dpa", "AFP"])
            city = PLACES[i][0]
            body = orig["text"].split(" — ", 1)[1]
            when = datetime.strptime(orig["published_at"], "%Y-%m-%dT%H:%M:00Z") + timedelta(minutes=40)
            copy = {
                **orig,
                "id": f"{'dpa:urn:newsml:dpa.com:devr' if by == 'dpa' else 'afp:TX-DEVR'}-{i:02d}",
                "source": by,
                "title": orig["title"] + f" ({by}/AP)",
                "text": f"{city} ({by}/AP) - " + body,
                "published_at": when.strftime("%Y-%m-%dT%H:%M:00Z"),
            }
            records.append(copy)
            redistributed[copy["id"]] = orig["id"]
        all_records += records
        for r in records:
            by_night[(datetime.strptime(r["published_at"][:10], "%Y-%m-%d") - NIGHTS[0]).days].append(r)
        own = [r for r in records if r["id"] not in redistributed]
        current: dict[str, Fact] = {}
        for r in sorted(own, key=lambda r: r["published_at"]):
            for line in r["text"].split("\n"):
                current.update(facts(line))
        wires_of: dict[str, list[str]] = {}
        for q, val in current.items():
            wires_of[q] = sorted(
                {r["source"] for r in own for line in r["text"].split("\n") if facts(line).get(q) == val}
            )
        gold[label] = {
            "current": current,
            "wires": wires_of,
            "items": [r["id"] for r in records],
            "redistributions": {c: o for c, o in redistributed.items() if c in {r["id"] for r in records}},
        }
    for n in by_night:
        by_night[n].sort(key=lambda r: (r["published_at"], r["id"]))
    return by_night, {
        "nights": [f"night-{n + 1}.jsonl" for n in range(4)],
        "as_of": [(d + timedelta(hours=23)).isoformat() for d in NIGHTS],
        "stories": gold,
    }
