"""One digest of every algorithm constant a night's result depends on, for the rerun fingerprint.

A night whose window and settings are unchanged is skipped (it would change nothing). That is
only true if the algorithms are unchanged too: after an upgrade that refits the pair model or
moves a threshold, the same window must be recomputed. So the fingerprint carries this digest of
the clustering, linking, dedup and background constants, the pair-model weights, and
`ALGORITHM_VERSION`, bumped by hand when code changes a result without changing a constant.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from storage.records import sha256_hex

#: Bump when an algorithm's output (clusters, links, summaries) changes without any constant
#: below changing. 3: furniture-free summaries, quotation-aware sentences, first_seen of any version;
#: 4: current figures and states only (and first), corroboration by the same figure.
ALGORITHM_VERSION = 4


@lru_cache(maxsize=1)
def algorithm_digest() -> str:
    from cluster import affinity, background, clustering, cross_language, dedup, linking, pipeline

    parts = [
        f"version={ALGORITHM_VERSION}",
        repr(dataclasses.asdict(clustering.ClusterParams())),
        repr(dataclasses.asdict(linking.LinkParams())),
        repr(clustering.PAIR_FEATURES),
        repr([round(float(w), 6) for w in clustering.PAIR_WEIGHTS]),
        repr(round(float(clustering.PAIR_INTERCEPT), 6)),
        repr((dedup.NEAR_COSINE, dedup.NEAR_CONTAINMENT, dedup.NEAR_NEIGHBOURS)),
        repr((background.SEED_DOCS, background.DOC_TOKENS, background.SEED_FALLBACK)),
        repr((affinity.MAX_GROUP, pipeline.QUIET_COPY)),
        repr(sorted(cross_language.CROSS_LANGUAGE.items())),
    ]
    return sha256_hex("\n".join(parts))[:16]
