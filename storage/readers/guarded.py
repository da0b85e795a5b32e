"""Read files with a per-file time budget, so that no reader or regex can hold a night.

Python's `re` and lxml cannot be interrupted by a signal while inside C code, so the budget cannot
be enforced in the process that reads. Instead a forked worker reads a whole batch of files in
order and sends back each result as soon as it has it; the parent waits at most `budget` seconds
for each. When a file takes longer, the worker is killed, that file alone gets the reason "took
longer than N s to read", and a fresh worker carries on with the files after it. A worker that
dies (a crash in C code, the OOM killer) likewise costs only the file it was reading. One fork per
batch, not per file, keeps the cost negligible for nights of thousands of small files; the
worker inherits the batch's bytes through fork and only the parsed items travel back.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import NamedTuple

from storage.readers import Item, ReaderError, read_bytes


class Outcome(NamedTuple):
    """What reading one file gave: its format and items, or the reason it is quarantined."""

    format: str | None
    items: list[Item]
    error: str | None


class ReaderFailure(RuntimeError):
    """A reader raised something other than ReaderError: a bug, which stops the night as before."""


ReadFn = Callable[[bytes, str], tuple[str, list[Item]]]


def timeout_reason(budget: float) -> str:
    return f"took longer than {budget:g} s to read"


def _work(files: Sequence[tuple[str, bytes]], start: int, conn: Connection, read: ReadFn) -> None:
    """Worker: read files[start:] in order, sending (format, items, error, bug) for each."""
    message: tuple[str | None, list[Item], str | None, str | None]
    for path, data in files[start:]:
        try:
            fmt, items = read(data, path)
            message = (fmt, items, None, None)
        except ReaderError as exc:
            message = (None, [], str(exc), None)
        except Exception as exc:  # sent to the parent, which raises it there
            message = (None, [], None, f"{path}: {type(exc).__name__}: {exc}")
        conn.send(message)
    conn.close()


def read_guarded(files: Sequence[tuple[str, bytes]], budget: float, read: ReadFn = read_bytes) -> Iterator[Outcome]:
    """One Outcome per (path, bytes) in `files`, in order; no file takes longer than `budget` seconds."""
    if budget <= 0:
        raise ValueError(f"read budget must be > 0 seconds, got {budget}")
    ctx = multiprocessing.get_context("fork")
    done = 0
    while done < len(files):
        receive, send = ctx.Pipe(duplex=False)
        worker = ctx.Process(target=_work, args=(files, done, send, read), daemon=True)
        worker.start()
        send.close()
        try:
            while done < len(files):
                if not receive.poll(budget):
                    done += 1
                    yield Outcome(None, [], timeout_reason(budget))
                    break
                try:
                    fmt, items, error, bug = receive.recv()
                except EOFError:
                    worker.join()
                    done += 1
                    yield Outcome(None, [], f"reader crashed (worker exit code {worker.exitcode})")
                    break
                if bug:
                    raise ReaderFailure(bug)
                done += 1
                yield Outcome(fmt, items, error)
        finally:
            receive.close()
            if worker.is_alive():
                worker.kill()
            worker.join()
