"""Expand command-line inputs (files, folders, globs) into a deterministic list of files to ingest.

Problems (missing paths, symlink loops, unreadable folders) come back as (path, reason) pairs for
the quarantine table instead of stopping the night's run. An argument that names nothing at all is
a typo, which the CLI refuses before the night starts (`missing_arguments`).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(root: Path, files: list[Path], problems: list[tuple[str, str]]) -> None:
    """Recursive, sorted walk that follows symlinked folders once and reports loops."""
    seen: set[tuple[int, int]] = set()

    def visit(folder: Path) -> None:
        try:
            st = folder.stat()
        except OSError as exc:
            problems.append((str(folder), f"cannot stat folder: {exc.strerror or exc}"))
            return
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            problems.append((str(folder), "symlink loop: folder already visited"))
            return
        seen.add(ident)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            problems.append((str(folder), f"cannot list folder: {exc.strerror or exc}"))
            return
        for entry in entries:
            if _hidden(entry.name):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    visit(path)
                elif entry.is_file():
                    files.append(path)
                else:
                    problems.append((str(path), "not a regular file (broken symlink or special file)"))
            except OSError as exc:
                problems.append((str(path), f"cannot read: {exc.strerror or exc}"))

    visit(root)


def expand_inputs(paths: Sequence[str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files in argument order (folders and globs expanded in sorted order), without duplicates."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for arg in paths:
        matches = sorted(glob.glob(arg, recursive=True)) if glob.has_magic(arg) else [arg]
        if not matches:
            problems.append((arg, "no file matches this pattern"))
        for match in matches:
            path = Path(match)
            if glob.has_magic(arg) and any(_hidden(part) for part in path.parts if part not in (".", "..")):
                continue
            if path.is_dir():
                _walk(path, files, problems)
            elif path.is_file():
                files.append(path)
            elif path.is_symlink():
                problems.append((match, "broken symlink or symlink loop"))
            else:
                problems.append((match, "no such file or folder"))
    unique: dict[Path, None] = {}
    for f in files:
        unique.setdefault(f, None)
    return list(unique), problems


def missing_arguments(paths: Sequence[str]) -> list[tuple[str, str]]:
    """Arguments that name nothing at all (a typo, not bad input): a path that does not exist or a
    glob that matches nothing. An existing empty folder is not missing: it is an empty night."""
    missing = []
    for arg in paths:
        if glob.has_magic(arg):
            if not glob.glob(arg, recursive=True):
                missing.append((arg, "no file matches this pattern"))
        elif not os.path.lexists(arg):
            missing.append((arg, "no such file or folder"))
    return missing
