"""One test per class of field mismatch found against another newsroom system, on inline fixtures
written for these tests (modelled on the real variants, not copies of them)."""

from __future__ import annotations

import json
from datetime import datetime

from storage.readers import read_bytes
from storage.readers.renditions import merge_renditions
from storage.records import Article, Skipped


def _one(data: bytes) -> Article:
    (item,) = [i for i in read_bytes(data)[1] if isinstance(i, Article)]
    return item


ANPA = (
    b"\x16\x16\x01W2870\x1fasian\r\nf l\x13\x11 BC-LT--Harbour-Ferry Repairs     03-01 0120\r\n"
    b"\x02\x02BC-LT--Harbour-Ferry Repairs, 1st Ld-Writethru,120<\r\n"
    b"^Eds: With AP Photos.<\r\n"
    b"^EDITOR'S NOTE _ This is part of a series on harbours.<\r\n"
    b"^Ferry runs again after repairs<\r\n"
    b"^By JO TESTER AP Business Writer<\r\n"
    b"\tLAKETOWN, Testland (AP) _ The ferry runs again.\r\n"
    b"\tRepairs took three weeks.\r\n"
    b"\x03AP-WF-03-01-25 1209GMT\r\n"
)

NITF = """<?xml version="1.0" encoding="utf-8"?>
<nitf><head><title>Test</title>
<meta name="anpa-keyword" content="Harbour Ferry"/>
<docdata><doc-id regsrc="AAP" id-string="AAP-1"/><ed-msg info="Embargoed until noon."/>
<date.issue norm="2025-03-01T09:00:00"/></docdata></head>
<body><body.head><hedline><hl1>Ferry back</hl1></hedline><byline>By A. Writer, Staff Reporter</byline></body.head>
<body.content><![CDATA[<P>SYDNEY, March 1 (AAP) - The ferry<endash>finally<endash>runs.</P><P>More soon.</P>]]></body.content>
</body></nitf>""".encode()


def g2(version: str, modified: str, body: str = "The ferry runs again.") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:example.org:ferry" version="{version}">
 <itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:dpa"/><versionCreated/><firstCreated/>
  <pubStatus qcode="stat:usable"/><edNote>Bitte Sperrfrist beachten.</edNote></itemMeta>
 <contentMeta><contentCreated>2025-03-01T08:00:00+01:00</contentCreated><contentModified>{modified}</contentModified>
  <creator><name>tester.jo</name></creator><language tag="de-DE"/><subject qcode="subj:15073001"/>
  <headline>Fähre fährt wieder</headline><dateline>Laketown (dpa) -</dateline></contentMeta>
 <contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body>
  <p>{body}</p></body></html></inlineXML></contentSet></newsItem>""".encode()


def test_anpa_slugline_is_the_keyword_and_eds_prefix_is_cut() -> None:
    a = _one(ANPA)
    assert a.slugline == "Harbour-Ferry"
    assert a.ednote == "This is part of a series on harbours."
    assert (a.byline, a.dateline) == ("JO TESTER", "Laketown")


def test_iptc7901_keywords_are_the_slugline_not_subjects() -> None:
    data = (
        "\x01bdt0001 4 pl 120 dpa 0312\n\nVerkehr/Fähre/\n\x02Fähre fährt wieder =\n\n"
        "   Laketown (dpa) - Die Fähre fährt wieder.\n\n# Notizblock\n\n- intern\n\x03011205 Mar 25\n"
    ).encode("latin-1")
    a = _one(data)
    assert (a.slugline, a.subjects, a.dateline, a.ednote) == ("Verkehr/Fähre", (), "Laketown", "- intern")
    assert "Notizblock" not in a.body


def test_nitf_anpa_keyword_ednote_cdata_html_and_entity_tags() -> None:
    a = _one(NITF)
    assert (a.slugline, a.ednote, a.byline, a.dateline) == (
        "Harbour Ferry",
        "Embargoed until noon.",
        "A. Writer",
        "Sydney",
    )
    assert a.body == "SYDNEY, March 1 (AAP) - The ferry–finally–runs.\n\nMore soon."


def test_g2_empty_version_times_fall_back_so_versions_stay_apart() -> None:
    one = _one(g2("1", "2025-03-01T09:00:00+01:00"))
    two = _one(g2("2", "2025-03-01T10:00:00+01:00", "The ferry runs again, all day."))
    assert one.version_created == datetime(2025, 3, 1, 8) and two.version_created == datetime(2025, 3, 1, 9)
    assert one.first_created == datetime(2025, 3, 1, 7)
    assert one.article_id != two.article_id


def test_g2_ednote_login_byline_dateline_language_subject_parents() -> None:
    a = _one(g2("1", "2025-03-01T09:00:00+01:00"))
    assert a.ednote == "Bitte Sperrfrist beachten."
    assert a.byline is None  # "tester.jo" is an author login, not a byline
    assert (a.dateline, a.language) == ("Laketown", "de")
    assert a.subjects == ("subj:15073001", "subj:15073000", "subj:15000000")


def test_g2_leading_byline_paragraph_and_dateline_are_not_body() -> None:
    a = _one(g2("1", "2025-03-01T09:00:00+01:00", "By Jo Tester</p><p>LAKETOWN (Reuters) - The ferry runs."))
    assert (a.body, a.dateline) == ("The ferry runs.", "Laketown")


def test_newsml1_date_is_not_a_dateline() -> None:
    data = b"""<?xml version="1.0"?><NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId>
