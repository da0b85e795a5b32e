"""Every setting and algorithm parameter reaches the fingerprint: change one, and an unchanged
window is recomputed instead of skipped for good (issue 14)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import pytest
from conftest import DEMO

from cluster.settings import NOT_RESULTS, Settings

PARTS = ("cluster", "link", "dedup", "reuse", "summary", "night")


def _changed(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, float) and 0 < value <= 1:
        return value / 2  # a share or a threshold: stays valid
    if isinstance(value, (int, float)):
        return value + 1
    return f"{value}-changed"


@pytest.mark.parametrize(
    "part, name",
    [(p, f.name) for p in PARTS for f in dataclasses.fields(getattr(Settings(), p))]
    + [("config", f) for f in Settings().config.as_dict() if f not in NOT_RESULTS],
)
def test_changing_any_parameter_changes_the_digest(part, name):
    base = Settings()
    obj = getattr(base, part)
    changed = replace(base, **{part: replace(obj, **{name: _changed(getattr(obj, name))})})
    assert changed.digest != base.digest, f"{part}.{name} is not in the settings digest"


def test_constants_without_a_parameter_set_are_in_the_digest(monkeypatch):
    from cluster.grouping import clustering

    base = Settings().digest
    monkeypatch.setattr(clustering, "PAIR_INTERCEPT", clustering.PAIR_INTERCEPT + 0.5)
    assert Settings().digest != base


def test_where_and_how_fast_a_night_runs_do_not_change_its_digest():
    base = Settings()
    for name in NOT_RESULTS:
        value = getattr(base.config, name)
        other = replace(base, config=replace(base.config, **{name: _changed(value)}))
        assert other.digest == base.digest, name


@pytest.mark.parametrize("part, name, value", [("cluster", "detach_p", 0.3), ("link", "link_p", 0.5)])
def test_a_changed_parameter_makes_an_unchanged_night_recompute(night, part, name, value):
    nights = [DEMO / "night1.jsonl"]
    first = night(nights)
    assert night(nights).counts.get("dedup_unchanged"), "the same night twice is skipped"
    base = Settings()
    changed = replace(base, **{part: replace(getattr(base, part), **{name: value})})
    again = night(nights, settings=changed)
    assert not again.counts.get("dedup_unchanged") and again.fingerprint != first.fingerprint
    assert night(nights, settings=changed).counts.get("dedup_unchanged"), "and then it is stable again"


def test_recompute_redoes_an_unchanged_night(night):
    nights = [DEMO / "night1.jsonl"]
    night(nights)
    assert night(nights).counts.get("dedup_unchanged")
    redone = night(nights, recompute=True)
    assert not redone.counts.get("dedup_unchanged") and redone.counts["cluster_docs"] > 0
