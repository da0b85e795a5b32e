"""`wirestory evaluate clusters`: score exactly the nightly's clustering against gold story labels.

Batch mode runs one night over the whole file in a throw-away database. Nightly mode replays the
file night by night through the same path, with linking, and scores the final stories.

Synthetic times (nightly mode, for records without `published_at`) follow how wire copy arrives:
each gold story starts on a day, `hash(story) mod days`, at a minute within that day; most of its
documents come within the first 24 hours, and one in `FOLLOW_UP_EVERY` is a follow-up two to ten
days later (arrests, funerals, the strike ending). Days default to ceil(docs / 1000), at least 3,
so a night carries about a thousand documents, as a wire desk's does. The clustering keeps its time
signal on: with this model, as with real dates, copy of one story is close in time but not always.
"""

from __future__ import annotations

import json
import math
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cluster.config import Config
from cluster.encoders.base import Encoder
from cluster.evaluate.metrics import bcubed, score
from cluster.evaluate.splits import split_of
from cluster.night import run_night
from storage import db as dbm
from storage import queries
from storage.records import sha256_hex

#: Batch mode clusters everything at once: a window wider than any corpus.
BATCH_WINDOW_HOURS = 24.0 * 365 * 100
SPREAD_START = datetime(2026, 1, 1)
SPREAD_HOURS = 24
FOLLOW_UP_EVERY = 5


def _hash_int(text: str) -> int:
    return int(sha256_hex(text)[:12], 16)


