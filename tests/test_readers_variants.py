"""Reader rules found by checking public variants of the wire formats (docs/formats.md, "Checked
against public variants"). Each fixture is written for these tests, modelled on a variant's
structure with invented content.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from storage.readers import read_bytes, read_file
from storage.readers.errors import ReaderError
from storage.readers.normalise import byline, dateline, dateline_from_body, headline
from storage.records import Article

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def _one(data: bytes) -> Article:
    (item,) = read_bytes(data)[1]
    assert isinstance(item, Article)
    return item


def _file(name: str, fmt: str) -> Article:
    found, (item,) = read_file(FIXTURES / name)
    assert found == fmt and isinstance(item, Article)
    return item


def _wire(name: str, fmt: str) -> Article:
    found, (item,) = read_file(FIXTURES.parent / "wire" / name)
    assert found == fmt and isinstance(item, Article)
    return item


# NewsML 1.2


def test_newsml1_body_is_the_body_role_component_only() -> None:
    a = _file("newsml1_roles.xml", "newsml-1")
    assert a.body == (
        "The Harbour Ferry Company today ordered two electric boats for its Laketown crossing.\n\n"
        "The boats enter service next spring."
    )
    assert a.headline == "Harbour Ferry Company Orders Two Electric Boats"


def test_newsml1_newslines_of_a_nested_component_give_slugline_and_dateline() -> None:
    a = _file("newsml1_roles.xml", "newsml-1")
    assert (a.slugline, a.dateline) == ("OR-HARBOUR-FERRY", "Laketown")


def test_newsml1_without_roles_still_reads_every_text_item() -> None:
    data = b"""<?xml version="1.0"?><NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>afp.com</ProviderId>
<NewsItemId>T-2</NewsItemId><RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:afp.com:T-2:1</PublicIdentifier>
</NewsIdentifier></Identification><NewsComponent><NewsLines><HeadLine>Ferry</HeadLine></NewsLines>
<NewsComponent><ContentItem><MediaType FormalName="Text"/><Format FormalName="NITF"/><DataContent><nitf><body>
<body.content><p>One.</p></body.content></body></nitf></DataContent></ContentItem></NewsComponent>
<NewsComponent><ContentItem><MediaType FormalName="Text"/><Format FormalName="NITF"/><DataContent><nitf><body>
<body.content><p>Two.</p></body.content></body></nitf></DataContent></ContentItem></NewsComponent>
</NewsComponent></NewsItem></NewsML>"""
    assert _one(data).body == "One.\n\nTwo."


def test_newsml1_namelabel_is_the_slugline_and_advisory_line_the_ednote() -> None:
    a = _file("newsml1_namelabel.xml", "newsml-1")
    assert (a.slugline, a.ednote) == ("Laketown-ferry-electric", "UPDATES with delivery date")


def test_newsml1_national_wire_named_by_provider_id_with_naive_times_in_its_zone() -> None:
    a = _file("newsml1_namelabel.xml", "newsml-1")
    assert (a.source, a.language) == ("ANP", "nl")
    # 09:30 and 10:15 Amsterdam wall clock (CET) are 08:30 and 09:15 UTC.
    assert (a.first_created, a.version_created) == (datetime(2025, 3, 1, 8, 30), datetime(2025, 3, 1, 9, 15))


def test_newsml1_unknown_provider_falls_back_to_the_identifier_domain() -> None:
    data = b"""<?xml version="1.0"?><NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>HW</ProviderId>
