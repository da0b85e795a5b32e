"""The last step of every reader: apply the shared field rules of `normalise` to an Article.

Readers take each value from where their format keeps it; `finish` then makes the fields mean the
same thing for every wire, and says which rule changed what so `--explain` can show it. The body
loses an opening byline or dateline only where it repeats the item's own byline/dateline field.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from storage.readers import normalise
from storage.readers._common import html_to_text
from storage.records import Article, clean_text


def finish(article: Article) -> tuple[Article, dict[str, str]]:
    """The normalised article and, per field a rule changed, the rule's name."""
    rules: dict[str, str] = {}
    changes: dict[str, Any] = {}  # field name -> new value, of that field's type

    def put(name: str, value: object, rule: str) -> None:
        if value != getattr(article, name):
            changes[name] = value
            rules[name] = rule

    body = clean_text(normalise.body(article.body, html_to_text))
    steps = ["markup, entities and shortcodes removed"] if body != article.body else []
    byline = normalise.byline(article.byline)
    put("byline", byline, "names only (no 'By', titles, agency, logins)")
    without_by = clean_text(normalise.drop_lead_byline(body, byline))
    steps += ["leading byline cut"] if without_by != body else []
    given = normalise.dateline(article.dateline)
    if given is None:
        from_body = normalise.dateline_from_body(without_by)
        put("dateline", from_body, "dateline that opens the body" if from_body else "not a place (a date or timestamp)")
    else:
        put("dateline", given, "place of the dateline (agency mark and date cut)")
    # Only a dateline the format keeps in a field of its own is cut from the copy: where the copy is
    # the only place it is written (ANPA, IPTC 7901, JSONL), it stays part of the text.
    text = clean_text(normalise.drop_lead_dateline(without_by, given))
    steps += ["leading dateline cut (kept as the dateline)"] if text != without_by else []
    put("body", text, "; ".join(steps))
    put("language", normalise.language(article.language), "ISO 639-1 (original in raw)")
    put("subjects", normalise.subjects_with_parents(article.subjects), "IPTC parent codes added")
    headline = clean_text(normalise.body(article.headline, html_to_text)).replace("\n", " ")
    put("headline", normalise.headline(headline), "markup and leading wire flag (>>>ANSA/) removed")
    ednote = clean_text(article.ednote) or None
    put("ednote", ednote, "whitespace folded")
    return (replace(article, **changes) if changes else article), rules
