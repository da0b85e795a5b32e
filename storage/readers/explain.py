"""What each field of each item in a file came from: for `wirestory ingest --explain FILE`.

Reads the file as ingest does, without any database, and pairs every field value with the place
the reader takes it from in that format and the shared rule (`fields.finish`) that changed it,
so a newsroom can check a new feed in a minute.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.readers import detect, read_each, read_raw
from storage.readers.errors import ReaderError
from storage.readers.fields import finish
from storage.records import Article, Rejected, Skipped

FIELDS = (
    "source",
    "item_key",
    "headline",
    "slugline",
    "byline",
    "dateline",
    "body",
    "ednote",
    "subjects",
    "language",
    "url",
    "version",
    "version_created",
    "first_created",
    "embargo_until",
    "pubstatus",
    "signals",
    "related",
)

#: Where each reader finds each field, per format. Fields not listed use the reader's default.
_WHERE: dict[str, dict[str, str]] = {
    "newsml-g2": {
        "source": "itemMeta/provider, rightsInfo/copyrightHolder|copyrightNotice, else guid domain",
        "item_key": "newsItem|packageItem/@guid",
        "version": "newsItem|packageItem/@version",
        "headline": "contentMeta/headline, else NITF hl1",
        "slugline": "contentMeta/slugline",
        "byline": "contentMeta/by, else NITF byline, else creator/name",
        "dateline": "contentMeta/dateline, else NITF dateline",
        "body": "first contentSet/inlineXML|inlineData with text, else (packageItem) contentMeta/description not a caption",
        "ednote": "itemMeta|contentMeta/edNote",
        "related": "packageItem groupSet itemRef/@residref",
        "url": "itemMeta/link[@rel canonical|self]/@href, else contentSet/remoteContent[text/html]/@href",
        "subjects": "contentMeta/subject/@qcode|@literal",
        "language": "contentMeta/language/@tag, else @xml:lang",
        "version_created": "itemMeta/versionCreated, else contentModified, else contentCreated (naive: the national wire's zone)",
        "first_created": "itemMeta/firstCreated, else contentCreated (naive: the national wire's zone)",
        "embargo_until": "itemMeta/embargoed",
        "pubstatus": "itemMeta/pubStatus (stat:canceled|withheld) or signal edStat:D",
        "signals": "itemMeta/signal/@qcode",
    },
    "nitf": {
        "source": "doc-id/@regsrc, doc.copyright/@holder, distributor, provider meta",
        "item_key": "doc-id/@id-string, NTBID, du-key, else synthetic hash of source, headline, text",
        "headline": "body.head/hedline/hl1, else head/title",
        "slugline": "meta anpa-keyword, else docdata keyword/@key, else NTBStikkord",
        "byline": "body.head/byline(/person)",
        "dateline": "body.head/dateline(/location)",
        "body": "body.content",
        "ednote": "docdata/ed-msg/@info",
        "subjects": "tobject.subject/@tobject.subject.refnum",
        "language": "nitf/@baselang|@xml:lang",
        "version": "du-key/@version",
        "version_created": "date.issue/@norm, else meta timestamp (naive: the national wire's zone, NTB: Oslo)",
        "first_created": "date.release/@norm",
        "pubstatus": "docdata/@management-status",
    },
    "newsml-1": {
        "source": "NewsIdentifier/ProviderId, else Party, else PublicIdentifier domain, else ProviderId as given",
        "item_key": "PublicIdentifier without revision",
        "headline": "NewsLines/HeadLine (outermost component that has one)",
        "slugline": "NewsLines/SlugLine, else Identification/NameLabel",
        "byline": "NewsLines/ByLine",
        "dateline": "NewsLines/DateLine",
        "body": "text ContentItems (NITF or XHTML DataContent); only Role Body/Main components where any has that role",
        "ednote": "NewsLine of type AdvisoryLine",
        "subjects": "SubjectCode/*/@FormalName",
        "language": "Language/@FormalName, else @xml:lang",
        "version": "RevisionId",
        "version_created": "ThisRevisionCreated (naive: the national wire's zone)",
        "first_created": "FirstCreated (naive: the national wire's zone)",
        "pubstatus": "NewsManagement/Status",
        "signals": "RevisionId/@Update",
        "related": "AssociatedWith/@NewsItem",
    },
    "ninjs": {
        "source": "copyrightholder, source, uri domain, copyrightnotice",
        "item_key": "uri, else guid",
        "headline": "headline, else headlines[main], else headline_* (headline_main first)",
        "slugline": "slugline|slug",
        "byline": "byline|by",
        "dateline": "located, where the copy opens with no dateline and it is not the byline",
        "body": "bodies[main], else body_html5|body_xhtml|body_html|body_richtext|body_text|body_main|other body_*",
        "ednote": "ednote",
        "subjects": "subject[].uri|code|qcode|name",
        "language": "language",
        "url": "http(s) uri, else links[canonical]",
        "version": "version",
        "version_created": "versioncreated|versionCreated (naive: the national wire's zone)",
        "first_created": "firstcreated|firstCreated (naive: the national wire's zone)",
        "embargo_until": "embargoed",
        "pubstatus": "pubstatus",
    },
    "ap-json": {
        "source": "AP",
        "item_key": "altids.itemid",
        "headline": "headline, else title",
        "slugline": "slugline",
        "byline": "bylines[0].by",
        "dateline": "datelinelocation.city",
        "body": "nitf.body_html, else the paired NITF rendition",
        "ednote": "ednote",
        "subjects": "subject[].name|code",
        "language": "language",
        "url": "links[canonical], else uri",
        "version": "version",
        "version_created": "versioncreated",
        "first_created": "firstcreated",
        "pubstatus": "pubstatus, editorialtypes Kill/Withhold, ednote KILL",
        "signals": "editorialtypes, signals, slugline words",
    },
    "ritzau": {
        "source": "Ritzau",
        "item_key": "NewsID",
        "headline": "headline (none in a flash)",
        "slugline": "strapline",
        "byline": "byLine",
        "dateline": "town",
        "body": "content (escaped HTML)",
        "ednote": "TilRedaktionen",
        "subjects": "IPTCList/int, zero-padded to 8 digits",
        "version": "version",
        "version_created": "PublishDate (Copenhagen time)",
        "pubstatus": "Annuleret",
        "signals": "Korrektion, NyVersion",
        "related": "replacedID, Replaces",
    },
    "anpa": {
        "source": "trailer service code, '(AP)' in the text; saved as plain text: service line, '==' sign-off",
        "item_key": "header keyword + date",
        "headline": "first '^' line that is not a note or byline; saved as plain text: lines up to the first indented one",
        "slugline": "keyword line: word after the category '--', else the header keyword",
        "byline": "'^By ...' line",
        "dateline": "opening of the text",
        "body": "text between STX and ETX",
        "ednote": "'^EDITOR'S NOTE _' line, else '^Eds:' line (prefix cut)",
        "version_created": "trailer 'MM-DD-YY HHMMGMT'; saved as plain text: 'KWS-HH:MM-DD-MM-YY' in the wire's zone",
        "signals": "writethru label",
    },
    "iptc7901": {
        "source": "header line, else the agency mark of the opening dateline",
        "item_key": "synthetic: hash of source, headline, text",
        "headline": "head block before '='",
        "slugline": "keyword lines ending in '/', else a line standing alone above the headline",
        "byline": "'By|Von|Par ...' head line",
        "dateline": "opening of the text",
        "body": "text after '=' up to the notepad",
        "ednote": "'# Notizblock' or 'not for publication' part",
        "version_created": "ETX trailer, else the copy's last line (the national wire's zone, dpa: Berlin)",
        "signals": "(...) markers and upper-case flags of the head block",
    },
    "dpa": {
        "source": "dpa",
        "item_key": "urn",
        "headline": "headline",
        "byline": "byline",
        "dateline": "dateline",
        "body": "article_html",
        "subjects": "categories[].qcode",
        "language": "language",
        "version": "version",
        "version_created": "version_created",
        "first_created": "content_created",
        "embargo_until": "embargoed",
        "pubstatus": "pubstatus, KILL headline",
        "signals": "signal, categories of type dnltype:signal",
        "related": "AP urn",
    },
    "reuters-json": {
        "source": "Reuters",
        "item_key": "uri, else usn",
        "headline": "headLine",
        "slugline": "slug",
        "byline": "byLine",
        "body": "bodyXhtml, else bodyText",
        "subjects": "subject[].code",
        "language": "language",
        "version": "version",
        "version_created": "versionCreated",
        "first_created": "firstCreated",
        "pubstatus": "pubStatus, edStat D",
        "signals": "edStat",
    },
    "rss-atom": {
        "source": "channel title|link|rights",
        "item_key": "entry id, else link",
        "headline": "entry title",
        "byline": "entry author (dc:creator)",
        "body": "content:encoded, else summary",
        "subjects": "entry categories",
        "language": "channel language",
        "url": "entry link",
        "version_created": "updated, else published",
        "first_created": "published",
    },
}


@dataclass(frozen=True)
class Field:
    name: str
    value: object
    #: Element path or rule the value came from; "(not in the file)" when empty.
    origin: str
    #: The shared normalisation rule that changed the reader's value, if any.
    rule: str = ""


def explain_item(fmt: str, raw: Article) -> list[Field]:
    """Every field of one item with its origin and the rule that changed it."""
    final, rules = finish(raw)
    where = _WHERE.get(fmt, {})
    out = []
    for name in FIELDS:
        value = getattr(final, name)
        empty = value in (None, "", ())
        origin = "(not in the file)" if empty and name not in rules else where.get(name, f"{fmt} reader default")
        if name == "dateline" and rules.get(name) == "dateline that opens the body":
            origin = "opening of the body"
        out.append(Field(name, value, origin, rules.get(name, "")))
    return out


def explain_file(path: str | Path) -> tuple[str, list[Skipped | Rejected | list[Field]]]:
    """Format and, per item, its fields (an Article) or the Skipped/Rejected record itself."""
    data = Path(path).read_bytes()
    fmt = detect(data)
    items = read_raw(fmt, data, str(path))
    return fmt, [explain_item(fmt, i) if isinstance(i, Article) else i for i in items]


def _show(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ") + " UTC"
    if isinstance(value, str):
        return value.replace("\n", " ¶ ")
    return "-" if value is None else repr(value)


def render(path: str | Path, width: int = 100) -> str:
    """Plain-text report of `explain_file`, one block per item."""
    fmt, items = explain_file(path)
    lines = [f"{path}: {fmt}, {len(items)} item(s)"]
    for n, item in enumerate(items, 1):
        if isinstance(item, (Skipped, Rejected)):
            lines.append(f"\nitem {n}: {type(item).__name__.lower()}: {item.reason}")
            continue
        lines.append(f"\nitem {n}:")
        for f in item:
            shown = _show(f.value)
            shown = shown if len(shown) <= width else shown[: width - 1] + "…"
            rule = f"  [{f.rule}]" if f.rule else ""
            lines.append(f"  {f.name:<16}{shown}\n  {'':<16}← {f.origin}{rule}")
    return "\n".join(lines)


def render_files(paths: list[Path]) -> tuple[str, int]:
    """The reports of several files, and how many of them could not be read at all."""
    blocks, unreadable = [], 0
    for path, got in read_each(paths, render):
        if isinstance(got, ReaderError):
            unreadable += 1
            got = f"{path}: quarantined: {got}"
        blocks.append(got)
    return "\n\n".join(blocks) + "\n", unreadable
