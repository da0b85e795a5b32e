"""Plain-text rendering of one story, as an editor reads it in a terminal."""

from __future__ import annotations

import textwrap
from typing import Any


def _t(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None and hasattr(value, "strftime") else str(value or "")


#: How a timeline row relates to the article it duplicates, by `duplicates.reason`.
_DUPLICATE_WORDS = {
    "version": "superseded by",
    "redelivery": "redelivered as",
    "exact": "copy of",
    "near": "near-copy of",
}
#: Headlines in references are cut to about this many characters.
REF_HEADLINE_CHARS = 60


def article_ref(source: str, at: Any, headline: str | None, day: Any = None) -> str:
    """'AP 09:40 Dockworkers strike …': an article as an editor names it (its id is for --json).

    The date is given only when `at` falls on another day than `day`, the story's first day.
    """
    when = ""
    if at is not None and hasattr(at, "strftime"):
        same_day = day is not None and hasattr(day, "date") and at.date() == day.date()
        when = at.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M")
    title = " ".join((headline or "").split())
    if len(title) > REF_HEADLINE_CHARS:
        title = title[:REF_HEADLINE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–—") + " …"
    return " ".join(part for part in (source, when, title) if part)


def render_story(s: dict[str, Any]) -> str:
    lines: list[str] = []
    for step in s.get("resolved_from", []):
        lines.append(f"{step['old_story_id']} was merged into {step['new_story_id']} (run {step['run_id']})")
    lines.append(f"{s['story_id']}  [{s['status']}]  {_t(s['first_seen'])} .. {_t(s['last_seen'])}")
    if s.get("headline"):
        lines.append("")
        lines.append(s["headline"] + (f"  {s['credit_line']}" if s.get("credit_line") else ""))
    if s.get("first_source"):
        lines.append(f"First reported by {s['first_source']} at {_t(s['first_reported_at'])} UTC")
    if s.get("languages"):
        lines.append("Languages: " + ", ".join(s["languages"]))
    if s.get("wires"):
        lines.append("")
        lines.append("Wires:")
        for w in s["wires"]:
            n_items = w.get("n_items")
            items = f", {n_items} item{'s' if n_items != 1 else ''}" if n_items and n_items != w["n_articles"] else ""
            lines.append(
                f"  {w['source']:<8} first {_t(w['first_reported_at'])}  latest {_t(w['last_reported_at'])}  "
                f"{w['n_articles']} article{'s' if w['n_articles'] != 1 else ''}{items}"
            )
    summary = [x for x in s["sentences"] if x["kind"] == "summary"]
    if summary:
        lines.append("")
        lines.append("Summary:")
        for x in summary:
            also = f"; also {', '.join(x['also_sources'])}" if x["also_sources"] else ""
            lines.append(
                textwrap.fill(
                    f"{x['sentence']} [{x['source']}{also}]", 100, initial_indent="  ", subsequent_indent="    "
                )
            )
    exclusives = [x for x in s["sentences"] if x["kind"] == "exclusive"]
    if exclusives:
        lines.append("")
        lines.append("Only here:")
        for x in exclusives:
            lines.append(
                textwrap.fill(f"{x['source']}: {x['sentence']}", 100, initial_indent="  ", subsequent_indent="    ")
            )
    lines.append("")
    lines.append("Timeline:")
    for a in s["articles"]:
        version = f" v{a['version']}" if a["version"] is not None else ""
        dup = ""
        if a.get("duplicate_of"):
            target = article_ref(
                a.get("duplicate_source") or "",
                a.get("duplicate_time"),
                a.get("duplicate_headline"),
                s.get("first_seen"),
            )
            dup = f" ({_DUPLICATE_WORDS.get(a['duplicate_reason'], 'duplicate of')} {target or 'an article no longer stored'})"
        lines.append(f"  {_t(a['event_time'])}  {a['source']:<8} {a['role']:<9}{version}  {a['headline'] or ''}{dup}")
    if s["lineage"]:
        lines.append("")
        lines.append("Lineage:")
        for step in s["lineage"]:
            lines.append(
                f"  {step['run_id']}: {step['old_story_id']} -> {step['new_story_id']} ({step['reason']}, {step['n_articles']} articles)"
            )
    return "\n".join(lines)
