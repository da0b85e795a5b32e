"""Write demo/developing: invented developing stories over four nights, with gold current facts.

Deterministic (fixed seed, no clock): `python scripts/make_developing_set.py [OUT_DIR]` writes
night-1.jsonl .. night-4.jsonl and gold.json (default OUT_DIR demo/developing). All copy is our own
fiction: invented people, companies and villages, real cities only as settings.

Each story is one kind (quake or flood toll rising, fire then all clear, strike on then over,
search then called off, suspect sought then held then charged, injured count revised,
evacuations) over two to four nights, carried by one to four of Reuters, AFP, dpa and AP, each wire
with its own sentence templates. A wire may lag: the first report of a night can still carry the
previous night's figure, and a wire may leave a figure out. A few AP articles are redistributed
verbatim by dpa or AFP under their own header. Every sentence is checked against
`cluster.summary.figures.facts`: a fact sentence states exactly its facts, a background sentence none.

gold.json, per story: `current` (quantity or 'state:topic' -> the latest value reported, by
publication time), `wires` (fact -> wires that reported the current value in their own copy),
`items` (JSONL ids of the story), and `redistributions` (redistributed id -> original id).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

from developing_lib.stories import build  # noqa: E402


def write(out_dir: Path) -> None:
    by_night, gold = build()
    out_dir.mkdir(parents=True, exist_ok=True)
    for n, records in by_night.items():
        with open(out_dir / f"night-{n + 1}.jsonl", "w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out_dir / "gold.json").write_text(json.dumps(gold, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "demo" / "developing")
