"""A follow-up days later joins its story on rare shared names; a look-alike days later does not."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from cluster.encoders.base import FakeEncoder
from cluster.grouping.affinity import PairScorer
from cluster.grouping.follow_up import shared_evidence
from cluster.grouping.linking import LinkParams, link_clusters
from cluster.text.background import Background
from cluster.text.features import document_terms

STORY = [
    "Gunman shoots two outside Kessler Tavern on Marlowe Street\n\nTwo men were shot outside the Kessler "
    "Tavern on Marlowe Street in Dunmore late Friday, police said. Detective Ruiz Okafor said the shooter "
    "fled in a grey sedan.",
    "Two wounded in Marlowe Street shooting\n\nPolice in Dunmore said two men were wounded by gunfire outside "
    "the Kessler Tavern on Marlowe Street on Friday night.",
]
#: Five days later, few of the story's words but its names: Okafor, Kessler, Marlowe, Dunmore.
FOLLOW_UP = (
    "Dunmore man held\n\nOkafor, the detective, told reporters a suspect is in custody for the gunfire at "
    "Kessler's bar on Marlowe."
)
#: Five days later, the same template in the same town about another bar: shares only Dunmore.
LOOKALIKE = (
    "Two shot outside Brannock Pub on Cedar Avenue\n\nTwo men were shot outside the Brannock Pub on Cedar "
    "Avenue in Dunmore late Wednesday, police said. The shooter fled on foot."
)
FRIDAY, WEDNESDAY = datetime(2026, 11, 2, 22), datetime(2026, 11, 7, 20)
PARAMS = LinkParams()


def _scorer(texts: list[str]) -> PairScorer:
    """Every text scored with an archive of 3,000 other articles behind the background."""
    other = [
        f"Council report {i}\n\nThe council met on budget item {i} and the mayor said police would report."
        for i in range(3000)
    ]
    background = Background().plus(document_terms(t) for t in texts + other)
    times = [FRIDAY, FRIDAY] + [WEDNESDAY] * (len(texts) - 2)
    ids = [f"d{i}" for i in range(len(texts))]
    return PairScorer(ids, FakeEncoder(256).encode(texts), texts, times, ["en"] * len(texts), background)


def _link(scorer: PairScorer, new: str, follow_ups: bool) -> str:
    """The story the new article `new` gets when the quiet story S1 is its only candidate."""
    res = link_clusters(
        [[new]],
        {},
        {},
        {"S1"},
        scorer.affinity,
        {"S1": ["d0", "d1"]},
        lambda parts, k: [["S1"] for _ in parts],
        affinities=scorer.affinities,
        follow_ups=(
            (lambda r: scorer.follow_ups(r, PARAMS.follow_up_idf, PARAMS.follow_up_words, PARAMS.follow_up_time))
            if follow_ups
            else None
        ),
    )
    return res.assignment[new]


def test_follow_up_five_days_later_sharing_rare_names_joins():
    scorer = _scorer(STORY + [FOLLOW_UP])
    assert scorer.affinity(["d2"], ["d0", "d1"]) < PARAMS.link_p, "the time prior alone keeps it apart"
    assert _link(scorer, "d2", follow_ups=False) != "S1"
    assert _link(scorer, "d2", follow_ups=True) == "S1"


def test_lookalike_in_the_same_town_days_later_stays_apart():
    """Even with time off for the evidence, the look-alike's copy does not match the story's enough to join."""
    scorer = _scorer(STORY + [LOOKALIKE])
    relaxed = scorer.follow_ups([(["d2"], ["d0", "d1"])], PARAMS.follow_up_idf, PARAMS.follow_up_words, 0.0)[0]
    assert relaxed < PARAMS.link_p
    assert _link(scorer, "d2", follow_ups=True) != "S1"


def test_disjoint_numbers_veto_the_follow_up():
    """Same names, other street numbers: the relaxed score would join, the veto says no."""
    story = [t + " It happened at 1400 Marlowe Street." for t in STORY]
    later = (
        "Arrest announced\n\nOkafor, a detective, confirmed an arrest tied to the Kessler Tavern gunfire on "
        "Marlowe in Dunmore. Police were called to 2250 Marlowe Street."
    )
    scorer = _scorer(story + [later])
    request = [(["d2"], ["d0", "d1"])]
    shared, veto = shared_evidence(scorer.features(), [np.array([2])], [np.array([0, 1])], PARAMS.follow_up_idf)
    assert shared[0] >= PARAMS.follow_up_words and veto[0]
    assert scorer.affinities(request, time_scale=PARAMS.follow_up_time)[0] >= PARAMS.link_p
    assert scorer.follow_ups(request, PARAMS.follow_up_idf, PARAMS.follow_up_words, PARAMS.follow_up_time) == [0.0]


def test_a_quiet_story_still_needs_more_evidence_than_the_same_night():
    """The relaxed time prior is still a penalty: five days later scores below the same copy the same night."""
    scorer = _scorer(STORY + [FOLLOW_UP])
    later = scorer.follow_ups([(["d2"], ["d0", "d1"])], PARAMS.follow_up_idf, PARAMS.follow_up_words, 0.5)[0]
    same_night = scorer.affinities([(["d2"], ["d0", "d1"])], time_scale=0.0)[0]
    assert 0.0 < later < same_night
