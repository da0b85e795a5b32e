"""Measure wirestory's quality on the shared labelled corpora and write docs/quality.md.

Runs, in one process and one sitting:
  * story clustering through the real nightly path: the demo's two nights; ecbplus, neus and gva_dev
    batch and night by night (`evaluate clusters` and `--nightly`), every figure also per split
    (fit / held-out, `cluster/evaluate/splits.py`), and each once with the time signal off;
  * BERTopic's own default clustering (UMAP + HDBSCAN) on the same vectors, for comparison;
  * developing stories (demo/developing): stale figures, status, "also reported by" against gold;
  * summaries against the human references on neus (test split), beside lead and LexRank;
  * article-pair similarity against human judgements (SemEval-2022), default and multilingual encoder;
  * clustering with the multilingual encoder, with its night throughput.

Usage:  bash scripts/quality            (installs the `bench` extra, then runs this)
        .venv/bin/python scripts/quality.py [--skip-bertopic] [--skip-multilingual] [--skip-summaries] [--skip-pairs]
A skipped summary or pair part keeps the last run's figures, and the page says from which run.
The first (batch) run of each corpus and model embeds from scratch, so its seconds are a real
night's throughput; the night-by-night replay and BERTopic then reuse those vectors from
out/quality-embeddings.duckdb, which is emptied at the start of every run.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from quality_lib.markdown import write_markdown  # noqa: E402
from quality_lib.measure import (  # noqa: E402
    MULTILINGUAL,
    OUT,
    bertopic,
    clusters,
    demo,
    developing,
    pairs,
    summaries,
)

from cluster.encoders.base import DEFAULT_MODEL  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--skip-bertopic", action="store_true")
    ap.add_argument("--skip-multilingual", action="store_true")
    ap.add_argument("--skip-nightly", action="store_true")
    ap.add_argument("--skip-summaries", action="store_true", help="keep the summary figures of the last run")
    ap.add_argument("--skip-pairs", action="store_true", help="keep the pair figures of the last run")
    ap.add_argument("--markdown-only", action="store_true", help="rewrite docs/quality.md from docs/quality.json")
    args = ap.parse_args()
    if args.markdown_only:
        (ROOT / "docs" / "quality.md").write_text(
            write_markdown(json.loads((ROOT / "docs" / "quality.json").read_text()))
        )
        return
    OUT.mkdir(exist_ok=True)
    (OUT / "quality-embeddings.duckdb").unlink(missing_ok=True)
    import os

    res: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}",
        "clusters": {},
        "clusters_rows": [],
    }
    res["clusters"]["demo:nightly"] = demo()
    res["clusters_rows"].append(("demo:nightly", "wirestory, night by night"))
    res["clusters"]["demo:nightly-notime"] = demo(time_feature=False)
    res["clusters_rows"].append(("demo:nightly-notime", "night by night, time off"))
    res["developing"] = developing()
    res["bertopic"] = {}
    for name in ("ecbplus", "neus", "gva_dev"):
        res["clusters"][f"{name}:batch"] = clusters(name, DEFAULT_MODEL, nightly=False)
        res["clusters_rows"].append((f"{name}:batch", "wirestory, batch"))
        if not args.skip_nightly:
            res["clusters"][f"{name}:nightly"] = clusters(name, DEFAULT_MODEL, nightly=True)
            res["clusters_rows"].append((f"{name}:nightly", "wirestory, night by night"))
            # gva_dev's dates reach batch too; the others have times only in the replay
            notime_nightly = name != "gva_dev"
            res["clusters"][f"{name}:notime"] = clusters(
                name, DEFAULT_MODEL, nightly=notime_nightly, time_feature=False
            )
            res["clusters_rows"].append(
                (f"{name}:notime", f"{'night by night' if notime_nightly else 'batch'}, time off")
            )
        if not args.skip_bertopic:
            res["bertopic"][name] = bertopic(name)
        if not args.skip_multilingual:
            res["clusters"][f"{name}:multilingual"] = clusters(name, MULTILINGUAL, nightly=False)
            res["clusters_rows"].append((f"{name}:multilingual", f"wirestory, batch, {MULTILINGUAL}"))
    previous = (
        json.loads((ROOT / "docs" / "quality.json").read_text()) if (ROOT / "docs" / "quality.json").exists() else {}
    )
    res["carried"] = {}
    models = [DEFAULT_MODEL] + ([] if args.skip_multilingual else [MULTILINGUAL])
    for part, skip, run in (
        ("summaries", args.skip_summaries, summaries),
        ("pairs", args.skip_pairs, lambda: pairs(models)),
    ):
        if skip and part in previous:
            res[part] = previous[part]
            res["carried"][part] = previous.get("carried", {}).get(part, previous["when"])
        else:
            res[part] = run()
    (ROOT / "docs" / "quality.json").write_text(json.dumps(res, indent=2, default=str) + "\n")
    (ROOT / "docs" / "quality.md").write_text(write_markdown(res))
    print("wrote docs/quality.md and docs/quality.json")


if __name__ == "__main__":
    main()
