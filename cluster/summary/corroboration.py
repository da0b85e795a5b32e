"""Which wires independently confirm a summary sentence: a redistributed copy confirms nothing.

dpa redistributing AP's story is AP's reporting under a dpa slug; the summarizer sees two wires
carrying the same sentence, but an editor counting sources must see one. An article's origin wire
is the wire at the end of its `duplicates.duplicate_of` chain (itself when it duplicates nothing;
read by storage.summary_inputs.origin_wires);
another article supports a sentence only if it is its wire's own reporting and that wire differs
from the origin of the sentence's article.
"""

from __future__ import annotations

from dataclasses import replace

from cluster.summary.types import StorySummary

#: Longest duplicate chain followed (versions of a near-copy of a version ...); real chains are 1-2.
MAX_CHAIN = 8


def independent_support(summary: StorySummary, source_of: dict[str, str], origin_of: dict[str, str]) -> StorySummary:
    """The summary with each sentence's `also_sources` limited to wires reporting on their own."""
    sentences = []
    for s in summary.sentences:
        origin = origin_of.get(s.article_id, s.source)
        also = [
            source_of[a]
            for a in s.also_article_ids
            if a in source_of and origin_of.get(a, source_of[a]) == source_of[a] != origin
        ]
        sentences.append(replace(s, also_sources=tuple(dict.fromkeys(w for w in also if w != s.source))))
    return replace(summary, sentences=tuple(sentences))
