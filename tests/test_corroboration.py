"""Corroboration counts wires reporting on their own, never a wire's redistribution of another."""

from cluster.summary.corroboration import independent_support
from cluster.summary.types import StorySummary, SummarySentence


def _summary(article_id: str, source: str, also_ids: tuple[str, ...], also: tuple[str, ...]) -> StorySummary:
    s = SummarySentence(0, "Dockworkers walked off the job.", article_id, source, 0, 31, also, also_ids)
    return StorySummary("h", article_id, (s,), "(AP, dpa)", ("AP", "dpa"), "AP", None, (), "en", False)


SOURCE = {"ap1": "AP", "dpa-copy": "dpa", "dpa-own": "dpa", "rtr": "Reuters"}
ORIGIN = {"ap1": "AP", "dpa-copy": "AP", "dpa-own": "dpa", "rtr": "Reuters"}


def test_a_redistribution_does_not_corroborate_the_original() -> None:
    out = independent_support(_summary("ap1", "AP", ("dpa-copy", "rtr"), ("dpa", "Reuters")), SOURCE, ORIGIN)
    assert out.sentences[0].also_sources == ("Reuters",)


def test_the_redistributing_wire_counts_when_it_also_reports_on_its_own() -> None:
    out = independent_support(_summary("ap1", "AP", ("dpa-copy", "dpa-own"), ("dpa",)), SOURCE, ORIGIN)
    assert out.sentences[0].also_sources == ("dpa",)


def test_a_sentence_cited_from_a_copy_is_not_confirmed_by_the_wire_it_copies() -> None:
    out = independent_support(_summary("dpa-copy", "dpa", ("ap1", "rtr"), ("AP", "Reuters")), SOURCE, ORIGIN)
    assert out.sentences[0].also_sources == ("Reuters",)
