"""One night, end to end: ingest -> dedup -> embed -> dedup_near -> cluster -> link -> write -> summarize.

The only place where the algorithms meet the database, through the stages of `cluster.stages`.
All of a night's writes go to a working copy that is published by one atomic rename
(storage.db), so a crash or a kill never leaves half a night and readers are never blocked; the
running night, and a night that fails or changes nothing, are recorded in the sidecars of
storage.journal. Everything the night reports goes to its observers (`cluster.events`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import numpy as np

from cluster.assign import carried_stories, duplicate_root
from cluster.config import Config
from cluster.encoders.base import Encoder
from cluster.events import KillPoints, LogLines, NightReport, Observer, Observers, stage
from cluster.settings import Settings
from cluster.stages import cluster, dedup, embed, ingest, link, summarize, write
from cluster.window import Window, open_window
from storage import db as dbm
from storage import journal, search_index, store
from storage.inputs import expand_inputs
from storage.readers import MAX_FILE_BYTES
from storage.records import sha256_hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def new_run_id(started_at: datetime) -> str:
    return f"r{started_at:%Y%m%dT%H%M%S%f}-{os.getpid()}"


def process_window(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    encoder: Encoder,
    run_id: str,
    as_of: datetime,
    report: NightReport,
    observer: Observer,
    recompute: bool = False,
    window: Window | None = None,
    reopen: Callable[[], duckdb.DuckDBPyConnection] | None = None,
) -> None:
    """Dedup, embed, cluster, link and summarise the window; write only what changed. With
    `reopen` (`dbm.WorkingCopy.reopen`), what is written is committed and the database opened
    anew before summarize: DuckDB would otherwise keep the memory of the stages before it."""
    window = window or open_window(con, run_id, as_of, settings)
    if window is None:
        return
    report.window = (window.start, window.end)
    report.fingerprint = window.fingerprint
    last = store.last_night(con) or {}
    with stage(report, "dedup", observer):
        if not recompute and window.fingerprint == last.get("fingerprint"):
            report.counts["dedup_unchanged"] = True
            observer.note("nothing changed since the last night: stories left as they are")
            return
        unique, exact = dedup.exact(window, report)
    with stage(report, "embed", observer):
        vectors = embed.embed_docs(
            con, unique, window, encoder, settings.config.batch_size, report, observer, settings.reuse
        )
    with stage(report, "dedup_near", observer):
        canon, canon_vectors, near = dedup.near(unique, vectors, settings.dedup, report)
    duplicates = window.version_dups + exact + near
    root = duplicate_root(duplicates)
    carried = carried_stories(window.previous, window.previous_role, root)
    with stage(report, "cluster", observer):
        clustered = cluster.cluster_window(
            con, window, canon, canon_vectors, carried, settings, encoder, report, observer
        )
    with stage(report, "link", observer):
        assigned, moved_whole = link.link_window(con, clustered, window, carried, duplicates, root, settings, report)
    with stage(report, "write", observer):
        changed = write.write_night(con, assigned, moved_whole, duplicates, run_id, report)
    # Summaries read their members from the database: the window's rows and texts, the vectors
    # and the text features go before summarize builds its own (at 50k about a GB).
    del window, unique, vectors, canon, canon_vectors, clustered
    if reopen is not None:
        con.execute("COMMIT")
        con = reopen()
        con.execute("BEGIN TRANSACTION")
    with stage(report, "summarize", observer):
        if recompute or last.get("settings_digest") != settings.digest:  # e.g. the first night after an upgrade
            changed |= {story for story, _ in assigned.values()} | set(carried.values())
        report.counts["summarize_stories"] = summarize.refresh_stories(
            con, changed, run_id, settings, encoder.cache_key
        )


def run_night(
    settings: Settings | Config,
    inputs: Sequence[str],
    encoder_factory: Callable[[], Encoder],
    as_of: datetime | None = None,
    log: Callable[[str], None] | None = None,
    command: str = "nightly",
    observers: Sequence[Observer] = (),
    recompute: bool = False,
) -> NightReport:
    """One night, end to end, published atomically. Raises dbm.AlreadyRunning if another holds the lock.

    `settings` may be a bare Config (every algorithm parameter at its default). `log` gets one
    line per stage (as `events.LogLines`); `observers` get every event. `recompute` redoes a night
    whose fingerprint says nothing changed. Nothing is written to the live file before the rename.
    """
    settings = Settings.of(settings)
    path = settings.config.db
    started = utcnow()
    as_of = as_of or started
    run_id = new_run_id(started)
    report = NightReport(run_id)
    observer = Observers([KillPoints(), *([LogLines(log)] if log else []), *observers])
    params = {**settings.config.as_dict(), "inputs": list(inputs), "as_of": as_of.isoformat(), "recompute": recompute}
    record = {
        "run_id": run_id,
        "command": command,
        "started_at": started.isoformat(),
        "pid": os.getpid(),
        "params": params,
        "settings_digest": settings.digest,
    }
    with dbm.night_lock(path):
        if journal.recover(path, started.isoformat()):
            observer.note("marked 1 interrupted run(s) as failed")
        journal.begin(path, record)
        try:
            _night(settings, inputs, encoder_factory, as_of, observer, command, record, report, recompute)
        except BaseException as exc:
            report.status = "failed"
            try:
                journal.append(path, _ended(record, report, error=f"{type(exc).__name__}: {exc}"))
            except OSError as lost:
                observer.note(f"could not journal the failed run ({lost}); the next night records it as interrupted")
            else:
                journal.end(path)
            raise
        journal.end(path)
    return report


def _ended(record: dict, report: NightReport, error: str | None = None) -> dict:
    """The journal record of a run that ended without publishing."""
    return {
        **record,
        "status": report.status,
        "finished_at": utcnow().isoformat(),
        "error": error,
        "counts": {**report.counts, "seconds": report.seconds},
        "fingerprint": report.fingerprint,
        "window_start": report.window[0],
        "window_end": report.window[1],
    }


def _night(
    settings: Settings,
    inputs: Sequence[str],
    encoder_factory: Callable[[], Encoder],
    as_of: datetime,
    observer: Observer,
    command: str,
    record: dict,
    report: NightReport,
    recompute: bool,
) -> None:
    """The night's work on a working copy, or nothing at all when nothing would change."""
    path, run_id = settings.config.db, report.run_id
    window = None
    if not recompute and Path(path).exists() and (check := _read_only_check(settings, inputs, run_id, as_of, command)):
        counts, window, last_fingerprint = check
        if command != "nightly" or (window is not None and window.fingerprint == last_fingerprint):
            report.counts.update(counts)
            if window is not None:
                report.counts["dedup_unchanged"] = True
                report.fingerprint = window.fingerprint
            report.status = "ok"
            observer.note("nothing changed since the last night: every input file known, stories left as they are")
            journal.append(path, _ended(record, report))
            return
    journaled = journal.entries(path)
    with dbm.open_working_copy(path) as copy:
        work = copy.con
        folded = store.fold_runs(work, journaled)
        stale = store.fail_stale_runs(work, datetime.fromisoformat(record["started_at"]))
        if stale:
            observer.note(f"marked {stale} interrupted run(s) as failed")
        store.start_run(work, run_id, command, datetime.fromisoformat(record["started_at"]), record["params"])
        with stage(report, "ingest", observer):
            ingest.ingest_paths(work, inputs, run_id, as_of, report, settings.config.read_timeout_seconds)
        # Ingest commits each statement (no night-long transaction): tonight's articles held as
        # uncommitted rows stayed in DuckDB's memory all night (about 0.9 GB at 50k records). The
        # copy is published whole or not at all, so commits inside it change nothing for readers.
        # The copy is opened anew after ingest: DuckDB's allocator keeps what ingest freed (about
        # 1 GB at 50k records) until its database closes.
        work = copy.reopen()
        # The window read from the live file is tonight's when ingest added nothing and no
        # journaled run was folded in (either could move its bounds): then it is not read twice.
        if command == "nightly" and not (window is not None and not journaled and report.counts.get("ingest_new") == 0):
            # Read before the night's transaction, then the copy opened anew once more: DuckDB's
            # buffer pool keeps the article blocks the read brought in (~0.25 GB at 50k) otherwise.
            window = open_window(work, run_id, as_of, settings)
            work = copy.reopen()
        work.execute("BEGIN TRANSACTION")
        if command == "nightly":
            process_window(
                work,
                settings,
                _Lazy(encoder_factory),
                run_id,
                as_of,
                report,
                observer,
                recompute,
                window,
                copy.reopen,
            )
            work = copy.con
        report.status = "quarantined" if report.quarantined else "ok"
        store.finish_run(
            work,
            run_id,
            report.status,
            utcnow(),
            {**report.counts, "seconds": report.seconds},
            report.window,
            fingerprint=report.fingerprint,
            settings_digest=settings.digest if command == "nightly" else None,
        )
        work.execute("COMMIT")
        _refresh_indexes(work, path, encoder_factory, report, observer)
    journal.forget(path, folded)


