"""One self-contained HTML page of a night's stories: inline CSS, no scripts, no external assets.

Opened straight from disk (file://), mailed, or archived, it reads the same: each story with its
summary and the wire behind every sentence, credit line, who reported first, the wires with their
first report times, the timeline of versions and copies, and lineage. Every piece of wire text is
HTML-escaped.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from html import escape
from typing import Any

import duckdb

from cluster.summary.changes import describe
from storage import queries, store

#: Colours for wire chips: known wires get a fixed one, others one picked by a hash of the name.
WIRE_COLOURS = {"reuters": "#d35400", "afp": "#1f5fa8", "dpa": "#b0283a", "ap": "#2d2d2d", "ansa": "#1b7f5a"}
#: Exclusive sentences shown before the rest fold away.
EXCLUSIVES_SHOWN = 5
_PALETTE = ["#6b4fbb", "#0f7b8a", "#8a5a00", "#4b6b1f", "#a23b72", "#3a5a8c", "#7a4a2a"]

CSS = """
:root { --ink:#1d2327; --muted:#5f6b73; --line:#dde3e8; --bg:#f4f6f8; --card:#fff; --accent:#1f5fa8; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font:16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
header.page { background:#14202b; color:#fff; padding:28px 0 22px; }
.wrap { max-width:980px; margin:0 auto; padding:0 24px; }
header.page h1 { margin:0 0 6px; font-size:28px; letter-spacing:-.01em; }
header.page .sub { color:#b9c6d2; font-size:14px; }
.stats { display:flex; gap:12px; margin-top:16px; flex-wrap:wrap; }
.stat { background:#1f3040; border-radius:8px; padding:8px 14px; min-width:110px; }
.stat b { display:block; font-size:22px; }
.stat span { font-size:12px; color:#b9c6d2; text-transform:uppercase; letter-spacing:.05em; }
nav.toc { background:var(--card); border:1px solid var(--line); border-radius:10px; margin:22px 0; padding:14px 20px; }
nav.toc h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:0 0 8px; }
nav.toc ol { margin:0; padding-left:22px; }
nav.toc li { margin:3px 0; }
nav.toc a { color:var(--ink); text-decoration:none; }
nav.toc a:hover { text-decoration:underline; }
nav.toc .credit { color:var(--muted); font-size:13px; margin-left:6px; }
article.story { background:var(--card); border:1px solid var(--line); border-radius:10px; margin:0 0 22px;
  padding:20px 24px 14px; box-shadow:0 1px 2px rgba(0,0,0,.04); }
article.story h2 { margin:0 0 4px; font-size:22px; line-height:1.3; }
.credit-line { color:var(--muted); font-weight:600; margin-left:4px; font-size:15px; }
.meta { color:var(--muted); font-size:13px; margin:6px 0 12px; display:flex; flex-wrap:wrap; gap:4px 16px; }
.meta code { font-size:12px; background:var(--bg); padding:1px 5px; border-radius:4px; }
.chip { display:inline-block; font-size:11px; font-weight:700; letter-spacing:.03em; color:#fff; border-radius:4px;
  padding:1px 6px; margin:0 2px; vertical-align:1px; white-space:nowrap; }
.chip.also { background:#fff !important; border:1px solid currentColor; font-weight:600; }
h3 { font-size:12px; text-transform:uppercase; letter-spacing:.07em; color:var(--muted); margin:16px 0 6px; }
.summary p { margin:0 0 8px; }
.exclusive { border-left:3px solid var(--line); padding-left:12px; margin:0 0 6px; color:#333; font-size:15px; }
table { border-collapse:collapse; width:100%; font-size:14px; }
th, td { text-align:left; padding:5px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:12px; color:var(--muted); font-weight:600; text-transform:uppercase; letter-spacing:.04em; }
th.num, td.num { text-align:right; font-variant-numeric:tabular-nums; }
td.time { white-space:nowrap; font-variant-numeric:tabular-nums; color:#333; }
tr.first td { background:#f3f8ff; }
.role { font-size:12px; color:var(--muted); white-space:nowrap; }
.role.canonical { color:#1b7f5a; font-weight:600; }
.role.withdrawn { color:#b0283a; font-weight:600; }
tr.withdrawn td.hl { text-decoration:line-through; color:var(--muted); }
details { margin:8px 0 4px; }
details > summary { cursor:pointer; color:var(--accent); font-size:14px; }
.lineage { font-size:13px; color:var(--muted); margin:0; padding-left:18px; }
.legend { color:var(--muted); font-size:13px; margin:18px 0 -8px; }
.legend .chip { background:#5f6b73; }
.legend .chip.also { color:#5f6b73; }
section.changes { background:var(--card); border:1px solid var(--line); border-left:4px solid var(--accent);
  border-radius:10px; margin:22px 0; padding:14px 20px; }
section.changes h2 { font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); margin:0 0 8px; }
section.changes h4 { margin:10px 0 2px; font-size:15px; }
section.changes ul { margin:0; padding-left:20px; font-size:14px; }
footer { color:var(--muted); font-size:12px; text-align:center; padding:10px 0 30px; }
.empty { background:var(--card); border:1px dashed var(--line); border-radius:10px; padding:30px; text-align:center; color:var(--muted); }
@media print { body { background:#fff; } header.page { background:#fff; color:#000; } .stat { background:#eee; }
  article.story { break-inside:avoid; box-shadow:none; } details { display:block; } }
"""


def wire_colour(source: str) -> str:
    key = (source or "").lower()
    if key in WIRE_COLOURS:
        return WIRE_COLOURS[key]
    return _PALETTE[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(_PALETTE)]


def _chip(source: str, also: bool = False) -> str:
    colour = wire_colour(source)
    if also:
        return f'<span class="chip also" style="color:{colour}">{escape(source)}</span>'
    return f'<span class="chip" style="background:{colour}">{escape(source)}</span>'


def _t(value: Any, day: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%a %d %b %H:%M") if day else value.strftime("%H:%M")
    return escape(str(value))


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else ""


def _time(value: Any) -> str:
    return f'<time datetime="{escape(_iso(value))}">{escape(_t(value))}</time>' if value is not None else ""


def _role(a: dict[str, Any]) -> str:
    role = a.get("role") or ""
    text = role
    if a.get("version") is not None:
        text += f" v{a['version']}"
    if a.get("duplicate_of"):
        reason = a.get("duplicate_reason") or ""
        sim = f" {a['similarity']:.2f}" if reason == "near" and a.get("similarity") is not None else ""
        text += f" · {reason}{sim}"
    if a.get("pubstatus") == "withdrawn" and role != "withdrawn":
        text += " · killed"
    return f'<span class="role {escape(role)}">{escape(text)}</span>'


def render_story_html(s: dict[str, Any]) -> str:
    sid = escape(s["story_id"])
    parts = [f'<article class="story" id="{sid}">']
    parts.append(
        f"<h2>{escape(s.get('headline') or '(no headline)')}"
        + (f' <span class="credit-line">{escape(s["credit_line"])}</span>' if s.get("credit_line") else "")
        + "</h2>"
    )
    meta = [f"<span>story <code>{sid}</code></span>"]
    if s.get("first_source"):
        meta.append(f"<span>first: {_chip(s['first_source'])} {_time(s.get('first_reported_at'))} UTC</span>")
    meta.append(f"<span>{_time(s.get('first_seen'))} – {_time(s.get('last_seen'))}</span>")
    meta.append(f"<span>{int(s.get('n_articles') or 0)} articles, {int(s.get('n_sources') or 0)} wires</span>")
    if s.get("languages"):
        meta.append(f"<span>languages: {escape(', '.join(s['languages']))}</span>")
    parts.append('<div class="meta">' + "".join(meta) + "</div>")

    sentences = s.get("sentences") or []
    summary = [x for x in sentences if x["kind"] == "summary"]
    if summary:
        parts.append('<h3>Summary</h3><div class="summary">')
        for x in summary:
            also = "".join(_chip(w, also=True) for w in (x.get("also_sources") or []))
            parts.append(f"<p>{escape(x['sentence'])} {_chip(x['source'])}{also}</p>")
        parts.append("</div>")
    elif s.get("summary"):
        parts.append(f'<h3>Summary</h3><div class="summary"><p>{escape(s["summary"])}</p></div>')
    exclusives = [x for x in sentences if x["kind"] == "exclusive"]
    if exclusives:
        parts.append("<h3>Only one wire has</h3>")
        shown, more = exclusives[:EXCLUSIVES_SHOWN], exclusives[EXCLUSIVES_SHOWN:]
        for x in shown:
            parts.append(f'<p class="exclusive">{_chip(x["source"])} {escape(x["sentence"])}</p>')
        if more:
            parts.append(f"<details><summary>{len(more)} more</summary>")
            for x in more:
                parts.append(f'<p class="exclusive">{_chip(x["source"])} {escape(x["sentence"])}</p>')
            parts.append("</details>")

    wires = s.get("wires") or []
    if wires:
        parts.append(
            "<h3>Wires</h3><table><thead><tr><th>wire</th><th>first report</th><th>latest</th>"
            "<th class=num>articles</th><th class=num>items</th></tr></thead><tbody>"
        )
        for i, w in enumerate(wires):
            cls = ' class="first"' if i == 0 else ""
            parts.append(
                f"<tr{cls}><td>{_chip(w['source'])}{' first' if i == 0 else ''}</td>"
                f'<td class="time">{_time(w["first_reported_at"])}</td><td class="time">{_time(w["last_reported_at"])}</td>'
                f'<td class="num">{int(w["n_articles"])}</td><td class="num">{int(w["n_items"])}</td></tr>'
            )
        parts.append("</tbody></table>")

    articles = s.get("articles") or []
    if articles:
        open_attr = " open" if len(articles) <= 8 else ""
        parts.append(f"<details{open_attr}><summary>Timeline: {len(articles)} versions and copies</summary>")
        parts.append(
            "<table><thead><tr><th>time (UTC)</th><th>wire</th><th>role</th><th>headline</th></tr></thead><tbody>"
        )
        for a in articles:
            cls = ' class="withdrawn"' if a.get("role") == "withdrawn" or a.get("pubstatus") == "withdrawn" else ""
            parts.append(
                f'<tr{cls}><td class="time">{_time(a["event_time"])}</td><td>{_chip(a["source"])}</td>'
                f'<td>{_role(a)}</td><td class="hl">{escape(a.get("headline") or "")}</td></tr>'
            )
        parts.append("</tbody></table></details>")

    lineage = s.get("lineage") or []
    if lineage:
        parts.append('<h3>Lineage</h3><ul class="lineage">')
        for step in lineage:
            parts.append(
                f"<li>{escape(step['old_story_id'])} → {escape(step['new_story_id'])}: {escape(step['reason'])}, "
                f"{int(step.get('n_articles') or 0)} articles (run {escape(step['run_id'])})</li>"
            )
        parts.append("</ul>")
    parts.append("</article>")
    return "\n".join(parts)


def render_changes_html(stories: list[dict[str, Any]], changes: dict[str, list[dict[str, Any]]]) -> str:
    """The "Changed tonight" section: what the run changed in each story, read before the stories."""
    parts = ['<section class="changes" id="changed-tonight"><h2>Changed tonight</h2>']
    listed = [s for s in stories if changes.get(s["story_id"])]
    if not listed:
        parts.append("<p>No story changed in this run.</p>")
    for s in listed:
        sid = escape(s["story_id"])
        parts.append(f'<h4><a href="#{sid}">{escape(s.get("headline") or s["story_id"])}</a></h4><ul>')
        parts.extend(f"<li>{escape(describe(c))}</li>" for c in changes[s["story_id"]])
        parts.append("</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def render_page(
    stories: list[dict[str, Any]],
    title: str,
    subtitle: str,
    run: dict[str, Any] | None = None,
    changes: dict[str, list[dict[str, Any]]] | None = None,
) -> str:
    wires = sorted({w for s in stories for w in (s.get("sources") or [])})
    multi = sum(1 for s in stories if (s.get("n_sources") or 0) >= 2)
    stats = [
        (len(stories), "stories"),
        (multi, "multi-wire"),
        (sum(int(s.get("n_articles") or 0) for s in stories), "articles"),
        (len(wires), "wires"),
    ]
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="wirestory">',
        f"<title>{escape(title)}</title>",
        f"<style>{CSS}</style>",
        "</head><body>",
        f'<header class="page"><div class="wrap"><h1>{escape(title)}</h1><div class="sub">{escape(subtitle)}</div>',
        '<div class="stats">'
        + "".join(f'<div class="stat"><b>{n}</b><span>{escape(label)}</span></div>' for n, label in stats)
        + "</div>",
        "</div></header>",
        '<main class="wrap">',
    ]
    if not stories:
        out.append('<p class="empty">No stories for this night.</p>')
    else:
        out.append(
            '<p class="legend">Each summary sentence ends with the wire it is quoted from <span class="chip">wire</span> and, outlined, '
            'the other wires that carry the same fact <span class="chip also">wire</span>.</p>'
        )
        out.append('<nav class="toc"><h2>Stories</h2><ol>')
        for s in stories:
            credit = f'<span class="credit">{escape(s["credit_line"])}</span>' if s.get("credit_line") else ""
            out.append(
                f'<li><a href="#{escape(s["story_id"])}">{escape(s.get("headline") or s["story_id"])}</a>{credit}</li>'
            )
        out.append("</ol></nav>")
        if changes is not None:
            out.append(render_changes_html(stories, changes))
        out.extend(render_story_html(s) for s in stories)
    run_note = f" · run {escape(run['run_id'])} ({escape(str(run.get('status')))})" if run else ""
    out.append(f"</main><footer>Generated by wirestory{run_note}. All times UTC.</footer></body></html>")
    return "\n".join(out) + "\n"


def build_report(
    con: duckdb.DuckDBPyConnection, run_id: str | None = None, since: datetime | None = None, title: str | None = None
) -> tuple[str, int]:
    """The page for a run (default: the latest finished night) or for stories since a time; (html, n stories)."""
    run = None
    if since is None:
        run = queries.run(con, run_id) if run_id else store.last_night(con)
        if run is None:
            raise LookupError(f"no run {run_id}" if run_id else "no finished night in this database yet")
    ids = queries.report_story_ids(con, run_id=run["run_id"] if run else None, since=since)
    stories = [st for st in (queries.story(con, i) for i in ids) if st is not None]
    if run is not None:
        when = run.get("window_end") or run.get("started_at")
        default_title = f"Night of {when:%A %d %B %Y}" if isinstance(when, datetime) else "Night report"
        subtitle = (
            f"{run['command']} run {run['run_id']}, started {run['started_at']:%Y-%m-%d %H:%M} UTC, {run['status']}"
        )
    else:
        default_title = f"Stories since {since:%d %B %Y %H:%M}"
        subtitle = f"Active stories last seen at or after {since:%Y-%m-%d %H:%M} UTC"
    changes = queries.run_changes(con, run["run_id"]) if run is not None else None
    return render_page(stories, title or default_title, subtitle, run, changes), len(stories)
