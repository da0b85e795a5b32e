"""Pair AP Media API metadata records with their NITF body renditions.

AP serves an item's metadata (JSON, keyed by altids.itemid) and its story text (a NITF download)
separately, and the NITF carries no itemid. Ingest reads both and calls `merge_renditions` on the
batch: a NITF joins the metadata record whose itemid it names (doc-id id-string), else the single
AP metadata record without a body whose headline, title or slugline equals the NITF headline and
whose version time is within two days of the NITF's. The merged record keeps the metadata (key,
version, status) and takes body, byline and dateline from the NITF; the NITF record is dropped.
Anything unpaired or ambiguous passes through unchanged. The same metadata delivered twice (a
feed page entry and the item file) is one article: every copy becomes the richest one, so a feed
page's empty subjects never win by file order.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import TypeVar

from storage.records import Article, Rejected, Skipped, clean_text

_WINDOW = timedelta(days=2)
#: What a reader gives: anything but an Article passes through these functions unchanged.
ItemT = TypeVar("ItemT", bound=Article | Skipped | Rejected)


def _titles(article: Article) -> set[str]:
    return {clean_text(t).lower() for t in (article.headline, article.slugline) if t}


def _matches(meta: Article, body: Article) -> bool:
    if body.item_key == meta.item_key:
        return True
    if not _titles(body) & (_titles(meta) | {clean_text(t).lower() for t in _raw_titles(meta)}):
        return False
    if meta.version_created and body.version_created:
        return abs(meta.version_created - body.version_created) <= _WINDOW
    return True


def _raw_titles(meta: Article) -> list[str]:
    """AP's `title` field (e.g. "US--Biden-Staff") is not kept on Article; the slugline ends with it."""
    slug = meta.slugline or ""
    return [slug.split("-", 1)[1]] if slug.startswith(("BC-", "AP-")) else []


def needs_pairing(item: Article | Skipped | Rejected) -> bool:
    """True for the halves `merge_renditions` may join: callers can hold these back across files."""
    return isinstance(item, Article) and (
        (item.format == "ap-json" and not item.body) or (item.format == "nitf" and item.source == "AP")
    )


def _richness(a: Article) -> tuple[int, ...]:
    return (len(a.subjects), *(bool(v) for v in (a.slugline, a.byline, a.dateline, a.language, a.url, a.ednote)))


def richest_copies(items: list[ItemT]) -> list[ItemT | Article]:
    """Replace AP metadata records that are the same delivery (equal article_id) by the fullest one."""
    best: dict[str, Article] = {}
    for a in items:
        if isinstance(a, Article) and a.format == "ap-json":
            if a.article_id not in best or _richness(a) > _richness(best[a.article_id]):
                best[a.article_id] = a
    return [best.get(a.article_id, a) if isinstance(a, Article) and a.format == "ap-json" else a for a in items]


def merge_renditions(items: list[ItemT]) -> list[ItemT | Article]:
    richest = richest_copies(items)
    metas = [a for a in richest if isinstance(a, Article) and a.format == "ap-json" and not a.body]
    bodies = [a for a in richest if isinstance(a, Article) and a.format == "nitf" and a.source == "AP"]
    by_key: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    for i, m in enumerate(metas):
        by_key.setdefault(m.item_key, []).append(i)
        for title in _titles(m) | {clean_text(t).lower() for t in _raw_titles(m)}:
            by_title.setdefault(title, []).append(i)
    merged: dict[int, Article] = {}
    taken: set[int] = set()
    used: set[int] = set()
    for body in bodies:
        pool = set(by_key.get(body.item_key, []))
        for title in _titles(body):
            pool.update(by_title.get(title, []))
        candidates = [i for i in sorted(pool) if i not in taken and _matches(metas[i], body)]
        # The same metadata delivered twice (an item file and a feed page) is one candidate.
        if len({metas[i].article_id for i in candidates}) != 1:
            continue
        taken.update(candidates)
        meta = metas[candidates[0]]
        for i in candidates:
            merged[id(metas[i])] = replace(
                meta,
                body=body.body,
                byline=meta.byline or body.byline,
                dateline=meta.dateline or body.dateline,
                raw=meta.raw + b"\n" + body.raw,
            )
        used.add(id(body))
    return [merged.get(id(a), a) for a in richest if id(a) not in used]
