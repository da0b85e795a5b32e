"""What changed in a story tonight: the night editor's first read.

A story's summary is rewritten whenever its members change; comparing the summary stored before
with the one written now tells the editor what is new without rereading the story: sentences not
in last night's summary, wires that joined, figures that moved (dead 14 -> 19) and states that
flipped (strike on -> over). A plain function of the two summaries, so it is tested without a
database; cluster.stages.summarize stores its records in the summary's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cluster.summary.figures import facts


@dataclass(frozen=True)
class Line:
    """One summary sentence with the wire and article it is quoted from."""

    text: str
    source: str
    article_id: str


@dataclass(frozen=True)
class Snapshot:
    """A story's summary as stored at one moment: its sentences, leading first, and its wires."""

    headline: str | None
    lines: tuple[Line, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Change:
    kind: str
    position: int
    detail: str | None = None
    source: str | None = None
    article_id: str | None = None
    old_value: str | None = None
    new_value: str | None = None


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _value(v: float | str) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _facts(lines: Sequence[Line]) -> dict[str, tuple[str, Line]]:
    """Fact key -> (value, line stating it); the first line wins, as current facts lead a summary."""
    out: dict[str, tuple[str, Line]] = {}
    for line in lines:
        for key, v in facts(line.text).items():
            out.setdefault(key, (_value(v), line))
    return out


def story_changes(old: Snapshot | None, new: Snapshot) -> list[Change]:
    """The changes from `old` (None: the story did not exist) to `new`, ordered by kind."""
    if old is None:
        first = new.sources[0] if new.sources else None
        return [Change("new_story", 0, new.headline, first, new.lines[0].article_id if new.lines else None)]
    out: list[Change] = []
    joined = [w for w in new.sources if w not in set(old.sources)]
    out += [Change("wire_joined", i, w, w) for i, w in enumerate(joined)]
    before, after = _facts(old.lines), _facts(new.lines)
    figures = [k for k in after if not k.startswith("state:") and k in before and before[k][0] != after[k][0]]
    out += [
        Change("figure_changed", i, k, after[k][1].source, after[k][1].article_id, before[k][0], after[k][0])
        for i, k in enumerate(figures)
    ]
    states = [k for k in after if k.startswith("state:") and k in before and before[k][0] != after[k][0]]
    out += [
        Change(
            "status_changed",
            i,
            k.removeprefix("state:"),
            after[k][1].source,
            after[k][1].article_id,
            before[k][0],
            after[k][0],
        )
        for i, k in enumerate(states)
    ]
    seen = {_norm(line.text) for line in old.lines}
    fresh = [line for line in new.lines if _norm(line.text) not in seen]
    out += [Change("new_fact", i, line.text, line.source, line.article_id) for i, line in enumerate(fresh)]
    return out


_LABELS = {"dead": "death toll"}


def _when(at: Any) -> str:
    return f" {at:%a %H:%M}" if isinstance(at, datetime) else ""  # the day: an older sentence can be new to the summary


def describe(row: dict[str, Any]) -> str:
    """One editor-readable line for a stored change ("Reuters Fri 14:20: death toll 14 → 19")."""
    who = f"{row.get('source') or '?'}{_when(row.get('reported_at'))}"
    kind = row["kind"]
    if kind == "new_story":
        return f"new story, first from {who}: {row.get('detail') or ''}".rstrip(": ")
    if kind == "wire_joined":
        return f"{row['detail']} joined"
    if kind == "figure_changed":
        return f"{who}: {_LABELS.get(row['detail'], row['detail'])} {row['old_value']} → {row['new_value']}"
    if kind == "status_changed":
        return f"{who}: {row['detail']}: {row['old_value']} → {row['new_value']}"
    return f"{who}: new: {row['detail']}"
