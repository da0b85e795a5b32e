"""Field normalisation shared by every reader, so one rule holds whatever format a wire uses.

Each function takes the value a reader found and returns what an editor means by the field:
ISO 639-1 language codes, bylines with names only, datelines as the place, body text without
leftover markup or a repeated opening byline/dateline, and IPTC subject codes with their parents.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

#: ISO 639-2 codes some wires send, mapped to ISO 639-1.
_ISO639_2 = {
    "eng": "en",
    "ger": "de",
    "deu": "de",
    "fre": "fr",
    "fra": "fr",
    "spa": "es",
    "ita": "it",
    "por": "pt",
    "dut": "nl",
    "nld": "nl",
    "swe": "sv",
    "nor": "no",
    "nob": "nb",
    "nno": "nn",
    "dan": "da",
    "fin": "fi",
    "rus": "ru",
    "ara": "ar",
    "chi": "zh",
    "zho": "zh",
    "jpn": "ja",
    "pol": "pl",
    "tur": "tr",
    "gre": "el",
    "ell": "el",
}
_LANG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


def language(code: object) -> str | None:
    """ISO 639-1 ('en-US' -> 'en', 'EN' -> 'en', 'nb-NO' -> 'nb', 'deu' -> 'de'); None if not a code."""
    if not isinstance(code, str):
        return None
    match = _LANG.match(code.strip())
    if not match:
        return None
    primary = match.group(1).lower()
    return _ISO639_2.get(primary, primary if len(primary) == 2 else None)


_BY = re.compile(r"^\s*(?:by|von|par|por|av|af|di|door)\s*:?\s+", re.I)
_AGENCY_TITLE = re.compile(r"\s+(?:The\s+)?(?:AP|Associated\s+Press|Reuters|AFP|dpa)(?:\s+[A-Z][\w.&'-]*)*\s*$")
_TITLE = re.compile(
    r"\s+(?:Staff|Special|Senior|Chief|Sports|Business|Political|Foreign)\s+(?:Writer|Reporter|Correspondent|Editor|Columnist)\s*$",
    re.I,
)
_SLASH_CREDIT = re.compile(r"\s*/\s*[^/]+$")
#: Wire names that, standing alone or joined ("NTB-Reuters", "AFP/dpa"), are a credit, not a byline.
_AGENCIES = {
    "aap",
    "afp",
    "anp",
    "ansa",
    "ap",
    "apa",
    "ats",
    "belga",
    "dpa",
    "efe",
    "epa",
    "kyodo",
    "ntb",
    "pa",
    "reuters",
    "ritzau",
    "sda",
    "stt",
    "tass",
    "tt",
    "xinhua",
}
_CREDIT_SPLIT = re.compile(r"[\s/,+&-]+")
_LOGIN = re.compile(r"^[a-z0-9._-]+$|^[\w.-]*[/_.][\w./-]*$|^[A-Z]{1,4}$|^[A-Z]+(?:-[A-Z]+)+$")


def byline(value: object) -> str | None:
    """The author names only: no "By", no titles or agency ("By X AP Business Writer" -> "X").

    Logins, initials and agency codes standing alone ("degenhardt.sandra", "gr/bp", "NTB") and
    agency credits ("NTB-Reuters", "AFP/dpa") are not bylines and give None.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    text = _BY.sub("", text).strip(" ,;=")
    if not text or _LOGIN.match(text):
        return None
    if all(part.lower() in _AGENCIES for part in _CREDIT_SPLIT.split(text.strip("() ")) if part):
        return None
    if ", " in text and " and " not in text.split(", ", 1)[1]:
        text = text.split(", ", 1)[0]
    text = _SLASH_CREDIT.sub("", text) if " " in text.split("/")[0] else text
    for pattern in (_AGENCY_TITLE, _TITLE):
        stripped = pattern.sub("", text)
        text = stripped if stripped.strip() else text
    text = text.strip(" ,;")
    return text or None


_HEADLINE_FLAG = re.compile(r"^\s*[>+*]{2,}\s*(?:([A-Za-z]{2,10})\s*/\s*)?")


def headline(text: str) -> str:
    """The headline without a leading wire flag (ANSA's ">>>ANSA/Gazprom cuts ..." -> "Gazprom cuts ...")."""
    match = _HEADLINE_FLAG.match(text)
    if not match:
        return text
    end = match.end() if not match.group(1) or match.group(1).lower() in _AGENCIES else match.start(1)
    return re.sub(r"\s*[>+*<]{2,}\s*$", "", text[end:]).strip() or text


