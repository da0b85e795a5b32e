"""Stage 5, cluster: group tonight's canonical copy into stories within each busy stretch.

Pair probabilities use a background of term frequencies that does not shrink with the window
(the archive's `term_df` plus a general-language seed), so the same two articles score the
same in a window of 20 or of 20,000. The quiet stories' recent copy (last seen within
`link_days` before the window) is loaded here too: its terms count toward the background and
its text features are computed with tonight's, once, for linking to reuse.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import numpy as np

from cluster.assign import time_segments
from cluster.encoders.base import Encoder
from cluster.events import NightReport, Observer
from cluster.grouping.clustering import cluster_documents
from cluster.grouping.cross_language import calibration
from cluster.grouping.dedup import Doc
from cluster.settings import Settings
from cluster.stages.embed import vectors_for
from cluster.text.background import Background
from cluster.text.features import TextFeatures, document_terms, text_features
from cluster.window import Window, article_text
from storage import stories as story_rows
from storage import terms


@dataclass(frozen=True)
class QuietCopy:
    """A recent canonical article of a story last seen before the window."""

    story_id: str
    article_id: str
    text: str
    language: str | None
    event_time: datetime
    vector: np.ndarray


@dataclass(frozen=True)
class Clustered:
    """Tonight's clusters and everything linking scores them with (canonical copy first, then quiet copy)."""

    clusters: list[list[str]]
    canon: list[Doc]
    quiet: list[QuietCopy]
    ids: list[str]
    vectors: np.ndarray
    texts: list[str]
    times: list[datetime | None]
    languages: list[str | None]
    background: Background
    features: TextFeatures | None
    cross_language: tuple[float, float] | None


def quiet_copy(
    con: duckdb.DuckDBPyConnection,
    window: Window,
    in_window: set[str],
    settings: Settings,
    encoder: Encoder,
    observer: Observer,
) -> list[QuietCopy]:
    """The most recent copy of active stories last seen within `link_days` before the window;
    copy without a vector under tonight's encoder (another model, an older cache key) is embedded."""
    since = window.start - timedelta(days=settings.config.link_days)
    rows = [
        r
        for r in story_rows.recent_copy(con, encoder.cache_key, since, window.start, settings.night.quiet_copy)
        if r["story_id"] not in in_window and r["article_id"] not in window.rows
    ]
    missing = {r["content_hash"]: (r["headline"] or "", r["body"] or "") for r in rows if r["vector"] is None}
    vectors = vectors_for(con, missing, encoder, settings.config.batch_size, observer)[0] if missing else {}
    return [
        QuietCopy(
            r["story_id"],
            r["article_id"],
            article_text(r["headline"], r["body"]),
            r["language"],
            r["event_time"],
            np.asarray(r["vector"] if r["vector"] is not None else vectors[r["content_hash"]], dtype=np.float32),
        )
        for r in rows
    ]


def _term_counts(texts: Sequence[str], fresh: Sequence[bool]) -> tuple[set[str], int, Counter[str]]:
    """Every term of `texts`, and how many of the first `len(fresh)` texts are fresh (founding
    copy, counted into the archive's background) with their document frequencies. Streamed one
    text at a time: the term sets of a 50k window held together cost about a GB."""
    vocabulary: set[str] = set()
    counts: Counter[str] = Counter()
    n = 0
    for i, text in enumerate(texts):
        found = document_terms(text)
        vocabulary |= found
        if i < len(fresh) and fresh[i]:
            n += 1
            counts.update(found)
    return vocabulary, n, counts


def _segment_features(features: TextFeatures | None, segment: list[int], every_row: bool) -> TextFeatures | None:
    """The features of a stretch's docs; all of them as they are when the stretch is every row."""
    if features is None or every_row:
        return features
    return features.rows(segment)


def cluster_window(
    con: duckdb.DuckDBPyConnection,
    window: Window,
    canon: Sequence[Doc],
    canon_vectors: np.ndarray,
    carried: dict[str, str],
    settings: Settings,
    encoder: Encoder,
    report: NightReport,
    observer: Observer,
) -> Clustered:
    """Cluster the canonical copy, per stretch of copy without a silence longer than the window."""
    cfg = settings.config
    # The window's docs carry this very text already: one copy of a night's texts, not two.
    texts = [d.text or window.text(d.article_id) for d in canon]
    languages = [window.rows[d.article_id]["language"] for d in canon]
    times = [d.event_time if cfg.time_feature else None for d in canon]
    quiet = quiet_copy(con, window, set(carried.values()), settings, encoder, observer)
    all_texts = texts + [q.text for q in quiet]
    vocabulary, n_fresh, fresh = _term_counts(all_texts, [d.article_id not in carried for d in canon])
    background = Background(*terms.document_frequencies(con, sorted(vocabulary))).plus_counts(n_fresh, fresh)
    report.counts["cluster_terms_counted"] = terms.add_documents(con, n_fresh, fresh)
    cross = calibration(encoder.name)
    all_languages = languages + [q.language for q in quiet]
    # A lone document has no pair to score: no features (and no sklearn import) for it.
    features = text_features(all_texts, all_languages, background) if len(all_texts) > 1 else None
    groups: dict[int, list[int]] = defaultdict(list)
    for segment in time_segments([d.event_time for d in canon], timedelta(hours=cfg.window_hours)):
        # A night of one stretch (the usual one) clusters every canonical doc: the vectors and,
        # without quiet copy, the features serve as they are instead of as copies (~0.1 GB at 50k).
        whole = len(segment) == len(canon)
        labels = cluster_documents(
            canon_vectors if whole else canon_vectors[segment],
            texts if whole else [texts[i] for i in segment],
            times if whole else [times[i] for i in segment],
            settings.cluster,
            languages=languages if whole else [languages[i] for i in segment],
            background=background,
            cross_language=cross,
            features=_segment_features(features, segment, whole and not quiet),
        )
        base = len(groups)
        for i, label in zip(segment, labels):
            groups[base + int(label)].append(i)
    clusters = [[canon[i].article_id for i in groups[k]] for k in sorted(groups)]
    report.counts["cluster_docs"] = len(canon)
    report.counts["cluster_clusters"] = len(clusters)
    return Clustered(
        clusters=clusters,
        canon=list(canon),
        quiet=quiet,
        ids=[d.article_id for d in canon] + [q.article_id for q in quiet],
        vectors=np.vstack([canon_vectors, *[q.vector[None, :] for q in quiet]]),
        texts=all_texts,
        times=times + [q.event_time if cfg.time_feature else None for q in quiet],
        languages=all_languages,
        background=background,
        features=features,
        cross_language=cross,
    )
