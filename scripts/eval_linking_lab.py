"""Where night-by-night recall goes, and what a longer linking horizon would win, in minutes.

The real replay (`wirestory evaluate clusters FILE --nightly --predictions P`) takes half an hour
on gva_dev; this lab reads its predictions P and the precomputed vectors (DIR/<corpus>_minilm256.npy
in file order, as eval_clustering_lab.py does) and, on the fit and held-out parts separately:

* `gaps`: gold pairs by days apart and how many the nightly stories keep together;
* `horizon H...`: re-links the nightly stories in order of first copy, as the link step would if
  stories quiet for 10 to H days were still candidates: the story's first day of copy against each
  shortlisted story's 8 most recent articles, average-link p (pair model with its time prior)
  at least `--link-p`. An approximation (a later night cannot regroup the copy), meant to choose
  `link_days` on the fit part before the real replay confirms it.
* `follow-up`: the same re-linking, every earlier story whose last copy is within 30 days a
  candidate, joined only under the follow-up rule (`cluster.grouping.follow_up`: `--words` words of
  IDF >= `--idf`, no year / number veto, time penalty times `--time`), fit parts printed only unless
  `--held-out`: how `LinkParams.follow_up_*` were chosen.

    .venv/bin/python scripts/eval_linking_lab.py PREDICTIONS [--corpus gva_dev] gaps
    .venv/bin/python scripts/eval_linking_lab.py PREDICTIONS horizon 20 30 60 [--link-p 0.35] [--k 5]
    .venv/bin/python scripts/eval_linking_lab.py PREDICTIONS follow-up [--idf 6 --words 4 --time 0.5]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.evaluate.clusters import synthetic_times  # noqa: E402
from cluster.evaluate.metrics import bcubed  # noqa: E402
from cluster.evaluate.splits import split_of  # noqa: E402
from cluster.grouping.affinity import PairScorer  # noqa: E402
from cluster.text.background import Background  # noqa: E402
from cluster.text.features import document_terms  # noqa: E402

#: Quiet stories the replay already offers (link_days 7 plus the 72-hour window), in days.
REPLAY_HORIZON = 10.0
BUCKETS = ((1, "<1"), (3, "1-3"), (7, "3-7"), (10, "7-10"), (30, "10-30"), (float("inf"), ">30"))


def _scores(name: str, records: list[dict[str, Any]], labels: list[str]) -> str:
    gold = [str(r["story"]) for r in records]
    out = {"all": bcubed(gold, labels)}
    for part in ("fit", "held-out"):
        keep = [i for i, r in enumerate(records) if split_of(name, r) == part]
        out[part] = bcubed([gold[i] for i in keep], [labels[i] for i in keep])
    return " ".join(f"{k}:{f:.3f}(P{p:.3f},R{r:.3f})" for k, (p, r, f) in out.items())


def gaps(name: str, records: list[dict[str, Any]], times: list[datetime], pred: list[str]) -> None:
    """Gold pairs per gap bucket and part: how many, how many the nightly stories kept together."""
    stories: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        stories[str(r["story"])].append(i)
    counts: Counter[tuple[str, str, bool]] = Counter()
    for members in stories.values():
        part = split_of(name, records[members[0]])
        for a, i in enumerate(members):
            for j in members[a + 1 :]:
                days = abs((times[i] - times[j]).total_seconds()) / 86400
                bucket = next(label for top, label in BUCKETS if days < top)
                counts[(part, bucket, pred[i] == pred[j])] += 1
    for part in ("fit", "held-out"):
        cells = [
            f"{b}: {counts[(part, b, True)]}/{counts[(part, b, True)] + counts[(part, b, False)]}" for _, b in BUCKETS
        ]
        print(f"{part} pairs kept together by days apart: " + ", ".join(cells))


def horizon(
    name: str,
    records: list[dict[str, Any]],
    times: list[datetime],
    pred: list[str],
    scorer: PairScorer,
    days: float,
    link_p: float,
    k: int,
) -> str:
    """B-cubed after re-linking the nightly stories with quiet candidates up to `days` old."""
    ids = [str(r["id"]) for r in records]
    parts: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pred):
        parts[p].append(i)
    members: dict[str, list[int]] = defaultdict(list)
    last: dict[str, datetime] = {}
    story: dict[int, str] = {}
    joins = 0
    for part in sorted(parts, key=lambda p: (min(times[i] for i in parts[p]), p)):
        rows = parts[part]
        start = min(times[i] for i in rows)
        quiet: dict[str, Sequence[str]] = {
            s: [ids[i] for i in sorted(members[s], key=lambda i: times[i])[-8:]]
            for s in members
            if REPLAY_HORIZON * 86400 <= (start - last[s]).total_seconds() < days * 86400
        }
        target = part
        if quiet:
            fresh = [ids[i] for i in rows if (times[i] - start).total_seconds() < 86400]
            pool = scorer.shortlister(quiet)([fresh], k)[0]
            ps = scorer.affinities([(fresh, quiet[s]) for s in pool])
            best = int(np.argmax(ps))
            if ps[best] >= link_p:
                target, joins = pool[best], joins + 1
        members[target].extend(rows)
        last[target] = max([last.get(target, start)] + [times[i] for i in rows])
        for i in rows:
            story[i] = target
    return f"horizon {days:g} days, {joins} joins: " + _scores(name, records, [story[i] for i in range(len(records))])


def follow_up(
    name: str,
    records: list[dict[str, Any]],
    times: list[datetime],
    pred: list[str],
    scorer: PairScorer,
    args: argparse.Namespace,
) -> str:
    """B-cubed after joining each nightly story's first day of copy to the shortlisted earlier
    story (last copy within 30 days, its 8 most recent articles) that passes the follow-up rule."""
    ids = [str(r["id"]) for r in records]
    parts: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pred):
        parts[p].append(i)
    order = sorted(parts, key=lambda p: (min(times[i] for i in parts[p]), p))
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for n, part in enumerate(order):
        start = min(times[i] for i in parts[part])
        quiet: dict[str, Sequence[str]] = {}
        for q in order[:n]:
            before = sorted((i for i in parts[q] if times[i] < start), key=lambda i: times[i])
            if before and (start - times[before[-1]]).total_seconds() < 30 * 86400:
                quiet[q] = [ids[i] for i in before[-8:]]
        if not quiet:
            continue
        fresh = [ids[i] for i in parts[part] if (times[i] - start).total_seconds() < 86400]
        pool = scorer.shortlister(quiet)([fresh], args.k)[0]
        ps = scorer.follow_ups([(fresh, quiet[q]) for q in pool], args.idf, args.words, args.time)
        best = int(np.argmax(ps))
        if ps[best] >= args.link_p:
            parent[root(part)] = root(pool[best])
    text = _scores(name, records, [root(p) for p in pred])
    keep = ("all", "fit", "held-out") if args.held_out else ("fit",)
    return " ".join(c for c in text.split() if c.split(":")[0] in keep)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("predictions", type=Path)
    ap.add_argument("mode", choices=("gaps", "horizon", "follow-up"))
    ap.add_argument("days", nargs="*", type=float)
    ap.add_argument("--corpus", default="gva_dev")
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    ap.add_argument("--link-p", type=float, default=0.35)
    ap.add_argument("--k", type=int, default=5, help="shortlisted quiet stories scored per new story")
    ap.add_argument("--idf", type=float, default=6.0, help="follow-up: IDF of a rare shared word")
    ap.add_argument("--words", type=int, default=4, help="follow-up: rare words to share")
    ap.add_argument("--time", type=float, default=0.5, help="follow-up: time penalty factor")
    ap.add_argument("--held-out", action="store_true", help="follow-up: print the held-out part too")
    args = ap.parse_args()
    records = [json.loads(line) for line in (args.corpora / f"{args.corpus}.jsonl").open(encoding="utf-8")]
    synthetic = synthetic_times(records)  # undated corpora: the replay's documented time model
    times = [synthetic[r["id"]] for r in records]
    by_id = {d["id"]: d["pred"] for d in map(json.loads, args.predictions.open(encoding="utf-8"))}
    pred = [str(by_id[r["id"]]) for r in records]
    if args.mode != "follow-up" or args.held_out:
        print("nightly: " + _scores(args.corpus, records, pred), flush=True)
    if args.mode == "gaps":
        gaps(args.corpus, records, times, pred)
        return
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    scorer = PairScorer(
        [str(r["id"]) for r in records],
        np.load(args.emb / f"{args.corpus}_minilm256.npy"),
        texts,
        list(times),
        [r.get("language") for r in records],
        Background().plus(document_terms(t) for t in texts),
    )
    if args.mode == "follow-up":
        print(follow_up(args.corpus, records, times, pred, scorer, args), flush=True)
        return
    for days in args.days:
        print(horizon(args.corpus, records, times, pred, scorer, days, args.link_p, args.k), flush=True)


if __name__ == "__main__":
    main()
