"""What a benchmark measured on: the machine (CPU, RAM, library versions, load) and the code state."""

from __future__ import annotations

import os
import platform
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def machine() -> dict:
    cpu = Path("/proc/cpuinfo").read_text(errors="replace")
    model = re.search(r"model name\s*:\s*(.*)", cpu)
    flag_line = re.search(r"flags\s*:\s*(.*)", cpu)
    flags = set(flag_line.group(1).split()) if flag_line else set()
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    import duckdb
    import torch

    return {
        "nproc": os.cpu_count(),
        "cpu": model.group(1).strip() if model else platform.processor(),
        "avx512_bf16": "avx512_bf16" in flags,
        "amx_bf16": "amx_bf16" in flags,
        "amx_tile": "amx_tile" in flags,
        "ram_gib": round(int(mem.group(1)) / 2**20, 1) if mem else None,
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "duckdb": duckdb.__version__,
        "load_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def code_state() -> dict:
    """The commit and the uncommitted changes measured (others edit the tree while benchmarks run)."""

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    import hashlib

    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": git("status", "--porcelain", "--untracked-files=no").splitlines(),
        "diff_sha256": hashlib.sha256(git("diff").encode()).hexdigest()[:16],
    }
