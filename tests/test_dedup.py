"""Duplicate chains: versions, kills, exact re-deliveries and near-copies across wires."""

from datetime import datetime, timedelta

import numpy as np

from cluster.grouping.dedup import Doc, containment, exact_duplicates, near_duplicates, resolve_versions, trigrams

T0 = datetime(2026, 11, 26, 8)


def doc(aid, source="AP", key="k1", version=None, minutes=0, chash=None, withdrawn=False, text="") -> Doc:
    return Doc(aid, source, key, version, T0 + timedelta(minutes=minutes), chash or aid, withdrawn, text)


def test_newest_version_stands_for_the_item():
    docs = [doc("v2", version=2, minutes=30), doc("v1", version=1), doc("v3", version=3, minutes=60)]
    latest, dups, withdrawn = resolve_versions(docs)
    assert [d.article_id for d in latest] == ["v3"]
    assert {(d.article_id, d.duplicate_of, d.reason) for d in dups} == {
        ("v1", "v3", "version"),
        ("v2", "v3", "version"),
    }
    assert withdrawn == set()


def test_opaque_reuters_versions_order_numerically():
    docs = [doc("late", "Reuters", version=1542761538, minutes=5), doc("early", "Reuters", version=978556838)]
    latest, _, _ = resolve_versions(docs)
    assert latest[0].article_id == "late"


def test_kill_withdraws_every_version():
    docs = [doc("v1", version=1), doc("kill", version=2, minutes=10, withdrawn=True), doc("other", key="k2")]
    latest, dups, withdrawn = resolve_versions(docs)
    assert [d.article_id for d in latest] == ["other"]
    assert withdrawn == {"v1", "kill"}
    assert dups == []


def test_exact_copy_on_another_wire_points_to_the_first_report():
    docs = [doc("dpa", "dpa", "d1", minutes=20, chash="same"), doc("ap", "AP", "a1", chash="same"), doc("x", key="k3")]
    keep, dups = exact_duplicates(docs)
    assert {d.article_id for d in keep} == {"ap", "x"}
    assert [(d.article_id, d.duplicate_of, d.reason) for d in dups] == [("dpa", "ap", "exact")]


AP_TEXT = (
    "Dockworkers at Europe's biggest port walked off the job Thursday in a 48-hour strike over pay and the spread "
    "of automated cranes, leaving dozens of container ships idling off the Dutch coast. The union said talks had failed."
)


def test_near_copy_needs_shared_wording_not_just_topic():
    copy = "ROTTERDAM (dpa/AP) - " + AP_TEXT.replace("Thursday", "on Thursday")
    own = (
        "Rotterdam port workers began a two-day stoppage on Thursday, the union FNV said, demanding higher wages "
        "and guarantees against job losses from automation."
    )
    docs = [
        doc("ap", "AP", "a1", text=AP_TEXT),
        doc("dpa", "dpa", "d1", minutes=15, text=copy),
        doc("rtr", "Reuters", "r1", minutes=5, text=own),
    ]
    vectors = np.array([[1.0, 0.0], [0.999, 0.045], [0.98, 0.2]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keep, dups = near_duplicates(docs, vectors)
    assert keep == [0, 2]
    assert len(dups) == 1 and dups[0].article_id == "dpa" and dups[0].duplicate_of == "ap"
    assert dups[0].reason == "near" and dups[0].similarity >= 0.6
    assert containment(trigrams(AP_TEXT), trigrams(own)) < 0.2


def test_same_wire_update_under_new_number_keeps_the_newer_text():
    update = AP_TEXT + " Shipping lines began diverting vessels to Antwerp and Hamburg."
    docs = [doc("old", "Reuters", "r1", text=AP_TEXT), doc("new", "Reuters", "r2", minutes=90, text=update)]
    vectors = np.array([[1.0, 0.0], [1.0, 0.01]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    keep, dups = near_duplicates(docs, vectors)
    assert keep == [1]
    assert dups[0].article_id == "old" and dups[0].duplicate_of == "new"
