"""The nightly job: the only place where the algorithms meet the database.

ingest -> dedup -> embed -> near-dup -> cluster -> link -> summarise -> publish. All of a night's
writes go to a working copy that is published by one atomic rename (storage.db), so a crash or
a kill never leaves half a night, and readers are never blocked for the night's duration.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import numpy as np

from cluster.config import Config
from cluster.dedup import Doc, Duplicate, exact_duplicates, near_duplicates, resolve_versions
from cluster.embed import Encoder, encoder_text
from cluster.affinity import PairScorer
from cluster.algorithm_version import algorithm_digest
from cluster.background import Background
from cluster.cross_language import calibration
from cluster.features import document_terms, text_features
from cluster.linking import PriorStory, link_clusters
from storage import db as dbm
from storage import journal, store, terms
from storage.inputs import expand_inputs
from storage.readers import MAX_FILE_BYTES
from storage.readers.guarded import Outcome, read_guarded
from storage.readers.renditions import merge_renditions, needs_pairing
from storage.records import Article, Rejected, Skipped, sha256_hex

#: Exit codes, documented in the README.
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_QUARANTINED, EXIT_LOCKED = 0, 1, 2, 3, 4


@dataclass
class NightReport:
    run_id: str
    status: str = "running"
    counts: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    window: tuple[datetime | None, datetime | None] = (None, None)

    @property
    def exit_code(self) -> int:
        return EXIT_QUARANTINED if self.quarantined else EXIT_OK


Log = Callable[[str], None]


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


#: Crash-test hook (tests/test_crash_safety.py, scripts/crash_harness.py): when set to a stage name
#: the process SIGKILLs itself on entering that stage, when set to `<stage>:end` on leaving it.
#: Never set in production; unset, it costs one environment lookup per stage.
KILL_AT_ENV = "WIRESTORY_KILL_AT"


def _kill_point(point: str) -> None:
    if os.environ.get(KILL_AT_ENV) == point:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def _stage(report: NightReport, name: str, log: Log) -> Iterator[None]:
    _kill_point(name)
    start = time.perf_counter()
    yield
    report.seconds[name] = round(time.perf_counter() - start, 4)
    log(f"{name}: {report.seconds[name]:.2f}s {_stage_counts(report, name)}".rstrip())
    _kill_point(f"{name}:end")


def _stage_counts(report: NightReport, name: str) -> str:
    keys = [k for k in report.counts if k.startswith(name)]
    return " ".join(f"{k}={report.counts[k]}" for k in keys)


# --------------------------------------------------------------------------- ingest


#: Files read, parsed and written together: bounds memory while keeping database round trips few.
INGEST_BATCH_FILES = 1000


def ingest_paths(
    con: duckdb.DuckDBPyConnection, paths: Sequence[str], run_id: str, received_at: datetime, report: NightReport,
    read_timeout_seconds: float = 30.0,
) -> int:
    """Read every input file not seen before; quarantine what cannot be read. Returns new articles.

    Files are read by `read_guarded`, so one that takes longer than `read_timeout_seconds` is
    quarantined and the night goes on. A bad item of a multi-item file is quarantined alone and
    the file's other items land; skipped items are recorded with their reason (kind 'skipped'),
    which does not make the night exit 3. AP metadata and NITF bodies (separate files) are held
    back to the end of the run and paired across all its files before they are stored.
    """
    files, problems = expand_inputs(paths)
    for path, reason in problems:
        _quarantine(con, report, sha256_hex(path), path, reason, run_id)
    counts = Counter()
    held: list[tuple[str, Article]] = []
    for start in range(0, len(files), INGEST_BATCH_FILES):
        batch: list[tuple[Path, str, bytes | None]] = []
        for path in files[start : start + INGEST_BATCH_FILES]:
            try:
                size = path.stat().st_size
                data = path.read_bytes() if size <= MAX_FILE_BYTES else None
            except OSError as exc:
                _quarantine(con, report, sha256_hex(str(path)), str(path), f"cannot read: {exc}", run_id)
                continue
            digest = sha256_hex(data) if data is not None else sha256_hex(f"oversize:{path}:{size}")
            batch.append((path, digest, data))
        counts["files"] += len(batch)
        known = store.known_files(con, [h for _, h, _ in batch])
        counts["files_known"] += sum(1 for _, h, _ in batch if h in known)
        outcomes = _read_new(batch, known, read_timeout_seconds)
        ready: list[tuple[str, Article]] = []
        file_rows: dict[str, tuple] = {}
        item_rows: list[tuple[str, str, str, str, str]] = []
        for path, digest, data in batch:
            if digest in known or digest in file_rows:
                continue
            fmt, parsed, error = outcomes[digest]
            if error is not None:
                _quarantine(con, report, digest, str(path), error, run_id)
                continue
            arts = [_with_language(x) for x in parsed if isinstance(x, Article)]
            skipped = [x for x in parsed if isinstance(x, Skipped)]
            for bad in (x for x in parsed if isinstance(x, Rejected)):
                item_rows.append((digest, str(path), bad.position, store.QUARANTINED, bad.reason))
                report.quarantined.append((str(path), f"{bad.position}: {bad.reason}"))
            for skip in skipped:
                item_rows.append((digest, str(path), skip.position, store.SKIPPED, skip.reason))
            counts["items"] += len(arts)
            counts["skipped"] += len(skipped)
            for a in arts:
                (held if needs_pairing(a) else ready).append((digest, a))
            file_rows[digest] = (digest, str(path), fmt, len(data or b""), len(arts), len(skipped))
        counts["new"] += _store_articles(con, ready, run_id, received_at)
        store.record_files(con, list(file_rows.values()), run_id)
        store.record_quarantine_rows(con, item_rows, run_id)
    if held:
        file_of = {id(a): digest for digest, a in held}
        merged = merge_renditions([a for _, a in held])
        counts["new"] += _store_articles(
            con, [(file_of.get(id(a)) or _file_of_key(held, a), a) for a in merged if isinstance(a, Article)],
            run_id, received_at,
        )
    report.counts.update({f"ingest_{k}": counts[k] for k in ("files", "files_known", "items", "skipped", "new")})
    report.counts["ingest_quarantined"] = len(report.quarantined)
    return counts["new"]


def _read_new(
    batch: Sequence[tuple[Path, str, bytes | None]], known: set[str], budget: float
) -> dict[str, Outcome]:
    """Outcome per file content not known yet, each distinct content read once under the time budget."""
    todo: dict[str, tuple[str, bytes]] = {}
    outcomes: dict[str, Outcome] = {}
    for path, digest, data in batch:
        if digest in known or digest in todo or digest in outcomes:
            continue
        if data is None:
            outcomes[digest] = Outcome(None, [], f"file is over the {MAX_FILE_BYTES}-byte limit")
        else:
            todo[digest] = (str(path), data)
    outcomes.update(zip(todo, read_guarded(list(todo.values()), budget)))
    return outcomes


def _with_language(article: Article) -> Article:
    """Fill in the language where the wire does not say it."""
    if article.language:
        return article
    from cluster.language import detect_language

    return replace(article, language=detect_language(f"{article.headline}\n{article.body}"))


def _file_of_key(held: list[tuple[str, Article]], merged: Article) -> str:
    """The file of the metadata record a merged article grew from."""
    return next(d for d, a in held if a.item_key == merged.item_key and a.format == merged.format)


def _store_articles(
    con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, Article]], run_id: str, received_at: datetime
) -> int:
    return store.insert_articles(con, [a for _, a in pairs], [d for d, _ in pairs], run_id, received_at)


def _quarantine(
    con: duckdb.DuckDBPyConnection, report: NightReport, digest: str, path: str, reason: str, run_id: str
) -> None:
    store.record_quarantine(con, digest, path, reason, run_id)
    report.quarantined.append((path, reason))


# --------------------------------------------------------------------------- window


@dataclass
class WindowState:
    docs: list[Doc]
    rows: dict[str, dict]
    previous: dict[str, str]
    previous_role: dict[str, str]
    start: datetime
    end: datetime


_ARTICLE_COLS = (
    "article_id, source, item_key, version, event_time, first_created, content_hash, pubstatus, "
    "embargo_until, headline, body, language"
)


def window_bounds(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: datetime, window_hours: float
) -> tuple[datetime, datetime] | None:
    """The span a night re-clusters: its pending copy, plus `window_hours` of context before it.

    Pending copy is what this run ingested, what `wirestory ingest` stored since the last finished
    night, and copy whose embargo lifted since then. A normal night spans about a day plus the
    context; a backfill of old copy spans what it brought. With nothing pending, the window is
    the last `window_hours` before the newest copy (the fingerprint then usually skips the work).
    """
    last = dbm.fetch_one(
        con,
        "SELECT started_at, params->>'as_of' FROM runs WHERE command = 'nightly' AND status IN ('ok', 'quarantined') "
        "ORDER BY started_at DESC LIMIT 1",
    )
    last_started = last[0] if last else datetime(1970, 1, 1)
    last_as_of = datetime.fromisoformat(last[1]) if last and last[1] else datetime(1970, 1, 1)
    row = dbm.fetch_one(
        con,
        """
        SELECT min(event_time), max(event_time) FROM articles
        WHERE run_id = ?
           OR run_id IN (SELECT run_id FROM runs WHERE command = 'ingest' AND status IN ('ok', 'quarantined')
                         AND started_at > ?)
           OR (embargo_until > ? AND embargo_until <= ?)
        """,
        [run_id, last_started, last_as_of, as_of],
    )
    if row[0] is not None:
        return row[0] - timedelta(hours=window_hours), row[1]
    newest = dbm.fetch_one(con, "SELECT max(event_time) FROM articles")[0]
    if newest is None:
        return None
    return newest - timedelta(hours=window_hours), newest


def load_window(con: duckdb.DuckDBPyConnection, bounds: tuple[datetime, datetime]) -> WindowState:
    """Every version of every item with copy in the window, and their current stories."""
    start, end = bounds
    cur = con.execute(
        f"""
        WITH items AS (SELECT DISTINCT source, item_key FROM articles WHERE event_time BETWEEN ? AND ?)
        SELECT {_ARTICLE_COLS}, sa.story_id, sa.role
        FROM articles a JOIN items USING (source, item_key)
        LEFT JOIN story_articles sa USING (article_id)
        ORDER BY a.event_time, a.article_id
        """,
        [start, end],
    )
    names = [d[0] for d in cur.description]
    rows = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
    docs = [
        Doc(
            article_id=r["article_id"], source=r["source"], item_key=r["item_key"], version=r["version"],
            event_time=r["event_time"], content_hash=r["content_hash"], withdrawn=r["pubstatus"] == "withdrawn",
            text=f"{r['headline'] or ''}\n\n{r['body'] or ''}",
        )
        for r in rows.values()
    ]
    previous = {a: r["story_id"] for a, r in rows.items() if r["story_id"]}
    previous_role = {a: r["role"] for a, r in rows.items() if r["role"]}
    return WindowState(docs, rows, previous, previous_role, start, end)


# --------------------------------------------------------------------------- embed


def embed_docs(
    con: duckdb.DuckDBPyConnection, docs: Sequence[Doc], rows: dict[str, dict], encoder: Encoder, batch_size: int,
    report: NightReport,
) -> np.ndarray:
    """Vectors for `docs`, from the cache where the text was embedded before, else from the encoder."""
    hashes = [d.content_hash for d in docs]
    cached = store.cached_embeddings(con, sorted(set(hashes)), encoder.name)
    missing = sorted({h for h in hashes if h not in cached})
    report.counts["embed_cached"] = len(set(hashes)) - len(missing)
    report.counts["embed_new"] = len(missing)
    if missing:
        text_of = {}
        for d in docs:
            r = rows[d.article_id]
            text_of.setdefault(d.content_hash, encoder_text(r["headline"] or "", r["body"] or ""))
        vectors = encoder.encode([text_of[h] for h in missing], batch_size=batch_size)
        store.insert_embeddings(con, missing, encoder.name, vectors)
        cached.update(zip(missing, vectors))
    if not docs:
        return np.zeros((0, encoder.dim), dtype=np.float32)
    return np.stack([cached[h] for h in hashes]).astype(np.float32)


# --------------------------------------------------------------------------- the night


def process_window(
    con: duckdb.DuckDBPyConnection, cfg: Config, encoder: Encoder, run_id: str, as_of: datetime, report: NightReport,
    log: Log,
) -> None:
    """Dedup, embed, cluster, link and summarise the window; write only what changed."""
    from cluster.clustering import cluster_documents

    bounds = window_bounds(con, run_id, as_of, cfg.window_hours)
    if bounds is None:
        return
    state = load_window(con, bounds)
    report.window = (state.start, state.end)
    with _stage(report, "dedup", log):
        latest, version_dups, withdrawn = resolve_versions(state.docs)
        embargoed = _embargoed(state, latest, as_of)
        fingerprint = _fingerprint(state, embargoed, cfg)
        report.counts["fingerprint"] = fingerprint
        if fingerprint == _last_fingerprint(con):
            report.counts["dedup_unchanged"] = True
            log("nothing changed since the last night: stories left as they are")
            return
        live = [d for d in latest if d.article_id not in embargoed]
        unique, exact = exact_duplicates(live)
        report.counts.update(
            dedup_versions=len(version_dups), dedup_exact=len(exact), dedup_withdrawn=len(withdrawn),
            dedup_embargoed=len(embargoed),
        )
    with _stage(report, "embed", log):
        vectors = embed_docs(con, unique, state.rows, encoder, cfg.batch_size, report)
    with _stage(report, "dedup_near", log):
        keep, near = near_duplicates(unique, vectors)
        canon = [unique[i] for i in keep]
        canon_vectors = vectors[keep]
        report.counts["dedup_near_found"] = len(near)
    duplicates: list[Duplicate] = version_dups + exact + near
    dup_of = {d.article_id: d.duplicate_of for d in duplicates}

    def root(a: str) -> str:
        while a in dup_of:
            a = dup_of[a]
        return a

    previous = dict(state.previous)
    for a, story in state.previous.items():
        r = root(a)
        if r not in previous and state.previous_role.get(a) != "withdrawn":
            previous[r] = story

    texts = [f"{state.rows[d.article_id]['headline'] or ''}\n\n{state.rows[d.article_id]['body'] or ''}" for d in canon]
    languages = [state.rows[d.article_id]["language"] for d in canon]
    times = [d.event_time if cfg.time_feature else None for d in canon]
    with _stage(report, "cluster", log):
        quiet = _quiet_stories(con, state, cfg, encoder.name, set(previous.values()))
        term_sets = [document_terms(t) for t in texts] + [document_terms(q["text"]) for q in quiet]
        fresh = [term_sets[i] for i, d in enumerate(canon) if d.article_id not in previous]
        background = Background(*terms.document_frequencies(con, sorted(set().union(*term_sets)))).plus(fresh)
        report.counts["cluster_terms_counted"] = terms.add_documents(con, fresh)
        cross = calibration(encoder.name)
        all_languages = languages + [q["language"] for q in quiet]
        every_text = texts + [q["text"] for q in quiet]
        features = text_features(every_text, all_languages, background) if every_text else None  # once a night
        groups: dict[int, list[int]] = defaultdict(list)
        for segment in time_segments([d.event_time for d in canon], timedelta(hours=cfg.window_hours)):
            labels = cluster_documents(
                canon_vectors[segment], [texts[i] for i in segment], [times[i] for i in segment],
                languages=[languages[i] for i in segment], background=background, cross_language=cross,
                features=features.rows(segment) if features is not None else None,
            )
            base = len(groups)
            for i, label in zip(segment, labels):
                groups[base + int(label)].append(i)
        clusters = [[canon[i].article_id for i in groups[k]] for k in sorted(groups)]
        report.counts["cluster_docs"] = len(canon)
        report.counts["cluster_clusters"] = len(clusters)

    with _stage(report, "link", log):
        priors = _priors(con, set(previous.values()))
        taken = {r[0] for r in con.execute("SELECT story_id FROM stories").fetchall()}
        scorer = PairScorer(
            [d.article_id for d in canon] + [q["article_id"] for q in quiet],
            np.vstack([canon_vectors] + [q["vector"][None, :] for q in quiet]),
            texts + [q["text"] for q in quiet],
            times + [q["event_time"] if cfg.time_feature else None for q in quiet],
            all_languages,
            background,
            cross_language=cross,
            features=features,
        )
        # Stories new copy may join beyond its own cluster: every story with copy in the window
        # (its canonical copy there) and every quiet story (its most recent copy).
        candidates: dict[str, list[str]] = defaultdict(list)
        for d in canon:
            if d.article_id in previous:
                candidates[previous[d.article_id]].append(d.article_id)
        for q in quiet:
            candidates[q["story_id"]].append(q["article_id"])
        link = link_clusters(
            clusters, previous, priors, taken, scorer.affinity, candidates, scorer.shortlister(candidates),
            affinities=scorer.affinities,
        )
        assignment: dict[str, tuple[str, str]] = {a: (s, "canonical") for a, s in link.assignment.items()}
        for dup in duplicates:
            target = root(dup.article_id)
            if target in link.assignment:
                role = "version" if dup.reason in ("version", "redelivery") else "duplicate"
                assignment[dup.article_id] = (link.assignment[target], role)
        for a in withdrawn:
            if a in state.previous:
                assignment[a] = (link.merged.get(state.previous[a], state.previous[a]), "withdrawn")
        moved_whole = _absorb_merged(con, link.merged, assignment)
        report.counts["link_new_stories"] = len(link.created)
        report.counts["link_merged"] = len(link.merged)

    with _stage(report, "write", log):
        changed = _write_assignment(con, assignment, moved_whole, run_id, report)
        _write_duplicates(con, duplicates, run_id)

    with _stage(report, "summarize", log):
        from cluster.story_writer import refresh_stories

        report.counts["algorithm"] = algorithm_digest()
        if _last_count(con, "algorithm") != algorithm_digest():  # first night after an upgrade
            changed |= {story for story, _ in assignment.values()} | set(previous.values())
        report.counts["summarize_stories"] = refresh_stories(con, changed, run_id, cfg.summary_words, encoder.name)


def time_segments(times: Sequence[datetime], gap: timedelta) -> list[list[int]]:
    """Indices split wherever the copy falls silent for longer than `gap`, in time order.

    Copy separated by such a silence is never one story within a night (a backfill of months
    clusters each busy stretch on its own); stories continue across silences only by linking.
    """
    order = sorted(range(len(times)), key=lambda i: times[i])
    segments: list[list[int]] = []
    for i in order:
        if segments and times[i] - times[segments[-1][-1]] <= gap:
            segments[-1].append(i)
        else:
            segments.append([i])
    return [sorted(seg) for seg in segments]


def _embargoed(state: WindowState, latest: Sequence[Doc], as_of: datetime) -> set[str]:
    """Articles whose embargo has not passed at the night's clock: they stay out of stories."""
    return {
        d.article_id for d in latest
        if state.rows[d.article_id]["embargo_until"] and state.rows[d.article_id]["embargo_until"] > as_of
    }