def load_gold(path: str) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def synthetic_times(records: list[dict[str, Any]], days: int | None = None) -> dict[str, datetime]:
    """A publication time for every record: its own, else the documented synthetic model."""
    days = days or max(3, math.ceil(len(records) / 1000))
    out = {}
    for r in records:
        if r.get("published_at"):
            out[r["id"]] = datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")).replace(tzinfo=None)
            continue
        story, doc = _hash_int(str(r["story"])), _hash_int(str(r["id"]))
        start = SPREAD_START + timedelta(days=story % days, minutes=(story // days) % (24 * 60))
        offset = timedelta(minutes=doc % (SPREAD_HOURS * 60))
        if (doc // 7919) % FOLLOW_UP_EVERY == 0:
            offset += timedelta(days=2 + (doc // 104729) % 9)
        out[r["id"]] = start + offset
    return out


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _sync_embeddings(src: str, dst: str) -> None:
    """Copy embeddings `dst` lacks from `src` (both wirestory databases; either may be new)."""
    con = dbm.connect(dst)
    try:
        if Path(src).exists():
            con.execute("ATTACH '" + src.replace("'", "''") + "' AS src (READ_ONLY)")
            con.execute(
                "INSERT INTO embeddings SELECT s.* FROM src.embeddings s "
                "WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.content_hash = s.content_hash AND e.model = s.model)"
            )
            con.execute("DETACH src")
    finally:
        con.close()


def _assignments(db: str) -> dict[str, str]:
    con = dbm.connect(db, read_only=True)
    try:
        return queries.predictions(con)
    finally:
        con.close()


def _silent_moves(db: str, history: dict[str, list[str]]) -> int:
    """Articles whose story id changed between nights with no lineage record from old to new."""
    con = dbm.connect(db, read_only=True)
    try:
        lineage = {(o, n) for o, n in con.execute("SELECT old_story_id, new_story_id FROM story_lineage").fetchall()}
    finally:
        con.close()
    silent = 0
    for ids in history.values():
        for old, new in zip(ids, ids[1:]):
            if old != new and (old, new) not in lineage:
                silent += 1
                break
    return silent


def evaluate_clusters(
    gold_path: str,
    cfg: Config,
    encoder_factory: Callable[[], Encoder],
    nightly: bool = False,
    predictions_path: str | None = None,
    log: Callable[[str], None] = lambda _m: None,
    embedding_cache: str | None = None,
) -> dict[str, Any]:
    records = load_gold(gold_path)
    start = time.perf_counter()
    encoder = encoder_factory()
    with tempfile.TemporaryDirectory(prefix="wirestory-eval-") as tmp:
        db = str(Path(tmp) / "eval.duckdb")
        if embedding_cache:
            _sync_embeddings(embedding_cache, db)
        history: dict[str, list[str]] = defaultdict(list)
        extra: dict[str, Any] = {}
        if not nightly:
            src = Path(tmp) / "gold.jsonl"
            _write_jsonl(src, [{k: v for k, v in r.items() if k != "story"} for r in records])
            run_night(replace(cfg, db=db, window_hours=BATCH_WINDOW_HOURS), [str(src)], lambda: encoder, log=log)
        else:
            times = synthetic_times(records)
            nights: dict[datetime, list[dict[str, Any]]] = defaultdict(list)
            for r in records:
                t = times[r["id"]]
                nights[datetime(t.year, t.month, t.day)].append(
                    {**{k: v for k, v in r.items() if k != "story"}, "published_at": t.isoformat()}
                )
            for i, day in enumerate(sorted(nights)):
                src = Path(tmp) / f"night-{i:03d}.jsonl"
                _write_jsonl(src, nights[day])
                run_night(replace(cfg, db=db), [str(src)], lambda: encoder, as_of=day + timedelta(days=1), log=log)
                for item, story in _assignments(db).items():
                    if not history[item] or history[item][-1] != story:
                        history[item].append(story)
            extra = {"nights": len(nights), "silent_moves": _silent_moves(db, history)}
        pred = _assignments(db)
        if embedding_cache:
            _sync_embeddings(db, embedding_cache)
    gold = [str(r["story"]) for r in records]
    predicted = [pred.get(str(r["id"]), f"missing:{r['id']}") for r in records]
    result: dict[str, Any] = {**score(gold, predicted), "seconds": round(time.perf_counter() - start, 2), **extra}
    corpus = Path(gold_path).stem
    result["splits"] = {}
    for part in ("fit", "held-out"):
        keep = [i for i, r in enumerate(records) if split_of(corpus, r) == part]
        if keep:
            bp, br, bf = bcubed([gold[i] for i in keep], [predicted[i] for i in keep])
            result["splits"][part] = {"bcubed_p": bp, "bcubed_r": br, "bcubed_f1": bf, "n_docs": len(keep)}
    if predictions_path:
        with open(predictions_path, "w", encoding="utf-8") as fh:
            for record, label in zip(records, predicted):
                fh.write(json.dumps({"id": record["id"], "pred": label}) + "\n")
    return result


#: The demo's two nights and the clock each runs at, as `scripts/demo` runs them.
DEMO_NIGHTS = (("night1.jsonl", datetime(2026, 11, 26, 23)), ("night2.jsonl", datetime(2026, 11, 27, 23)))


def evaluate_demo_nightly(demo_dir: str, cfg: Config, encoder_factory: Callable[[], Encoder]) -> dict[str, Any]:
    """The demo corpus through `nightly`, night by night, scored against its gold `story` labels.

    Scored are the items that end in a story (the embargoed item stays out, as it should). Also
    counted: stories that one wire alone carries (gold) and whether each stays a story of its own.
    """
    records = [r for name, _ in DEMO_NIGHTS for r in load_gold(str(Path(demo_dir) / name))]
    gold = {str(r["id"]): str(r["story"]) for r in records}
    wires: dict[str, set[str]] = defaultdict(set)
    for r in records:
        wires[str(r["story"])].add(str(r["source"]))
    encoder = encoder_factory()
    after_night: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="wirestory-demo-") as tmp:
        db = str(Path(tmp) / "demo.duckdb")
        for name, as_of in DEMO_NIGHTS:
            run_night(replace(cfg, db=db), [str(Path(demo_dir) / name)], lambda: encoder, as_of=as_of)
            pred = {k: v for k, v in _assignments(db).items()}
            pred = {(k if k in gold else next((g for g in gold if g.endswith(":" + k)), k)): v for k, v in pred.items()}
            ids = [k for k in gold if k in pred]
            bp, br, bf = bcubed([gold[k] for k in ids], [pred[k] for k in ids])
            stories_of: dict[str, set[str]] = defaultdict(set)
            for k in ids:
                stories_of[pred[k]].add(gold[k])
            single = [g for g, w in wires.items() if len(w) == 1 and any(gold[k] == g for k in ids)]
            alone = [
                g
                for g in single
                if len({pred[k] for k in ids if gold[k] == g}) == 1
                and all(stories_of[pred[k]] == {g} for k in ids if gold[k] == g)
            ]
            after_night.append(
                {
                    "night": name,
                    "bcubed_p": bp,
                    "bcubed_r": br,
                    "bcubed_f1": bf,
                    "n_docs": len(ids),
                    "n_pred": len(set(pred[k] for k in ids)),
                    "single_wire": len(single),
                    "single_alone": len(alone),
                }
            )
    return {**after_night[-1], "nights": after_night}
