"""Give tonight's clusters story ids, keeping yesterday's ids wherever the copy allows.

HDBSCAN cannot add points without refitting, and a refit renumbers everything, so identity is a
step of its own. Every change of an article's story needs the same evidence as clustering: the
average-link p(same story) (`affinity`, the pair model with its time prior) between the copy that
would be joined must reach ``LinkParams.link_p``. Nothing joins through one member, a centroid
drifting over weeks or a chain of neighbours, so look-alike events never chain into one story.
The rule, applied deterministically:

1. **Claims.** Each cluster counts its members that already belong to a story. Claims are granted
   greedily, largest count first (ties: older story, then smaller id): a story goes to the one
   cluster holding most of its members, and a cluster claims at most one story (its owner).
2. **Merges.** Another story's members in a claimed cluster move to the owner only when their
   affinity to the owner's members there reaches `link_p`; a story whose every member moves is
   absorbed whole (its out-of-window members too). Otherwise they stay where they were.
3. **Splits.** Members of a story claimed by another cluster leave it only when their affinity to
   the story's members there is below `split_p` (the clustering's own detach bar); they then
   found a new story. A cluster of one never tears an article out of its story.
4. **New copy.** Articles with no story join their cluster's own story if the affinity reaches
   `link_p`, else the story of another cluster part they match best at that bar, each matched
   against the story's recent copy (beyond the cluster when most of it lies there: one stray
   member in the cluster is no evidence); else, among the `candidates` stories most similar by
   embedding (stories with copy in the window, and quiet stories last seen within `link_days`),
   the one whose recent copy they match best, at the same bar. A follow-up the clustering put
   apart (a day later, a new angle) thus still joins its story when the copy says so, and a
   story quiet for days needs more evidence because the time prior lowers every pair's p.
   Otherwise a new story, whose id hashes its founding members, so reruns give the same ids.
5. **Follow-ups.** Against a shortlisted story (one with a piece in the cluster matched against
   the same copy as in 4), new copy sharing rare words with the story's recent copy and naming
   no disjoint years or numbers (`follow_ups`, `cluster.grouping.follow_up`) is scored with the
   time prior relaxed: a follow-up days later joins on matching content plus rare shared names,
   a look-alike days later on neither.

The pipeline records every resulting change of an article's story in the lineage table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from storage.records import sha256_hex

#: Average-link p(same story) between two groups of articles (ids).
Affinity = Callable[[Sequence[str], Sequence[str]], float]
#: The same for many (group, group) requests at once: one vectorised pass.
Affinities = Callable[[Sequence[tuple[Sequence[str], Sequence[str]]]], Sequence[float]]
#: For each of several groups, the k candidate stories most similar to it.
Shortlist = Callable[[Sequence[Sequence[str]], int], Sequence[Sequence[str]]]


@dataclass(frozen=True)
class LinkParams:
    #: Average-link p(same story) that joins copy to a story (the scale of clustering's
    #: probabilities). gva_dev replayed night by night (fit half, time_penalty 1): 0.50 / 0.35
    #: gave F1 0.876 / 0.889 at precision 0.997 / 0.991; the demo's night-2 follow-ups (Peru's
    #: toll rising to 19, the Wesseling probe) sit at 0.38 and 0.50 to their night-1 stories,
    #: unrelated stories below 0.01. Swept again night by night on 2026-12-02 (F1, fit part):
    #: 0.25 gave ecbplus 0.853 -> 0.864 (0.20: 0.857), gva_dev 0.895 -> 0.903, but neus
    #: 0.773 -> 0.764 with whole-file precision 0.836 -> 0.781; kept at 0.35.
    link_p: float = 0.35
    #: Below this affinity to the rest of its story a part split off by the clustering leaves it
    #: (the clustering's `detach_p`); at or above it stays.
    split_p: float = 0.15
    #: Stories beyond its cluster a new part is scored against: the best by embedding similarity.
    candidates: int = 5
    #: Follow-ups (`cluster.grouping.follow_up`): new copy sharing at least `follow_up_words`
    #: words of background IDF >= `follow_up_idf` with a story beyond its cluster, and no
    #: disjoint years or numbers, is scored against it with the time penalty times
    #: `follow_up_time`; 0 words = off. Chosen on the fit parts: the grid and the rule are in
    #: `cluster.grouping.follow_up`.
    follow_up_words: int = 2
    follow_up_idf: float = 6.0
    follow_up_time: float = 0.5


@dataclass(frozen=True)
class PriorStory:
    story_id: str
    first_seen: datetime
    size: int


@dataclass
class LinkResult:
    assignment: dict[str, str] = field(default_factory=dict)
    #: stories absorbed whole into another: old id -> survivor
    merged: dict[str, str] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)


def new_story_id(member_ids: Sequence[str], taken: set[str]) -> str:
    """A deterministic id from the founding members, unique among `taken`."""
    base = sha256_hex("\x1f".join(sorted(member_ids)))
    for salt in range(len(taken) + 1):
        candidate = "S" + (base if salt == 0 else sha256_hex(f"{base}:{salt}"))[:11]
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable: more salts than taken ids")


def _claims(
    clusters: Sequence[Sequence[str]], previous: Mapping[str, str], priors: Mapping[str, PriorStory]
) -> dict[int, str]:
    counts = [Counter(previous[a] for a in members if a in previous) for members in clusters]
    order = sorted(
        (-n, priors[s].first_seen, s, ci) for ci, c in enumerate(counts) if len(clusters[ci]) > 1 for s, n in c.items()
    )
    claimed: set[str] = set()
    owner: dict[int, str] = {}
    for _, _, story, ci in order:
        if story in claimed or ci in owner:
            continue
        claimed.add(story)
        owner[ci] = story
    return owner


#: The order new copy tries stories in: its cluster's own story, another story with a piece in
#: the cluster, then stories beyond it (where the follow-up rule applies too).
_OWNER, _IN_CLUSTER, _BEYOND = 0, 1, 2


def _story_copy(piece: Sequence[str], recent: Sequence[str]) -> list[str]:
    """What new copy in a cluster holding `piece` of a story must match to join it: the story's
    recent copy beyond the cluster when that is most of it, else the piece and that copy."""
    inside = set(piece)
    beyond = [a for a in recent if a not in inside]
    return beyond if len(beyond) > len(piece) else list(dict.fromkeys([*piece, *beyond]))


def link_clusters(
    clusters: Sequence[Sequence[str]],
    previous: Mapping[str, str],
    priors: Mapping[str, PriorStory],
    taken_ids: set[str],
    affinity: Affinity,
    quiet: Mapping[str, Sequence[str]] | None = None,
    shortlist: Shortlist | None = None,
    params: LinkParams = LinkParams(),
    affinities: Affinities | None = None,
    follow_ups: Affinities | None = None,
) -> LinkResult:
    """Assign a story id to every article of every cluster; see the module docstring for the rule.

    `quiet` maps the stories new copy may join beyond its cluster (in the window or quiet) to
    their recent copy (ids); `shortlist(groups, k)` names, for each group, the k of them most
    similar to it. `affinities` scores many requests at once (default: `affinity` one by one);
    `follow_ups` scores requests under the follow-up rule (0 where its evidence is missing).
    """
    batch = affinities or (lambda requests: [affinity(a, b) for a, b in requests])
    result = LinkResult()
    taken = set(taken_ids)
    quiet = quiet or {}
    owner = _claims(clusters, previous, priors)
    claimed = set(owner.values())
    parts_of: list[dict[str | None, list[str]]] = []
    for members in clusters:
        parts: dict[str | None, list[str]] = defaultdict(list)
        for a in members:
            parts[previous.get(a)].append(a)
        parts_of.append(parts)
    main_part = {story: parts_of[ci][story] for ci, story in owner.items()}

    def found(members: Sequence[str]) -> str:
        story = new_story_id(members, taken)
        taken.add(story)
        result.created.append(story)
        return story

    fresh_parts: list[tuple[list[str], dict[str, list[str]], str | None]] = []
    for ci, parts in enumerate(parts_of):
        own = owner.get(ci)
        kept: dict[str, list[str]] = {}
        for story, members in sorted(parts.items(), key=lambda kv: (kv[0] is None, kv[0] or "")):
            if story is None:
                continue
            target = story
            if story != own and own is not None and affinity(members, parts[own]) >= params.link_p:
                target = own
            elif (
                story != own
                and story in main_part
                and len(clusters[ci]) > 1
                and affinity(members, main_part[story]) < params.split_p
            ):
                target = found(members)
            kept.setdefault(target, []).extend(members)
            for a in members:
                result.assignment[a] = target
        if parts.get(None):
            fresh_parts.append((parts[None], kept, own))

    pools = (
        shortlist([f for f, _, _ in fresh_parts], params.candidates)
        if quiet and shortlist
        else [[] for _ in fresh_parts]
    )
    requests: list[tuple[Sequence[str], Sequence[str]]] = []
    options: list[list[tuple[int, str, int]]] = []  # per fresh part: (tier, story, request index)
    for (fresh, kept, own), pool in zip(fresh_parts, pools):
        mine = []
        # A story's piece in this cluster may be one article of a story whose copy lies elsewhere:
        # matched against the story's recent copy, so nothing joins a story through one member.
        own_copy = {s: _story_copy(m, quiet.get(s, ())) for s, m in kept.items()}
        # Beyond the cluster a story with a piece here is matched against the same copy as above.
        others = {s: own_copy.get(s, quiet[s]) for s in pool if s in quiet}
        for groups, beyond in ((own_copy, False), (others, True)):
            for story in sorted(groups):
                tier = _BEYOND if beyond else _OWNER if story == own else _IN_CLUSTER
                mine.append((tier, story, len(requests)))
                requests.append((fresh, groups[story]))
        options.append(mine)
    scores = list(batch(requests)) if requests else []
    far = [k for mine in options for tier, _, k in mine if tier == _BEYOND]
    if follow_ups is not None and params.follow_up_words > 0 and far:
        for k, p in zip(far, follow_ups([requests[k] for k in far])):
            scores[k] = max(scores[k], p)
    for (fresh, _, _), mine in zip(fresh_parts, options):
        joined: str | None = None
        for tier in (_OWNER, _IN_CLUSTER, _BEYOND):
            best_p = params.link_p
            for t, story, k in mine:
                if t == tier and scores[k] >= best_p and (joined is None or scores[k] > best_p):
                    joined, best_p = story, scores[k]
            if joined is not None:
                break
        story = joined or found(fresh)
        for a in fresh:
            result.assignment[a] = story

    moves: Counter[tuple[str, str]] = Counter(
        (previous[a], s) for a, s in result.assignment.items() if a in previous and previous[a] != s
    )
    for (old, target), _ in sorted(moves.items(), key=lambda kv: (-kv[1], kv[0])):
        if old not in claimed and old not in result.merged and old not in result.assignment.values():
            result.merged[old] = target
    return result
