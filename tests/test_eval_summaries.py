"""evaluate_summaries on a tiny constructed gold/reference pair."""

import json
from pathlib import Path

from cluster.evaluate.summaries import evaluate_summaries, fit_budget, lead_summary, to_member

DOCS = [
    {"id": "a0", "story": "s1", "title": "Quake hits Italy", "split": "test", "language": "en",
     "text": "A strong earthquake hit central Italy on Tuesday. Twelve people died, officials said. Schools closed."},
    {"id": "a1", "story": "s1", "title": "Italy earthquake kills twelve", "split": "test", "language": "en",
     "text": "Twelve people died when an earthquake hit central Italy. Rescuers searched the rubble overnight."},
    {"id": "b0", "story": "s2", "title": "Storm", "split": "test", "language": "en",
     "text": "A storm closed the harbour of Kiel on Monday."},
    {"id": "c0", "story": "s3", "title": "Other split", "split": "train", "language": "en",
     "text": "This story belongs to the train split and must be left out."},
]  # fmt: skip
REFS = [
    {"story": "s1", "summary": "An earthquake in central Italy killed twelve people on Tuesday."},
    {"story": "s2", "summary": "Completely unrelated words here."},
    {"story": "s2", "summary": "A storm closed the harbour of Kiel on Monday."},
    {"story": "s3", "summary": "Train story."},
]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_scores_all_systems_with_max_over_references(tmp_path: Path) -> None:
    gold, refs = write(tmp_path / "gold.jsonl", DOCS), write(tmp_path / "refs.jsonl", REFS)
    result = evaluate_summaries(gold, refs, words=20, split="test")
    assert result["n_stories"] == 2
    for report in (result, result["baselines"]["lead"], result["baselines"]["lexrank"]):
        assert set(report) >= {"rouge1", "rouge2", "rougeL", "n_stories"}
        for key in ("rouge1", "rouge2", "rougeL"):
            assert 0.0 <= report[key] <= 1.0
    # s2 has one sentence and an exact reference: every system scores 1.0 on it, whatever the other reference
    single = evaluate_summaries(write(tmp_path / "g2.jsonl", DOCS[2:3]), refs, words=20)
    for report in (single, single["baselines"]["lead"], single["baselines"]["lexrank"]):
        assert report["rouge1"] == report["rouge2"] == report["rougeL"] == 1.0


def test_runs_without_references(tmp_path: Path) -> None:
    result = evaluate_summaries(write(tmp_path / "gold.jsonl", DOCS), None, words=20)
    assert result["n_stories"] == 0 and result["n_summarized"] == 3 and result["rouge1"] is None


def test_lead_takes_the_first_article_in_file_order_within_budget() -> None:
    members = [to_member(d) for d in DOCS[:2]]
    assert (
        lead_summary(members, 14)
        == "A strong earthquake hit central Italy on Tuesday. Twelve people died, officials said."
    )
    assert fit_budget(["one two three", "four five six", "seven"], 4) == [0, 2]
    assert fit_budget(["one two three", "four five six", "seven"], 4, prefix=True) == [0]
