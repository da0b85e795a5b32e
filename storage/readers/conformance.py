"""Run every reader over a folder of real wire samples and tabulate files/items/skipped/quarantined.

Shared by tests/test_wire_conformance.py and scripts/wire_conformance.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from storage.readers import ReaderError, read_file
from storage.records import Article, Skipped

EXCLUDED = {"schemas", "README.txt", "MANIFEST.json"}


@dataclass
class FileResult:
    path: Path
    format: str
    items: list[Article | Skipped] = field(default_factory=list)
    error: str | None = None


def sample_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not EXCLUDED & set(p.relative_to(root).parts))


def run(root: Path) -> list[FileResult]:
    results = []
    for path in sample_files(root):
        try:
            name, items = read_file(path)
            results.append(FileResult(path, name, items))
        except ReaderError as exc:
            results.append(FileResult(path, "quarantined", error=str(exc)))
    return results


def table(results: list[FileResult]) -> str:
    files, items, skipped = Counter(), Counter(), Counter()
    for r in results:
        files[r.format] += 1
        items[r.format] += sum(isinstance(i, Article) for i in r.items)
        skipped[r.format] += sum(isinstance(i, Skipped) for i in r.items)
    rows = [f"{'format':<14}{'files':>7}{'items':>7}{'skipped':>9}{'quarantined':>13}"]
    for name in sorted(files, key=lambda n: (n == "quarantined", n)):
        quarantined = files[name] if name == "quarantined" else 0
        rows.append(f"{name:<14}{files[name]:>7}{items[name]:>7}{skipped[name]:>9}{quarantined:>13}")
    rows.append(f"{'total':<14}{sum(files.values()):>7}{sum(items.values()):>7}{sum(skipped.values()):>9}{files['quarantined']:>13}")
    rows += [f"  quarantined {Path(*r.path.parts[-3:])}: {r.error}" for r in results if r.error]
    return "\n".join(rows)
