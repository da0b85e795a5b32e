"""Embed the labelled corpora once, for the lab and the pair-model training script.

Writes DIR/<corpus>_minilm256.npy (rows in file order; the default encoder on headline + lead, as
the nightly feeds it) for each corpus named, skipping files that exist:
    .venv/bin/python scripts/embed_corpora.py [--emb DIR] [--corpora DIR] ecbplus neus gva_dev
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.encoders.base import encoder_text, get_encoder  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = Path(__file__).resolve().parents[1]
    ap.add_argument("corpus", nargs="+")
    ap.add_argument("--corpora", type=Path, default=here.parent / "shared" / "corpora" / "eval")
    ap.add_argument("--emb", type=Path, default=here.parent / "scratch" / "emb")
    args = ap.parse_args()
    args.emb.mkdir(parents=True, exist_ok=True)
    encoder = None
    for name in args.corpus:
        out = args.emb / f"{name}_minilm256.npy"
        if out.exists():
            continue
        encoder = encoder or get_encoder()
        records = [json.loads(line) for line in (args.corpora / f"{name}.jsonl").open(encoding="utf-8")]
        start = time.perf_counter()
        vectors = encoder.encode([encoder_text(r.get("title") or "", r["text"]) for r in records])
        np.save(out, vectors)
        print(f"{name}: {len(records)} texts in {time.perf_counter() - start:.1f} s -> {out}", flush=True)


if __name__ == "__main__":
    main()