def _refresh_indexes(
    work: duckdb.DuckDBPyConnection,
    path: str,
    encoder_factory: Callable[[], Encoder],
    report: NightReport,
    observer: Observer,
) -> None:
    """Rebuild the search indexes the night made stale (storage.search_index), before publication."""
    counts = search_index.refresh(work, path, getattr(encoder_factory, "cache_key", None))
    report.counts.update(counts)
    if counts.get("index_fts_articles") is not None:
        observer.note(
            f"full-text index: {counts['index_fts_articles']} articles indexed in {counts['index_fts_seconds']} s"
        )
    if counts.get("index_vec_vectors") is not None:
        observer.note(f"vector index: {counts['index_vec_vectors']} vectors written in {counts['index_vec_seconds']} s")


def _read_only_check(
    settings: Settings, inputs: Sequence[str], run_id: str, as_of: datetime, command: str
) -> tuple[dict, Window | None, str | None] | None:
    """When every input file is already known by content: the ingest counts, tonight's window and
    the last night's fingerprint, read from the live file read-only (a skipped night never copies
    the file, whose cost grows with the archive). None when some input is new or unreadable."""
    files, problems = expand_inputs(inputs)
    if problems:
        return None
    hashes = set()
    for file in files:
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                return None
            hashes.add(sha256_hex(file.read_bytes()))
        except OSError:
            return None
    con = dbm.connect(settings.config.db, read_only=True)
    try:
        if dbm.schema_version(con) != dbm.migrations()[-1][0]:
            return None  # an older schema migrates, and only on the working copy
        if len(store.known_files(con, sorted(hashes))) != len(hashes):
            return None
        counts = {"ingest_files": len(files), "ingest_files_known": len(files), "ingest_new": 0}
        if command != "nightly":
            return counts, None, None
        last = store.last_night(con)
        return counts, open_window(con, run_id, as_of, settings), last["fingerprint"] if last else None
    finally:
        con.close()


class _Lazy:
    """Builds the encoder on first use, so a night with nothing new never loads the model."""

    def __init__(self, factory: Callable[[], Encoder]) -> None:
        self._factory = factory
        self._encoder: Encoder | None = None
        # An `EncoderSpec` (or any factory with a `name` and `cache_key`) tells them without loading.
        self._name: str | None = getattr(factory, "name", None)
        self._cache_key: str | None = getattr(factory, "cache_key", None)

    def _get(self) -> Encoder:
        if self._encoder is None:
            self._encoder = self._factory()
        return self._encoder

    @property
    def name(self) -> str:
        return self._name or self._get().name

    @property
    def cache_key(self) -> str:
        return self._cache_key or self._get().cache_key

    @property
    def dim(self) -> int:
        return self._get().dim

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._get().encode(texts, batch_size)
