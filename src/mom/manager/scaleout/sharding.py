"""Shards of hosted clusters across replicas: a shard Lease per replica, an assignment Lease per
hosted cluster, and a drain before any hosted cluster changes hands.

On the Lease's cluster, in the Lease's namespace, with ``<ring>`` the configured Lease name:

* ``<ring>-shard-<identity>`` — each replica's own Lease (:class:`LeaderElector`). It is the
  replica's fence: every write of the replica, to any of its hosted clusters, is allowed only
  within ``renewDeadline`` of its last renewal.
* ``<ring>-hc-<instance>`` — who owns a hosted cluster (``holderIdentity``) and its measured cost
  (annotation ``mom.openshift.io/cost``), the weight it gets on the ring.

Every replica computes the same assignment (:func:`~mom.manager.scaleout.ring.assign`) from the
shards it sees alive and the published costs. A replica takes a hosted cluster only when its
assignment Lease names nobody, or names a replica whose shard Lease this replica has seen
unrenewed for ``leaseDuration`` (that replica is fenced by then). A replica gives up a hosted
cluster it should no longer own between ticks — nothing of it in flight — and only then clears
the holder: that update is its acknowledgement of the drain, and the new owner waits for it.
Each update is guarded by the resourceVersion just read, so two replicas never both take one.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mom.api.errors import Conflict, MomError
from mom.client.client import Client
from mom.manager.scaleout.election import LeaderElector, Monotonic, Wall
from mom.manager.scaleout.lease import LEASES, LeaseRecord, LeaseSpec, lease_body
from mom.manager.scaleout.ring import assign

log = logging.getLogger(__name__)

INSTANCE_ANNOTATION = "mom.openshift.io/instance"
COST_ANNOTATION = "mom.openshift.io/cost"
MIN_WEIGHT = 0.001


@dataclass(frozen=True)
class Moves:
    """What one look at the ring changed for this replica."""

    taken: tuple[str, ...] = ()
    released: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.taken or self.released)


class ShardMember:
    """One replica of a ring; ``owned`` is what it may run and write (while ``leading``)."""

    def __init__(
        self,
        client: Client,
        spec: LeaseSpec,
        identity: str,
        instances: Sequence[str],
        *,
        monotonic: Monotonic,
        wall: Wall,
    ) -> None:
        self.spec, self.identity = spec, identity
        self.instances = tuple(instances)
        self.owned: set[str] = set()
        self.elector = LeaderElector(
            client, replace(spec, name=self.shard_lease(identity)), identity, monotonic=monotonic, wall=wall
        )
        self._client, self._monotonic, self._wall = client, monotonic, wall
        self._seen: dict[str, tuple[str, float]] = {}
        self._published: dict[str, float] = {}

    def shard_lease(self, identity: str) -> str:
        return f"{self.spec.name}-shard-{identity}"

    def record_name(self, instance: str) -> str:
        return f"{self.spec.name}-hc-{instance}"

    def sync(self) -> Moves:
        """Look at the ring once: drain what this replica should give up, take what is free."""
        if not self.elector.leading:
            dropped = tuple(sorted(self.owned))
            self.owned.clear()
            return Moves(released=dropped)
        now = self._monotonic()
        leases = self._client.list(LEASES, self.spec.namespace)
        alive = self._alive(leases, now)
        records = self._records(leases)
        weights = {i: weight_of(records.get(i)) for i in self.instances}
        desired = assign(weights, sorted(alive))
        taken: list[str] = []
        released: list[str] = []
        for instance in self.instances:
            record = records.get(instance)
            holder = LeaseRecord.of(record, self.spec.duration).holder if record else ""
            if holder == self.identity and desired.get(instance) != self.identity:
                self.owned.discard(instance)
                released.append(instance)
                self._write_record(instance, record, "")
            elif holder == self.identity:
                if instance not in self.owned:
                    self.owned.add(instance)
                    taken.append(instance)
            elif desired.get(instance) == self.identity and (not holder or holder not in alive):
                if self._write_record(instance, record, self.identity):
                    self.owned.add(instance)
                    taken.append(instance)
            else:
                self.owned.discard(instance)
        return Moves(tuple(taken), tuple(released))

    def publish_costs(self, costs: Mapping[str, float]) -> None:
        """Write the measured cost of owned hosted clusters whose cost changed by half or more."""
        for instance, cost in costs.items():
            before = self._published.get(instance)
            if instance not in self.owned or (before is not None and abs(cost - before) < before / 2):
                continue
            record = self._client.get_or_none(LEASES, self.record_name(instance), self.spec.namespace)
            if record is None or LeaseRecord.of(record, self.spec.duration).holder != self.identity:
                continue
            annotations = record.setdefault("metadata", {}).setdefault("annotations", {})
            annotations[COST_ANNOTATION] = f"{max(cost, MIN_WEIGHT):.3g}"
            try:
                self._client.update(LEASES, record)
                self._published[instance] = cost
            except MomError as exc:
                log.warning("cost of %s not published: %s", instance, exc)

    def leave(self) -> None:
        """On a clean shutdown: hand every owned hosted cluster back, then the shard Lease."""
        if self.elector.leading:
            leases = {self.record_name(i): i for i in self.owned}
            for lease in self._client.list(LEASES, self.spec.namespace):
                name = str((lease.get("metadata") or {}).get("name", ""))
                if name in leases:
                    self._write_record(leases[name], lease, "")
        self.owned.clear()
        self.elector.release()

    def _alive(self, leases: list[dict[str, Any]], now: float) -> set[str]:
        """Replicas whose shard Lease is held and was renewed within ``leaseDuration`` of when
        this replica saw it change (never judged by the timestamps written in it)."""
        prefix = self.shard_lease("")
        alive: set[str] = set()
        for lease in leases:
            name = str((lease.get("metadata") or {}).get("name", ""))
            if not name.startswith(prefix):
                continue
            record = LeaseRecord.of(lease, self.spec.duration)
            seen = self._seen.get(name)
            if seen is None or seen[0] != record.resource_version:
                seen = self._seen[name] = (record.resource_version, now)
            if record.holder and seen[1] + record.duration > now:
                alive.add(record.holder)
        alive.discard(self.identity)
        return alive | {self.identity}

    def _records(self, leases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        wanted = {self.record_name(i): i for i in self.instances}
        found: dict[str, dict[str, Any]] = {}
        for lease in leases:
            name = str((lease.get("metadata") or {}).get("name", ""))
            if name in wanted:
                found[wanted[name]] = lease
        return found

    def _write_record(self, instance: str, record: dict[str, Any] | None, holder: str) -> bool:
        """Name ``holder`` (``""``: nobody) as the owner, guarded by the version read."""
        now = self._wall()
        old = LeaseRecord.of(record, self.spec.duration) if record else None
        body = lease_body(
            replace(self.spec, name=self.record_name(instance)),
            holder,
            now,
            acquired=now,
            transitions=(old.transitions + 1) if old else 0,
            version=old.resource_version if old else "",
        )
        annotations = dict(((record or {}).get("metadata") or {}).get("annotations") or {})
        annotations[INSTANCE_ANNOTATION] = instance
        body["metadata"]["annotations"] = annotations
        try:
            if record is None:
                self._client.create(LEASES, body)
            else:
                self._client.update(LEASES, body)
        except Conflict:
            return False
        log.info("%s: %s %s", self.identity, "took" if holder else "released", instance)
        return True


def weight_of(record: dict[str, Any] | None) -> float:
    """A hosted cluster's weight on the ring: its published cost in seconds, rounded to a power
    of two so that small changes in measured cost move nothing; 1 when none (or nonsense) is
    published."""
    annotations = ((record or {}).get("metadata") or {}).get("annotations") or {}
    try:
        value = float(annotations.get(COST_ANNOTATION, 1.0))
    except (TypeError, ValueError):
        return 1.0
    if not MIN_WEIGHT <= value < 1e9:
        return 1.0
    return float(2 ** round(math.log2(value)))