_AGENCY_MARK = re.compile(r"\s*\([^()\n]{1,40}\)\s*[-–—_.:]*\s*$")
_DATELIKE = re.compile(r"^[\d\s/.:+-]*(?:GMT|UTC|Z)?[\d\s/.:+-]*$|^\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|^\d{4}-\d{2}-\d{2}")
_REGION_CODE = re.compile(r"(?<=[a-zà-ÿ])\s+[A-Z]{2}$")
_MONTH = re.compile(
    r"\b(?:jan|feb|febr|mar|mär|mars|apr|avr|may|mai|mei|jun|juin|jul|juil|aug|août|sep|sept|oct|okt|nov|dec|dez|déc|"
    r"januar|january|february|march|april|june|july|august|september|october|november|december)\b",
    re.I,
)


def dateline(value: object) -> str | None:
    """The place of a dateline ("STOCKHOLM, Aug 29, 2014 (AFP)" -> "Stockholm"); None for a bare date.

    Wires differ in case, agency marks and trailing dates; the place is what editors compare.
    """
    if not isinstance(value, str):
        return None
    text = " ".join(value.split()).strip(" -–—,")
    text = _AGENCY_MARK.sub("", text).strip(" -–—,")
    if not text or _DATELIKE.match(text):
        return None
    place = text.split(",")[0].strip()
    if not place or _DATELIKE.match(place) or (_MONTH.search(place) and any(c.isdigit() for c in place)):
        return None
    # A region code after a place written in mixed case ("Landquart GR", SDA-ATS) is not the place.
    place = _REGION_CODE.sub("", place) if not place.isupper() else place
    return place.title() if place.isupper() else place


_BODY_DATELINE = re.compile(
    r"^\s*([A-ZÀ-Ý][^\n()]{1,60}?)\s*(?:\((?:[A-Za-z]{2,15}(?:/[A-Za-z]{2,15}| [A-Z][A-Za-z]{1,15})?)\)\s*(?:\.?\s*[-–—_]+|:)"
    r"|\.?\s*/[A-Z][A-Za-z-]{1,15}/\.?)\s",
    re.U,
)


#: Kyodo's form, the wire's name bare before the dash: "SAITAMA, Japan, Dec. 9 Kyodo - ...".
#: SDA-ATS's form, the mark in parentheses and the story straight after: "Genève (ats) Le ...".
_BODY_DATELINE_NO_DASH = re.compile(r"^\s*([A-ZÀ-Ý][^\n()]{1,60}?)\s*\(([A-Za-z]{2,15})\)\s+(?=[A-ZÀ-Ý«\"“])")
_BODY_DATELINE_BARE = re.compile(r"^\s*([A-ZÀ-Ý][^\n()]{1,60}?)\s+([A-Z][A-Za-z]{1,10})\s+[-–—]+\s")


def dateline_from_body(body: str) -> str | None:
    """The dateline wire copy opens with ("BUENOS AIRES, Argentina (AP) _ ...", TASS's "MOSCOW,
    January 21. /TASS/. ...", Kyodo's "SAITAMA, Japan, Dec. 9 Kyodo - ...", SDA-ATS's "Genève (ats) Le
    ...") when no field has one; the last two only when the mark is a wire's name."""
    match = _BODY_DATELINE.match(body)
    if match:
        return dateline(match.group(1))
    for pattern in (_BODY_DATELINE_BARE, _BODY_DATELINE_NO_DASH):
        found = pattern.match(body)
        if found and found.group(2).lower() in _AGENCIES:
            return dateline(found.group(1))
    return None


#: SGML-style entity tags some wires leave in copy (<endash>, <emdash>...), and their characters.
_ENTITY_TAGS = {
    "endash": "–",
    "emdash": "—",
    "ndash": "–",
    "mdash": "—",
    "bullet": "•",
    "hellip": "…",
    "lsquo": "‘",
    "rsquo": "’",
    "ldquo": "“",
    "rdquo": "”",
    "nbsp": " ",
    "amp": "&",
}
_ENTITY_TAG = re.compile(r"<(" + "|".join(_ENTITY_TAGS) + r")\s*/?>", re.I)
_NAMED_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,30}|#\d{1,7}|#x[0-9A-Fa-f]{1,6});")
_LEFT_TAG = re.compile(r"</?(?:p|br|div|span|b|i|em|strong|a|h[1-6]|li|ul|ol|blockquote|font|u)\b[^<>]*>", re.I)
_SHORTCODE = re.compile(r"\[(/?)([a-z][a-z0-9_-]*)((?:\s+[^\[\]]*)?)\]")