<NewsItemId>H-1</NewsItemId><RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:harbourwire.example:20250301:H-1:1</PublicIdentifier>
</NewsIdentifier></Identification><NewsComponent><NewsLines><HeadLine>Ferry</HeadLine></NewsLines><ContentItem>
<MediaType FormalName="Text"/><Format FormalName="NITF"/><DataContent><nitf><body><body.content><p>Text.</p>
</body.content></body></nitf></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"""
    assert _one(data).source == "harbourwire.example"
    assert _one(data.replace(b"urn:newsml:harbourwire.example:20250301:H-1:1", b"H-1")).source == "HW"


# ninjs


def test_ninjs_role_named_text_fields_are_read_marked_up_body_first() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-1",
        "type": "text",
        "versioncreated": "2025-03-01T09:00:00Z",
        "headline_main": "Ferry back after repairs",
        "body_main": "The ferry runs again. Timetables stay.",
        "body_richtext": "<p>The ferry runs again.</p> <p>Timetables stay.</p>",
    }
    a = _one(json.dumps(doc).encode())
    assert (a.headline, a.body) == ("Ferry back after repairs", "The ferry runs again.\n\nTimetables stay.")


def test_ninjs_located_is_the_dateline_unless_the_copy_opens_with_one() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-2",
        "type": "text",
        "headline": "Ferry",
        "located": "Laketown, Ore.",
    }
    assert _one(json.dumps({**doc, "body_text": "The ferry runs."}).encode()).dateline == "Laketown"
    written = _one(json.dumps({**doc, "body_text": "PORTVILLE, Ore. (AP) -- The ferry runs."}).encode())
    assert written.dateline == "Portville"


def test_ninjs_located_that_names_the_byline_is_not_a_place() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-3",
        "type": "text",
        "headline": "Ferry",
        "body_text": "The ferry runs.",
        "byline": "Jo Tester, Laketown College",
        "located": "Jo Tester, Laketown",
    }
    assert _one(json.dumps(doc).encode()).dateline is None


# NewsML-G2: naive times of a national wire


G2_NAIVE = b"""<?xml version="1.0" encoding="UTF-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="urn:newsml:stt.fi:20250701:1" version="1" xml:lang="fi-FI" standard="NewsML-G2">
<itemMeta><itemClass qcode="ninat:text"/><provider literal="STT"/><versionCreated/><firstCreated/><pubStatus qcode="stat:usable"/></itemMeta>
<contentMeta><contentCreated>2025-07-01T10:00:00</contentCreated><contentModified>2025-07-01T11:30:00</contentModified>
<headline>Lautta liikennoi taas</headline></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html><body><p>Lautta liikennoi taas.</p></body></html></inlineXML></contentSet>
</newsItem>"""


def test_g2_empty_item_times_fall_back_and_naive_times_are_the_wires_wall_clock() -> None:
    a = _one(G2_NAIVE)
    # Helsinki summer time is UTC+3.
    assert (a.first_created, a.version_created) == (datetime(2025, 7, 1, 7), datetime(2025, 7, 1, 8, 30))


def test_g2_naive_times_of_a_global_wire_stay_utc() -> None:
    a = _one(G2_NAIVE.replace(b'literal="STT"', b'literal="Reuters"').replace(b"stt.fi", b"reuters.com"))
    assert a.first_created == datetime(2025, 7, 1, 10)


# Bylines


@pytest.mark.parametrize("credit", ["NTB-Reuters", "Reuters", "AFP/dpa", "(ANSA)", "STT, AFP"])
def test_agency_credit_is_not_a_byline(credit: str) -> None:
    assert byline(credit) is None


def test_names_next_to_an_agency_stay_a_byline() -> None:
    assert byline("Jo Tester, dpa") == "Jo Tester"
    assert byline("Jo Tester and Pat Sample") == "Jo Tester and Pat Sample"


# IPTC 7901 saved without control characters


def test_7901_without_soh_stx_etx_is_read_with_keyword_line_trailer_and_wire() -> None:
    a = _file("iptc7901_no_soh.txt", "iptc7901")
    assert a.slugline == "Ferry Laketown"
    assert a.headline == "Ferry Laketown: Le bac de Laketown passe à l'électrique"
    assert a.body.startswith("Laketown (ats) Le bac de Laketown roulera")
    assert not a.body.endswith("mar 25")
    # "011015 mar 25": 1 March 2025, 10:15 Zurich (CET) = 09:15 UTC; the wire is named by "(ats)".
    assert (a.source, a.version_created) == ("Keystone-SDA", datetime(2025, 3, 1, 9, 15))


# XML: a DOCTYPE that only pulls in DTD modules


MODULES_DOCTYPE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE NewsML PUBLIC "urn:newsml:iptc.org:20001006:NewsMLv1.0.dtd:1" "../DTD/NewsMLv1.0.dtd" [
\t<!ENTITY % nitf SYSTEM "../nitf/dtd/nitf-3-0.dtd">
\t%nitf;
]>
<NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>harbourwire.example</ProviderId><NewsItemId>K-1</NewsItemId>
<RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:harbourwire.example:20250301:K-1:1</PublicIdentifier></NewsIdentifier>
</Identification><NewsComponent><NewsLines><HeadLine>Ferry back</HeadLine><DateLine>LAKETOWN, March 1</DateLine></NewsLines>
<ContentItem><MediaType FormalName="Text"/><Format FormalName="Nitf_v3.0"/><DataContent><nitf><body><body.content>
<p>The ferry runs.</p></body.content></body></nitf></DataContent></ContentItem></NewsComponent></NewsItem></NewsML>"""


