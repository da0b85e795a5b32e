"""Stage 1, ingest: read every input file not seen before into `articles`; quarantine what cannot be read.

Files are known by content hash, so a file delivered twice is read once. Reading happens in a
forked worker under a time budget (storage.readers.guarded), so no reader can hold a night.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import duckdb

from cluster.events import NightReport
from cluster.text.language import detect_language
from storage import store
from storage.inputs import expand_inputs
from storage.readers import MAX_FILE_BYTES
from storage.readers.guarded import Outcome, read_guarded
from storage.readers.renditions import merge_renditions, needs_pairing
from storage.records import Article, Rejected, Skipped, sha256_hex

#: Files read, parsed and written together: few database round trips for many small files...
INGEST_BATCH_FILES = 1000
#: ...and at most this many bytes of them at once (a file over it is a batch of its own), so a
#: night's memory follows its largest file, not the number of large files it reads.
INGEST_BATCH_BYTES = 32 * 1024 * 1024


def ingest_paths(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[str],
    run_id: str,
    received_at: datetime,
    report: NightReport,
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
    for bad, reason in problems:
        _quarantine(con, report, sha256_hex(bad), bad, reason, run_id)
    counts: Counter[str] = Counter()
    held: list[tuple[str, Article]] = []
    for batch in _batches(con, report, files, run_id):
        counts["files"] += len(batch)
        known = store.known_files(con, [h for _, h, _ in batch])
        counts["files_known"] += sum(1 for _, h, _ in batch if h in known)
        outcomes = _read_new(batch, known, read_timeout_seconds)
        sizes = {digest: len(data or b"") for _, digest, data in batch}
        batch[:] = [(path, digest, None) for path, digest, _ in batch]  # parsed: let the bytes go
        ready: list[tuple[str, Article]] = []
        file_rows: dict[str, tuple] = {}
        item_rows: list[tuple[str, str, str, str, str]] = []
        for path, digest, _ in batch:
            if digest in known or digest in file_rows:
                continue
            fmt, parsed, error = outcomes[digest]
            if error is not None:
                _quarantine(con, report, digest, str(path), error, run_id)
                continue
            arts = [_with_language(x) for x in parsed if isinstance(x, Article)]
            skipped = [x for x in parsed if isinstance(x, Skipped)]
            for rejected in (x for x in parsed if isinstance(x, Rejected)):
                item_rows.append((digest, str(path), rejected.position, store.QUARANTINED, rejected.reason))
                report.quarantined.append((str(path), f"{rejected.position}: {rejected.reason}"))
            for skip in skipped:
                item_rows.append((digest, str(path), skip.position, store.SKIPPED, skip.reason))
            counts["items"] += len(arts)
            counts["skipped"] += len(skipped)
            for a in arts:
                (held if needs_pairing(a) else ready).append((digest, a))
            file_rows[digest] = (digest, str(path), fmt, sizes[digest], len(arts), len(skipped))
        counts["new"] += _store_articles(con, ready, run_id, received_at)
        store.record_files(con, list(file_rows.values()), run_id)
        store.record_quarantine_rows(con, item_rows, run_id)
    if held:
        file_of = {id(a): digest for digest, a in held}
        merged = merge_renditions([a for _, a in held])
        counts["new"] += _store_articles(
            con,
            [(file_of.get(id(a)) or _file_of_key(held, a), a) for a in merged if isinstance(a, Article)],
            run_id,
            received_at,
        )
    report.counts.update({f"ingest_{k}": counts[k] for k in ("files", "files_known", "items", "skipped", "new")})
    report.counts["ingest_quarantined"] = len(report.quarantined)
    return counts["new"]


def _batches(
    con: duckdb.DuckDBPyConnection, report: NightReport, files: Sequence[Path], run_id: str
) -> Iterator[list[tuple[Path, str, bytes | None]]]:
    """(path, content hash, bytes or None when over the size limit) in batches of at most
    `INGEST_BATCH_FILES` files and `INGEST_BATCH_BYTES` bytes; unreadable files are quarantined."""
    batch: list[tuple[Path, str, bytes | None]] = []
    held = 0
    for path in files:
        try:
            size = path.stat().st_size
            if batch and (len(batch) >= INGEST_BATCH_FILES or held + min(size, MAX_FILE_BYTES) > INGEST_BATCH_BYTES):
                yield batch
                batch, held = [], 0
            data = path.read_bytes() if size <= MAX_FILE_BYTES else None
        except OSError as exc:
            _quarantine(con, report, sha256_hex(str(path)), str(path), f"cannot read: {exc}", run_id)
            continue
        digest = sha256_hex(data) if data is not None else sha256_hex(f"oversize:{path}:{size}")
        batch.append((path, digest, data))
        held += len(data or b"")
    if batch:
        yield batch


def _read_new(batch: Sequence[tuple[Path, str, bytes | None]], known: set[str], budget: float) -> dict[str, Outcome]:
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
