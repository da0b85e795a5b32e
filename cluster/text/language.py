"""Language of an article, so multilingual runs can report and split by language.

py3langid (a naive-Bayes byte n-gram model, 140 labels) with calibrated probabilities. Measured on
the 4,676 distinct texts of semeval2022_pairs (10 languages, gold labels), restricted to the
two-letter labels below:

    first chars   accuracy   kept at p >= 0.5   accuracy of kept
         40         0.946          0.80              0.994
         80         0.989          0.95              0.998
        160         0.997          1.00              0.999
        300         0.999          1.00              0.999

Hence: look at the first `MAX_CHARS` only (the lead is in the article's language, and the cost
grows with length), abstain below `MIN_LETTERS` letters and below `MIN_CONFIDENCE`, where a wrong
code would do more harm than none. As shipped, on those 4,676 texts: 99.6 % right, 12 abstentions
(titles, lists, a Hindi text labelled zh), 5 wrong; 10,000 texts in about 2.5 s on one loaded core.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Characters from the start of the text that are classified.
MAX_CHARS = 200
#: Fewer letters than this is too little evidence (a dateline, a byline, "UPDATE 2").
MIN_LETTERS = 12
#: Calibrated probability under which we abstain; keeps 95 % of 80-character leads at 99.8 % accuracy.
MIN_CONFIDENCE = 0.5


@cache
def _identifier() -> LanguageIdentifier:
    """One private identifier: py3langid's module-level one is shared state we must not restrict.

    Only the ISO 639-1 labels are kept. The others (pcm, wuu, ext, ...) are dialects and regional
    languages that stole 3–4 % of short English, Chinese and Spanish leads, and callers want
    ISO 639-1 codes anyway.
    """
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([label for label in identifier.labels if len(label) == 2])
    return identifier


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`'s language, or None when the text is too short or ambiguous."""
    head = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in head) < MIN_LETTERS:
        return None
    language, confidence = _identifier().classify(head)
    return language if confidence >= MIN_CONFIDENCE else None
