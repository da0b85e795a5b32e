"""Sentence splitting with exact character spans, without nltk data.

Summaries quote wire copy verbatim and point back into the article (`body[start:end]`), so the
splitter never rewrites text: it only chooses boundaries. Punkt would need downloaded data, which
the night machines cannot fetch, so boundaries come from rules that cover wire copy in English,
German and French: a sentence ends at `.`, `!`, `?` or `…` (plus any closing quotes or brackets)
followed by whitespace and a plausible sentence start, and always at a line break (paragraphs).
A full stop does not end a sentence after a known abbreviation (Mr., Jan., z.B., Mme.), a single
initial (John F. Kennedy, M. Macron), a lowercase continuation, or an ordinal before a month
(am 3. Oktober). A dotted acronym (U.S., U.N.) ends a sentence only when a common sentence-opening
word follows, since "the U.S. Senate" is far more frequent than "the U.S. The".
Nor does a sentence end inside a quotation that closes in the same paragraph: wire copy quotes
several sentences at once ("It was the worst. Now we want to go home," she said), and a cut inside
leaves two fragments no editor can print. A quotation left open at the paragraph's end (the wire
convention for quotes running over several paragraphs) does not hold boundaries back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Abbreviations (lowercase, without the final dot) after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj st jr sr rev hon pres supt det insp
    inc corp co ltd llc plc bros dept univ assn est approx vs etc cf al fig no nos vol pp ca
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    ave blvd rd mt ft
    nr bzw usw vgl ggf evtl inkl sog hr fr frau dipl ing abs str tel mio mrd
    mme mlle mm me av env cie
    """.split()
)

#: Words that open sentences often enough that a dotted acronym before them ends the sentence.
SENTENCE_OPENERS = frozenset(
    """
    the a an he she it they we i this that these those his her its their there but and in on at
    after before when while if as however meanwhile officials police der die das er sie es wir
    ein eine aber und le la les il elle ils nous mais et un une
    """.split()
)

MONTHS = frozenset(
    """
    january february march april may june july august september october november december
    januar februar märz mai juni juli oktober dezember
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    """.split()
)

_CLOSERS = "\"'”’»)]}"
_OPENERS = "\"'“‘„«»([{¿¡"
# A candidate end: terminal punctuation, closing quotes/brackets (French puts a space before »),
# then blanks (no newline) before the next non-space character.
_END_RE = re.compile(r"[.!?…]+(?:[ \u00a0\u202f]?»|[" + re.escape(_CLOSERS) + r"])*(?=[ \t\u00a0]+\S)")
# The next word after a candidate end, with any opening quotes/brackets split off.
_NEXT_RE = re.compile(r"\s*([" + re.escape(_OPENERS) + r"]*)(\S*)")
_ACRONYM_RE = re.compile(r"(?:\w{1,2}\.)+\w{1,2}")


#: Curly and angled quotation marks: opener -> closers. German „…“ closes with the English opener,
#: and German books use »…« where French uses «…», so the innermost open mark decides.
_PAIRED = {"“": "”", "„": "“”", "«": "»", "»": "«"}
_CURLY_RE = re.compile("[“”„«»]")


@dataclass(frozen=True)
class Sentence:
    """A sentence and its span: `text == source[start:end]` always holds."""

    text: str
    start: int
    end: int


def _is_boundary(text: str, punct_start: int, punct_end: int) -> bool:
    """Decide whether the punctuation at text[punct_start:punct_end] ends a sentence."""
    match = _NEXT_RE.match(text, punct_end)
    assert match is not None  # the pattern matches the empty string
    opener, nxt = match.group(1), match.group(2)
    first = (opener or nxt)[:1]
    if not first:
        return True
    if nxt[:1].islower() or not (first.isalnum() or opener):
        return False  # a continuation ("he asked") or punctuation, not a new sentence
    punct = text[punct_start:punct_end]
    if punct[0] != "." or punct.startswith("..") or punct[-1] in _CLOSERS:
        return True
    token = text[text.rfind(" ", 0, punct_start) + 1 : punct_start].lstrip(_OPENERS)
    bare = token.lower()
    if bare in ABBREVIATIONS:
        return False
    if len(token) == 1 and token.isalpha() and token.isupper():
        return False  # an initial: John F. Kennedy, M. Macron
    if "." in token and _ACRONYM_RE.fullmatch(token):
        # Dotted acronym or abbreviation (U.S., z.B., e.g.): a boundary only before a sentence opener.
        return nxt.lower().strip(_CLOSERS + ",;:") in SENTENCE_OPENERS
    if token.isdigit() and len(token) <= 2 and nxt.lower().strip(",;:") in MONTHS:
        return False  # ordinal date: am 3. Oktober
    return True


def _quoted(chunk: str) -> list[tuple[int, int]]:
    """(open, close) positions of the quotations that close within `chunk`, nested ones included.

    Straight double quotes pair in order of appearance; an unmatched mark opens nothing, so a stray
    or paragraph-spanning quote cannot swallow the rest of the paragraph.
    """
    straight = [m.start() for m in re.finditer('"', chunk)]
    regions = list(zip(straight[::2], straight[1::2]))
    stack: list[tuple[str, int]] = []
    for m in _CURLY_RE.finditer(chunk):
        ch, i = m.group(), m.start()
        if stack and ch in _PAIRED[stack[-1][0]]:
            regions.append((stack.pop()[1], i))
        elif ch in _PAIRED:
            stack.append((ch, i))
    return regions


def split_sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences whose spans reproduce them exactly, whitespace trimmed."""
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        base, chunk = line.start(), line.group()
        quoted = _quoted(chunk)
        cuts = [
            m.end()
            for m in _END_RE.finditer(chunk)
            if _is_boundary(chunk, m.start(), m.end()) and not any(o < m.end() <= c for o, c in quoted)
        ]
        prev = 0
        for cut in [*cuts, len(chunk)]:
            piece = chunk[prev:cut]
            stripped = piece.strip()
            if stripped:
                start = base + prev + (len(piece) - len(piece.lstrip()))
                out.append(Sentence(stripped, start, start + len(stripped)))
            prev = cut
    return out
