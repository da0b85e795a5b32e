"""Running `wirestory nightly` in a subprocess: its command and environment, its stage log lines
timestamped as they arrive, and a SIGKILL at a stage boundary or after a delay from an anchor."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cluster.events import KILL_AT_ENV

ROOT = Path(__file__).resolve().parent.parent.parent
AS_OF = "2026-11-27T00:00:00"


def nightly_command(db: str, inputs: Sequence[str], as_of: str | None = AS_OF) -> list[str]:
    """`wirestory nightly` as a subprocess command (`python -m cluster.cli.main` has no __main__)."""
    cmd = [
        sys.executable,
        "-c",
        "from cluster.cli.main import main; main()",
        "--db",
        str(db),
        "nightly",
        "--log-format",
        "json",
        *map(str, inputs),
    ]
    return cmd + (["--as-of", as_of] if as_of else [])


def night_env(kill_at: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a test night: fake encoder, no stray configuration, optional kill point."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRESTORY_")}
    env["WIRESTORY_MODEL"] = "fake-256"
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    if kill_at:
        env[KILL_AT_ENV] = kill_at
    env.update(extra or {})
    return env


@dataclass
class Outcome:
    returncode: int
    pid: int
    seconds: float
    maxrss_kb: int  # peak resident set size of the child (getrusage via wait4), in KiB
    stdout: str
    stderr: str
    marks: dict[str, float] = field(default_factory=dict)  # stage -> seconds after spawn its end was logged
    killed_by_harness: bool = False

    @property
    def sigkilled(self) -> bool:
        return self.returncode == -signal.SIGKILL


def _stage_of(line: bytes) -> str | None:
    """The stage a JSON log line reports finished (`--log-format json` gives it as a field)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    return record.get("stage") if isinstance(record, dict) else None


class Night:
    """A running `wirestory nightly` subprocess whose stage log lines are timestamped as they arrive."""

    def __init__(self, cmd: Sequence[str], env: dict[str, str], cwd: str | None = None) -> None:
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            list(cmd), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.marks: dict[str, float] = {}
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(self.proc.stdout, self._out, False), daemon=True),
            threading.Thread(target=self._pump, args=(self.proc.stderr, self._err, True), daemon=True),
        ]
        for t in self._threads:
            t.start()

    def _pump(self, stream, sink: list[bytes], parse: bool) -> None:
        for line in iter(stream.readline, b""):
            if parse and (stage := _stage_of(line)):
                self.marks.setdefault(stage, time.monotonic() - self.start)
            sink.append(line)
        stream.close()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def wait(self, kill_after: tuple[str, float] | None = None, timeout: float = 180.0) -> Outcome:
        """Wait for the night; with kill_after=(anchor, delay) SIGKILL it `delay` s after the anchor
        ("start", or a stage whose end was logged). Reaps with wait4 to get the child's peak RSS."""
        deadline = None
        killed = False
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                break
            now = time.monotonic()
            if kill_after and deadline is None:
                anchor, delay = kill_after
                at = 0.0 if anchor == "start" else self.marks.get(anchor)
                if at is not None:
                    deadline = self.start + at + delay
            if deadline is not None and not killed and now >= deadline:
                with_suppress_kill(self.proc.pid)
                killed = True
            if now - self.start > timeout:
                with_suppress_kill(self.proc.pid)
                os.wait4(self.proc.pid, 0)
                raise TimeoutError(f"night {self.proc.pid} still running after {timeout}s")
            time.sleep(0.002)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        for t in self._threads:
            t.join(timeout=10)
        return Outcome(
            returncode=self.proc.returncode,
            pid=self.proc.pid,
            seconds=time.monotonic() - self.start,
            maxrss_kb=int(usage.ru_maxrss),
            stdout=b"".join(self._out).decode("utf-8", "replace"),
            stderr=b"".join(self._err).decode("utf-8", "replace"),
            marks=dict(self.marks),
            killed_by_harness=killed,
        )


def with_suppress_kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run_nightly(
    db: str,
    inputs: Sequence[str],
    *,
    as_of: str | None = AS_OF,
    kill_at: str | None = None,
    kill_after: tuple[str, float] | None = None,
    extra_env: dict[str, str] | None = None,
    cwd: str | None = None,
    timeout: float = 180.0,
) -> Outcome:
    """Run one `wirestory nightly` subprocess to its end (or to the kill) and report how it ended."""
    night = Night(nightly_command(db, inputs, as_of), night_env(kill_at, extra_env), cwd=cwd)
    return night.wait(kill_after=kill_after, timeout=timeout)
