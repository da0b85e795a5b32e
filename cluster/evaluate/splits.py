"""Which part of each labelled corpus is used for fitting and which is held out.

Every fitted constant (pair-model weights, thresholds, the time prior) is chosen on the `fit`
parts only; figures on `held-out` parts are the ones to quote. The rule is by gold story, so a
story's documents are never on both sides:

* neus: its own `split` field: train = fit; val and test = held-out (val was looked at while
  choosing thresholds before this rule existed, so test is the cleanest);
* ecbplus: odd-numbered topics = fit, even = held-out (a topic holds two look-alike events);
* gva_dev and anything else: a hash of the story label, even = fit, odd = held-out;
* the demo corpus is a product check, never fitted on.
"""

from __future__ import annotations

from typing import Any

from storage.records import sha256_hex


def split_of(corpus: str, record: dict[str, Any]) -> str:
    """'fit' or 'held-out' for one labelled record of `corpus` (a file stem such as 'neus')."""
    if corpus.startswith("neus") and record.get("split"):
        return "fit" if record["split"] == "train" else "held-out"
    if corpus.startswith("ecbplus") and record.get("topic") is not None:
        return "fit" if int(record["topic"]) % 2 == 1 else "held-out"
    if corpus.startswith("demo"):
        return "held-out"
    return "fit" if int(sha256_hex(str(record["story"]))[:8], 16) % 2 == 0 else "held-out"
