"""Realistic synthetic wire nights, reproducible by seed.

A night is N wire records (JSONL, the shape of demo/night1.jsonl: id, source, title, text,
published_at, language, version, plus `story` as the gold label and `pubstatus` on kills) from six
wires over S stories:

* story sizes like real wires: a third of stories are one record, most have 2-8 records, ~4 %
  have 9-19 and ~1 % are large running stories of 20-60 records; a quarter of the multi-record
  stories come from one wire alone (a wire's own series);
* versions: ~15 % of items are re-sent as version 2 (and some 3) under the same id, a new lead
  sentence and a changed figure (a write-through), minutes to hours later; ~0.3 % end in a kill
  (pubstatus withdrawn);
* redistributions: ~30 % of AP items are carried by dpa almost verbatim (dpa id, "(dpa/AP)"
  dateline, last paragraph dropped) 10-60 minutes later;
* bodies of 150-800 words: a dateline lead, then sentences composed from opener + event clause +
  tail parts (about 10^4 combinations per event type), filled with the story's own names, places,
  organisations and numbers, mixed with generic news sentences shared by all stories. Stories of
  the same event type (two earthquakes, two strikes) share their topic vocabulary and differ in
  names/places/numbers, so clustering is not trivial;
* times spread over the night's 24 h: each story starts uniformly, its records follow it by an
  exponential delay (mean 2 h; large stories longer).

Successive nights (`night` = 0, 1, 2 ...) continue ~15 % of the previous night's stories (same
story vocabulary, new records), which is what story linking sees in production.

Names and places are built from syllables (about 10^5 distinct), so vocabulary grows with the
night like real copy. Everything is drawn from `random.Random` seeded by strings derived from
(seed, night, story), so output is byte-identical for the same arguments. 50k records take a few
seconds.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

BASE_DATE = datetime(2026, 3, 2)

#: (name, share of items, id maker). Shares roughly like a European desk's intake.
WIRES = [("Reuters", 0.24), ("AP", 0.22), ("AFP", 0.20), ("dpa", 0.16), ("PA", 0.10), ("ANSA", 0.08)]
WIRE_NAMES = [w for w, _ in WIRES]
WIRE_WEIGHTS = [p for _, p in WIRES]
WIRE_TAG = {"Reuters": "Reuters", "AP": "AP", "AFP": "AFP", "dpa": "dpa", "PA": "PA Media", "ANSA": "ANSA"}

SYL = (
    "ka ra mo li ta ne vo si da ru be lo mi sa to ha no ki ve la du ri po ze ma te gor lin van dor "
    "mar sel tor ber wal hen ost kel bra fin gul mun dra pel sor vik tan hol rad kov nik ser bel ard "
    "ian ost ulf emi ano ido"
).split()
SUFFIX_PLACE = [
    "burg",
    "ville",
    "stad",
    "grad",
    "ford",
    "holm",
    "ia",
    "ovo",
    "ton",
    "mouth",
    "haven",
    "sk",
    "ara",
    "ino",
]
SUFFIX_PERSON = ["son", "ov", "ez", "ini", "sen", "ski", "er", "ova", "elli", "berg", "man", "ic", "et", "ard"]
FIRST = (
    "Anna Maria Jonas Lukas Sofia Elena Pierre Marco Giulia Hans Karl Ingrid Olga Ivan James Sarah "
    "Michael Laura David Fatima Omar Yusuf Mei Kenji Hiro Aiko Carlos Lucia Diego Ana Tomasz Petra "
    "Nikos Eleni Ahmed Leila Priya Rahul Arjun Grace Samuel Kwame Amara Lars Freya Emil Astrid"
).split()
COUNTRIES = (
    "Germany France Italy Spain Poland Austria Belgium Netherlands Portugal Greece Sweden Norway "
    "Denmark Finland Ireland Britain Japan India Brazil Mexico Canada Turkey Egypt Kenya Nigeria "
    "Indonesia Chile Argentina Peru Vietnam Thailand Philippines Morocco Romania Hungary Ukraine"
).split()
WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
ORG_KIND = ["Group", "Holdings", "Industries", "Bank", "Airlines", "Energy", "Motors", "Logistics", "Systems", "Pharma"]
PARTY = ["Social Democrats", "Liberal Party", "Green Alliance", "People's Party", "Union for Progress", "Civic Front"]

# Event types: topic words and clauses. Slots: {p1} {p2} {p3} person names, {pl} place, {pl2}
# second place, {c} country, {org} organisation, {n1} {n2} {n3} numbers, {day} weekday,
# {pct} percentage, {money} amount.
EVENTS: dict[str, dict[str, list[str]]] = {
    "quake": {
        "head": [
            "Magnitude {mag} earthquake strikes near {pl}, {n1} dead",
            "Quake rattles {pl} region of {c}, killing {n1}",
            "{c} quake: rescuers search rubble in {pl}",
            "Strong earthquake hits {pl}; tsunami warning lifted",
        ],
        "core": [
            "an earthquake of magnitude {mag} struck near {pl} at a depth of {n2} km",
            "rescue teams pulled {n3} survivors from collapsed buildings in {pl}",
            "the death toll from the quake rose to {n1}",
            "aftershocks continued to shake {pl} and {pl2} through the night",
            "seismologists at the {org} institute recorded the tremor",
            "{n2} homes were damaged and schools in {pl} were closed",
            "the tremor was felt as far away as {pl2}",
            "emergency shelters were set up for {n3} displaced residents",
        ],
    },
    "election": {
        "head": [
            "{p1}'s {party} wins {c} election with {pct}%",
            "{c} votes: {p1} claims victory, {p2} concedes",
            "Exit polls put {p1} ahead in {c} election",
            "{c} heads for coalition talks after close vote",
        ],
        "core": [
            "the {party} led by {p1} won {pct} percent of the vote",
            "turnout reached {pct2} percent, up from the last election",
            "{p2} conceded defeat in a speech to supporters in {pl}",
            "coalition talks are expected to take weeks",
            "the result gives {p1} {n2} of the {n3} seats in parliament",
            "observers from {org} said the vote was orderly",
            "{p1} promised to cut taxes and raise pensions",
            "counting continued in the district of {pl}",
        ],
    },
    "strike": {
        "head": [
            "{org} workers strike over pay, {n1} flights cancelled",
            "Strike at {org} halts work in {pl}",
            "{c} unions call {n2}-hour walkout at {org}",
            "Talks fail as {org} strike enters {day}",
        ],
        "core": [
            "unions representing {n3} workers at {org} walked out over pay",
            "the union led by {p1} demands a raise of {pct} percent",
            "management offered {pct2} percent, which the union rejected",
            "{n1} services were cancelled across {pl} and {pl2}",
            "commuters faced long queues at stations in {pl}",
            "the labour ministry called both sides to mediation talks",
            "the strike is set to last {n2} hours",
            "{p2}, a spokesperson for {org}, called the walkout irresponsible",
        ],
    },
    "merger": {
        "head": [
            "{org} to buy {org2} for {money}",
            "{org} and {org2} agree {money} merger",
            "{org} bids {money} for rival {org2}",
            "Shares in {org2} jump on {org} takeover deal",
        ],
        "core": [
            "{org} agreed to acquire {org2} in a deal worth {money}",
            "shares of {org2} rose {pct} percent in {pl} trading",
            "the combined company will employ about {n3} people",
            "regulators in {c} must still approve the deal",
            "chief executive {p1} said the merger would save {money2} a year",
            "{p2} will chair the board of the merged group",
            "analysts at {org3} called the price high",
            "the deal is expected to close in the second half of {year}",
        ],
    },
    "court": {
        "head": [
            "Court in {pl} convicts {p1} of fraud",
            "{c} top court rules against {org}",
            "{p1} sentenced to {n1} years in {pl} trial",
            "Judge clears {p2} in {org} case",
        ],
        "core": [
            "a court in {pl} found {p1} guilty of fraud and bribery",
            "the judge sentenced {p1} to {n1} years in prison",
            "prosecutors said {money} had been diverted from {org}",
            "defence lawyer {p2} said the verdict would be appealed",
            "the trial lasted {n2} days and heard {n3} witnesses",
            "the case centred on contracts signed in {year}",
            "{org} said it had cooperated fully with investigators",
            "the supreme court of {c} will hear the appeal",
        ],
    },
    "fire": {
        "head": [
            "Fire at {org} plant near {pl} injures {n1}",
            "Blaze in {pl} forces {n3} to evacuate",
            "Firefighters battle huge fire in {pl}",
            "{n1} hurt as fire rips through {pl} factory",
        ],
        "core": [
            "a fire broke out at the {org} plant near {pl} early on {day}",
            "{n1} people were injured and {n2} taken to hospital",
            "residents of {pl} were told to keep windows closed",
            "more than {n3} firefighters were deployed",
            "the cause of the blaze is under investigation",
            "smoke could be seen from {pl2}",
            "fire chief {p1} said the fire was under control by evening",
            "{org} said production at the site was halted",
        ],
    },
    "flood": {
        "head": [
            "Floods in {pl} kill {n1}, thousands evacuated",
            "Rivers burst banks across {c}; {n3} flee",
            "Heavy rain floods {pl}, cuts off {pl2}",
            "{c} declares emergency as floods spread",
        ],
        "core": [
            "heavy rain caused rivers to burst their banks around {pl}",
            "at least {n1} people died and {n2} are missing",
            "{n3} residents were evacuated from {pl} and {pl2}",
            "the army was deployed to build flood barriers",
            "meteorologists expect more rain until {day}",
            "rail lines between {pl} and {pl2} were closed",
            "{p1}, the regional governor, declared a state of emergency",
            "damage was estimated at {money}",
        ],
    },
    "summit": {
        "head": [
            "{c} and {c2} leaders meet in {pl}",
            "{p1} and {p2} agree on trade at {pl} summit",
            "Summit in {pl} ends without deal on {topic}",
            "Leaders pledge {money} at {pl} summit",
        ],
        "core": [
            "{p1} and {p2} met for {n2} hours in {pl}",
            "the leaders discussed {topic} and security",
            "they signed {n1} agreements on energy and trade",
            "protesters gathered outside the venue in {pl}",
            "a joint statement pledged {money} for {topic}",
            "{p3}, the foreign minister, called the talks constructive",
            "the next summit will be held in {pl2} in {year}",
            "officials from {c2} said differences remained on {topic}",
        ],
    },
    "crash": {
        "head": [
            "Plane crash near {pl} kills {n1}",
            "{org} flight crashes on approach to {pl}",
            "Investigators probe {pl} air crash",
            "Small plane goes down near {pl}, {n1} dead",
        ],
        "core": [
            "an aircraft operated by {org} crashed near {pl} on {day}",
            "{n1} of the {n3} people on board were killed",
            "the aircraft had taken off from {pl2} shortly before",
            "investigators recovered the flight recorders",
            "the transport ministry of {c} opened an inquiry",
            "witnesses said the plane was flying unusually low",
            "{p1}, the airline's chief executive, expressed condolences",
            "the airport at {pl} was closed for {n2} hours",
        ],
    },
    "rates": {
        "head": [
            "{c} central bank raises rates to {pct}%",
            "{bank} holds rates, signals cut in {month}",
            "{bank} surprises markets with rate cut",
            "{p1} says {bank} will stay cautious on inflation",
        ],
        "core": [
            "the {bank} raised its key rate by {n2} basis points to {pct} percent",
            "inflation in {c} stood at {pct2} percent last month",
            "governor {p1} said further moves would depend on data",
            "the currency rose {pct3} percent against the dollar",
            "economists at {org} had expected no change",
            "{n1} of the {n3} board members voted for the move",
            "bond yields in {c} fell after the decision",
            "the bank cut its growth forecast for {year}",
        ],
    },
    "sport": {
        "head": [
            "{team} beat {team2} {n1}-{n2} to win the cup",
            "{p1} scores twice as {team} sink {team2}",
            "{team2} coach {p2} quits after cup defeat",
            "{team} crowned champions in {pl}",
        ],
        "core": [
            "{team} beat {team2} {n1}-{n2} in the final in {pl}",
            "{p1} scored twice in the second half",
            "{n3} fans watched the match at the stadium in {pl}",
            "coach {p2} praised his players' resilience",
            "it is the club's first title since {year}",
            "{team2} had a goal disallowed for offside",
            "{p3} was sent off after {n2} minutes",
            "the victory earns {team} a place in the continental cup",
        ],
    },
    "space": {
        "head": [
            "{org} rocket explodes after launch from {pl}",
            "{org} launches {n1} satellites from {pl}",
            "{c} space agency delays {org} mission",
            "{org} capsule returns {n1} crew to Earth",
        ],
        "core": [
            "the rocket built by {org} lifted off from {pl} at dawn",
            "it carried {n1} satellites into orbit",
            "contact was lost {n2} seconds after lift-off",
            "chief executive {p1} said the company would fly again",
            "the company has raised {money} from investors",
            "the space agency of {c} is investigating",
            "debris fell into the sea off {pl2}",
            "it was the company's {ord} launch this year",
        ],
    },
    "protest": {
        "head": [
            "Thousands protest in {pl} over {topic}",
            "Police clash with protesters in {pl}",
            "{c} protests spread to {pl2}",
            "{p1} calls for calm after {pl} protests",
        ],
        "core": [
            "thousands marched through {pl} to protest over {topic}",
            "police used tear gas and arrested {n1} people",
            "organisers said {n3} took part, police put the number lower",
            "{p1}, the interior minister, called for calm",
            "the protests spread to {pl2} on {day}",
            "shops in central {pl} were closed",
            "the protest was organised by {org}",
            "{n2} officers were injured in the clashes",
        ],
    },
    "health": {
        "head": [
            "{c} reports {n1} cases of new flu strain",
            "Hospitals in {pl} strained by outbreak",
            "{org} vaccine approved in {c}",
            "Health officials in {pl} trace outbreak to {org2}",
        ],
        "core": [
            "health authorities in {c} reported {n1} new cases",
            "hospitals in {pl} postponed planned operations",
            "the {org} vaccine showed {pct} percent efficacy in trials",
            "health minister {p1} urged people to get vaccinated",
            "{n2} patients were in intensive care",
            "the outbreak was traced to a plant run by {org2}",
            "schools in {pl2} were closed for {n2} days",
            "experts at {org3} said the risk remained low",
        ],
    },
}
EVENT_TYPES = list(EVENTS)
TOPICS = [
    "migration",
    "climate policy",
    "energy prices",
    "housing costs",
    "defence spending",
    "farm subsidies",
    "trade tariffs",
    "pension reform",
]
MONTHS = "January February March April May June July August September October November December".split()
ORDINALS = ["second", "third", "fourth", "fifth"]

OPENERS = [
    "",
    "",
    "",
    "Officials said ",
    "According to local media, ",
    "On {day}, ",
    "Authorities said ",
    "A spokesperson said ",
    "Earlier, ",
    "By late afternoon, ",
    "In a statement, officials said ",
    "Police said ",
    "Reports said ",
]
TAILS = [
    "",
    "",
    "",
    ", officials said",
    ", according to a statement",
    ", local media reported",
    ", a spokesperson said",
    " on {day}",
    ", the ministry said",
    ", witnesses told reporters",
    ", a source familiar with the matter said",
]
GENERIC = [
    "The government said it was monitoring the situation closely.",
    "Further details were not immediately available.",
    "It was not immediately clear how the decision would affect other regions.",
    "The ministry did not respond to a request for comment.",
    "Opposition politicians criticised the handling of the matter.",
    "Markets reacted calmly to the news.",
    "The issue is expected to dominate the next session of parliament.",
    "Critics say the measures come too late.",
    "A full report is due to be published next month.",
    "Several international organisations offered assistance.",
    "Social media users shared images from the scene.",
    "Local businesses said the disruption would cost them dearly.",
    "The European Commission said it was in contact with national authorities.",
    "Analysts said the long-term impact was hard to predict.",
    "The mayor of {pl} said the city would provide support.",
    "Residents of {pl} told reporters they were worried.",
    "{p3}, an analyst at {org3}, said the outcome had been widely expected.",
    "Newspapers in {c} devoted their front pages to the story.",
    "A similar case occurred in {year}, when {n2} people were affected.",
    "The figures could not be independently verified.",
]


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


def _sentence(rng: random.Random, spec: StorySpec, generic: float = 0.3) -> str:
    if rng.random() < generic:
        return _fill(rng.choice(GENERIC), spec.slots)
    core = rng.choice(EVENTS[spec.event]["core"])
    opener = rng.choice(OPENERS)
    s = _fill(opener + core + rng.choice(TAILS), spec.slots)
    return s[0].upper() + s[1:] + "."


def _item_id(rng: random.Random, wire: str, when: datetime) -> str:
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


def _article(rng: random.Random, spec: StorySpec, wire: str, when: datetime) -> tuple[str, str]:
    """Headline and body of one wire's own report of the story."""
    title = _fill(rng.choice(EVENTS[spec.event]["head"]), spec.slots)
    words_target = int(rng.triangular(150, 800, 320))
    lead = _sentence(rng, spec, generic=0.0)
    paras = [f"{spec.slots['pl'].upper()}, {when:%b} {when.day} ({WIRE_TAG[wire]}) - {lead}"]
    words = len(paras[0].split())
    para: list[str] = []
    while words < words_target:
        s = _sentence(rng, spec)
        para.append(s)
        words += s.count(" ") + 1
        if len(para) >= rng.randint(1, 3):
            paras.append(" ".join(para))
            para = []
    if para:
        paras.append(" ".join(para))
    return title, "\n".join(paras)


