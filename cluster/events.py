"""What a night reports while it runs: its stages, once, and the observers that watch them.

The night calls its observers; it never formats for a terminal, a log or a benchmark. Log lines,
JSON logs, progress bars, the crash harness's kill points and the bench's CPU timer are each an
`Observer`, so none of them parses another's output or patches the night's internals.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

#: The night's stages, in the order `cluster.night` runs them (`ingest` alone for `wirestory ingest`).
STAGES = ("ingest", "dedup", "embed", "dedup_near", "cluster", "link", "write", "summarize")

#: Exit codes, documented in the README.
EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_QUARANTINED, EXIT_LOCKED = 0, 1, 2, 3, 4


@dataclass
class NightReport:
    """What a night did: its status, counts and stage seconds, what it quarantined, its window."""

    run_id: str
    status: str = "running"
    counts: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    quarantined: list[tuple[str, str]] = field(default_factory=list)
    window: tuple[datetime | None, datetime | None] = (None, None)
    #: What the night's result depended on (`cluster.window.fingerprint`); None before the window.
    fingerprint: str | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_QUARANTINED if self.quarantined else EXIT_OK

    def stage_counts(self, stage: str) -> dict[str, Any]:
        """The counts a stage recorded (their keys start with its name)."""
        return {k: v for k, v in self.counts.items() if k.startswith(stage)}


class Observer:
    """Hooks a night calls; every one is optional (the defaults do nothing)."""

    def stage_started(self, stage: str) -> None:
        """`stage` is about to run."""

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        """`stage` ended after `seconds` (wall), having recorded `counts`."""

    def embedding(self, done: int, total: int) -> None:
        """`done` of the night's `total` new texts are embedded."""

    def note(self, message: str) -> None:
        """Something worth a line in the night's log (a skipped night, runs marked interrupted)."""


class Observers(Observer):
    """Several observers as one, called in order."""

    def __init__(self, observers: Sequence[Observer]) -> None:
        self._all = list(observers)

    def stage_started(self, stage: str) -> None:
        for o in self._all:
            o.stage_started(stage)

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        for o in self._all:
            o.stage_finished(stage, seconds, counts)

    def embedding(self, done: int, total: int) -> None:
        for o in self._all:
            o.embedding(done, total)

    def note(self, message: str) -> None:
        for o in self._all:
            o.note(message)


def stage_line(stage: str, seconds: float, counts: dict[str, Any]) -> str:
    """The plain log line of a finished stage: `embed: 1.23s embed_new=40 embed_cached=2`."""
    return f"{stage}: {seconds:.2f}s " + " ".join(f"{k}={v}" for k, v in counts.items())


class LogLines(Observer):
    """Each finished stage and note as one line to `log` (the night's plain text log)."""

    def __init__(self, log: Callable[[str], None]) -> None:
        self._log = log

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        self._log(stage_line(stage, seconds, counts).rstrip())

    def note(self, message: str) -> None:
        self._log(message)


#: Crash-test hook (tests/test_crash_safety.py, scripts/crash_harness.py): when set to a stage name
#: the process SIGKILLs itself on entering that stage, when set to `<stage>:end` on leaving it.
#: Never set in production; unset, it costs one environment lookup per stage.
KILL_AT_ENV = "WIRESTORY_KILL_AT"
#: Every point the hook can kill at, in the order a night passes them.
KILL_POINTS = tuple(p for s in STAGES for p in (s, f"{s}:end"))


class KillPoints(Observer):
    """SIGKILL this process at the point named by WIRESTORY_KILL_AT (crash tests only)."""

    def _maybe(self, point: str) -> None:
        if os.environ.get(KILL_AT_ENV) == point:
            os.kill(os.getpid(), signal.SIGKILL)

    def stage_started(self, stage: str) -> None:
        self._maybe(stage)

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        self._maybe(f"{stage}:end")


class CpuTimer(Observer):
    """CPU seconds of this process per stage (all threads), beside the report's wall seconds:
    far less sensitive than wall time to other jobs on a shared machine."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._start: dict[str, float] = {}

    def stage_started(self, stage: str) -> None:
        self._start[stage] = time.process_time()

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        self.seconds[stage] = round(time.process_time() - self._start.pop(stage, time.process_time()), 4)


@contextlib.contextmanager
def stage(report: NightReport, name: str, observer: Observer) -> Iterator[None]:
    """Run a stage: tell the observer, time it into `report.seconds`, tell the observer it ended."""
    observer.stage_started(name)
    start = time.perf_counter()
    yield
    report.seconds[name] = round(time.perf_counter() - start, 4)
    observer.stage_finished(name, report.seconds[name], report.stage_counts(name))
