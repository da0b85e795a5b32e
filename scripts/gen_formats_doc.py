#!/usr/bin/env python3
"""Generate docs/formats.md: per wire format and field, how many real sample files yield it.

The samples are ../shared/corpora/wire_samples (read-only, not in the repository). A file "yields"
a field when at least one article read from it has a non-empty value (source: not "unknown").
KNOWN_GAPS lists what is known to be missing and why; keep it true when readers change.

    python scripts/gen_formats_doc.py           # rewrite docs/formats.md
    python scripts/gen_formats_doc.py --check   # exit 1 if docs/formats.md is out of date

tests/test_formats_doc.py fails when the document and the readers disagree.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "formats.md"
SAMPLES = ROOT.parent / "shared" / "corpora" / "wire_samples"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from storage.readers.conformance import FIELDS, field_counts, run, sample_files  # noqa: E402

#: (format, field or "-", gap): what the readers do not deliver, and why.
KNOWN_GAPS = (
    (
        "anpa",
        "slugline",
        "the keyword is the first word after the category '--' ('Giant' for 'Giant Lobster Death'), "
        "as newsroom systems read it; the full keyword stays in raw",
    ),
    ("anpa", "language", "ANPA carries no language; ingest detects it from the text"),
    ("anpa", "first_created", "only the trailer time exists; it is the version time"),
    ("iptc7901", "language", "7901 carries no language; ingest detects it from the text"),
    ("iptc7901", "version_created", "a trailer without date (belga/dpa.txt, odd charset sample) gives no time"),
    ("iptc7901", "-", "no item id: the key is a hash of source, headline and text; versions are not linked"),
    ("nitf", "-", "AP renditions carry no id or metadata: they are paired with AP Media JSON at ingest"),
    (
        "newsml-g2",
        "-",
        "a packageItem is read only when it carries text of its own (inline rendition or a summary "
        "description); one that only references items (every sample package) is skipped with that reason",
    ),
    ("newsml-g2", "byline", "dpa NewsML-G2 names only the author login (creator/name), which is not a byline"),
    ("all", "dateline", "the dateline is the place only ('Stockholm'); the date and agency mark stay in the body"),
    (
        "all",
        "body",
        "an opening byline and dateline are cut only when they repeat the item's byline and dateline "
        "fields; where the copy is the only place the dateline is written (ANPA, IPTC 7901, JSONL/CSV, Reuters "
        "NewsML-G2 whose <dateline> is a timestamp, ninjs) it stays at the start of the body as wire copy",
    ),
    (
        "all",
        "url",
        "only ninjs, AP Media and RSS/Atom samples carry the item's own page; NewsML-G2 url comes from a "
        "canonical/self link or a text/html rendition, which no sample has (their irel:seeAlso links are other pages)",
    ),
)


#: Public variants checked by hand (not in the samples: kept outside the repository, never committed,
#: licences): (repository, path, format and wire, values compared, matching before, matching after).
#: "Before" is the readers at 984de7d, "after" the readers that wrote this table; the expected
#: values are what each file plainly says (headline, slugline, byline names, dateline place, body
#: opening, ednote, ISO 639-1 language, wire, url, UTC times, whether it is a text item at all).
PUBLIC_VARIANTS = (
    ("superdesk/superdesk-stt", "server/tests/fixtures/afp_test.xml", "newsml-1, AFP", 11, 9, 11),
    (
        "superdesk/superdesk-stt",
        "server/tests/fixtures/stt_newsml_pre_test.xml",
        "newsml-g2, STT (naive, empty times)",
        7,
        5,
        7,
    ),
    (
        "superdesk/superdesk-stt",
        "server/tests/fixtures/ntb_newsml_test.xml",
        "newsml-g2 newsMessage + NITF, NTB",
        11,
        10,
        11,
    ),
    ("superdesk/superdesk-stt", "server/tests/fixtures/stt_newsml_online_version.xml", "newsml-g2, STT", 10, 10, 10),
    (
        "superdesk/superdesk-stt",
        "server/tests/fixtures/stt_businesswire_20240606079628r1.xml",
        "newsml-1, Business Wire (roles)",
        8,
        5,
        8,
    ),
    ("superdesk/superdesk-belga", "server/tests/io/fixtures/anp_belga.xml", "newsml-1, ANP", 8, 5, 6),
    ("superdesk/superdesk-belga", "server/tests/io/fixtures/efe_belga.xml", "newsml-1 + NITF, EFE", 9, 8, 9),
    ("superdesk/superdesk-belga", "server/tests/io/fixtures/tass_belga.xml", "newsml-1, TASS (no NewsItemId)", 7, 0, 7),
    (
        "superdesk/superdesk-belga",
        "server/tests/io/fixtures/kyodo_newsml_1_2_belga.xml",
        "newsml-1, Kyodo (DTD modules)",
        8,
        0,
        8,
    ),
    (
        "superdesk/superdesk-belga",
        "server/tests/io/fixtures/ats_newsml_1_2_belga.xml",
        "newsml-1, SDA-ATS (DTD modules)",
        8,
        0,
        8,
    ),
    (
        "superdesk/superdesk-belga",
        "server/tests/io/fixtures/belga_newsml_1_2.xml",
        "newsml-1, Belga (two languages)",
        8,
        2,
        8,
    ),
    ("superdesk/superdesk-belga", "server/tests/io/fixtures/ansa_belga.xml", "nitf, ANSA", 7, 4, 6),
    (
        "superdesk/superdesk-belga",
        "server/tests/io/fixtures/ats.txt",
        "iptc7901 without control characters, SDA-ATS",
        7,
        0,
        7,
    ),
    (
        "superdesk/superdesk-belga",
        "server/tests/io/fixtures/kyodo.txt",
        "anpa without control characters, Kyodo",
        7,
        0,
        7,
    ),
    ("superdesk/superdesk-ntb", "server/ntb/tests/io/fixtures/ritzau.xml", "Ritzau RBNews XML (flash)", 5, 0, 5),
    ("superdesk/superdesk-ntb", "server/ntb/tests/io/fixtures/ritzau_2.xml", "Ritzau RBNews XML", 9, 0, 9),
    (
        "iptc/newsinjson",
        "documentation/includes/examples/1.7/005_complex_text_article.json",
        "ninjs 1.7 (role-named fields)",
        8,
        0,
        8,
    ),
    ("iptc/newsinjson", "documentation/includes/examples/001_simple_example.json", "ninjs 1.x", 6, 6, 6),
    ("iptc/newsinjson", "documentation/includes/examples/007_multimedia.json", "ninjs composite", 7, 6, 7),
    ("iptc/newsinjson", "examples/2.0/ninjs-2-0-examples.json", "ninjs 2.0 draft", 2, 1, 2),
    ("iptc/newsinjson", "examples/2.2/20231004-UEFA-ChampionLeague.json", "ninjs 2.2 event (not a text item)", 1, 1, 1),
    ("iptc/newsinjson", "examples/3.0/businesswire-newsml-20130731006140.json", "ninjs 3.0 composite", 7, 7, 7),
    ("iptc/newsml-g2", "examples/ap_metadata_example.xml", "newsml-g2 video (not a text item)", 1, 1, 1),
    ("iptc/python-newsmlg2", "tests/test_files/008_roundtrip_test.xml", "newsml-g2 + prefixed NITF", 11, 10, 11),
)
#: What the public variants show that the readers leave as it is, and why.
PUBLIC_VARIANT_GAPS = (
    "ANP opens replacement copy with a letter-spaced replacement note before the dateline: it stays the "
    "first paragraph and the dateline is not found",
    "ANSA's NITF puts a subtitle in <byline>: it is kept as the byline",
    "ANP's SlugLine holds an author and TASS's an urgency flag: read as the slugline, as the format says",
    "STT NewsML-G2 names an editor in contentMeta/creator while <by/> is empty: the creator is kept as the byline",
)


def render(root: Path = SAMPLES) -> str:
    results = run(root)
    counts = field_counts(results)
    files = len(sample_files(root))
    with_articles = sum(n for n, _ in counts.values())
    lines = [
        "# Wire formats: what each field comes from, and how often real files have it",
        "",
        "<!-- GENERATED by scripts/gen_formats_doc.py from ../shared/corpora/wire_samples: do not edit by hand. -->",
        "",
        f"{files} real sample files, {with_articles} of them with at least one article. Each cell: files of that "
        "format in which some article has the field / files of that format with articles. "
        "`wirestory ingest --explain FILE` shows, for one file, where each value came from.",
        "",
        "| format | files | " + " | ".join(FIELDS) + " |",
        "|---|---|" + "---|" * len(FIELDS),
    ]
    total_cells = filled = 0
    for fmt in sorted(counts):
        n, c = counts[fmt]
        lines.append(f"| {fmt} | {n} | " + " | ".join(f"{c[f]}/{n}" for f in FIELDS) + " |")
        total_cells += n * len(FIELDS)
        filled += sum(c[f] for f in FIELDS)
    lines += [
        "",
        f"Overall: {filled} of {total_cells} format-file-field cells filled ({100 * filled / max(total_cells, 1):.0f} %).",
        "",
        "## Known gaps",
        "",
    ]
    lines += [f"- **{fmt}**{'' if field == '-' else f' `{field}`'}: {gap}" for fmt, field, gap in KNOWN_GAPS]
    lines += _public_variants()
    return "\n".join(lines) + "\n"


def _public_variants() -> list[str]:
    """The section on public variants checked by hand (sources named, no content copied)."""
    compared = sum(n for *_, n, _, _ in PUBLIC_VARIANTS)
    before = sum(b for *_, b, _ in PUBLIC_VARIANTS)
    after = sum(a for *_, a in PUBLIC_VARIANTS)
    lines = [
        "",
        "## Checked against public variants",
        "",
        f"{len(PUBLIC_VARIANTS)} public files of other newsroom systems' and the IPTC's repositories, not among the "
        "samples above (read from a local copy outside the repository, never committed), compared field by field "
        "with what each file plainly says. The rules they showed are tested on small files written for the tests "
        "(tests/test_readers_variants.py). "
        f"Values matching: {before} of {compared} before ({100 * before / compared:.1f} %), "
        f"{after} of {compared} after ({100 * after / compared:.1f} %).",
        "",
        "| repository | path | format, wire | values compared | matching before | matching after |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {repo} | `{path}` | {fmt} | {n} | {b} | {a} |" for repo, path, fmt, n, b, a in PUBLIC_VARIANTS]
    lines += ["", "Left as they are:", ""] + [f"- {gap}" for gap in PUBLIC_VARIANT_GAPS]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the document is out of date")
    parser.add_argument("--out", type=Path, default=DOC)
    parser.add_argument("--samples", type=Path, default=SAMPLES)
    args = parser.parse_args(argv)
    text = render(args.samples)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run python scripts/gen_formats_doc.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
