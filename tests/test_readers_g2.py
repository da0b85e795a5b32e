"""NewsML-G2 packages that carry text, and which link of an item is its url.

Fixtures in tests/fixtures/readers, written for these tests.
"""

from __future__ import annotations

from pathlib import Path

from storage.readers import read_file
from storage.readers.explain import explain_file
from storage.records import Article, Rejected, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def _items(name: str) -> dict[str | None, Article | Skipped]:
    fmt, items = read_file(FIXTURES / name)
    assert fmt == "newsml-g2"
    assert not any(isinstance(i, Rejected) for i in items)
    return {i.item_key: i for i in items if not isinstance(i, Rejected)}


def test_package_with_inline_text_is_an_article_that_names_its_members() -> None:
    a = _items("g2_packages.xml")["urn:newsml:harbour.example:pkg-ferry"]
    assert isinstance(a, Article)
    assert a.headline == "Harbour ferry back after repairs: what changes"
    assert (
        a.body
        == "The harbour ferry returns to service on Monday after three weeks of repairs.\n\nTimetables stay as they were before the closure."
    )
    assert (a.version, a.slugline, a.language, a.source) == (3, "FERRY-PACKAGE", "en", "harbour.example")
    assert a.related == ("urn:newsml:harbour.example:ferry-text", "urn:newsml:harbour.example:ferry-photo")


def test_package_summary_description_is_its_text_but_a_caption_is_not() -> None:
    a = _items("g2_packages.xml")["urn:newsml:harbour.example:pkg-summary"]
    assert isinstance(a, Article)
    assert a.body == "Five days of repairs on the harbour ferry, from dry dock to first sailing."


def test_package_that_only_references_items_is_skipped_with_the_reason() -> None:
    skipped = _items("g2_packages.xml")["urn:newsml:harbour.example:pkg-refs"]
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "packageItem carries no text (references 2 items)"
    assert skipped.position == "item 3"


def test_see_also_links_and_picture_renditions_are_not_the_url() -> None:
    a = _items("g2_links.xml")["urn:newsml:harbour.example:seealso"]
    assert isinstance(a, Article) and a.url is None


def test_canonical_link_and_web_rendition_are_the_url() -> None:
    items = _items("g2_links.xml")
    canonical, web = items["urn:newsml:harbour.example:canonical"], items["urn:newsml:harbour.example:web-rendition"]
    assert isinstance(canonical, Article) and isinstance(web, Article)
    assert canonical.url == "https://news.harbour.example/2025/03/01/ferry-back"
    assert web.url == "https://news.harbour.example/2025/03/01/ferry-fares"


def test_explain_names_where_the_url_and_package_members_came_from() -> None:
    _, items = explain_file(FIXTURES / "g2_links.xml")
    assert isinstance(items[1], list)
    url = {f.name: f for f in items[1]}["url"]
    assert "link[@rel canonical|self]" in url.origin
    _, items = explain_file(FIXTURES / "g2_packages.xml")
    assert isinstance(items[0], list)
    related = {f.name: f for f in items[0]}["related"]
    assert related.value and "itemRef/@residref" in related.origin
