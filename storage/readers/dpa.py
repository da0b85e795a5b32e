"""dpa-digitalwires JSON ("format": "digitalwires@..."): one item per document, keyed by its urn.

dpa redistributes other agencies' copy: an `urn:newsml:ap.org:...` urn names an AP story, whose
AP itemid goes into `related` so deduplication can link it to the same story from AP itself.
"""

from __future__ import annotations

import re

from storage.readers._common import html_to_text, load_json, parse_time, to_int
from storage.readers.errors import ReaderError
from storage.records import USABLE, WITHDRAWN, Article, Rejected, Skipped, clean_text

_AP_URN = re.compile(r"^urn:newsml:ap\.org:\d*:([0-9a-f]{32})$")
_KILL = re.compile(r"\bKILL\b")


def sniff(data: bytes) -> bool:
    obj = load_json(data)
    return isinstance(obj, dict) and (
        str(obj.get("format", "")).startswith("digitalwires") or ("urn" in obj and "article_html" in obj)
    )


def read(data: bytes, path: str) -> list[Article | Skipped | Rejected]:
    obj = load_json(data)
    if not isinstance(obj, dict) or not obj.get("urn"):
        raise ReaderError("dpa-digitalwires document without urn")
    return [to_article(obj, data)]


def to_article(obj: dict, raw: bytes) -> Article | Skipped:
    urn = str(obj["urn"])
    headline = clean_text(obj.get("headline"))
    body = clean_text(html_to_text(obj.get("article_html")))
    if not body:
        return Skipped("dpa item without article text (picture or media only)", urn)
    signals = [str(obj["signal"])] if obj.get("signal") else []
    signals += [c["qcode"] for c in obj.get("categories") or [] if c.get("type") == "dnltype:signal" and c.get("qcode")]
    killed = str(obj.get("pubstatus") or "").lower() in ("canceled", "withheld") or len(_KILL.findall(headline)) >= 2
    match = _AP_URN.match(urn)
    return Article(
        source="dpa",
        item_key=urn,
        headline=headline,
        body=body,
        version=to_int(obj.get("version")),
        version_created=parse_time(obj.get("version_created")),
        first_created=parse_time(obj.get("content_created")),
        byline=clean_text(obj.get("byline")) or None,
        dateline=clean_text(obj.get("dateline")).rstrip(" -") or None,
        language=obj.get("language"),
        subjects=tuple(
            c["qcode"] for c in obj.get("categories") or [] if c.get("qcode") and c.get("type") != "dnltype:signal"
        ),
        pubstatus=WITHDRAWN if killed else USABLE,
        embargo_until=parse_time(obj.get("embargoed")),
        signals=tuple(dict.fromkeys(signals)),
        related=(match.group(1),) if match else (),
        format="dpa",
        raw=raw,
    )