def test_doctype_that_only_references_dtd_modules_is_read() -> None:
    a = _one(MODULES_DOCTYPE)
    assert (a.headline, a.body, a.dateline) == ("Ferry back", "The ferry runs.", "Laketown")


@pytest.mark.parametrize(
    "subset",
    [
        b'<!ENTITY % nitf SYSTEM "x.dtd"> %nitf; <!ENTITY x "y">',
        b"<!ENTITY % p \"<!ENTITY x SYSTEM 'file:///etc/passwd'>\"> %p;",
        b'<!ENTITY x SYSTEM "file:///etc/passwd">',
    ],
)
def test_doctype_declaring_any_other_entity_is_still_refused(subset: bytes) -> None:
    data = MODULES_DOCTYPE.replace(b'<!ENTITY % nitf SYSTEM "../nitf/dtd/nitf-3-0.dtd">\n\t%nitf;', subset)
    with pytest.raises(ReaderError, match="entities"):
        read_bytes(data)


# NewsML 1.2 of wires that leave fields out


def test_newsml1_without_newsitemid_is_keyed_by_guid_and_text_known_by_mime_type() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?><NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>
www.tass.example
</ProviderId></NewsIdentifier></Identification><NewsManagement><FirstCreated>20250301T120000</FirstCreated>
<ThisRevisionCreated>20250301T120000</ThisRevisionCreated><Status FormalName="Usable"/></NewsManagement>
<NewsComponent Duid="C1"><NewsComponent xml:lang="en"><Role FormalName="Main"/><NewsLines><DateLine>March 1</DateLine>
<HeadLine>Ferry back on the river</HeadLine></NewsLines><DescriptiveMetada><Language FormalName="en"/><guid>G-42</guid>
</DescriptiveMetada><ContentItem><MediaType FormalName="ComplexData"/><MimeType FormalName="text/vnd.IPTC.NITF"/>
<DataContent><nitf><body><body.content><p>LAKETOWN, March 1. /TASS/. The ferry runs again.</p></body.content></body></nitf>
</DataContent></ContentItem></NewsComponent></NewsComponent></NewsItem></NewsML>"""
    a = _one(data)
    assert (a.item_key, a.source, a.body) == (
        "www.tass.example:G-42",
        "TASS",
        "LAKETOWN, March 1. /TASS/. The ferry runs again.",
    )
    # The DateLine is only a date; the place comes from the copy's "/TASS/" dateline. Moscow is UTC+3.
    assert (a.dateline, a.version_created) == ("Laketown", datetime(2025, 3, 1, 9))


def test_newsml1_takes_the_slugline_of_the_nitf_inside_when_newslines_have_none() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?><NewsML Version="1.2"><NewsItem><Identification><NewsIdentifier>
<ProviderId>texto.efe.example</ProviderId><NewsItemId>1</NewsItemId><RevisionId>1</RevisionId>
<PublicIdentifier>urn:newsml:texto.efe.example:20250301:1:1</PublicIdentifier></NewsIdentifier></Identification>
<NewsComponent><Role FormalName="Main"/><NewsLines><HeadLine>El transbordador vuelve</HeadLine></NewsLines>
<AdministrativeMetadata><Provider><Party FormalName="Agencia EFE"/></Provider></AdministrativeMetadata>
<ContentItem><MediaType FormalName="Text"/><Format FormalName="NITF"/><DataContent><nitf><head><docdata>
<key-list><keyword key="LAGO TRANSPORTE"/></key-list></docdata></head><body><body.head><byline>Ana Prueba</byline></body.head>
<body.content><p>Laketown, 1 mar (EFE).- El transbordador vuelve.</p></body.content></body></nitf></DataContent></ContentItem>
</NewsComponent></NewsItem></NewsML>"""
    a = _one(data)
    assert (a.source, a.slugline, a.byline, a.dateline) == ("EFE", "LAGO TRANSPORTE", "Ana Prueba", "Laketown")


# Headlines


def test_leading_wire_flag_is_not_part_of_the_headline() -> None:
    data = b"""<?xml version="1.0" encoding="UTF-8"?><nitf><head><title>&#62;&#62;&#62;ANSA&#47;Ferry back on the lake</title>
<docdata><doc-id id-string="X1"/><date.issue norm="2025-07-01 18:30"/></docdata></head><body><body.head><hedline><hl1>
&#62;&#62;&#62;ANSA&#47;Ferry back on the lake</hl1></hedline><distributor><org>ANSA</org></distributor></body.head>
<body.content><p>(ANSA) - LAKETOWN, JUL 1 - The ferry runs.</p></body.content></body></nitf>"""
    a = _one(data)
    # ANSA stamps Rome time: 18:30 CEST is 16:30 UTC.
    assert (a.headline, a.source, a.version_created) == ("Ferry back on the lake", "ANSA", datetime(2025, 7, 1, 16, 30))


