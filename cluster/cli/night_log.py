"""How a night shows itself: one log line per stage (plain or JSON) for cron, progress bars on a
terminal. Both are observers of the night (`cluster.events`), never parsers of its output."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from cluster.events import STAGES, Observer, stage_line


def logger(log_format: str, console: Any = None) -> logging.Logger:
    """The `wirestory` logger with one handler for this invocation: JSON lines, plain text lines, or
    (on a terminal with a progress display) rich lines printed above the bars."""
    log = logging.getLogger("wirestory")
    for old in list(log.handlers):
        if getattr(old, "_wirestory", False):
            log.removeHandler(old)
    handler: logging.Handler
    if console is not None:
        from rich.logging import RichHandler

        handler = RichHandler(console=console, show_path=False, markup=False, log_time_format="%H:%M:%S")
    else:
        handler = logging.StreamHandler(sys.stderr)
        if log_format == "json":
            handler.setFormatter(JsonFormatter())
        else:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    setattr(handler, "_wirestory", True)  # marks the handler this module added, for removal  # noqa: B010
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    return log


class JsonFormatter(logging.Formatter):
    """One JSON object a line; a record's `fields` (a stage's stage/seconds/counts) join it."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "message": record.getMessage(),
        }
        out.update(getattr(record, "fields", None) or {})
        return json.dumps(out, default=str)


class StageLog(Observer):
    """Each finished stage as one INFO line with stage, seconds and counts as structured fields."""

    def __init__(self, log: logging.Logger) -> None:
        self._log = log

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        fields = {"stage": stage, "seconds": seconds, "counts": counts}
        self._log.info(stage_line(stage, seconds, counts).rstrip(), extra={"fields": fields})

    def note(self, message: str) -> None:
        self._log.info(message)


class NightProgress(Observer):
    """A terminal display of the night: one bar over the stages and, while embedding, one over the
    texts. Log lines go through the same rich console, above the bars."""

    def __init__(self, command: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self.stages = STAGES if command == "nightly" else STAGES[:1]
        self.task = self.progress.add_task(f"{command}: {self.stages[0]}", total=len(self.stages))
        self.embed_task: Any = None
        self.command = command

    def __enter__(self) -> NightProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def stage_started(self, stage: str) -> None:
        if stage in self.stages:
            self.progress.update(self.task, description=f"{self.command}: {stage}")

    def stage_finished(self, stage: str, seconds: float, counts: dict[str, Any]) -> None:
        if stage not in self.stages:
            return
        done = self.stages.index(stage) + 1
        nxt = self.stages[done] if done < len(self.stages) else "done"
        self.progress.update(self.task, completed=done, description=f"{self.command}: {nxt}")
        if stage == "embed" and self.embed_task is not None:
            self.progress.remove_task(self.embed_task)
            self.embed_task = None

    def embedding(self, done: int, total: int) -> None:
        if self.embed_task is None:
            self.embed_task = self.progress.add_task("  embedding texts", total=total)
        self.progress.update(self.embed_task, completed=done, total=total)
