"""Run every reader over a folder of real wire samples and tabulate files/items/skipped/quarantined.

Shared by tests/test_wire_conformance.py and scripts/wire_conformance.py.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from storage.readers import Item, ReaderError, read_each, read_file
from storage.records import Article, Skipped

EXCLUDED = {"schemas", "README.txt", "MANIFEST.json"}


@dataclass
class FileResult:
    path: Path
    format: str
    items: list[Item] = field(default_factory=list)
    error: str | None = None


def sample_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not EXCLUDED & set(p.relative_to(root).parts))


def run(root: Path) -> list[FileResult]:
    return [
        FileResult(path, "quarantined", error=str(got)) if isinstance(got, ReaderError) else FileResult(path, *got)
        for path, got in read_each(sample_files(root), read_file)
    ]


def table(results: list[FileResult]) -> str:
    files: Counter[str] = Counter()
    items: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for r in results:
        files[r.format] += 1
        items[r.format] += sum(isinstance(i, Article) for i in r.items)
        skipped[r.format] += sum(isinstance(i, Skipped) for i in r.items)
    rows = [f"{'format':<14}{'files':>7}{'items':>7}{'skipped':>9}{'quarantined':>13}"]
    for name in sorted(files, key=lambda n: (n == "quarantined", n)):
        quarantined = files[name] if name == "quarantined" else 0
        rows.append(f"{name:<14}{files[name]:>7}{items[name]:>7}{skipped[name]:>9}{quarantined:>13}")
    rows.append(
        f"{'total':<14}{sum(files.values()):>7}{sum(items.values()):>7}{sum(skipped.values()):>9}{files['quarantined']:>13}"
    )
    rows += [f"  quarantined {Path(*r.path.parts[-3:])}: {r.error}" for r in results if r.error]
    return "\n".join(rows)


#: The fields `field_counts` tabulates, as editors name them.
FIELDS = (
    "headline",
    "slugline",
    "byline",
    "dateline",
    "body",
    "ednote",
    "subjects",
    "language",
    "source",
    "url",
    "version",
    "version_created",
    "first_created",
    "signals",
)


def _has(article: Article, name: str) -> bool:
    value = getattr(article, name)
    return value not in (None, "", ()) and not (name == "source" and value == "unknown")


def field_counts(results: list[FileResult]) -> dict[str, tuple[int, Counter[str]]]:
    """Per format: (files with at least one article, files in which some article has each field)."""
    out: dict[str, tuple[int, Counter[str]]] = {}
    for r in results:
        arts = [i for i in r.items if isinstance(i, Article)]
        if not arts:
            continue
        n, counts = out.get(r.format, (0, Counter()))
        counts.update(name for name in FIELDS if any(_has(a, name) for a in arts))
        out[r.format] = (n + 1, counts)
    return out
