"""ANPA-1312 (AP's legacy wire): SYN SYN SOH header, STX text, ETX trailer, 8-bit text.

ANPA carries no item id. The keyword slug and date of the header line name the story across its
writethrus, so they form the item key; the writethru label goes into `signals` (no numeric version).
"Eds:" and "EDITOR'S NOTE _" lines are the ednote, without that prefix.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from storage.readers._common import canonical_source, decode
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


def sniff(data: bytes) -> bool:
    head = data.lstrip(b"\r\n ")[:64]
    return head.startswith(b"\x16\x16\x01") or (
        head.startswith(b"\x01") and bool(re.search(rb"[\x13\x14][\x11\x12]", data[:256]))
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


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
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