@pytest.mark.parametrize(
    ("given", "expected"),
    [("+++ Ferry back +++", "Ferry back"), (">>>Harbour/Ferry talks", "Harbour/Ferry talks"), ("3>2 win", "3>2 win")],
)
def test_headline_flags(given: str, expected: str) -> None:
    assert headline(given) == expected


def test_newsml1_identifier_that_does_not_name_the_item_is_not_its_key() -> None:
    a = _file("newsml1_bilingual.xml", "newsml-1")
    assert (a.item_key, a.source, a.version) == ("belga.be:5550001", "Belga", 4)


def test_newsml1_body_in_two_languages_keeps_the_first_and_untyped_body_content_is_text() -> None:
    a = _file("newsml1_bilingual.xml", "newsml-1")
    assert (a.headline, a.body, a.language) == (
        "Veerboot Laketown vaart weer",
        "De veerboot van Laketown vaart weer sinds maandag.",
        "nl",
    )
    # Brussels wall clock (CET): 12:45:50 is 11:45:50 UTC.
    assert a.first_created == datetime(2025, 1, 29, 11, 45, 50)


def test_ninjs_draft_headline_list_of_name_value_pairs() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-4",
        "headline": [{"name": "test", "value": "Other headline"}, {"name": "main", "value": "Ferry back"}],
    }
    assert _one(json.dumps(doc).encode()).headline == "Ferry back"


def test_ninjs_bodies_of_one_role_prefer_the_marked_up_twin() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-5",
        "type": "composite",
        "headlines": [{"value": "Ferry back"}],
        "bodies": [
            {"role": "text", "contenttype": "text/plain", "value": "The ferry runs. Timetables stay."},
            {
                "role": "text",
                "contenttype": "application/xhtml+xml",
                "value": "<p>The ferry runs.</p> <p>Timetables stay.</p>",
            },
            {"role": "print", "contenttype": "text/html", "value": "<p>Print version.</p>"},
        ],
    }
    assert _one(json.dumps(doc).encode()).body == "The ferry runs.\n\nTimetables stay."


def test_ninjs_bodies_of_different_roles_keep_the_first_role() -> None:
    doc = {
        "uri": "http://news.example.org/items/ferry-6",
        "type": "text",
        "headline": "Ferry back",
        "bodies": [
            {"role": "text", "contenttype": "text/plain", "value": "The ferry runs."},
            {
                "role": "html5",
                "contenttype": "text/html",
                "value": "<div><span>Ferry</span><span>TT</span></div><p>The ferry runs.</p>",
            },
        ],
    }
    assert _one(json.dumps(doc).encode()).body == "The ferry runs."


def test_newsml1_catchword_news_line_is_the_slugline() -> None:
    data = b"""<?xml version="1.0"?><NewsML><NewsItem><Identification><NewsIdentifier><ProviderId>www.sda-ats.example</ProviderId>
<NewsItemId>bsf001</NewsItemId><RevisionId>1</RevisionId><PublicIdentifier>urn:newsml:www.sda-ats.example:20250301:bsf001:1N</PublicIdentifier>
</NewsIdentifier></Identification><NewsComponent><NewsLines><HeadLine>Le bac navigue</HeadLine><NewsLine>
<NewsLineType FormalName="CatchWord"/><NewsLineText>Transports</NewsLineText></NewsLine></NewsLines><DescriptiveMetadata>
<Language FormalName="FR"/></DescriptiveMetadata><NewsComponent><ContentItem><Format FormalName="NITF"/><DataContent><nitf><body>
<body.content><p>Le bac navigue.</p></body.content></body></nitf></DataContent></ContentItem></NewsComponent></NewsComponent>
</NewsItem></NewsML>"""
    a = _one(data)
    assert (a.slugline, a.language, a.source, a.item_key) == (
        "Transports",
        "fr",
        "Keystone-SDA",
        "urn:newsml:www.sda-ats.example:20250301:bsf001",
    )


# ANPA saved without its control characters