def _unchanged_night(cfg: Config, inputs: Sequence[str], run_id: str, as_of: datetime, command: str) -> dict | None:
    """Counts for a rerun that would change nothing, judged on the live file read-only; else None.

    Every input file must be known by content and, for a nightly, the window's fingerprint must
    equal the last night's. Such a rerun skips the working copy, whose cost grows with the archive.
    """
    files, problems = expand_inputs(inputs)
    if problems:
        return None
    hashes = set()
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            hashes.add(sha256_hex(path.read_bytes()))
        except OSError:
            return None
    con = dbm.connect(cfg.db, read_only=True)
    try:
        if dbm.schema_version(con) != dbm.migrations()[-1][0]:
            return None  # an older schema migrates, and only on the working copy
        if len(store.known_files(con, sorted(hashes))) != len(hashes):
            return None
        counts: dict = {"ingest_files": len(files), "ingest_files_known": len(files), "ingest_new": 0}
        if command != "nightly":
            return counts
        bounds = window_bounds(con, run_id, as_of, cfg.window_hours)
        if bounds is None:
            return counts
        state = load_window(con, bounds)
        latest, _, _ = resolve_versions(state.docs)
        fingerprint = _fingerprint(state, _embargoed(state, latest, as_of), cfg)
        if fingerprint != _last_fingerprint(con):
            return None
        return {**counts, "fingerprint": fingerprint, "dedup_unchanged": True}
    finally:
        con.close()


