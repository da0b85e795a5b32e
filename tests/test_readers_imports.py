"""The readers import what they need at module top: no import cycle inside storage.readers."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

READERS = Path(__file__).resolve().parents[1] / "storage" / "readers"
MODULES = sorted(p.stem for p in READERS.glob("*.py") if p.stem != "__init__")


def _nested_imports(path: Path) -> list[int]:
    """Line numbers of import statements inside a function or class body."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) and id(n) not in top]


@pytest.mark.parametrize("path", sorted(READERS.glob("*.py")), ids=lambda p: p.name)
def test_no_deferred_import(path: Path) -> None:
    assert _nested_imports(path) == []


def test_every_module_imports_first_in_a_fresh_interpreter() -> None:
    """Whichever reader module is imported first, the package loads (a cycle would fail one order)."""
    code = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module('storage.readers.' + name)\n"
    for name in MODULES:
        done = subprocess.run(
            [sys.executable, "-c", code, name], cwd=READERS.parents[1], capture_output=True, text=True
        )
        assert done.returncode == 0, f"{name}: {done.stderr}"


def test_storage_readers_do_not_import_cluster() -> None:
    code = "import sys, storage.readers.explain, storage.readers.guarded, storage.readers.conformance\n"
    code += "assert not [m for m in sys.modules if m == 'cluster' or m.startswith('cluster.')], sorted(sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], cwd=READERS.parents[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
