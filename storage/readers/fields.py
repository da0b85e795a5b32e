"""The last step of every reader: apply the shared field rules of `normalise` to an Article.

Readers take each value from where their format keeps it; `finish` then makes the fields mean the
same thing for every wire, and says which rule changed what so `--explain` can show it.
"""

from __future__ import annotations

from dataclasses import replace

from storage.readers import normalise
from storage.readers._common import html_to_text
from storage.records import Article, clean_text


def finish(article: Article) -> tuple[Article, dict[str, str]]:
    """The normalised article and, per field a rule changed, the rule's name."""
    rules: dict[str, str] = {}
    changes: dict[str, object] = {}

    def put(name: str, value: object, rule: str) -> None:
        if value != getattr(article, name):
            changes[name] = value
            rules[name] = rule

    body = clean_text(normalise.body(article.body, html_to_text))
    put("body", body, "markup, entities and shortcodes removed")
    byline = normalise.byline(article.byline)
    put("byline", byline, "names only (no 'By', titles, agency, logins)")
    without_lead = clean_text(normalise.drop_lead_byline(body, byline))
    if without_lead != body:
        put("body", without_lead, "markup removed; leading byline paragraph cut")
    dateline = normalise.dateline(article.dateline)
    if dateline is None:
        from_body = normalise.dateline_from_body(without_lead)
        if from_body:
            put("dateline", from_body, "dateline that opens the body")
        else:
            put("dateline", None, "not a place (a date or timestamp)")
    else:
        put("dateline", dateline, "place of the dateline (agency mark and date cut)")
    put("language", normalise.language(article.language), "ISO 639-1 (original in raw)")
    put("subjects", normalise.subjects_with_parents(article.subjects), "IPTC parent codes added")
    put("headline", clean_text(normalise.body(article.headline, html_to_text)).replace("\n", " "), "markup removed")
    ednote = clean_text(article.ednote) or None
    put("ednote", ednote, "whitespace folded")
    return (replace(article, **changes) if changes else article), rules