def _fingerprint(state: WindowState, embargoed: set[str], cfg: Config) -> str:
    """What a night's result depends on: the window's articles, what is under embargo, the settings
    and the algorithms' constants (`cluster.algorithm_version`)."""
    parts = [cfg.model, str(cfg.max_tokens), str(cfg.precision), str(cfg.window_hours), str(cfg.link_days),
             str(cfg.summary_words), str(cfg.time_feature), algorithm_digest()]
    parts += sorted(state.rows) + ["|"] + sorted(embargoed)
    return sha256_hex("\n".join(parts))


def _last_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    return _last_count(con, "fingerprint")


def _last_count(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    """A count of the last finished nightly run (its fingerprint, its algorithms' digest)."""
    row = dbm.fetch_one(
        con,
        f"SELECT counts->>'{key}' FROM runs WHERE command = 'nightly' AND status IN ('ok', 'quarantined') "
        "ORDER BY started_at DESC LIMIT 1",
    )
    return row[0] if row else None


def _priors(con: duckdb.DuckDBPyConnection, story_ids: set[str]) -> dict[str, PriorStory]:
    if not story_ids:
        return {}
    rows = con.execute(
        "SELECT story_id, coalesce(first_seen, TIMESTAMP '1970-01-01'), coalesce(n_articles, 0) FROM stories "
        "WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(story_ids)],
    ).fetchall()
    out = {r[0]: PriorStory(r[0], r[1], r[2]) for r in rows}
    for s in story_ids - out.keys():
        out[s] = PriorStory(s, datetime(1970, 1, 1), 0)
    return out


#: Most recent canonical articles of a quiet story that new copy is compared with when linking.
QUIET_COPY = 8


def _quiet_stories(
    con: duckdb.DuckDBPyConnection, state: WindowState, cfg: Config, model: str, in_window: set[str]
) -> list[dict]:
    """The most recent copy of active stories last seen within `link_days` before the window."""
    since = state.start - timedelta(days=cfg.link_days)
    cur = con.execute(
        """
        SELECT story_id, article_id, text, language, event_time, vector FROM (
            SELECT sa.story_id, a.article_id, coalesce(a.headline, '') || chr(10) || chr(10) || coalesce(a.body, '') AS text,
                   a.language, a.event_time, e.vector,
                   row_number() OVER (PARTITION BY sa.story_id ORDER BY a.event_time DESC, a.article_id) AS k
            FROM stories s JOIN story_articles sa USING (story_id)
            JOIN articles a USING (article_id)
            JOIN embeddings e ON e.content_hash = a.content_hash AND e.model = ?
            WHERE s.status = 'active' AND s.last_seen >= ? AND s.last_seen < ? AND sa.role = 'canonical'
        ) WHERE k <= ? ORDER BY story_id, event_time, article_id
        """,
        [model, since, state.start, QUIET_COPY],
    )
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        r = dict(zip(names, row))
        if r["story_id"] not in in_window and r["article_id"] not in state.rows:
            r["vector"] = np.asarray(r["vector"], dtype=np.float32)
            out.append(r)
    return out


def _absorb_merged(
    con: duckdb.DuckDBPyConnection, merged: dict[str, str], assignment: dict[str, tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Members of absorbed stories outside the window follow their story to the survivor."""
    if not merged:
        return {}
    rows = con.execute(
        "SELECT article_id, story_id, role FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(merged)],
    ).fetchall()
    return {a: (merged[s], role) for a, s, role in rows if a not in assignment}


def _write_assignment(
    con: duckdb.DuckDBPyConnection,
    assignment: dict[str, tuple[str, str]],
    moved_whole: dict[str, tuple[str, str]],
    run_id: str,
    report: NightReport,
) -> set[str]:
    """Upsert changed memberships, record lineage for every story change; return touched stories."""
    full = {**moved_whole, **assignment}
    if not full:
        return set()
    current = dict(
        (a, (s, r))
        for a, s, r in con.execute(
            "SELECT article_id, story_id, role FROM story_articles WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(full)],
        ).fetchall()
    )
    changes = {a: v for a, v in full.items() if current.get(a) != v}
    touched: set[str] = set()
    moves: Counter[tuple[str, str]] = Counter()
    for a, (story, _role) in changes.items():
        touched.add(story)
        if a in current:
            touched.add(current[a][0])
            if current[a][0] != story:
                moves[(current[a][0], story)] += 1
    if changes:
        import pyarrow as pa

        table = pa.table(
            {
                "article_id": list(changes),
                "story_id": [v[0] for v in changes.values()],
                "role": [v[1] for v in changes.values()],
                "run_id": [run_id] * len(changes),
            }
        )
        con.register("_sa", table)
        con.execute("DELETE FROM story_articles WHERE article_id IN (SELECT article_id FROM _sa)")
        con.execute("INSERT INTO story_articles SELECT article_id, story_id, role, run_id FROM _sa")
        con.unregister("_sa")
    remaining = dict(
        con.execute(
            "SELECT story_id, count(*) FROM story_articles WHERE story_id IN (SELECT unnest(?::VARCHAR[])) GROUP BY 1",
            [sorted({old for old, _ in moves})],
        ).fetchall()
    )
    for (old, new), n in sorted(moves.items()):
        reason = "merge" if remaining.get(old, 0) == 0 else "split"
        con.execute(
            "INSERT INTO story_lineage VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n_articles = excluded.n_articles",
            [old, new, run_id, reason, n],
        )
    report.counts["write_memberships"] = len(changes)
    report.counts["write_lineage"] = len(moves)
    return touched


def _write_duplicates(con: duckdb.DuckDBPyConnection, duplicates: Sequence[Duplicate], run_id: str) -> None:
    """Record what each duplicate duplicates; rows whose decision did not change stay untouched."""
    if not duplicates:
        return
    import pyarrow as pa

    table = pa.table(
        {
            "article_id": [d.article_id for d in duplicates],
            "duplicate_of": [d.duplicate_of for d in duplicates],
            "reason": [d.reason for d in duplicates],
            "similarity": [float(d.similarity) for d in duplicates],
            "run_id": [run_id] * len(duplicates),
        }
    )
    con.register("_dups", table)
    con.execute(
        """
        DELETE FROM duplicates WHERE article_id IN (
            SELECT d.article_id FROM _dups d JOIN duplicates x USING (article_id)
            WHERE x.duplicate_of <> d.duplicate_of OR x.reason <> d.reason)
        """
    )
    con.execute(
        "INSERT INTO duplicates SELECT * FROM _dups d WHERE NOT EXISTS "
        "(SELECT 1 FROM duplicates x WHERE x.article_id = d.article_id)"
    )
    con.unregister("_dups")


# --------------------------------------------------------------------------- entry point


def new_run_id(started_at: datetime) -> str:
    return f"r{started_at:%Y%m%dT%H%M%S%f}-{os.getpid()}"


def run_night(
    cfg: Config,
    inputs: Sequence[str],
    encoder_factory: Callable[[], Encoder],
    as_of: datetime | None = None,
    log: Log = lambda _msg: None,
    command: str = "nightly",
) -> NightReport:
    """One night, end to end, published atomically. Raises dbm.AlreadyRunning if another holds the lock.

    Nothing is written to the live file before the rename: the running night, and a night that
    fails or changes nothing, are recorded in the sidecars of storage.journal instead.
    """
    path = cfg.db
    started = utcnow()
    as_of = as_of or started
    run_id = new_run_id(started)
    report = NightReport(run_id)
    params = {**cfg.as_dict(), "inputs": list(inputs), "as_of": as_of.isoformat()}
    record = {"run_id": run_id, "command": command, "started_at": started.isoformat(), "pid": os.getpid(), "params": params}
    with dbm.night_lock(path):
        if journal.recover(path, started.isoformat()):
            log("marked 1 interrupted run(s) as failed")
        journal.begin(path, record)
        try:
            _night(cfg, inputs, encoder_factory, as_of, log, command, record, report)
        except BaseException as exc:
            report.status = "failed"
            try:
                journal.append(path, _ended(record, report, error=f"{type(exc).__name__}: {exc}"))
            except OSError as lost:
                log(f"could not journal the failed run ({lost}); the next night records it as interrupted")
            else:
                journal.end(path)
            raise
        journal.end(path)
    return report


def _ended(record: dict, report: NightReport, error: str | None = None) -> dict:
    """The journal record of a run that ended without publishing."""
    return {
        **record, "status": report.status, "finished_at": utcnow().isoformat(), "error": error,
        "counts": {**report.counts, "seconds": report.seconds},
        "window_start": report.window[0], "window_end": report.window[1],
    }


def _night(
    cfg: Config, inputs: Sequence[str], encoder_factory: Callable[[], Encoder], as_of: datetime, log: Log,
    command: str, record: dict, report: NightReport,
) -> None:
    """The night's work on a working copy, or nothing at all when nothing would change."""
    path, run_id = cfg.db, report.run_id
    if Path(path).exists() and (unchanged := _unchanged_night(cfg, inputs, run_id, as_of, command)) is not None:
        report.counts.update(unchanged)
        report.status = "ok"
        log("nothing changed since the last night: every input file known, stories left as they are")
        journal.append(path, _ended(record, report))
        return
    journaled = journal.entries(path)
    with dbm.working_copy(path) as work:
        folded = store.fold_runs(work, journaled)
        stale = store.fail_stale_runs(work, datetime.fromisoformat(record["started_at"]))
        if stale:
            log(f"marked {stale} interrupted run(s) as failed")
        store.start_run(work, run_id, command, datetime.fromisoformat(record["started_at"]), record["params"])
        work.execute("BEGIN TRANSACTION")
        with _stage(report, "ingest", log):
            ingest_paths(work, inputs, run_id, as_of, report, cfg.read_timeout_seconds)
        if command == "nightly":
            process_window(work, cfg, _Lazy(encoder_factory), run_id, as_of, report, log)
        report.status = "quarantined" if report.quarantined else "ok"
        store.finish_run(work, run_id, report.status, utcnow(), {**report.counts, "seconds": report.seconds}, report.window)
        work.execute("COMMIT")
    journal.forget(path, folded)


class _Lazy:
    """Builds the encoder on first use, so a night with nothing new never loads the model."""

    def __init__(self, factory: Callable[[], Encoder]) -> None:
        self._factory = factory
        self._encoder: Encoder | None = None
        # An `EncoderSpec` (or any factory with a `name`) tells the cache key without loading.
        self._name: str | None = getattr(factory, "name", None)

    def _get(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self._factory()
        return self._encoder

    @property
    def name(self) -> str:
        return self._name or self._get().name

    @property
    def dim(self) -> int:
        return self._get().dim

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._get().encode(texts, batch_size)