@dataclass
class Night:
    records: list[dict]
    stories: list[str]
    sizes: Counter = field(default_factory=Counter)


def _story_size(rng: random.Random) -> int:
    r = rng.random()
    if r < 0.33:
        return 1
    if r < 0.95:
        return rng.choices(range(2, 9), weights=[25, 20, 16, 13, 11, 8, 7])[0]
    if r < 0.99:
        return rng.randint(9, 19)
    return rng.randint(20, 60)


def night_story_uids(seed: int, night: int, n: int) -> list[tuple[str, int]]:
    """(story uid, size) for night `night`, sizes summing to exactly n; ~15 % continue night-1."""
    rng = random.Random(f"night:{seed}:{night}")
    prev = [u for u, _ in night_story_uids(seed, night - 1, n)] if night > 0 else []
    out: list[tuple[str, int]] = []
    total = i = 0
    while total < n:
        size = min(_story_size(rng), n - total)
        if prev and rng.random() < 0.15:
            uid = rng.choice(prev)
            if any(u == uid for u, _ in out):
                uid = f"{night}-{i}"
        else:
            uid = f"{night}-{i}"
        out.append((uid, size))
        total += size
        i += 1
    return out


def generate_night(n: int, seed: int = 1, night: int = 0, base: datetime = BASE_DATE) -> Night:
    """`n` records of night `night` (0-based day after `base`), deterministic in (n, seed, night)."""
    start = base + timedelta(days=night)
    records: list[dict] = []
    sizes: Counter = Counter()
    stories = []
    for uid, size in night_story_uids(seed, night, n):
        spec = story_spec(seed, uid)
        rng = random.Random(f"records:{seed}:{night}:{uid}")
        stories.append(uid)
        sizes[size] += 1
        single = rng.random() < 0.25 and size <= 8
        wire0 = rng.choices(WIRE_NAMES, WIRE_WEIGHTS)[0]
        t0 = rng.uniform(0, 23.5 * 3600)
        spread = 7200.0 if size < 20 else 5 * 3600.0
        items: list[dict] = []  # latest record per item, for versions/redistribution
        redistributed: set[str] = set()
        for k in range(size):
            r = rng.random()
            ap_open = [
                it
                for it in items
                if it["source"] == "AP" and it["id"] not in redistributed and it.get("pubstatus") != "withdrawn"
            ]
            vers_open = [it for it in items if it["version"] < 3 and it.get("pubstatus") != "withdrawn"]
            if k and vers_open and r < 0.15:
                rec = _new_version(rng, spec, rng.choice(vers_open), start)
            elif k and ap_open and not single and r < 0.30:
                src = rng.choice(ap_open)
                redistributed.add(src["id"])
                rec = _redistribution(rng, src, start)
            else:
                wire = wire0 if (single or k == 0) else rng.choices(WIRE_NAMES, WIRE_WEIGHTS)[0]
                secs = t0 + rng.expovariate(1 / spread) if k else t0
                if secs >= 86399:
                    secs = rng.uniform(t0, 86399)
                when = start + timedelta(seconds=int(secs))
                title, text = _article(rng, spec, wire, when)
                rec = {
                    "id": _item_id(rng, wire, when),
                    "source": wire,
                    "title": title,
                    "text": text,
                    "published_at": when,
                    "language": "en",
                    "version": 1,
                    "story": spec.uid,
                }
            items = [it for it in items if it["id"] != rec["id"]] + [rec]
            records.append(rec)
    records.sort(key=lambda r: (r["published_at"], r["id"], r["version"]))
    for r in records:
        r["published_at"] = r["published_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return Night(records, stories, sizes)


def _later(rng: random.Random, t: datetime, start: datetime, lo: float, hi: float) -> datetime:
    end = start + timedelta(seconds=86399)
    return min(t + timedelta(seconds=int(rng.uniform(lo, hi))), end)


def _new_version(rng: random.Random, spec: StorySpec, prev: dict, start: datetime) -> dict:
    when = _later(rng, prev["published_at"], start, 600, 3 * 3600)
    version = prev["version"] + 1
    if rng.random() < 0.02:
        return {
            **prev,
            "title": f"WITHDRAWN - {prev['title']}",
            "published_at": when,
            "version": version,
            "pubstatus": "withdrawn",
            "text": f'The story headlined "{prev["title"]}" has been withdrawn. Please do not use it. '
            "A replacement story is not expected.",
        }
    first, _, rest = prev["text"].partition("\n")
    fresh = _sentence(rng, spec)
    n_new = str(int(spec.slots["n1"]) + rng.randint(1, 20))
    text = f"{first}\n{fresh} The figure was later revised to {n_new}.\n{rest}"
    title = prev["title"] if rng.random() < 0.5 else f"UPDATE {version - 1}-{prev['title']}"
    return {**prev, "title": title, "text": text, "published_at": when, "version": version}


def _redistribution(rng: random.Random, src: dict, start: datetime) -> dict:
    when = _later(rng, src["published_at"], start, 600, 3600)
    paras = src["text"].split("\n")
    paras[0] = paras[0].replace("(AP) -", "(dpa/AP) -", 1)
    if len(paras) > 2:
        paras = paras[:-1]
    return {
        "id": _item_id(rng, "dpa", when),
        "source": "dpa",
        "title": src["title"],
        "text": "\n".join(paras),
        "published_at": when,
        "language": "en",
        "version": 1,
        "story": src["story"],
    }


def write_night(night: Night, out_dir: Path) -> list[Path]:
    """One JSONL file per wire and hour (`reuters-07.jsonl`: the hourly drops a desk receives;
    a file per wire for a whole 50k night would exceed the readers' 20 MB file limit and be
    quarantined), records in time order; returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.jsonl"):
        old.unlink()
    by_file: dict[str, list[str]] = {}
    for r in night.records:
        by_file.setdefault(f"{r['source'].lower()}-{r['published_at'][11:13]}", []).append(
            json.dumps(r, ensure_ascii=False)
        )
    paths = []
    for name in sorted(by_file):
        p = out_dir / f"{name}.jsonl"
        p.write_text("\n".join(by_file[name]) + "\n", encoding="utf-8")
        paths.append(p)
    return paths


def night_digest(night: Night) -> str:
    h = hashlib.sha256()
    for r in night.records:
        h.update(json.dumps(r, sort_keys=True).encode())
    return h.hexdigest()


def describe(night: Night) -> dict:
    """Shape of a night: stories by size band, versions, redistributions, kills, wires, words."""
    by_story = Counter(r["story"] for r in night.records)
    bands = Counter()
    for size in by_story.values():
        bands["1" if size == 1 else "2-8" if size <= 8 else "9-19" if size < 20 else "20-60"] += 1
    words = [len(r["text"].split()) for r in night.records if r["version"] == 1 and r["source"]]
    return {
        "records": len(night.records),
        "stories": len(by_story),
        "story_size_bands": dict(bands),
        "versions_gt1": sum(r["version"] > 1 for r in night.records),
        "redistributions": sum("(dpa/AP)" in r["text"][:200] for r in night.records),
        "withdrawn": sum(r.get("pubstatus") == "withdrawn" for r in night.records),
        "wires": dict(Counter(r["source"] for r in night.records)),
        "words_min_median_max": [min(words), sorted(words)[len(words) // 2], max(words)] if words else [],
    }
