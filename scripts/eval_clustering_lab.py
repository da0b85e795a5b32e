"""B-cubed of `cluster_documents` on whole eval corpora in seconds: the lab for choosing constants.

Reads precomputed embeddings (DIR/<corpus>_minilm256.npy in file order, as train_pair_model.py
does), builds the background as an archive holding the corpus would, uses real publication
times where the corpus has them, and prints F1 (precision, recall) for the whole file and for
its fit and held-out parts (`cluster.evaluate.splits`), scored inside the whole-file clustering:
    .venv/bin/python scripts/eval_clustering_lab.py [--emb DIR] [--corpora DIR] CORPUS... [--set k=v ...]
Constants are chosen on the fit parts; the nightly path is then checked with
`wirestory evaluate clusters --nightly` (scripts/quality.py).
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

from cluster.evaluate.metrics import bcubed  # noqa: E402
from cluster.evaluate.splits import split_of  # noqa: E402
from cluster.grouping.clustering import ClusterParams, cluster_documents  # noqa: E402
from cluster.text.background import Background  # noqa: E402
from cluster.text.features import document_terms  # noqa: E402


def run(
    corpora: Path, emb: Path, name: str, params: ClusterParams
) -> tuple[dict[str, tuple[float, float, float]], float]:
    records = [json.loads(line) for line in (corpora / f"{name}.jsonl").open(encoding="utf-8")]
    vectors = np.load(emb / f"{name}_minilm256.npy")
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    times = [datetime.fromisoformat(r["published_at"][:19]) if r.get("published_at") else None for r in records]
    background = Background().plus(document_terms(t) for t in texts)
    start = time.perf_counter()
    labels = cluster_documents(vectors, texts, times, params, [r.get("language") for r in records], background)
    seconds = time.perf_counter() - start
    gold = [str(r["story"]) for r in records]
    pred = [str(x) for x in labels]
    out = {"all": bcubed(gold, pred)}
    for part in ("fit", "held-out"):
        keep = [i for i, r in enumerate(records) if split_of(name, r) == part]
        out[part] = bcubed([gold[i] for i in keep], [pred[i] for i in keep])
    return out, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    ap.add_argument("--set", action="append", default=[], metavar="K=V", help="override a ClusterParams field")
    args = ap.parse_args()
    base = ClusterParams()
    overrides = {k: type(getattr(base, k))(v) for k, v in (kv.split("=", 1) for kv in args.set)}
    params = dataclasses.replace(base, **overrides)
    for name in args.corpus:
        out, seconds = run(args.corpora, args.emb, name, params)
        cells = " ".join(f"{k}:{f:.3f}(P{p:.3f},R{r:.3f})" for k, (p, r, f) in out.items())
        print(f"{name} {cells} {seconds:.1f}s", flush=True)


if __name__ == "__main__":
    main()