def _shortcodes(text: str) -> str:
    """Drop WordPress shortcodes ([dropcap]A[/dropcap], [contact_form ...]) but keep "[sic]"-like text."""
    closed = {m.group(2) for m in _SHORTCODE.finditer(text) if m.group(1)}

    def repl(m: re.Match[str]) -> str:
        name, attrs = m.group(2), m.group(3)
        return "" if m.group(1) or name in closed or "_" in name or "=" in attrs else m.group(0)

    return _SHORTCODE.sub(repl, text)


def has_markup(text: str) -> bool:
    """True when plain text still holds HTML tags (HTML escaped inside CDATA, double-encoded copy)."""
    return bool(_LEFT_TAG.search(text))


def body(text: str, to_text: Callable[[str], str] | None = None) -> str:
    """Body text without leftover markup: entity tags, escaped HTML, entities and shortcodes.

    `to_text` is the HTML-to-text function to apply when HTML tags are left (passed in so this
    module stays free of the parser).
    """
    if not text:
        return ""
    text = _ENTITY_TAG.sub(lambda m: _ENTITY_TAGS[m.group(1).lower()], text)
    if to_text is not None and has_markup(text):
        text = to_text(text)
    if _NAMED_ENTITY.search(text):
        text = html.unescape(text)
    return _shortcodes(text)


_LEAD_BY = re.compile(r"^(?:By|BY|Von|Par|Por|Av)\s+[A-ZÀ-Ý][^.!?]*$")


def drop_lead_byline(text: str, found_byline: str | None) -> str:
    """Cut the byline that opens the copy: it is not story text.

    A first paragraph that only repeats a byline ("By Toby Davis") goes; a first line ("By JOHN
    SMITH" above "WASHINGTON (AP) — ...") goes only when its names are the article's byline, so
    a story that happens to open with "By ..." keeps its words. The rest stays verbatim.
    """
    first, sep, rest = text.partition("\n\n")
    line = first.strip()
    is_byline = len(line) <= 80 and (_LEAD_BY.match(line) is not None or bool(found_byline and line == found_byline))
    if sep and is_byline and byline(line):
        return rest.lstrip()
    head, newline, tail = first.partition("\n")
    names = byline(head) if _LEAD_BY.match(head.strip()) else None
    if newline and tail.strip() and names and found_byline and names.casefold() == found_byline.casefold():
        return tail.lstrip() + sep + rest
    return text


def drop_lead_dateline(text: str, place: str | None) -> str:
    """Cut the dateline that opens wire copy ("BERLIN, Dec 1 (Reuters) - ") when its place is the
    article's dateline, which keeps it; an opening that names another place stays verbatim."""
    match = _BODY_DATELINE.match(text) if place else None
    if not match or (dateline(match.group(1)) or "").casefold() != (place or "").casefold():
        return text
    return text[match.end() :].lstrip() or text


_CODE = re.compile(r"^(.*?[:/])?(\d{8})$")


def subjects_with_parents(codes: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Add the parents of hierarchical IPTC subject codes: 15073001 -> 15073000 -> 15000000.

    Applies to 8-digit subject codes (and media topics inherited from them, top levels 01-17)
    with any prefix ("subj:", "medtop:", a URI); the prefix is kept on the parents.
    """
    out: list[str] = []
    for code in codes:
        out.append(code)
        match = _CODE.match(code)
        if not match or not 1 <= int(match.group(2)[:2]) <= 17:
            continue
        prefix, digits = match.group(1) or "", match.group(2)
        for parent in (digits[:5] + "000", digits[:2] + "000000"):
            if parent != digits:
                out.append(prefix + parent)
    return tuple(dict.fromkeys(out))


def local_time(value: datetime | None, zone: str) -> datetime | None:
    """A naive wall-clock time of a wire whose zone is known (NTB: Oslo, dpa 7901: Berlin), made aware."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(zone))
