"""Compare encoders on speed and clustering quality; print one table, optionally into docs/encoders.md.

Why: the encoder is a `model =` option, and an option needs its price (articles/s) next to what it
buys. Two quality columns per corpus, because the pair model behind `cluster_documents` was fitted
on MiniLM cosines, so other encoders feed it off-distribution cosines:

- pipeline: B-cubed F1 of `cluster_documents` as the night runs it (pair model + HDBSCAN);
- avg-link: plain average-link agglomerative clustering on cosine, its distance threshold chosen
  per encoder on a sample of the neus train split: the encoder-only comparison.

Corpora: the neus test split, and ecbplus even topics (`int(topic) % 2 == 0`), each clustered
alone; vectors are cached under --emb. articles/s is timed afresh on every run, one encoder
after the other, so the shared machine's load is about the same for all: the first --time-docs
neus test texts (`encoder_text` as the pipeline feeds them), after a warm-up batch, model load
excluded, the best of --repeats runs.

    PYTHONPATH=$PWD python scripts/bench_encoders.py [--write docs/encoders.md]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cluster.encoders.base import Encoder, encoder_text, get_encoder  # noqa: E402
from cluster.evaluate.metrics import bcubed  # noqa: E402
from cluster.grouping.clustering import cluster_documents  # noqa: E402
from cluster.text.background import Background  # noqa: E402
from cluster.text.features import document_terms  # noqa: E402

#: Short key (cache file names) -> the `model =` value.
ENCODERS = {
    "minilm": "all-MiniLM-L6-v2",
    "usem3": "usem3",
    "mpnet": "all-mpnet-base-v2",
    "e5q4": "e5-small-q4",
}
BEGIN, END = "<!-- bench_encoders:begin -->", "<!-- bench_encoders:end -->"
THRESHOLDS = np.round(np.arange(0.02, 0.80, 0.02), 2)


def corpora(root: Path, train_docs: int) -> dict[str, list[dict]]:
    """neus test, the first stories of neus train up to `train_docs` documents, ecbplus even topics."""
    neus = [json.loads(line) for line in (root / "neus.jsonl").open(encoding="utf-8")]
    ecb = [json.loads(line) for line in (root / "ecbplus.jsonl").open(encoding="utf-8")]
    train: list[dict] = []
    for story in dict.fromkeys(r["story"] for r in neus if r["split"] == "train"):
        if len(train) >= train_docs:
            break
        train.extend(r for r in neus if r["split"] == "train" and r["story"] == story)
    return {
        "neus_test": [r for r in neus if r["split"] == "test"],
        "neus_train_sample": train,
        "ecbplus_even": [r for r in ecb if int(r["topic"]) % 2 == 0],
    }


def _loaded(key: str, encoder: list) -> Encoder:
    """The encoder of `key`, loaded and warmed up on first need (kept in `encoder`)."""
    if not encoder:
        t = time.perf_counter()
        encoder.append(get_encoder(ENCODERS[key]))
        encoder[0].encode(["Warm-up headline. A first sentence of copy."] * 8)
        print(f"  {key}: loaded in {time.perf_counter() - t:.1f}s", file=sys.stderr, flush=True)
    return encoder[0]


def articles_per_second(key: str, records: list[dict], encoder: list, repeats: int) -> tuple[float, float]:
    """Best-of-`repeats` articles/s embedding `records`, and the 1-minute load average before."""
    texts = [encoder_text(r.get("title") or "", r["text"]) for r in records]
    enc, load, best = _loaded(key, encoder), os.getloadavg()[0], 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        enc.encode(texts, batch_size=32)
        best = max(best, len(texts) / (time.perf_counter() - t))
    print(f"  {key}: {len(texts)} texts, {best:.1f}/s at load {load:.1f}", file=sys.stderr, flush=True)
    return best, load


def embed(key: str, name: str, records: list[dict], emb: Path, encoder: list) -> tuple[np.ndarray, dict]:
    """Cached vectors of `records` under encoder `key`; the model loads only on a miss."""
    vec_path, meta_path = emb / f"{name}_{key}.npy", emb / f"{name}_{key}.json"
    if vec_path.exists() and meta_path.exists():
        vectors, meta = np.load(vec_path), json.loads(meta_path.read_text())
        if len(vectors) == len(records):
            return vectors, meta
    _loaded(key, encoder)
    texts = [encoder_text(r.get("title") or "", r["text"]) for r in records]
    t = time.perf_counter()
    vectors = encoder[0].encode(texts, batch_size=32)
    seconds = time.perf_counter() - t
    meta = {
        "n": len(texts),
        "seconds": round(seconds, 2),
        "load": os.getloadavg()[0],
        "encoder": encoder[0].name,
        "dim": int(vectors.shape[1]),
    }
    emb.mkdir(parents=True, exist_ok=True)
    np.save(vec_path, vectors)
    meta_path.write_text(json.dumps(meta))
    print(f"  {key} {name}: {len(texts)} in {seconds:.1f}s ({len(texts) / seconds:.1f}/s)", file=sys.stderr, flush=True)
    return vectors, meta


def pipeline_f1(vectors: np.ndarray, records: list[dict]) -> float:
    """B-cubed F1 of `cluster_documents` on these records alone, as `bench_encoders` docs say."""
    texts = [f"{r.get('title') or ''}\n\n{r['text']}" for r in records]
    background = Background().plus(document_terms(t) for t in texts)
    labels = cluster_documents(
        vectors, texts, [None] * len(texts), languages=[r.get("language") for r in records], background=background
    )
    return bcubed([r["story"] for r in records], labels.tolist())[2]


def avglink_labels(vectors: np.ndarray, threshold: float) -> np.ndarray:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold)
    return model.fit_predict(vectors)


def avglink_threshold(vectors: np.ndarray, records: list[dict]) -> float:
    """The cosine-distance threshold with the best B-cubed F1 on `records` (the train sample)."""
    gold = [r["story"] for r in records]
    scores = [(bcubed(gold, avglink_labels(vectors, t).tolist())[2], -t) for t in THRESHOLDS]
    return -max(scores)[1]


def measure(key: str, data: dict[str, list[dict]], emb: Path, time_docs: int, repeats: int) -> dict:
    encoder: list = []
    vecs, metas = {}, {}
    for name, records in data.items():
        vecs[name], metas[name] = embed(key, name, records, emb, encoder)
    per_s, load = articles_per_second(key, data["neus_test"][:time_docs], encoder, repeats)
    encoder.clear()
    t = avglink_threshold(vecs["neus_train_sample"], data["neus_train_sample"])
    row = {
        "key": key,
        "model": ENCODERS[key],
        "name": metas["neus_test"]["encoder"],
        "dim": metas["neus_test"]["dim"],
        "per_s": per_s,
        "load": load,
        "threshold": t,
    }
    for name in ("neus_test", "ecbplus_even"):
        gold = [r["story"] for r in data[name]]
        row[f"pipe_{name}"] = pipeline_f1(vecs[name], data[name])
        row[f"avg_{name}"] = bcubed(gold, avglink_labels(vecs[name], t).tolist())[2]
    print(
        f"  {key}: {json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()})}",
        file=sys.stderr,
        flush=True,
    )
    return row


def table(rows: list[dict], data: dict[str, list[dict]], time_docs: int) -> str:
    n_test, n_ecb, n_train = (len(data[k]) for k in ("neus_test", "ecbplus_even", "neus_train_sample"))
    lines = [
        "| `model =` | cache key | dim | articles/s | pipeline neus test | pipeline ecbplus even "
        "| avg-link t | avg-link neus test | avg-link ecbplus even |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| `{r['model']}` | `{r['name']}` | {r['dim']} | {r['per_s']:.1f} | {r['pipe_neus_test']:.3f} "
            f"| {r['pipe_ecbplus_even']:.3f} | {r['threshold']:.2f} | {r['avg_neus_test']:.3f} "
            f"| {r['avg_ecbplus_even']:.3f} |"
        )
    loads = ", ".join(f"{r['key']} {r['load']:.1f}" for r in rows)
    lines += [
        "",
        f"B-cubed F1. neus test: {n_test} docs; ecbplus even topics: {n_ecb} docs; avg-link threshold "
        f"(cosine distance) chosen per encoder on the first {n_train} docs of the neus train split. "
        f"articles/s: embedding the first {min(time_docs, n_test)} neus test texts on 2 shared cores, "
        f"encoders timed one after the other; 1-minute load average when each was timed: {loads}.",
    ]
    return "\n".join(lines)


def write_into(doc: Path, text: str) -> None:
    """Replace the marked block of `doc` with `text`."""
    body = doc.read_text(encoding="utf-8")
    head, rest = body.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--encoders", nargs="+", default=list(ENCODERS), choices=list(ENCODERS))
    ap.add_argument("--corpora", type=Path, default=Path("/work/shared/corpora/eval"))
    ap.add_argument("--emb", type=Path, default=Path("/work/scratch/emb"))
    ap.add_argument("--train-docs", type=int, default=600)
    ap.add_argument("--time-docs", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--write", type=Path, help="markdown file with the bench_encoders markers to update")
    args = ap.parse_args()
    data = corpora(args.corpora, args.train_docs)
    rows = [measure(key, data, args.emb, args.time_docs, args.repeats) for key in args.encoders]
    text = table(rows, data, args.time_docs)
    print(text)
    if args.write:
        write_into(args.write, text)


if __name__ == "__main__":
    main()
