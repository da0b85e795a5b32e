"""Every setting a night's result depends on, in one frozen object, and its digest.

A night whose window is unchanged is skipped (it would change nothing). That holds only if
nothing else changed either: the user's configuration, every algorithm's parameters, the pair
model's weights and the code. So `Settings` gathers the configuration (`cluster.config`) and
the parameter sets of the clustering, linking, dedup, vector reuse and summaries, plus the constants that
have no parameter set yet, and `digest()` hashes them all with `ALGORITHM_VERSION`. The digest
goes into the window's fingerprint and the run row (`runs.settings_digest`), so an upgrade or a
changed parameter recomputes an unchanged window; `wirestory nightly --recompute` forces it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cluster.config import Config
from cluster.grouping import affinity, clustering, cross_language, dedup
from cluster.grouping.clustering import ClusterParams
from cluster.grouping.linking import LinkParams
from cluster.grouping.reuse import ReuseParams
from cluster.summary import corroboration
from cluster.summary.types import SummaryParams
from cluster.text import background
from storage.records import sha256_hex

#: Bump when code changes a result (clusters, links, summaries) without any setting changing.
#: 3: furniture-free summaries, quotation-aware sentences, first_seen of any version;
#: 4: current figures and states only (and first), corroboration by the same figure;
#: 5: settings digest replaces the algorithm digest (same results; recompute once).
#: 6: a figure or state two look-alike stories share is no boilerplate; "only here" lists a repeat once;
#:    a version's own time decides what is current; later ledes weigh more; the latest lede leads;
#:    figures of an earlier year's event are background.
#: 7: summaries stem with Snowball 3 (`snowballstemmer`) instead of nltk's port (8 of 3,152 corpus
#:    summaries differ; the demo's are the same).
ALGORITHM_VERSION = 7

#: Configuration fields that do not change a night's stories (where and how fast it runs).
NOT_RESULTS = frozenset({"db", "batch_size", "read_timeout_seconds"})


@dataclass(frozen=True)
class DedupParams:
    """Near-duplicate thresholds (`cluster.grouping.dedup.near_duplicates`, documented there)."""

    near_cosine: float = dedup.NEAR_COSINE
    near_containment: float = dedup.NEAR_CONTAINMENT
    near_neighbours: int = dedup.NEAR_NEIGHBOURS


@dataclass(frozen=True)
class NightParams:
    """How the night feeds linking (`cluster.stages.link`)."""

    #: Most recent canonical articles of a quiet story that new copy is compared with.
    quiet_copy: int = 8


def _constants() -> dict[str, Any]:
    """Result-changing constants that no parameter set carries (yet): fixed in code, but an upgrade
    that moves one must recompute like any changed parameter."""
    return {
        "pair_features": list(clustering.PAIR_FEATURES),
        "pair_weights": [round(float(w), 6) for w in clustering.PAIR_WEIGHTS],
        "pair_intercept": round(float(clustering.PAIR_INTERCEPT), 6),
        "background_seed_docs": background.SEED_DOCS,
        "background_doc_tokens": background.DOC_TOKENS,
        "background_seed_fallback": background.SEED_FALLBACK,
        "affinity_max_group": affinity.MAX_GROUP,
        "cross_language": {k: list(v) for k, v in sorted(cross_language.CROSS_LANGUAGE.items())},
        "corroboration_max_chain": corroboration.MAX_CHAIN,
        "algorithm_version": ALGORITHM_VERSION,
    }


@dataclass(frozen=True)
class Settings:
    """The user's configuration and every algorithm's parameters, as one night uses them."""

    config: Config = field(default_factory=Config)
    cluster: ClusterParams = field(default_factory=ClusterParams)
    link: LinkParams = field(default_factory=LinkParams)
    dedup: DedupParams = field(default_factory=DedupParams)
    reuse: ReuseParams = field(default_factory=ReuseParams)
    summary: SummaryParams = field(default_factory=SummaryParams)
    night: NightParams = field(default_factory=NightParams)
    constants: dict[str, Any] = field(default_factory=_constants, compare=False)

    @classmethod
    def of(cls, given: Settings | Config) -> Settings:
        """`given` as settings: a bare Config gets every algorithm parameter at its default."""
        return given if isinstance(given, Settings) else cls(config=given)

    def values(self) -> dict[str, Any]:
        """Every setting: the configuration's by the names wirestory.toml uses (`model`), the
        algorithms' dotted (`cluster.detach_p`, `constants.pair_weights` ...)."""
        out = self.config.as_dict()
        for part in ("cluster", "link", "dedup", "reuse", "summary", "night"):
            obj = getattr(self, part)
            out.update({f"{part}.{f.name}": getattr(obj, f.name) for f in dataclasses.fields(obj)})
        out.update({f"constants.{k}": v for k, v in self.constants.items()})
        return out

    def result_values(self) -> dict[str, Any]:
        """The settings a night's stories depend on (all but where and how fast it runs)."""
        return {k: v for k, v in self.values().items() if k not in NOT_RESULTS}

    @cached_property
    def digest(self) -> str:
        """16 hex digits over every result-changing setting."""
        return sha256_hex("\n".join(f"{k}={v!r}" for k, v in sorted(self.result_values().items())))[:16]

    def source(self, name: str) -> str:
        """Where a setting's value came from: the configuration's layer, else built in."""
        if "." not in name:
            return self.config.sources.get(name, "default")
        return "built in"
