"""Figures and states a report gives, so that newer ones supersede older ones in a summary.

In a developing story the toll rises: AFP's "At least 12 people were killed" of the first night is
wrong once Reuters reports "the death toll rose to 19" the next day. A summary must never print
the two side by side. This module reads, from one sentence, the figures it gives for the
quantities wire copy updates as a story develops (dead, injured, missing, evacuated, arrested,
rescued, magnitude), and the state of the things that change state (a strike on or over, a fire
burning or out, a search on or called off, a suspect sought, held or charged), with plain, tested
patterns; `superseded` then names the sentences whose figure or state a later report replaced.
A sentence with neither is never affected.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozens": -1,
    "hundreds": -1,
    "thousands": -1,
}
_NUM = r"(\d[\d,.]*|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_ANY_NUMBER = re.compile(_NUM)
_QUAL = r"(?:at least |more than |nearly |almost |about |some |over |up to |around )?"
_WHO = r"(?:[a-z-]+ ){0,2}"  # "people", "foreign tourists", "crew members"

#: (quantity, pattern); the pattern's first group is the figure. Matched on lower-cased text.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (q, re.compile(p))
    for q, p in (
        ("dead", rf"\b{_QUAL}{_NUM} {_WHO}(?:were |have been |had been |are |was )?(?:killed|dead|died)\b"),
        ("dead", rf"\bkill(?:s|ed|ing) {_QUAL}{_NUM}\b"),
        (
            "dead",
            rf"\b(?:death toll|toll|number of (?:[a-z]+ )?(?:dead|victims|deaths|people killed|people who died))\b(?:[^.;]|\.\d){{0,80}}?\b(?:to|at|reached|reaches|of) {_QUAL}{_NUM}\b",
        ),
        ("dead", rf"\b{_NUM} (?:deaths|dead|fatalities|victims)\b"),
        ("injured", rf"\b{_QUAL}{_NUM} {_WHO}(?:were |have been |had been |are |was )?(?:injured|hurt|wounded)\b"),
        ("injured", rf"\binjur(?:es|ed|ing) {_QUAL}{_NUM}\b"),
        ("injured", rf"\b{_NUM} (?:injured|wounded)\b"),
        ("missing", rf"\b{_QUAL}{_NUM} {_WHO}(?:(?:were|are|remain|remained|still) ){{0,2}}missing\b"),
        ("evacuated", rf"\b{_QUAL}{_NUM} {_WHO}(?:were |have been |had been )?evacuated\b"),
        ("evacuated", rf"\bevacuat(?:es|ed|ing) {_QUAL}{_NUM}\b"),
        ("arrested", rf"\b{_QUAL}{_NUM} {_WHO}(?:were |have been |had been )?(?:arrested|detained)\b"),
        ("arrested", rf"\b(?:arrests|arrested|detained) {_QUAL}{_NUM}\b"),
        ("rescued", rf"\b{_QUAL}{_NUM} {_WHO}(?:were |have been |had been )?rescued\b"),
        ("magnitude", r"\bmagnitude[- ](\d+(?:\.\d+)?)\b"),
    )
)


#: (topic, state, pattern) on lower-cased text: what a sentence says the state of a thing is.
STATES: tuple[tuple[str, str, re.Pattern[str]], ...] = tuple(
    (topic, state, re.compile(p))
    for topic, state, p in (
        ("strike", "over", r"\bstrike\b[^.;]{0,80}\b(?:ended|ends|suspended|called off|is over|was over)\b"),
        ("strike", "over", r"\b(?:ended|suspended|called off)(?: (?:their|the|a|its))? (?:[\w-]+ )?strike\b"),
        (
            "strike",
            "on",
            r"\b(?:walked off the job|went on strike|are on strike|began (?:a|an|their) (?:[\w-]+ )?strike|strike (?:began|continues|entered|drags on)|(?:workers|dockworkers|controllers|staff|pilots|drivers|nurses|teachers) strike\b)",
        ),
        # "The strike by about 2,400 workers at the port ... began at 6 a.m." (not "strike, which began").
        ("strike", "on", r"\bstrike (?:by|at|in) (?:[^.;]|\.\d|,\d){0,80}?\b(?:began|begins)\b"),
        ("fire", "out", r"\b(?:all clear|fire (?:was|is|has been) (?:extinguished|put out|out|under control))\b"),
        ("fire", "burning", r"\bfire (?:is |was )?(?:still )?(?:burning|raging|spreading)\b"),
        ("search", "off", r"\bsearch\b[^.;]{0,40}\b(?:called off|suspended|ended)\b"),
        ("suspect", "charged", r"\b(?:was|were|has been|have been) charged\b|\bcharged (?:him|her|them) with\b"),
        ("suspect", "held", r"\b(?:was|were|has been|have been) (?:arrested|detained|taken into custody)\b"),
        (
            "suspect",
            "sought",
            r"\b(?:police|officers) (?:are|were) (?:searching|looking) for\b|\bsuspect (?:is|was) (?:still )?at large\b",
        ),
    )
)


def states(sentence: str) -> dict[str, str]:
    """Topic -> state that `sentence` reports (the first matching state of each topic)."""
    text = sentence.lower()
    out: dict[str, str] = {}
    for topic, state, pattern in STATES:
        if topic not in out and pattern.search(text):
            out[topic] = state
    return out


def _value(token: str) -> float | None:
    if token in _NUMBER_WORDS:
        v = _NUMBER_WORDS[token]
        return None if v < 0 else float(v)
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


#: A sentence that places what it tells in a given year ("the collapse of a bridge in 2001 that
#: killed 59 people") recalls an earlier event: its figures are background, never the story's
#: current toll. Wire copy dates the current event by weekday, not by year.
_EARLIER_EVENT_RE = re.compile(r"\b(?:in|since|of|from|during|until) (?:[a-z]+ )?(?:19|20)\d\d\b")


def figures(sentence: str) -> dict[str, float]:
    """Quantity -> figure stated in `sentence` (the first match of each quantity); none for a
    sentence about an event of a given year (background, see `_EARLIER_EVENT_RE`)."""
    text = sentence.lower()
    out: dict[str, float] = {}
    if not _ANY_NUMBER.search(text) or _EARLIER_EVENT_RE.search(text):  # every pattern needs a number
        return out
    for quantity, pattern in PATTERNS:
        if quantity in out:
            continue
        for m in pattern.finditer(text):
            v = _value(m.group(1).rstrip(".,"))
            if v is not None:
                out[quantity] = v
                break
    return out


def facts(sentence: str) -> dict[str, float | str]:
    """The figures and states of one sentence, keyed by quantity or by 'state:' + topic."""
    return dict(_facts(sentence))


@lru_cache(maxsize=1 << 16)
def _facts(sentence: str) -> tuple[tuple[str, float | str], ...]:
    """Cached: a summary asks for the facts of the same sentence many times (selection,
    superseding, corroboration, ordering, boilerplate), and the patterns are the cost."""
    return (*figures(sentence).items(), *((f"state:{k}", v) for k, v in states(sentence).items()))


def superseded(sentences: Sequence[str], times: Sequence[datetime | None]) -> list[bool]:
    """For each sentence, whether a later report gives a different figure or state for a quantity
    or topic it states.

    "Later" is a strictly later report time; sentences of reports without a time are never
    superseded and never supersede.
    """
    facts_of = [facts(s) for s in sentences]
    latest: dict[str, tuple[datetime, float | str]] = {}
    for f, t in zip(facts_of, times):
        if t is None:
            continue
        for q, v in f.items():
            if q not in latest or t > latest[q][0]:
                latest[q] = (t, v)
    out = []
    for f, t in zip(facts_of, times):
        out.append(t is not None and any(q in latest and latest[q][0] > t and latest[q][1] != v for q, v in f.items()))
    return out


def shared_facts(sentences: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) of sentences that state the same figure or state of the same quantity or
    topic: the same fact in other words ("the toll rose to 19" / "19 people have died")."""
    seen: dict[tuple[str, float | str], list[int]] = {}
    for i, s in enumerate(sentences):
        for key in facts(s).items():
            seen.setdefault(key, []).append(i)
    return sorted({(a, b) for group in seen.values() for x, a in enumerate(group) for b in group[x + 1 :]})
