"""Print B-cubed P/R/F1 of `cluster_documents` (current ClusterParams) on the eval corpora.

Reads precomputed embeddings (rows in file order of the eval corpora), so it runs in seconds:
    .venv/bin/python scripts/eval_clustering_lab.py [--emb DIR] [--corpora DIR] [--exact] [--set k=v ...]
Rows:
  ecbplus / neus            the whole file clustered as one batch
  ecbplus-odd / -even       topic halves scored inside the whole-file clustering; the pair model
                            was trained on odd-topic pairs, so `even` is the held-out half
  ecbplus-odd/even alone    each half clustered on its own
  neus-train / -val / -test splits scored inside the whole-file clustering (model trained on
                            train pairs only; val and test unseen)
  neus-val / -test alone    each split clustered on its own
  demo                      demo/night1.jsonl + night2.jsonl as one batch with real timestamps,
                            after the pipeline's dedup (latest version per id, withdrawn ids and
                            embargoed items dropped, the dpa redistribution of AP's Rotterdam story
                            dropped); embedded once with the real MiniLM encoder and cached in --emb
  demo singletons           the single-wire stories of the demo: how many stay one-article stories
`--exact` re-runs with every pair a candidate (knn_k = n - 1) where that fits in memory, and with
knn_k = 120 for the whole of neus, to show the k=30 graph loses little.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.clustering import ClusterParams, cluster_documents  # noqa: E402
from cluster.metrics import bcubed  # noqa: E402


def load(corpora: Path, emb: Path, name: str) -> tuple[list[dict], np.ndarray, list[str]]:
    records = [json.loads(line) for line in (corpora / f"{name}.jsonl").open(encoding="utf-8")]
    vectors = np.load(emb / f"{name}_minilm256.npy")
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    return records, vectors, texts


#: Items of the demo nights the pipeline drops before clustering besides versions, kills and
#: embargoes: the dpa redistribution of AP's Rotterdam story (a near-duplicate, demo/README.md).
DEMO_NEAR_DUPLICATES = {"dpa:urn:newsml:dpa.com:20261126:261126-99-420117"}


def load_demo(demo: Path, emb: Path) -> tuple[list[dict], np.ndarray, list[str], list[datetime]]:
    """The two demo nights as the pipeline would cluster them (see module docstring)."""
    lines = [json.loads(line) for f in ("night1.jsonl", "night2.jsonl") for line in (demo / f).open(encoding="utf-8")]
    withdrawn = {r["id"] for r in lines if r.get("pubstatus") == "withdrawn"}
    latest: dict[str, dict] = {}
    for r in lines:
        if r["id"] in withdrawn or r["id"] in DEMO_NEAR_DUPLICATES:
            continue
        if r.get("embargo_until") and r["embargo_until"] > r["published_at"]:
            continue
        if r["id"] not in latest or (r.get("version") or 0) > (latest[r["id"]].get("version") or 0):
            latest[r["id"]] = r
    records = sorted(latest.values(), key=lambda r: (r["published_at"], r["id"]))
    texts = [f"{r['title'] or ''}\n\n{r['text']}" for r in records]
    times = [datetime.fromisoformat(r["published_at"].replace("Z", "+00:00")) for r in records]
    cache = emb / "demo_minilm256.npy"
    if cache.exists() and len(np.load(cache)) == len(records):
        vectors = np.load(cache)
    else:
        from cluster.embed import encoder_text, get_encoder

        vectors = get_encoder().encode([encoder_text(r["title"] or "", r["text"]) for r in records])
        np.save(cache, vectors)
    return records, vectors, texts, times


def evaluate_demo(demo: Path, emb: Path, params: ClusterParams) -> None:
    records, vectors, texts, times = load_demo(demo, emb)
    gold = np.array([r["story"] for r in records])
    labels = cluster_documents(vectors, texts, times, params)
    report("demo", gold, labels)
    counts = {s: int((gold == s).sum()) for s in set(gold.tolist())}
    lone = [i for i, g in enumerate(gold) if counts[g] == 1]
    alone = [i for i in lone if int((labels == labels[i]).sum()) == 1]
    print(f"demo singletons           {len(alone)}/{len(lone)} stay alone; absorbed: "
          + (", ".join(f"{gold[i]} -> {gold[labels == labels[i]][gold[labels == labels[i]] != gold[i]][0]}"
                       for i in lone if i not in alone) or "none"), flush=True)


def report(name: str, gold: np.ndarray, labels: np.ndarray, seconds: float | None = None) -> None:
    p, r, f = bcubed(gold.tolist(), labels.tolist())
    took = f"  {seconds:.1f}s" if seconds is not None else ""
    print(f"{name:26s} n={len(gold):5d} stories={len(set(gold.tolist())):5d} pred={len(set(labels.tolist())):5d} "
          f"bcubed P={p:.3f} R={r:.3f} F1={f:.3f}{took}", flush=True)


def evaluate(corpora: Path, emb: Path, params: ClusterParams, exact: bool) -> None:
    for name in ("ecbplus", "neus"):
        records, vectors, texts = load(corpora, emb, name)
        gold = np.array([r["story"] for r in records])
        if name == "ecbplus":
            part = np.where(np.array([int(r["topic"]) for r in records]) % 2 == 1, "odd", "even")
        else:
            part = np.array([r.get("split") for r in records])
        t = time.perf_counter()
        labels = cluster_documents(vectors, texts, [None] * len(records), params)
        report(name, gold, labels, time.perf_counter() - t)
        if exact:
            k = len(records) - 1 if name == "ecbplus" else 120
            t = time.perf_counter()
            dense = cluster_documents(vectors, texts, [None] * len(records), dataclasses.replace(params, knn_k=k))
            report(f"{name} knn_k={k}", gold, dense, time.perf_counter() - t)
        for split in sorted(set(part.tolist()), key=["odd", "even", "train", "val", "test"].index):
            keep = np.where(part == split)[0]
            report(f"{name}-{split} (in full)", gold[keep], labels[keep])
            if split == "train":
                continue
            sub_texts = [texts[i] for i in keep]
            alone = cluster_documents(vectors[keep], sub_texts, [None] * len(keep), params)
            report(f"{name}-{split} alone", gold[keep], alone)
            if exact:
                dense = cluster_documents(
                    vectors[keep], sub_texts, [None] * len(keep), dataclasses.replace(params, knn_k=len(keep) - 1)
                )
                report(f"{name}-{split} alone all-pairs", gold[keep], dense)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    ap.add_argument("--demo", type=Path, default=here / "demo")
    ap.add_argument("--exact", action="store_true", help="also run with (nearly) every pair a candidate")
    ap.add_argument("--set", nargs="*", default=[], metavar="FIELD=VALUE", help="override ClusterParams fields")
    args = ap.parse_args()
    params = ClusterParams()
    for item in args.set:
        key, value = item.split("=", 1)
        params = dataclasses.replace(params, **{key: type(getattr(params, key))(value)})
    print(params)
    evaluate_demo(args.demo, args.emb, params)
    evaluate(args.corpora, args.emb, params, args.exact)


if __name__ == "__main__":
    main()
