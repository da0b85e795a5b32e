"""Furniture: lines of wire copy that carry no fact an editor could print as one.

Sign-offs, credit and contact lines, photo captions, "Read more" pointers, a dateline standing
alone, fragments and boilerplate are part of every wire's copy, and they are exactly what no other
wire repeats, so an extractive summarizer would otherwise list them as "only here". Each class is
a plain predicate on one sentence, so a rule can be tested and explained on its own;
`furniture_kind` names the first class that matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence

from cluster.text.sentences import split_sentences

_SIGNOFF_RE = re.compile(
    r"^\W*(?:(?:additional|further)\s+)?(?:reporting|writing|editing|compiled|edited|produced|translated|"
    r"graphics?|fact[- ]?checking)\s+by\b|\bcontributed\s+(?:to\s+this\s+report|reporting)\b"
    # a wire's advisory on an updated story: "(Adds new death toll, ...)", "(Updates with ...)"
    r"|^\W*\((?:adds|updates|recasts|corrects|repeats|rewrites|changes|fixes|removes)\b[^)]*\)\W*$",
    re.IGNORECASE,
)
_CONTACT_RE = re.compile(
    r"[\w.+-]+@[\w-]+\.[\w.-]+|(?<![\w@])@\w{2,}|(?:\+|\b00)\d[\d ()./-]{7,}\d|\(\d{3}\)\s?\d{3}-\d{4}|\b\d{3}-\d{3}-\d{4}\b"
    r"|^\W*(?:contact|kontakt|media contact|press contact|tel|phone|fax)\.?\s*:|\bfor (?:more|further) information\b"
    r"|\bfollow (?:us|him|her|them|the \w+) on\b",
    re.IGNORECASE,
)
_CAPTION_RE = re.compile(
    r"^\W*(?:photo|foto|picture|image|file photo|photograph|caption)\s*:|\((?:\w+ )?photo\s*/|\(photo by\b"
    r"|^\W*FILE\s*[-–—]|\bphoto credit\b",
    re.IGNORECASE,
)
_POINTER_RE = re.compile(
    r"^\W*(?:(?:read more|click here|more on this|mehr zum thema|lesen sie auch|(?:à )?lire aussi)\b"
    r"|(?:related(?: coverage| stories)?|see also|watch|video)\s*:)",
    re.IGNORECASE,
)
# A dateline: place in capitals or title case, optional ", date", an optional "(wire)", a dash.
_DATELINE_RE = re.compile(r"^[A-ZÀ-Þ][\w.'’ -]{0,40}(?:,[^()\n]{0,40})?\s*(?:\([\w .-]{1,20}\))?\s*[-–—:]*\s*$")
_WORD_RE = re.compile(r"\w+")

#: Fewer words than this is a fragment, not a sentence ("He said.", "Sources:").
MIN_WORDS = 4
#: A sentence shared by two stories' copy is boilerplate only from this length on: shorter identical
#: sentences ("No one was injured.") recur across unrelated stories as facts.
MIN_BOILERPLATE_WORDS = 6


def normalise(text: str) -> str:
    """Lowercased words only: the key under which boilerplate is recognised across stories."""
    return " ".join(_WORD_RE.findall(text.lower()))


def is_signoff(text: str) -> bool:
    """'(Reporting by …; Editing by …)', 'Writing by …', '… contributed to this report.'"""
    return bool(_SIGNOFF_RE.search(text))


def is_contact(text: str) -> bool:
    """E-mail addresses, phone numbers, @handles, 'Contact:' and 'For more information' lines."""
    return bool(_CONTACT_RE.search(text))


def is_caption(text: str) -> bool:
    """Photo captions and credits: 'Photo:', '(AP Photo/…)', 'FILE –'."""
    return bool(_CAPTION_RE.search(text))


def is_pointer(text: str) -> bool:
    """Links to other copy: 'Read more', 'Related:', 'See also'."""
    return bool(_POINTER_RE.match(text))


def is_dateline_alone(text: str) -> bool:
    """A dateline with nothing after it: 'BERLIN (dpa) -', 'LIMA, Nov 27 (Reuters) -'."""
    stripped = text.strip()
    return bool(_DATELINE_RE.match(stripped)) and (stripped[-1:] in "-–—:" or stripped.endswith(")"))


def is_fragment(text: str) -> bool:
    """Too short to state a fact, or the tail of a cut sentence (starts lowercase or with ',;:)')."""
    first = text.lstrip("\"'“”„«»‘’ ")[:1]
    return len(_WORD_RE.findall(text)) < MIN_WORDS or first.islower() or first in ",;:)]"


_KINDS = (
    ("signoff", is_signoff),
    ("contact", is_contact),
    ("caption", is_caption),
    ("pointer", is_pointer),
    ("dateline", is_dateline_alone),
    ("fragment", is_fragment),
)


def furniture_kind(text: str, boilerplate: frozenset[str] = frozenset()) -> str | None:
    """The furniture class of a sentence, or None for a sentence that may state a fact."""
    for kind, test in _KINDS:
        if test(text):
            return kind
    return "boilerplate" if normalise(text) in boilerplate else None


def is_furniture(text: str, boilerplate: frozenset[str] = frozenset()) -> bool:
    return furniture_kind(text, boilerplate) is not None


def shared_boilerplate(
    bodies_by_story: Mapping[str, Sequence[str]], states_fact: Callable[[str], bool] | None = None
) -> frozenset[str]:
    """Normalised sentences that occur in the copy of two or more different stories.

    A wire's standing text ("The Associated Press receives support from …") recurs in all of its
    stories; the result depends only on the input. Look-alike stories do share facts verbatim
    ("The search was called off Thursday, officials said." in two boat accidents), so a sentence
    for which `states_fact` is true (a figure or a state) is never boilerplate.
    """
    # Per sentence only its first story, and whether a second story has it: a set of story ids
    # for each of a 50k night's million sentences cost hundreds of MB, and keeping each first
    # text ~0.2 GB; a second pass reads the first text of the shared sentences alone.
    first: dict[str, str] = {}
    shared: dict[str, str | None] = {}
    for story_id, key, _ in _keyed_sentences(bodies_by_story):
        if first.setdefault(key, story_id) != story_id:
            shared[key] = None
    del first
    if states_fact is None:
        return frozenset(shared)
    for _, key, text in _keyed_sentences(bodies_by_story):
        if key in shared and shared[key] is None:
            shared[key] = text
    return frozenset(key for key, text in shared.items() if not states_fact(text or ""))


def _keyed_sentences(bodies_by_story: Mapping[str, Sequence[str]]) -> Iterator[tuple[str, str, str]]:
    """(story, normalised key, text) of every sentence long enough to be boilerplate, in order."""
    for story_id, bodies in bodies_by_story.items():
        for body in bodies:
            for s in split_sentences(body):
                key = normalise(s.text)
                if key.count(" ") + 1 >= MIN_BOILERPLATE_WORDS:
                    yield story_id, key, s.text
