"""What a story summary is made of and the knobs that make it: members in, sentences with their
attribution out (`cluster.summary.summarize` computes them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np


@dataclass(frozen=True)
class Member:
    """One article of a story; withdrawn members are ignored (the caller usually drops them)."""

    article_id: str
    source: str
    #: When this version was reported: what is current is judged by it.
    published_at: datetime | None
    headline: str
    body: str
    language: str | None = None
    withdrawn: bool = False
    vector: np.ndarray | None = field(default=None, compare=False)
    #: When any version of the item was first reported (None: `published_at`): who was first.
    first_reported_at: datetime | None = None


@dataclass(frozen=True)
class SummarySentence:
    position: int
    text: str
    article_id: str
    source: str
    start: int
    end: int
    also_sources: tuple[str, ...]
    also_article_ids: tuple[str, ...]


@dataclass(frozen=True)
class Exclusive:
    """A sentence only one wire carries: no other wire has anything above `exclusive_threshold`."""

    source: str
    article_id: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class StorySummary:
    headline: str
    headline_article_id: str
    sentences: tuple[SummarySentence, ...]
    credit_line: str
    sources_in_order: tuple[str, ...]
    first_source: str | None
    first_reported_at: datetime | None
    exclusives: tuple[Exclusive, ...]
    language: str | None
    withdrawn: bool


@dataclass(frozen=True)
class SummaryParams:
    """Every knob of the summarizer, with its effect.

    Defaults were checked on the neus train split only (80 words): one-at-a-time sweeps of each
    weight, lambda, minimum length and overrun moved ROUGE-1 by at most 0.003, so the hand-set
    values were kept. Similarities are cosines of stemmed TF-IDF sentence vectors, in [0, 1].
    """

    #: Sentences with fewer words are never picked (furniture of any length is not even considered).
    min_sentence_words: int = 5
    #: Only the first this-many sentences of each article are candidates and enter attribution:
    #: a wire's lead carries its facts, and it bounds the per-story matrix on huge stories.
    max_sentences_per_article: int = 15
    #: Weight of centrality: cosine to the story centroid (mean of the article vectors).
    centrality_weight: float = 1.0
    #: Weight of closeness to the story's headlines (the mean headline vector).
    headline_weight: float = 0.5
    #: Weight of support: share of the other articles carrying the sentence (>= also_threshold).
    support_weight: float = 0.3
    #: Weight of stating a current figure or state (one no later report replaced) in a developing
    #: story (copy from more than one report time): what the story is now comes first.
    current_fact_weight: float = 0.5
    #: Weight of what a developing story's later reports add: the report's place in the story's
    #: time span (0 first, 1 latest) times 1 - its best cosine to the copy reported before it.
    #: Without it the first night's lede, most central, keeps tonight's development out.
    freshness_weight: float = 0.2
    #: Weight of the lead prior 1 / (1 + position) of the sentence in its article.
    position_weight: float = 0.3
    #: Weight of article centrality (article embedding vs. the story's mean embedding when
    #: vectors are given, else the article's TF-IDF cosine to the centroid).
    article_weight: float = 0.2
    #: MMR trade-off: 1.0 ranks by score alone, lower values penalise overlap with picked sentences.
    mmr_lambda: float = 0.7
    #: A candidate this similar to an already picked sentence says the same thing: never picked.
    redundancy_threshold: float = 0.5
    #: A picked sentence this similar to a sentence of an earlier article is cited from the earliest
    #: article carrying it (near-verbatim copies only), so the first wire to report gets the credit.
    verbatim_threshold: float = 0.9
    #: In a developing story, another lede from a report this close to the opening lede's restates
    #: its development (wires file the same update within hours) unless it states a new figure.
    lede_window_hours: float = 12.0
    #: Another article's sentence this similar to a summary sentence carries the same fact: that
    #: article and its wire are listed in `also_sources` / `also_article_ids`.
    also_threshold: float = 0.5
    #: A sentence whose best match in every other wire's articles stays below this is "only here".
    exclusive_threshold: float = 0.2
    #: At most this many "only here" sentences per wire (the highest-scored ones).
    max_exclusives_per_source: int = 3
    #: Words a summary may run over `words` to include a whole sentence; sentences that would
    #: overrun more are skipped for shorter ones. The first sentence is always taken.
    overrun_words: int = 0
    #: Headline choice: weight of the headline's cosine to the story centroid.
    headline_centrality_weight: float = 1.0
    #: Headline choice: weight of the share of other wires whose headline is >= also_threshold alike.
    headline_support_weight: float = 0.5
    #: Headline choice: weight of freshness (0 for the earliest article, 1 for the latest).
    headline_freshness_weight: float = 0.2
    #: Summarise only sentences in the story's majority language (other sources are still credited).
    same_language_only: bool = True