<NewsItemId>T-1</NewsItemId><RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:afp.com:T-1:1</PublicIdentifier>
</NewsIdentifier></Identification><NewsComponent><NewsLines><HeadLine>Ferry</HeadLine><DateLine>4/4/2018</DateLine>
<ByLine>By Jo Tester</ByLine></NewsLines><ContentItem><MediaType FormalName="Text"/><Format FormalName="NITF"/>
<DataContent><nitf><body><body.content><p>Text.</p></body.content></body></nitf></DataContent></ContentItem>
</NewsComponent></NewsItem></NewsML>"""
    a = _one(data)
    assert (a.dateline, a.byline) == (None, "Jo Tester")


def test_ntb_naive_timestamp_is_oslo_time() -> None:
    data = b"""<?xml version="1.0"?><nitf><head><meta name="NTBID" content="NTB-1"/>
<meta name="timestamp" content="2025.07.01 12:00:00"/><docdata/></head>
<body><body.head><hedline><hl1>Ferje</hl1></hedline></body.head><body.content><p>Tekst.</p></body.content></body></nitf>"""
    assert _one(data).version_created == datetime(2025, 7, 1, 10)


def test_ninjs_picture_with_caption_is_skipped_and_wrapped_items_are_read() -> None:
    picture = {"uri": "http://example.org/p/1", "type": "picture", "headline": "Ferry", "body_text": "Caption."}
    text = {
        "uri": "https://example.org/t/1",
        "type": "text",
        "headline": "Ferry runs",
        "body_text": "It runs.",
        "language": "nb-NO",
        "source": "Harbour Herald",
    }
    items = read_bytes(json.dumps({"total": 2, "item": [picture, text]}).encode())[1]
    assert isinstance(items[0], Skipped) and "picture" in items[0].reason
    assert isinstance(items[1], Article)
    assert (items[1].url, items[1].language, items[1].source) == ("https://example.org/t/1", "nb", "example.org")
    own_name = _one(json.dumps({**text, "uri": "urn:x:1"}).encode())
    assert (own_name.source, own_name.url) == ("Harbour Herald", None)


def test_wxr_attachments_are_skipped_and_shortcodes_removed() -> None:
    data = b"""<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Harbour Herald</title><link>https://herald.example</link>
<item><title>Ferry back</title><link>https://herald.example/ferry</link><guid>https://herald.example/?p=1</guid>
<content:encoded><![CDATA[<p>[dropcap]T[/dropcap]he ferry runs.</p><p>[contact_form id="2"]</p>]]></content:encoded>
<wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item>
<item><title>ferry.jpg</title><guid>https://herald.example/?attachment_id=3</guid><wp:post_type>attachment</wp:post_type></item>
</channel></rss>"""
    items = read_bytes(data)[1]
    assert isinstance(items[0], Article) and items[0].body == "The ferry runs."
    assert isinstance(items[1], Skipped) and "attachment" in items[1].reason


def test_ap_feed_page_does_not_erase_the_item_subjects() -> None:
    def ap(subjects: list[dict], meta: dict) -> bytes:
        item = {
            "altids": {"itemid": "abc"},
            "version": 1,
            "type": "text",
            "headline": "Ferry",
            "versioncreated": "2025-03-01T09:00:00Z",
            "subject": subjects,
            "links": [{"rel": "canonical", "href": "https://apnews.com/abc"}],
        }
        return json.dumps({"data": {"items": [{"meta": meta, "item": item}]}}).encode()

    page = _one(ap([], {}))
    full = _one(ap([{"name": "Transportation", "code": "x"}], {"products": [1]}))
    merged = merge_renditions([page, full])
    assert all(a.subjects == ("Transportation",) for a in merged if isinstance(a, Article))
    assert full.url == "https://apnews.com/abc"
