"""A 200k-article archive built directly in the database, without running the pipeline.

How (so the archive-vs-empty comparison is fair: the same nights and the same code run on both
databases; only what is already stored differs):

1. Records: `n / 10000` synthetic nights of 10k records from the same generator (seed + 7919, so
   no story or id collides with the benchmark nights), dated day by day and ending `gap_days`
   before the first benchmark night (default `GAP_DAYS`: the default `link_days` plus a week):
   older than the 72 h window and the link period, so no archive article enters a window and no
   archive story is a link candidate or a night's quiet copy. With 12 days, set when `link_days`
   was 7, the 30-day horizon put most of the archive into every night's clustering, and the bench
   measured the horizon instead of the archive.
2. `articles`: every column the way `storage.store.insert_articles` fills it, from the JSONL
   record (raw = the JSONL line bytes, format 'jsonl'). The generator writes clean ASCII text, so
   `clean_text` is the identity and `content_hash` / `article_id` are computed with the same
   formulas as `storage.records.Article` (checked on the first 200 rows against `Article`).
3. `embeddings`: a random unit vector (numpy, seeded) per content hash, keyed by the real model's
   encoder name (`all-MiniLM-L6-v2@256`, asserted by the night children against the loaded
   encoder). Archive vectors are never read by the nights (outside window and link period) except
   by the embedding-cache lookup, which joins on the night's own hashes.
4. `stories` / `story_articles` / `duplicates` / `summary_sentences`: one story per gold story, the
   newest version of each item 'canonical', older versions 'version' (with a `duplicates` row),
   dpa redistributions of AP copy 'duplicate', killed items 'withdrawn'; status 'active', first/
   last_seen from the members, a two-sentence summary with spans into the first body.
5. `files` (one row per archive file) and one 'nightly' `runs` row with status ok.
All inserted through Arrow tables in one transaction, then CHECKPOINT.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np
import pyarrow as pa

from bench_lib.synth import generate_night
from cluster.config import Config


def _sha(s: str) -> str:
    import hashlib

    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def content_hash(title: str, text: str) -> str:
    return _sha(title.lower() + "\x1f" + text.lower())


def article_id(rec: dict, when: datetime, status: str, chash: str) -> str:
    parts = [rec["source"], rec["id"], str(rec["version"]), when.isoformat(), status, chash]
    return _sha("\x1f".join(parts))[:24]


#: Days between the archive's last copy and the first benchmark night: beyond the link period.
GAP_DAYS = int(Config().link_days) + 7


def build_archive(
    db: str, n: int, seed: int, before: datetime, model: str, gap_days: int = GAP_DAYS, dim: int = 384
) -> dict:
    from storage import db as dbm
    from storage.records import Article

    nights = max(1, n // 10_000)
    per = n // nights
    base = before - timedelta(days=gap_days + nights)
    cols: dict[str, list] = defaultdict(list)
    sa_rows: dict[str, list] = defaultdict(list)
    dup_rows: dict[str, list] = defaultdict(list)
    members: dict[str, list[dict]] = defaultdict(list)
    files = []
    checked = 0
    rng = np.random.default_rng(seed + 7919)
    for k in range(nights):
        night = generate_night(per, seed + 7919, k, base=base)
        fh = _sha(f"archive-night-{k}")
        files.append((fh, f"archive/night{k:02d}.jsonl", "jsonl", 0, len(night.records), 0, "archive"))
        latest: dict[tuple[str, str], dict] = {}
        for rec in night.records:
            when = datetime.fromisoformat(rec["published_at"].replace("Z", ""))
            status = rec.get("pubstatus", "usable")
            chash = content_hash(rec["title"], rec["text"])
            aid = article_id(rec, when, status, chash)
            if checked < 200:
                art = Article(
                    source=rec["source"],
                    item_key=rec["id"],
                    headline=rec["title"],
                    body=rec["text"],
                    version=rec["version"],
                    version_created=when,
                    pubstatus=status,
                )
                assert (art.content_hash, art.article_id) == (chash, aid), "archive hash formula drifted"
                checked += 1
            row = dict(
                article_id=aid,
                source=rec["source"],
                item_key=rec["id"],
                version=rec["version"],
                version_created=when,
                first_created=None,
                received_at=when,
                event_time=when,
                headline=rec["title"],
                slugline=None,
                byline=None,
                dateline=None,
                body=rec["text"],
                language="en",
                subjects=[],
                pubstatus=status,
                embargo_until=None,
                signals=[],
                related=[],
                url=None,
                format="jsonl",
                content_hash=chash,
                file_hash=fh,
                raw=json.dumps(rec, ensure_ascii=False).encode(),
                run_id="archive",
            )
            for key, v in row.items():
                cols[key].append(v)
            m = {"aid": aid, "rec": rec, "when": when, "status": status}
            members[f"A{seed}-{k}-{rec['story']}"].append(m)
            latest[(rec["source"], rec["id"])] = m
        for story, ms in list(members.items()):
            if not story.startswith(f"A{seed}-{k}-"):
                continue
            newest = {(m["rec"]["source"], m["rec"]["id"]): m for m in ms}
            killed = {key for key, m in newest.items() if m["status"] == "withdrawn"}
            ap_first = {
                m["rec"]["text"].replace("(AP) -", "(dpa/AP) -", 1)[:200]: m for m in ms if m["rec"]["source"] == "AP"
            }
            for m in ms:
                item = (m["rec"]["source"], m["rec"]["id"])
                if item in killed:
                    role, dup = "withdrawn", None
                elif newest[item] is not m:
                    role, dup = "version", (newest[item]["aid"], "version", 1.0)
                elif m["rec"]["source"] == "dpa" and m["rec"]["text"][:200] in ap_first:
                    role, dup = "duplicate", (ap_first[m["rec"]["text"][:200]]["aid"], "near", 0.95)
                else:
                    role, dup = "canonical", None
                m["role"] = role
                sa_rows["article_id"].append(m["aid"])
                sa_rows["story_id"].append(story)
                sa_rows["role"].append(role)
                sa_rows["run_id"].append("archive")
                if dup:
                    dup_rows["article_id"].append(m["aid"])
                    dup_rows["duplicate_of"].append(dup[0])
                    dup_rows["reason"].append(dup[1])
                    dup_rows["similarity"].append(dup[2])
                    dup_rows["run_id"].append("archive")
    stories: dict[str, list] = defaultdict(list)
    sents: dict[str, list] = defaultdict(list)
    for story, ms in members.items():
        live = [m for m in ms if m["role"] in ("canonical", "duplicate")] or ms
        first = min(live, key=lambda m: m["when"])
        srcs = list(dict.fromkeys(m["rec"]["source"] for m in sorted(live, key=lambda m: m["when"])))
        body = first["rec"]["text"]
        ends = [i for i, ch in enumerate(body) if ch == "."][:2] or [len(body) - 1]
        starts = [0] + [e + 2 for e in ends[:-1]]
        for pos, (s, e) in enumerate(zip(starts, ends)):
            sents["story_id"].append(story)
            sents["kind"].append("summary")
            sents["position"].append(pos)
            sents["sentence"].append(body[s : e + 1])
            sents["article_id"].append(first["aid"])
            sents["source"].append(first["rec"]["source"])
            sents["char_start"].append(s)
            sents["char_end"].append(e + 1)
            sents["also_sources"].append([])
            sents["also_articles"].append([])
        row = dict(
            story_id=story,
            status="active",
            merged_into=None,
            first_seen=min(m["when"] for m in ms),
            last_seen=max(m["when"] for m in ms),
            headline=first["rec"]["title"],
            headline_article=first["aid"],
            summary=" ".join(sents["sentence"][-len(ends) :]),
            credit_line=f"({', '.join(srcs)})",
            first_source=first["rec"]["source"],
            first_reported_at=first["when"],
            sources=srcs,
            languages=["en"],
            language="en",
            n_articles=len({(m["rec"]["source"], m["rec"]["id"]) for m in live}),
            n_sources=len(srcs),
            member_hash=_sha("\n".join(sorted(f"{m['aid']}:{m['role']}" for m in ms))),
            created_run="archive",
            updated_run="archive",
        )
        for key, v in row.items():
            stories[key].append(v)
    hashes = sorted(set(cols["content_hash"]))
    vecs = rng.standard_normal((len(hashes), dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    flat = pa.array(vecs.reshape(-1), type=pa.float32())
    offsets = pa.array(np.arange(0, len(hashes) * dim + 1, dim, dtype=np.int32))
    emb = pa.table(
        {
            "content_hash": hashes,
            "model": [model] * len(hashes),
            "dim": pa.array([dim] * len(hashes), type=pa.int32()),
            "vector": pa.ListArray.from_arrays(offsets, flat),
        }
    )
    con = dbm.connect(db)
    try:
        con.execute("BEGIN TRANSACTION")
        for table, data in (
            ("articles", pa.table(dict(cols))),
            ("embeddings", emb),
            ("story_articles", pa.table(dict(sa_rows))),
            ("duplicates", pa.table(dict(dup_rows))),
            ("stories", pa.table(dict(stories))),
            ("summary_sentences", pa.table(dict(sents))),
        ):
            con.register("_t", data)
            con.execute(f"INSERT INTO {table} ({', '.join(data.column_names)}) SELECT * FROM _t")
            con.unregister("_t")
        con.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)", files)
        con.execute(
            "INSERT INTO runs (run_id, command, started_at, finished_at, status, counts) VALUES "
            "('archive', 'nightly', ?, ?, 'ok', '{\"fingerprint\": \"archive\"}')",
            [before - timedelta(days=gap_days), before - timedelta(days=gap_days)],
        )
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        counts = {
            t: dbm.scalar(con, f"SELECT count(*) FROM {t}")
            for t in ("articles", "embeddings", "stories", "story_articles", "duplicates", "summary_sentences")
        }
    finally:
        con.close()
    return {"counts": counts, "first": str(base), "last": str(base + timedelta(days=nights)), "model": model}


def night_vectors(night_dirs: list, seed: int, dim: int = 384) -> tuple[list[str], np.ndarray]:
    """Stand-in embeddings for the benchmark nights' texts, for the archive comparison's cache.

    Each gold story gets a random unit centre (seeded by its uid, so a story continued on the next
    night keeps its centre); each wire item gets centre + Gaussian noise (0.045 per dimension:
    same-story cosine ~0.75, like all-MiniLM-L6-v2 same-story pairs), keyed by the item so that
    versions of an item and dpa's redistribution of an AP item sit at cosine ~0.99 to it. Cheap
    and identical for both databases; the real model would give the same answer to the question
    asked (does stored history slow a night down?) at 50 minutes of encoding on a loaded machine.
    """
    import hashlib

    def unit_noise(key: str, scale: float) -> np.ndarray:
        r = np.random.default_rng(
            int.from_bytes(hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=8).digest(), "little")
        )
        return scale * r.standard_normal(dim).astype(np.float32)

    hashes, vecs, seen = [], [], set()
    centres: dict[str, np.ndarray] = {}
    for d in night_dirs:
        from pathlib import Path

        recs = [
            json.loads(line)
            for p in sorted(Path(d).glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()
        ]
        ap_key = {
            r["text"].replace("(AP) -", "(dpa/AP) -", 1)[:200]: f"AP:{r['id']}" for r in recs if r["source"] == "AP"
        }
        for r in recs:
            h = content_hash(r["title"], r["text"])
            if h in seen:
                continue
            seen.add(h)
            story = r["story"]
            if story not in centres:
                c = unit_noise(f"centre:{story}", 1.0)
                centres[story] = c / np.linalg.norm(c)
            item = (
                ap_key.get(r["text"][:200], f"{r['source']}:{r['id']}")
                if r["source"] == "dpa"
                else f"{r['source']}:{r['id']}"
            )
            v = centres[story] + unit_noise(f"item:{item}", 0.045) + unit_noise(f"text:{h}", 0.005)
            hashes.append(h)
            vecs.append(v / np.linalg.norm(v))
    return hashes, np.stack(vecs).astype(np.float32)
