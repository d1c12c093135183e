"""Which shard owns which hosted cluster: consistent hashing with bounded loads, weighted.

Every shard has ``VIRTUAL_NODES`` points on a hash ring. Hosted clusters are placed heaviest
first (ties by name); each walks the ring clockwise from its own hash to the first shard whose
load plus the cluster's weight stays within ``load_factor`` times the mean load (and, so a single
heavy cluster is never homeless, any shard that holds nothing yet). So no shard carries more
than ``load_factor`` times its share, and when a shard joins or leaves mostly the clusters on its
arcs move. The result depends only on the arguments: every replica computing it from the same
view agrees.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping, Sequence

VIRTUAL_NODES = 64
DEFAULT_LOAD_FACTOR = 1.25


def _point(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def assign(
    weights: Mapping[str, float], shards: Sequence[str], *, load_factor: float = DEFAULT_LOAD_FACTOR
) -> dict[str, str]:
    """Each hosted cluster (``weights``: its measured cost, > 0) to one of ``shards``."""
    members = sorted(set(shards))
    if not members:
        return {}
    ring = sorted((_point(f"{shard}#{index}"), shard) for shard in members for index in range(VIRTUAL_NODES))
    points = [point for point, _ in ring]
    total = sum(weights.values())
    bound = load_factor * total / len(members)
    load = dict.fromkeys(members, 0.0)
    owners: dict[str, str] = {}
    for name in sorted(weights, key=lambda n: (-weights[n], n)):
        weight = weights[name]
        start = bisect.bisect(points, _point(name))
        chosen = ""
        for step in range(len(ring)):
            shard = ring[(start + step) % len(ring)][1]
            if load[shard] + weight <= bound or load[shard] == 0:
                chosen = shard
                break
        if not chosen:  # weights beyond every bound (not possible with positive weights): least loaded
            chosen = min(members, key=lambda s: (load[s], s))
        owners[name] = chosen
        load[chosen] += weight
    return owners