def test_anpa_saved_as_plain_text_is_read_by_its_layout() -> None:
    a = _file("anpa_plain.txt", "anpa")
    assert (a.headline, a.slugline, a.item_key) == (
        "Ferry: Laketown boat back in service after repairs",
        "Ferry-Laketown",
        "anpa:BC-Ferry-Laketown:01-03",
    )
    assert a.body == (
        "LAKETOWN, March 1 Kyodo - The Laketown ferry returned to service on Saturday after three weeks "
        "of repairs, its operator said.\n\nThe first crossing left at 7 a.m. with 40 passengers on board.\n\n==Kyodo"
    )
    # "KWS-10:15-01-03-25": 10:15 on 1 March 2025, Tokyo time (UTC+9); the place from the copy's dateline.
    assert (a.source, a.version_created, a.dateline) == ("Kyodo", datetime(2025, 3, 1, 1, 15), "Laketown")


def test_plain_text_that_only_looks_like_an_anpa_service_line_is_not_anpa() -> None:
    with pytest.raises(ReaderError):
        read_bytes(b"a0042HARBOURkoko-\nJust a note about the ferry.\nNothing else.\nEnd.\n")


@pytest.mark.parametrize(
    ("copy", "place"),
    [
        ("Laketown (ats) Le bac navigue.", "Laketown"),
        ("LAKETOWN, March 1 Kyodo - The ferry runs.", "Laketown"),
        ("Laketown (xyz) Le bac navigue.", None),
        ("Laketown Kyodo said the ferry runs.", None),
    ],
)
def test_datelines_wires_write_without_a_dash_need_a_wire_name(copy: str, place: str | None) -> None:
    assert dateline_from_body(copy) == place


def test_region_code_after_a_mixed_case_place_is_not_the_place() -> None:
    assert (dateline("Landquart GR"), dateline("Foster City, Calif."), dateline("Laketown")) == (
        "Landquart",
        "Foster City",
        "Laketown",
    )


# Ritzau RBNews


def test_ritzau_rbnews_item() -> None:
    a = _wire("ritzau.xml", "ritzau")
    assert (a.source, a.item_key, a.version) == ("Ritzau", "00000000-1111-2222-3333-444444444444", 2)
    assert (a.headline, a.slugline, a.byline, a.dateline) == (
        "Færgen til Laketown sejler igen",
        "NET/TRAFIK/FAERGE",
        "Jo Tester",
        "Laketown",
    )
    assert a.body == "Færgen sejler igen fra mandag.\n\nKøreplanen er uændret."
    assert (a.ednote, a.signals, a.related) == (
        "Rettet stavefejl i rubrikken.",
        ("update",),
        ("99999999-1111-2222-3333-444444444444",),
    )
    assert a.subjects == ("04000000", "04015001", "04015000")
    # Copenhagen summer time is UTC+2.
    assert a.version_created == datetime(2025, 7, 1, 10, 30, 0, 250000)


def test_ritzau_flash_without_headline_and_killed_item() -> None:
    data = (FIXTURES.parent / "wire" / "ritzau.xml").read_bytes()
    flash = _one(
        data.replace(b"<headline>F&#xE6;rgen til Laketown sejler igen</headline>", b'<headline i:nil="true"/>')
    )
    assert (flash.headline, flash.body.startswith("Færgen sejler")) == ("", True)
    killed = _one(data.replace(b"<Annuleret>false</Annuleret>", b"<Annuleret>true</Annuleret>"))
    assert killed.pubstatus == "withdrawn"


def test_nitf_byline_that_is_only_a_title_names_nobody_so_the_g2_creator_is_the_byline() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" xmlns:nitf="http://iptc.org/std/NITF/2006-10-18/" guid="urn:newsml:harbour.example:1" version="1" xml:lang="en-GB">
<itemMeta><itemClass qcode="ninat:text"/><provider literal="Harbour Herald"/><versionCreated>2025-03-01T09:00:00Z</versionCreated></itemMeta>
<contentMeta><creator><name>Jo Tester</name></creator><headline>Ferry back</headline></contentMeta>
<contentSet><inlineXML contenttype="application/nitf+xml"><nitf:nitf><nitf:body><nitf:body.head>
<nitf:byline><nitf:byttl>Harbour Desk</nitf:byttl></nitf:byline></nitf:body.head>
<nitf:body.content><nitf:p>The ferry runs.</nitf:p></nitf:body.content></nitf:body></nitf:nitf></inlineXML></contentSet></newsItem>"""
    assert _one(data).byline == "Jo Tester"
    named = data.replace(b"<nitf:byttl>Harbour Desk</nitf:byttl>", b"Pat Sample <nitf:byttl>Harbour Desk</nitf:byttl>")
    assert _one(named).byline == "Pat Sample"
