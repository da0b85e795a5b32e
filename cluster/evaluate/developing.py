"""Developing stories through the real nightly path, scored against gold current facts.

The set (demo/developing, written by scripts/make_developing_set.py) is four nights of invented wire
copy in which tolls rise, fires go out, strikes end and suspects are charged. Each night runs
through `run_night` at that night's 23:00 in a throw-away database; then the final summaries
(`summary_sentences_v`, kind 'summary', of active stories) are read and scored:

* stale: summary sentences stating a figure or state for a quantity whose gold current value (in
  the story the sentence's article belongs to) is another;
* status correct: of the gold stories with a state, the share whose main predicted story (the one
  holding most of its items) states the gold current state of that topic and no other;
* also precision / recall: per summary sentence stating a gold current fact, its `also_sources`
  against the gold wires that reported one of the sentence's current facts in their own copy, the
  sentence's own wire left out;
* redistribution violations: a wire in a summary sentence's `also_sources` whose own copy of the
  story carries neither the sentence's text nor any of its facts while its redistribution does;
* redistributions_near: how many of the gold redistributions the pipeline recorded as 'near'
  (or 'exact') duplicates of their original wire's copy of the story.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from cluster.config import Config
from cluster.encoders.base import Encoder
from cluster.night import run_night
from cluster.summary.figures import facts
from storage import db as dbm


def _same(a: object, b: object) -> bool:
    return a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float)) and float(a) == float(b))


def evaluate_developing(set_dir: str, cfg: Config, encoder_factory: Callable[[], Encoder]) -> dict[str, Any]:
    gold = json.loads((Path(set_dir) / "gold.json").read_text(encoding="utf-8"))
    stories = gold["stories"]
    story_of = {item: label for label, g in stories.items() for item in g["items"]}
    redistributed = {c: o for g in stories.values() for c, o in g["redistributions"].items()}
    records = [
        json.loads(line)
        for name in gold["nights"]
        for line in (Path(set_dir) / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]

    def carries(label: str, wire: str, sentence: str, via_copy: bool) -> bool:
        """Whether `wire` has the sentence's text or one of its facts in the story, in its own copy
        (via_copy False) or in a redistribution (True)."""
        key, stated = re.split(r" (?:-|—) ", sentence, maxsplit=1)[-1], facts(sentence).items()
        return any(
            key in r["text"] or any(f in facts(line).items() for line in r["text"].split("\n") for f in stated)
            for r in records
            if story_of.get(r["id"]) == label and r["source"] == wire and (r["id"] in redistributed) == via_copy
        )

    encoder = encoder_factory()
    with tempfile.TemporaryDirectory(prefix="wirestory-developing-") as tmp:
        db = str(Path(tmp) / "developing.duckdb")
        for name, as_of in zip(gold["nights"], gold["as_of"]):
            run_night(
                replace(cfg, db=db), [str(Path(set_dir) / name)], lambda: encoder, as_of=datetime.fromisoformat(as_of)
            )
        con = dbm.connect(db, read_only=True)
        try:
            rows = con.execute(
                "SELECT ss.story_id, ss.sentence, ss.source, a.item_key, ss.also_sources, ss.also_articles "
                "FROM summary_sentences_v ss JOIN stories_v s USING (story_id) JOIN articles a USING (article_id) "
                "WHERE s.status = 'active' AND ss.kind = 'summary' ORDER BY ss.story_id, ss.position"
            ).fetchall()
            item_of = dict(con.execute("SELECT article_id, item_key FROM articles").fetchall())
            members = con.execute(
                "SELECT sa.story_id, a.item_key FROM story_articles sa JOIN articles a USING (article_id) "
                "JOIN stories_v s USING (story_id) WHERE s.status = 'active'"
            ).fetchall()
            dups = {
                (item_of[a], item_of[d])
                for a, d, why in con.execute("SELECT article_id, duplicate_of, reason FROM duplicates").fetchall()
                if why in ("near", "exact")
            }
            wire_of = dict(con.execute("SELECT item_key, source FROM articles").fetchall())
        finally:
            con.close()
    stale, unknown, violations = [], 0, []
    tp = fp = fn = 0
    by_story: dict[str, list[tuple[str, dict[str, float | str]]]] = defaultdict(list)
    for story_id, sentence, _source, _item, _also, _ in rows:
        by_story[story_id].append((sentence, facts(sentence)))
    for _story_id, sentence, source, item, also, _ in rows:
        label = story_of.get(item)
        if label is None:
            continue
        g = stories[label]
        stated = facts(sentence)
        for q, v in stated.items():
            if q not in g["current"]:
                unknown += 1
            elif not _same(v, g["current"][q]):
                stale.append({"story": label, "sentence": sentence, "fact": q, "stated": v, "current": g["current"][q]})
        credited = set(also or []) - {source}
        for w in sorted(credited):
            if not carries(label, w, sentence, False) and carries(label, w, sentence, True):
                violations.append({"story": label, "sentence": sentence, "wire": w})
        current = [q for q, v in stated.items() if q in g["current"] and _same(v, g["current"][q])]
        if current:
            want = {w for q in current for w in g["wires"].get(q, [])} - {source}
            tp += len(credited & want)
            fp += len(credited - want)
            fn += len(want - credited)
    # A copy is recorded when it is a near (or exact) duplicate of its original's wire in its story:
    # the original itself, or that wire's newer copy of the story the original is a duplicate of.
    recorded = {
        c
        for c, o in redistributed.items()
        if any(a == c and story_of.get(d) == story_of[o] and wire_of.get(d) == wire_of.get(o) for a, d in dups)
    }
    # Listed among also_articles (not credited: n_sources counts also_sources only).
    copies_listed = sum(item_of.get(a, a) in redistributed for *_, listed in rows for a in listed or [])
    main: dict[str, str] = {}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for story_id, item in members:
        if item in story_of:
            counts[story_of[item]][story_id] += 1
    for label, c in counts.items():
        main[label] = c.most_common(1)[0][0]
    with_state = {
        label: {q: v for q, v in g["current"].items() if q.startswith("state:")} for label, g in stories.items()
    }
    with_state = {k: v for k, v in with_state.items() if v}
    correct, wrong_status = 0, []
    for label, gold_state in with_state.items():
        said: dict[str, set[object]] = defaultdict(set)
        for _, stated in by_story.get(main.get(label, ""), []):
            for q, v in stated.items():
                if q in gold_state:
                    said[q].add(v)
        ok = all(said[q] == {v} for q, v in gold_state.items())
        correct += ok
        if not ok:
            wrong_status.append(
                {"story": label, "gold": gold_state, "summary": {q: sorted(map(str, s)) for q, s in said.items()}}
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "stories": len(stories),
        "summary_sentences": len(rows),
        "stale": len(stale),
        "unknown_facts": unknown,
        "status_correct": correct / len(with_state) if with_state else 1.0,
        "status_stories": len(with_state),
        "also_precision": precision,
        "also_recall": recall,
        "also_tp": tp,
        "also_fp": fp,
        "also_fn": fn,
        "redistribution_violations": len(violations),
        "redistributions": len(redistributed),
        "redistributions_near": len(recorded),
        "redistributions_listed_in_also_articles": copies_listed,
        "predicted_stories": len({s for s, _ in members}),
        "details": {
            "stale": stale,
            "status_wrong": wrong_status,
            "violations": violations,
            "not_near": sorted(set(redistributed) - recorded),
        },
    }
