"""ANPA-1312 (AP's legacy wire): SYN SYN SOH header, STX text, ETX trailer, 8-bit text.

ANPA carries no item id. The keyword slug and date of the header line name the story across its
writethrus, so they form the item key; the writethru label goes into `signals` (no numeric version).
"Eds:" and "EDITOR'S NOTE _" lines are the ednote, without that prefix.

A message saved as plain text loses its control characters (Kyodo's ANPA as stored by a receiving
system): it is still ANPA when its first line is the service line ("a0105KYODOkoko-") and its
second the header ("u s BC-Soccer-Cup   09-12 0344"). Then the keyword line follows, the
headline runs to the first indented line, each indented line (and a "==Kyodo" sign-off) opens a
paragraph, and the last line
is the trailer ("KWS-21:37-09-12-18": 21:37 on 9 December 2018, the wire's own zone).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from storage.readers._common import canonical_source, decode, home_zone
from storage.readers.errors import ReaderError
from storage.records import Article, Rejected, Skipped, clean_text

#: The label is optional and lazy, so a run of spaces has one way to match (not `\s+(\S*?)\s*`).
_HEADER = re.compile(r"[\x13\x14][\x11\x12]\s*(\S+)\s+(?:(\S+?)\s*)??(\d\d-\d\d)\s+(\d*)")
_TRAILER = re.compile(r"(\d\d)-(\d\d)-(\d\d) (\d\d)(\d\d)GMT")
_NOT_HEADLINE = re.compile(r"^(AP Photo|\(?Eds?:|By |EDITOR'S NOTE|\*)", re.I)
#: The keyword after the category's "--" runs to the first space or comma, whatever its letters
#: ("AT&T-Merger", "Zürich-Bank", "O'Neill-Obit").
_SLUG = re.compile(r"--([^\s,<>^]+)")
_SLUG_NO_CATEGORY = re.compile(r"^(?:[A-Z]{2}-)?([^,<]+)")
#: A keyword line opens with its selector or category ("BC-US--...", "AP-Top-...", "LT--..."), not
#: with a headline or body text.
_KEYWORD_LINE = re.compile(r"^[\x02 ]*\^?(?:\*\S*\s*\^)?(?:(?:BC|AP|AM|PM)-|[A-Za-z]{1,4}--)", re.I)
_EDNOTE = re.compile(r"^\(?\s*(?:Eds?:|EDITOR'S NOTE\s*_)\s*(.*?)\s*\)?$", re.S)
_WRITETHRU = re.compile(r"\b(\d+(?:st|nd|rd|th)\s*Ld-Writethru|Writethru|Correction|Kill|Elimination)\b", re.I)


_PLAIN_SERVICE = re.compile(r"^[a-z]\d{4}[A-Za-z][\w-]*\s*$")
_PLAIN_HEADER = re.compile(r"^[a-z] [a-z]{1,2}\s+(\S+)\s+(?:(\S+?)\s+)??(\d\d-\d\d)\s+(\d{3,4})\s*$")
_PLAIN_TRAILER = re.compile(r"^[A-Z]{2,5}-(\d\d):(\d\d)-(\d\d)-(\d\d)-(\d\d)\s*$")


def _plain_lines(data: bytes) -> list[str] | None:
    """The lines of an ANPA message saved without control characters; None when it is not one."""
    if b"\x01" in data[:64] or b"\x02" in data[:512]:
        return None
    lines = decode(data[:65536] if len(data) > 65536 else data).replace("\r", "").split("\n")
    if len(lines) < 4 or not _PLAIN_SERVICE.match(lines[0]) or not _PLAIN_HEADER.match(lines[1]):
        return None
    return lines


def sniff(data: bytes) -> bool:
    head = data.lstrip(b"\r\n ")[:64]
    return (
        head.startswith(b"\x16\x16\x01")
        or (head.startswith(b"\x01") and bool(re.search(rb"[\x13\x14][\x11\x12]", data[:256])))
        or _plain_lines(data[:512]) is not None
    )


def slugline(keyword_line: str) -> str:
    """The story keyword of "BC-LT--Argentina-Cancer Beauty,466": the word after the category's "--",
    without take key, version label or word count; lines without a category keep their words.
    A category with no keyword after it ("BC-LT--,466") gives "" so the caller can fall back."""
    rest = keyword_line.split("^")[-1].strip()
    if "--" in rest:
        found = _SLUG.search(rest)
        return found.group(1).strip("-") if found else ""
    plain = _SLUG_NO_CATEGORY.match(rest)
    return plain.group(1).strip(" -") if plain else ""


def _line(raw: str) -> str:
    return raw.strip().lstrip("^").rstrip("<=").strip()


def _read_plain(lines: list[str], data: bytes) -> list[Article | Skipped | Rejected]:
    """An ANPA message whose control characters were lost: the layout says what each line is."""
    header = _PLAIN_HEADER.match(lines[1])
    assert header is not None  # _plain_lines checked it
    keyword, label, date, _ = header.groups("")
    rest = lines[2:]
    while rest and not rest[-1].strip():
        rest.pop()
    trail = _PLAIN_TRAILER.match(rest[-1]) if rest else None
    if trail:
        rest.pop()
    slug = rest.pop(0).strip() if rest and _KEYWORD_LINE.match(rest[0]) else ""
    head: list[str] = []
    while rest and rest[0].strip() and not rest[0][:1].isspace():
        head.append(rest.pop(0).strip())
    paragraphs: list[str] = []
    for line in rest:
        if not line.strip():
            continue
        if line[:1].isspace() or line.startswith("==") or not paragraphs:
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    headline = clean_text(" ".join(head).rstrip("+ "))
    body = clean_text("\n\n".join(paragraphs))
    if not headline and not body:
        return [Skipped("ANPA message without headline or text", keyword)]
    # The service line may name the wire ("a0105KYODOkoko-"); else its "==Kyodo" sign-off does.
    signoffs = [p.lstrip("= ") for p in paragraphs if p.startswith("==")]
    source = canonical_source(lines[0], *signoffs) or "unknown"
    created = None
    if trail:
        hour, minute, day, month, year = (int(x) for x in trail.groups())
        try:
            wall = datetime(2000 + year, month, day, hour, minute)
        except ValueError:
            wall = None
        zone = home_zone(source)
        created = wall.replace(tzinfo=ZoneInfo(zone) if zone else timezone.utc) if wall else None
    signals = tuple(dict.fromkeys(re.sub(r"\s+", "", m.group(1)) for m in _WRITETHRU.finditer(f"{label} {slug}")))
    return [
        Article(
            source=source,
            item_key=f"anpa:{keyword}:{date}",
            headline=headline,
            body=body,
            version_created=created,
            slugline=slugline(slug) or slugline(keyword) or keyword,
            signals=signals,
            format="anpa",
            raw=data,
        )
    ]


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    plain = _plain_lines(data)
    if plain is not None:
        return _read_plain(plain, data)
    text = decode(data)
    header = _HEADER.search(text[:512])
    if "\x02" not in text or not header:
        raise ReaderError("ANPA: no header line or no STX start of text")
    keyword, label, date, _ = header.groups("")
    body_text, _, trailer = text.partition("\x02")[2].partition("\x03")
    lines = [ln for ln in body_text.replace("\r", "").split("\n")]
    # The keyword line is the first line when it is one; copy that opens with an "Eds:" note or the
    # text itself has none, and the header's (shortened) keyword stands in.
    slug = _line(lines.pop(0)) if lines and _KEYWORD_LINE.match(lines[0]) else ""
    headline = ""
    byline: list[str] = []
    notes: list[str] = []
    rest: list[str] = []
    in_head = True
    for raw in lines:
        line = _line(raw)
        if in_head and raw.startswith("^") and line:
            if line.startswith(("AP Photo", "Eds:", "(Eds", "EDITOR'S NOTE")):
                notes.append(line)
                continue
            if line.startswith("By ") or (byline and line in ("Associated Press", "AP")):
                byline.append(line)
                continue
            if not headline and not _NOT_HEADLINE.match(line):
                headline = line
                continue
        if line:
            in_head = False
        rest.append(line)
    body = clean_text("\n\n".join(p for p in rest if p))
    headline = clean_text(headline)
    if not headline and not body:
        return [Skipped("ANPA message without headline or text", keyword)]
    trail = _TRAILER.search(trailer)
    created = None
    if trail:
        mo, d, y, h, mi = (int(x) for x in trail.groups())
        created = datetime(2000 + y, mo, d, h, mi, tzinfo=timezone.utc)
    signals = tuple(dict.fromkeys(re.sub(r"\s+", "", m.group(1)) for m in _WRITETHRU.finditer(f"{label} {slug}")))
    # An "EDITOR'S NOTE _" is the note to readers' editors; "Eds:" lines are routine desk notes.
    ranked = sorted(notes, key=lambda n: not n.startswith("EDITOR'S NOTE"))
    ednotes = [m.group(1) for m in map(_EDNOTE.match, ranked[:1]) if m and m.group(1)]
    return [
        Article(
            source=canonical_source(trailer.strip()[:3], "Associated Press" if "(AP)" in body[:400] else None)
            or "unknown",
            item_key=f"anpa:{keyword}:{date}",
            headline=headline,
            body=body,
            version_created=created,
            slugline=slugline(slug) or slugline(keyword) or keyword,
            byline=clean_text(" ".join(byline)) or None,
            ednote=" ".join(ednotes) or None,
            signals=signals,
            format="anpa",
            raw=data,
        )
    ]
