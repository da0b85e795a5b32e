"""One canonical, attributed, extractive summary per story — plain functions, no database.

Why lexical: at night scale (10k articles, ~3k stories) the whole stage must take seconds on two
shared cores, so sentences are compared with stemmed TF-IDF cosines (one small sparse matrix per
story), never with per-sentence transformer embeddings. Article embeddings, when the caller has
them, only weight whole articles by how central they are to the story.

Method: sentences of the story's majority language are scored by centrality (cosine to the mean
article vector), closeness to the headlines, support (how many other articles carry the same fact),
lead position and article centrality, and in a developing story (copy from several report times)
by stating a current figure or state and, for a later report's opening sentence, by what it adds
to the copy before it; maximal marginal relevance (MMR) then picks sentences until the word budget
is met, never two above `redundancy_threshold` of each other (`selection.py`; there, too, a second
wire's lede of the opening lede's update is dropped as a restatement). A developing story's picks open with
the latest report's lede, then current facts (most corroborated first), then the rest in story
order; other stories print in story order (article time, then position). Attribution compares each picked sentence
with every other article: `also_threshold` decides "also reported by", `exclusive_threshold`
"only here".
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from scipy import sparse

from cluster.summary.figures import facts, shared_facts, superseded
from cluster.summary.selection import StoryCandidates, select
from cluster.summary.types import Exclusive, Member, StorySummary, SummaryParams, SummarySentence
from cluster.text.furniture import is_furniture, normalise
from cluster.text.sentences import split_sentences
from cluster.text.stemming import stemmed_words


@dataclass
class IdfTable:
    """Inverse document frequencies over a shared corpus (e.g. the night's articles).

    Per-story IDF over three articles cannot tell "the" from "Kerry"; a table fitted once on the
    night's copy can, at the cost of one pass over the text. Terms unseen in the corpus get the
    highest IDF.
    """

    idf: dict[str, float]
    unseen: float

    @classmethod
    def fit(cls, documents: Iterable[tuple[str, str | None]]) -> IdfTable:
        """Fit on (text, language) pairs; IDF = log((1 + N) / (1 + df)), so ubiquitous words get ~0."""
        df: Counter[str] = Counter()
        n = 0
        for text, language in documents:
            df.update(set(stemmed_words(text, language)))
            n += 1
        return cls({t: math.log((1 + n) / (1 + c)) for t, c in df.items()}, math.log(1 + n))


def _gram(rows: list[list[str]], idf: IdfTable | None) -> np.ndarray:
    """Cosine matrix of L2-normalised TF-IDF rows; without a shared table, IDF is fitted on the rows.

    One sparse product per story: every other similarity (to articles, centroid, headlines) is
    derived from this matrix, because scipy's per-call overhead dominates on small stories.
    """
    vocab: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for row in rows:
        indices.extend([vocab.setdefault(t, len(vocab)) for t in row])
        indptr.append(len(indices))
    idx = np.array(indices, dtype=np.int64)
    if idf is None:
        row_of = np.repeat(np.arange(len(rows)), np.diff(indptr))
        df = np.bincount(np.unique(row_of * len(vocab) + idx) % max(len(vocab), 1), minlength=len(vocab))
        weights = np.log((1 + len(rows)) / (1 + df))
    else:
        weights = np.array([idf.idf.get(t, idf.unseen) for t in vocab], dtype=np.float64)
    m = sparse.csr_matrix((weights[idx], idx, indptr), shape=(len(rows), len(vocab)))
    gram = (m @ m.T).toarray()  # the product sums repeated terms, so no sum_duplicates pass
    norms = np.sqrt(gram.diagonal())
    norms[norms == 0] = 1.0
    return gram / norms[:, None] / norms[None, :]


def _unit(v: np.ndarray) -> np.ndarray:
    return v / n if (n := np.linalg.norm(v)) else v


def story_language(members: Sequence[Member]) -> str | None:
    """The language most of the story's copy (characters of body) is written in."""
    weight: Counter[str] = Counter()
    for m in members:
        if m.language:
            weight[m.language] += len(m.body) + 1
    return max(weight, key=lambda lang: (weight[lang], -list(weight).index(lang))) if weight else None


def _time_order(members: Sequence[Member]) -> list[int]:
    """Indices by first report: timestamped members first by time, then the rest in input order."""
    return sorted(
        range(len(members)),
        key=lambda i: (members[i].published_at is None, members[i].published_at or datetime.min, i),
    )


def _first_reports(members: Sequence[Member]) -> list[Member]:
    """Members in order of their item's first report (any version), undated last."""
    first = [m.first_reported_at or m.published_at for m in members]
    order = sorted(range(len(members)), key=lambda i: (first[i] is None, first[i] or datetime.min, i))
    return [members[i] for i in order]


def _build(
    members: list[Member], params: SummaryParams, idf: IdfTable | None, boilerplate: frozenset[str]
) -> StoryCandidates:
    every = [
        (a, p, s)
        for a, m in enumerate(members)
        for p, s in enumerate(split_sentences(m.body)[: params.max_sentences_per_article])
    ]
    # Any later sentence can replace a figure, a shared or short one too; only then is furniture dropped.
    stale = superseded([s.text for _, _, s in every], [members[a].published_at for a, _, _ in every])
    kept = [
        (a, p, s, toks)
        for (a, p, s), old in zip(every, stale)
        if not old
        and len(s.text.split()) >= params.min_sentence_words
        and not is_furniture(s.text, boilerplate)
        and (toks := stemmed_words(s.text, members[a].language))
    ]
    art, pos, rows = [c[0] for c in kept], [c[1] for c in kept], [c[3] for c in kept]
    spans = [(s.text, s.start, s.end) for _, _, s, _ in kept]
    n, k = len(rows), len(members)
    gram = _gram(rows + [stemmed_words(m.headline, m.language) for m in members], idf)
    sim, x_head, head_sim = gram[:n, :n], gram[:n, n:], gram[n:, n:]
    art_arr = np.array(art, dtype=int)
    # Unit article vectors u_a = sum of its sentence vectors / norm, handled through the Gram matrix.
    onehot = np.zeros((k, n))
    onehot[art_arr, np.arange(n)] = 1.0
    onehot = onehot[onehot.any(axis=1)]  # articles with candidate sentences
    norm = np.sqrt(np.maximum(np.einsum("an,nm,am->a", onehot, sim, onehot), 1e-12))
    u_x = (onehot @ sim) / norm[:, None]  # u_a . x_j
    u_h = (onehot @ x_head) / norm[:, None]  # u_a . h_m
    centroid_norm = np.sqrt(max(((u_x @ onehot.T) / norm[None, :]).sum(), 1e-12)) / max(len(onehot), 1)
    centroid_sim = u_x.mean(axis=0) / centroid_norm if len(onehot) else np.zeros(n)
    head_centroid = u_h.mean(axis=0) / centroid_norm if len(onehot) else np.zeros(k)
    has_head = head_sim.diagonal() > 0
    head_norm = np.sqrt(max(head_sim[np.ix_(has_head, has_head)].sum(), 1e-12)) / max(has_head.sum(), 1)
    headline_sim = x_head[:, has_head].mean(axis=1) / head_norm if has_head.any() else np.zeros(n)
    best = np.full((n, k), -1.0)
    if n:
        firsts = np.flatnonzero(np.r_[True, art_arr[1:] != art_arr[:-1]])
        best[:, art_arr[firsts]] = np.maximum.reduceat(sim, firsts, axis=1)
        best[np.arange(n), art_arr] = -1.0
    for i, j in shared_facts([x[0] for x in spans]):  # the same figure or state is the same fact
        if art_arr[i] != art_arr[j]:
            best[i, art_arr[j]] = max(best[i, art_arr[j]], params.also_threshold)
            best[j, art_arr[i]] = max(best[j, art_arr[i]], params.also_threshold)
            sim[i, j] = sim[j, i] = max(sim[i, j], params.redundancy_threshold)
    return StoryCandidates(
        members, art_arr, np.array(pos, dtype=int), spans, np.array([len(s[0].split()) for s in spans], dtype=int),
        sim, best, centroid_sim, headline_sim, head_centroid, head_sim,
    )  # fmt: skip


def _article_weights(st: StoryCandidates) -> np.ndarray:
    """How central each article is: embedding cosine to the mean embedding, else lexical."""
    vectors = [m.vector for m in st.members]
    if all(v is not None for v in vectors):
        v = np.stack([_unit(np.asarray(x, dtype=np.float64)) for x in vectors])
        return v @ _unit(v.mean(axis=0))
    rows = [st.centroid_sim[st.art == a] for a in range(len(st.members))]
    return np.array([r.mean() if r.size else 0.0 for r in rows])


def _scores(st: StoryCandidates, params: SummaryParams) -> np.ndarray:
    others = max(1, len(st.members) - 1)
    support = (st.best >= params.also_threshold).sum(axis=1) / others
    developing = st.developing
    current = np.array([developing and bool(facts(x[0])) for x in st.spans], dtype=float)
    return (
        params.current_fact_weight * current
        + (params.freshness_weight * _freshness(st) if developing else 0.0)
        + params.centrality_weight * st.centroid_sim
        + params.headline_weight * st.headline_sim
        + params.support_weight * support
        + params.position_weight / (1.0 + st.pos)
        + params.article_weight * _article_weights(st)[st.art]
    )


def _freshness(st: StoryCandidates) -> np.ndarray:
    """How late and how new each opening sentence is: its report's place in the story's time span
    times 1 - its best cosine to any sentence of an earlier report (0 for the rest and undated)."""
    stamps = [st.members[a].published_at for a in st.art]
    t = np.array([x.timestamp() if x is not None else np.nan for x in stamps], dtype=np.float64)
    out = np.zeros(len(t))
    if not np.isfinite(t).any() or np.nanmax(t) == np.nanmin(t):
        return out
    rows = np.flatnonzero((st.pos == 0) & np.isfinite(t))
    earlier = t[None, :] < t[rows, None]  # NaN compares False: undated copy is never "earlier"
    best = np.where(earlier, st.sim[rows], -np.inf).max(axis=1, initial=-np.inf)
    novelty = np.clip(1.0 - np.where(np.isfinite(best), best, 0.0), 0.0, None)
    out[rows] = (t[rows] - np.nanmin(t)) / (np.nanmax(t) - np.nanmin(t)) * novelty
    return out


def _also(st: StoryCandidates, i: int, params: SummaryParams) -> tuple[tuple[str, ...], tuple[str, ...]]:
    hits = [b for b in range(len(st.members)) if st.best[i, b] >= params.also_threshold]
    own = st.members[st.art[i]].source
    sources = tuple(dict.fromkeys(st.members[b].source for b in hits if st.members[b].source != own))
    return sources, tuple(st.members[b].article_id for b in hits)


def _exclusives(st: StoryCandidates, scores: np.ndarray, params: SummaryParams) -> tuple[Exclusive, ...]:
    """Sentences no other wire comes close to; none when only one wire is in the comparison."""
    wires = np.array([m.source for m in st.members])
    if len(set(wires)) < 2:
        return ()
    chosen: list[int] = []
    sentence_wire = wires[st.art]
    for wire in dict.fromkeys(wires):
        alone = (sentence_wire == wire) & (st.best[:, wires != wire].max(axis=1) < params.exclusive_threshold)
        ranked = sorted((int(i) for i in np.flatnonzero(alone)), key=lambda i: (-scores[i], i))
        # A wire's versions and repeats carry the same sentence: list it once, from its first report.
        texts: dict[str, int] = {}
        for i in sorted(ranked, key=lambda i: (st.art[i], st.pos[i])):
            texts.setdefault(normalise(st.spans[i][0]), i)
        firsts = set(texts.values())
        unique = [i for i in ranked if i in firsts]
        chosen += unique[: params.max_exclusives_per_source]
    out = []
    for i in sorted(chosen, key=lambda i: (st.art[i], st.pos[i])):
        m, (text, start, end) = st.members[st.art[i]], st.spans[i]
        out.append(Exclusive(m.source, m.article_id, text, start, end))
    return tuple(out)


def _headline(st: StoryCandidates, params: SummaryParams) -> int | None:
    """Index of the member whose headline is most central, most shared across wires and freshest."""
    heads = [m.headline for m in st.members]
    times = [m.published_at for m in st.members]
    stale = superseded(heads + [x[0] for x in st.spans], times + [times[a] for a in st.art])
    live = [a for a, m in enumerate(st.members) if m.headline.strip() and not stale[a]] or [
        a for a, m in enumerate(st.members) if m.headline.strip()
    ]
    if not live:
        return None
    central, hsim = st.head_centroid, st.head_sim
    stamped = [t for t in times if t is not None]
    span = (max(stamped) - min(stamped)).total_seconds() if stamped else 0.0

    def score(a: int) -> float:
        wires = {st.members[b].source for b in live if st.members[b].source != st.members[a].source}
        agree = {st.members[b].source for b in live if b != a and hsim[a, b] >= params.also_threshold}
        agree.discard(st.members[a].source)
        t = times[a]
        fresh = (t - min(stamped)).total_seconds() / span if t is not None and span > 0 else 0.0
        return (
            params.headline_centrality_weight * central[a]
            + params.headline_support_weight * (len(agree) / len(wires) if wires else 0.0)
            + params.headline_freshness_weight * fresh
        )

    return max(live, key=lambda a: (score(a), -a))


def summarize_story(
    members: Sequence[Member], words: int = 80, params: SummaryParams = SummaryParams(), *,
    idf: IdfTable | None = None, boilerplate: frozenset[str] = frozenset(),
) -> StorySummary:  # fmt: skip
    """Summarise one story in about `words` words, with attribution; furniture and the normalised
    `boilerplate` sentences are never candidates; `idf` is an optional shared table."""
    live = [m for m in members if not m.withdrawn]
    live = [live[i] for i in _time_order(live)]
    language = story_language(live)
    sources = tuple(dict.fromkeys(m.source for m in _first_reports(live)))
    first = _first_reports(live)[0] if live else None
    cands = [m for m in live if m.language in (language, None)] if params.same_language_only else live
    if not cands:
        return StorySummary("", "", (), "", (), None, None, (), language, not live)
    st = _build(cands, params, idf, boilerplate)
    scores = _scores(st, params)
    sentences = []
    for position, i in enumerate(select(st, scores, words, params)):
        m, (text, start, end) = st.members[st.art[i]], st.spans[i]
        also_sources, also_ids = _also(st, i, params)
        sentences.append(SummarySentence(position, text, m.article_id, m.source, start, end, also_sources, also_ids))
    h = _headline(st, params)
    return StorySummary(
        headline=st.members[h].headline if h is not None else "",
        headline_article_id=st.members[h].article_id if h is not None else "",
        sentences=tuple(sentences),
        credit_line=f"({', '.join(sources)})",
        sources_in_order=sources,
        first_source=first.source if first else None,
        first_reported_at=(first.first_reported_at or first.published_at) if first else None,
        exclusives=_exclusives(st, scores, params),
        language=language,
        withdrawn=False,
    )
