"""ROUGE of wirestory's story summaries against human references, beside two baselines.

Protocol (so numbers are comparable with the field notes):
- stories are the gold `story` groups of the corpus file, optionally one `split`;
- each system gets the same word budget and the same rule: whole sentences, the first always,
  later ones only if they keep the summary within `words`;
- ROUGE-1/2/L F1 with `rouge_score` and the Porter stemmer, the MAXIMUM over the story's
  references taken per metric (a summary is as good as the reference it matches best; neus has
  one reference per story), then averaged over the stories that have references;
- `lead`: first sentences of the earliest article — earliest by `published_at`, and in file
  order where there are no timestamps (all of neus);
- `lexrank`: sumy's LexRankSummarizer over all the story's sentences, ranked, filled greedily;
- the shared IDF table of wirestory is fitted on the whole corpus file (unsupervised, as the
  nightly job fits it on the night's copy); references are never seen.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from cluster.summary.summarize import IdfTable, summarize_story
from cluster.summary.types import Member, SummaryParams
from cluster.text.sentences import split_sentences
from cluster.text.stemming import stemmed_words

METRICS = ("rouge1", "rouge2", "rougeL")


def read_jsonl(path: str | Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def to_member(doc: dict) -> Member:
    """A gold document as a story member; a document without an outlet is its own source."""
    stamp = doc.get("published_at")
    return Member(
        article_id=str(doc["id"]),
        source=doc.get("source") or str(doc["id"]),
        published_at=datetime.fromisoformat(stamp) if stamp else None,
        headline=doc.get("title") or "",
        body=doc.get("text") or "",
        language=doc.get("language"),
    )


def fit_budget(sentences: Sequence[str], words: int, prefix: bool = False) -> list[int]:
    """Indices of sentences (in the given order) that fit the budget; `prefix` stops at the first misfit."""
    picked: list[int] = []
    total = 0
    for i, text in enumerate(sentences):
        n = len(text.split())
        if picked and total + n > words:
            if prefix:
                break
            continue
        picked.append(i)
        total += n
        if total >= words:
            break
    return picked


def lead_summary(members: Sequence[Member], words: int) -> str:
    """First sentences of the earliest article (file order breaks ties and missing timestamps)."""
    first = min(
        range(len(members)), key=lambda i: (members[i].published_at is None, members[i].published_at or datetime.min, i)
    )
    texts = [s.text for s in split_sentences(members[first].body)]
    return " ".join(texts[i] for i in fit_budget(texts, words, prefix=True))


@dataclass(eq=False)
class _SumySentence:
    """Duck-typed sumy sentence: sumy's own Tokenizer needs nltk punkt data we cannot download."""

    text: str
    words: list[str] = field(default_factory=list)


@dataclass
class _SumyDocument:
    sentences: list[_SumySentence]


def lexrank_summary(members: Sequence[Member], words: int) -> str:
    """sumy LexRank over every sentence of the story, best-rated first until the budget is met."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.utils import get_stop_words

    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sents = [_SumySentence(s.text, stemmed_words(s.text, None)) for m in members for s in split_sentences(m.body)]

    def budget(infos: list) -> list:  # sumy passes sentence infos best-rated first
        return [infos[i] for i in fit_budget([info.sentence.text for info in infos], words)]

    with np.errstate(invalid="ignore", divide="ignore"):  # sumy's power method divides 0/0 on tiny stories
        return " ".join(s.text for s in summarizer(_SumyDocument(sents), budget))


def _score(scorer: rouge_scorer.RougeScorer, summary: str, refs: Sequence[str]) -> dict[str, float]:
    results = [scorer.score(ref, summary) for ref in refs]
    return {k: max(r[k].fmeasure for r in results) for k in METRICS}


def _mean(rows: list[dict[str, float]]) -> dict[str, float | None]:
    return {k: (sum(r[k] for r in rows) / len(rows) if rows else None) for k in METRICS}


def evaluate_summaries(
    gold_path: str | Path,
    refs_path: str | Path | None,
    words: int = 80,
    split: str | None = None,
    params: SummaryParams = SummaryParams(),
) -> dict:
    """Summarise every gold story of `split` and score wirestory, lead and lexrank with ROUGE F1.

    Without references (`refs_path` None or no reference for a story) stories are still
    summarised — a smoke test — but not scored; `n_stories` counts scored stories.
    """
    docs = [d for d in read_jsonl(gold_path) if split is None or d.get("split") == split]
    refs: dict[str, list[str]] = {}
    for r in read_jsonl(refs_path) if refs_path else []:
        refs.setdefault(str(r["story"]), []).append(r["summary"])
    stories: dict[str, list[Member]] = {}
    for d in docs:
        stories.setdefault(str(d["story"]), []).append(to_member(d))
    idf = IdfTable.fit(
        (f"{d.get('title') or ''} {d.get('text') or ''}", d.get("language")) for d in read_jsonl(gold_path)
    )
    systems: dict[str, Callable[[Sequence[Member]], str]] = {
        "wirestory": lambda ms: " ".join(s.text for s in summarize_story(ms, words, params, idf=idf).sentences),
        "lead": lambda ms: lead_summary(ms, words),
        "lexrank": lambda ms: lexrank_summary(ms, words),
    }
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    rows: dict[str, list[dict[str, float]]] = {name: [] for name in systems}
    seconds: dict[str, float] = {name: 0.0 for name in systems}
    for story, members in stories.items():
        for name, system in systems.items():
            t0 = time.perf_counter()
            summary = system(members)
            seconds[name] += time.perf_counter() - t0
            if refs.get(story):
                rows[name].append(_score(scorer, summary, refs[story]))
    n_scored = len(rows["wirestory"])

    def report(name: str) -> dict:
        return {**_mean(rows[name]), "n_stories": n_scored, "seconds": round(seconds[name], 3)}

    return {
        **report("wirestory"),
        "n_summarized": len(stories),
        "baselines": {n: report(n) for n in ("lead", "lexrank")},
    }
