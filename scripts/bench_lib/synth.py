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

from bench_lib.articles import StorySpec, item_id, story_spec, write_article, write_sentence
from bench_lib.vocab import WIRE_NAMES, WIRE_WEIGHTS

BASE_DATE = datetime(2026, 3, 2)


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
            roll = rng.random()
            ap_open = [
                it
                for it in items
                if it["source"] == "AP" and it["id"] not in redistributed and it.get("pubstatus") != "withdrawn"
            ]
            vers_open = [it for it in items if it["version"] < 3 and it.get("pubstatus") != "withdrawn"]
            if k and vers_open and roll < 0.15:
                rec = _new_version(rng, spec, rng.choice(vers_open), start)
            elif k and ap_open and not single and roll < 0.30:
                src = rng.choice(ap_open)
                redistributed.add(src["id"])
                rec = _redistribution(rng, src, start)
            else:
                wire = wire0 if (single or k == 0) else rng.choices(WIRE_NAMES, WIRE_WEIGHTS)[0]
                secs = t0 + rng.expovariate(1 / spread) if k else t0
                if secs >= 86399:
                    secs = rng.uniform(t0, 86399)
                when = start + timedelta(seconds=int(secs))
                title, text = write_article(rng, spec, wire, when)
                rec = {
                    "id": item_id(rng, wire, when),
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
    fresh = write_sentence(rng, spec)
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
        "id": item_id(rng, "dpa", when),
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
    bands: Counter[str] = Counter()
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
