"""IPTC 7901 (dpa and others): SOH header line, keywords, STX head block ending in "=", text, ETX.

7901 carries no item id or version, only a per-service serial number, so the item key is derived
from the content; cross-format duplicates (the same dpa story as digitalwires JSON or NewsML-G2) are
left to near-duplicate detection on headline and body. dpa's converter appends the notepad as
Markdown ("# Notizblock"), and dpa's English service ends with "The following information is not
for publication": both are the ednote, not story text. The keyword lines ("Germany-politics/")
are the slugline, as is a line standing alone above the headline (ATS/SDA). The trailer is
wall-clock time of the wire (dpa: Berlin; `_common.HOME_ZONES`), also as the last line of a
message saved without ETX. With no wire in the header, the agency mark of the opening dateline
names the source.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from storage.readers._common import canonical_source, decode, home_zone, synthetic_key
from storage.readers.errors import ReaderError
from storage.readers.normalise import local_time
from storage.records import Article, Rejected, Skipped, clean_text

_HEADER = re.compile(r"^\s*(?:\x01\s*)?([a-z]{2,4}\d{2,5})\s+(\d)\s+([a-z]{1,3})\s+(\d+)\s+(.*?)\s+(\d{3,4})\s*$", re.M)
_PAREN_END = re.compile(r"\)[ \t]*$", re.M)
_BYLINE = re.compile(r"^(By|Von|Par|Por|Av)\s", re.I)
_NOTEPAD = re.compile(r"^#\s*Notizblock\s*$|^.*The following information is not (?:intended )?for publication.*$", re.M)
_TRAILER = re.compile(r"(\d\d)(\d\d)(\d\d)\s*(?:GMT\s*)?([A-Za-z][a-z]{2})\s+(\d\d)")
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
#: The head block ends with "=" at the end of a line, trailing spaces or not.
_END_OF_HEAD = re.compile(r"=[ \t]*\n")
_COPY_MARK = re.compile(r"^\s*[^\n()]{1,60}?\(([A-Za-z]{2,15})(?:/[^()]{1,20})?\)")


def sniff(data: bytes) -> bool:
    # The header is the first line that has text: a message saved without its SOH may open with blank lines.
    head = decode(data[:300]).lstrip("\r\n ") if len(data) >= 1 else ""
    match = _HEADER.search(head.split("\n", 2)[0] if head.startswith("\x01") else head.split("\n", 1)[0])
    return bool(match)


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    text = decode(data).replace("\r", "")
    header = _HEADER.search(text[:300])
    if not header:
        raise ReaderError("IPTC 7901: no header line")
    pre, stx, rest = text.partition("\x02")
    if not stx:
        pre, rest = text[: header.end()], text[header.end() :].lstrip("\n ")
        while rest.split("\n", 1)[0].rstrip().endswith("/"):
            keyword_line, _, rest = rest.partition("\n")
            pre += "\n" + keyword_line
    story, etx, trailer = rest.partition("\x03")
    if not etx:
        # Saved without ETX: the trailer ("211005 jan 19") is the copy's last line.
        last = story.rstrip().rpartition("\n")
        if _TRAILER.fullmatch(last[2].strip()):
            story, trailer = last[0], last[2]
    end_of_head = _END_OF_HEAD.search(story)
    head, body = (story[: end_of_head.start()], story[end_of_head.end() :]) if end_of_head else ("", story)
    keyword_line = ""
    first, blank, after = head.lstrip("\n").partition("\n\n")
    if blank and after.strip() and "\n" not in first.strip() and not keywords_in(pre, header.end()):
        # A line standing alone above the headline is the keyword line (ATS/SDA), as dpa's "a/b/" lines are.
        keyword_line, head = first.strip(), after
    spans = _paren_blocks(head)
    markers = [head[a:b] for a, b in spans]
    kept = "".join(head[a:b] for a, b in zip([0] + [e for _, e in spans], [s for s, _ in spans] + [len(head)]))
    lines = [ln.strip() for ln in kept.split("\n") if ln.strip()]
    byline = next((ln for ln in lines if _BYLINE.match(ln)), None)
    flags = [ln for ln in lines if ln != byline and ln.upper() == ln and any(c.isalpha() for c in ln)]
    flagged = set(flags)
    headline = clean_text(" ".join(ln for ln in lines if ln != byline and ln not in flagged))
    body, note = _split_note(body)
    paragraphs = re.split(r"\n[ \t]*\n", body)
    body = clean_text("\n\n".join(" ".join(p.split()) for p in paragraphs))
    if not headline and not body:
        return [Skipped("IPTC 7901 message without headline or text")]
    source = canonical_source(header.group(5)) or _copy_agency(body) or "unknown"
    signals = [clean_text(m).replace("\n", " ") for m in markers] + flags
    if any(re.search(r"Berichtigung|KORR|CORRECTION", s, re.I) for s in signals):
        signals.append("Correction")
    keywords = keywords_in(pre, header.end()) or ([keyword_line] if keyword_line else [])
    return [
        Article(
            source=source,
            item_key=synthetic_key("iptc7901", source, headline, body[:2000]),
            headline=headline,
            body=body,
            version_created=_trailer_time(trailer, home_zone(source) or "UTC"),
            byline=clean_text(byline.rstrip(" =")) if byline else None,
            slugline="/".join(clean_text(k) for k in keywords) or None,
            ednote=clean_text(note) or None,
            signals=tuple(dict.fromkeys(s for s in signals if s)),
            format="iptc7901",
            raw=data,
        )
    ]


def keywords_in(pre: str, start: int) -> list[str]:
    """The dpa-style keyword lines ("Germany-politics/") between the header and STX."""
    return [k.strip() for k in pre[start:].strip().split("/") if k.strip()]


def _copy_agency(body: str) -> str | None:
    """The wire named in the dateline the copy opens with ("Genève (ats) Le ..."), when the header names none."""
    match = _COPY_MARK.match(body)
    return canonical_source(match.group(1)) if match else None


def _split_note(story: str) -> tuple[str, str]:
    """(story text, ednote), split at the notepad or "not for publication" line."""
    match = _NOTEPAD.search(story)
    return (story[: match.start()], story[match.end() :]) if match else (story, "")


def _paren_blocks(head: str) -> list[tuple[int, int]]:
    """Spans of editorial markers: a line starting with "(" up to the next ")" that ends a line.

    Once no ")" ends a line after some "(", none can for a later one either, so the scan stops
    there: linear time, where the lazy multi-line regex it replaces was quadratic.
    """
    spans: list[tuple[int, int]] = []
    start = 0 if head.startswith("(") else _next_paren_line(head, 0)
    while start >= 0:
        end = _PAREN_END.search(head, start + 1)
        if end is None:
            break
        spans.append((start, end.end()))
        start = _next_paren_line(head, end.end())
    return spans


def _next_paren_line(head: str, pos: int) -> int:
    found = head.find("\n(", pos)
    return found + 1 if found >= 0 else -1


def _trailer_time(trailer: str, zone: str) -> datetime | None:
    """ETX trailer "241205 Sep 24" = day 24, 12:05, September, year 2024, wall clock of `zone`."""
    match = _TRAILER.search(trailer)
    if not match or match.group(4).title() not in _MONTHS:
        return None
    day, hour, minute, month, year = match.groups()
    month = month.title()
    try:
        wall = datetime(2000 + int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute))
    except ValueError:
        return None
    return wall.replace(tzinfo=timezone.utc) if zone == "UTC" else local_time(wall, zone)
