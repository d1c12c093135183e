"""The ``lease`` section of the manager configuration, and the Lease object it names.

Example::

    lease:
      name: mom-standalone
      namespace: openshift-mom
      cluster: production        # a live cluster of the configuration: where the Lease lives
      leaseDuration: 15          # seconds a standby waits after the last renewal it saw
      renewDeadline: 10          # seconds a leader keeps writing after its last renewal was sent
      retryPeriod: 2             # seconds between attempts to acquire or renew
      shards: false              # true: every replica runs, each for its share of the instances

``renewDeadline`` must be shorter than ``leaseDuration`` (their difference is the margin that
keeps two writers apart) and ``retryPeriod`` shorter than ``renewDeadline``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mom.api.resources import GroupVersionResource
from mom.api.values import Frozen
from mom.api.wire_reader import WireReader, field_path, quote

LEASES = GroupVersionResource("coordination.k8s.io", "v1", "leases")

_FIELDS = ("name", "namespace", "cluster", "leaseDuration", "renewDeadline", "retryPeriod", "shards")
_LONGEST = 3600.0
"""No lease setting may exceed an hour: a standby would wait that long for a dead leader."""


class LeaseSpec(Frozen):
    name: str
    namespace: str
    cluster: str
    duration: float
    renew_deadline: float
    retry_period: float
    shards: bool
    """Each replica holds a shard Lease and runs the instances assigned to it
    (:mod:`mom.manager.scaleout.sharding`) instead of one replica running everything."""

    __slots__ = ("cluster", "duration", "name", "namespace", "renew_deadline", "retry_period", "shards")

    def __init__(
        self,
        name: str,
        namespace: str,
        cluster: str,
        duration: float = 15.0,
        renew_deadline: float = 10.0,
        retry_period: float = 2.0,
        shards: bool = False,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "cluster", cluster)
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "renew_deadline", renew_deadline)
        object.__setattr__(self, "retry_period", retry_period)
        object.__setattr__(self, "shards", shards)


def read_lease(reader: WireReader, value: Any, live_clusters: set[str]) -> LeaseSpec | None:
    """The ``lease`` section, problems added to ``reader``; ``None`` when absent."""
    if value is None:
        return None
    item = reader.mapping(value, "lease", _FIELDS) or {}
    name = reader.string(item, "name", "lease", required=True)
    namespace = reader.string(item, "namespace", "lease", required=True)
    cluster = reader.string(item, "cluster", "lease", required=True)
    if cluster and cluster not in live_clusters:
        reader.add(
            "lease.cluster", f"Invalid value: {quote(cluster)}: must name a live cluster ('kubeconfig')"
        )
    seconds = {
        key: _seconds(reader, item, key, default)
        for key, default in (("leaseDuration", 15.0), ("renewDeadline", 10.0), ("retryPeriod", 2.0))
    }
    if seconds["renewDeadline"] >= seconds["leaseDuration"]:
        reader.add("lease.renewDeadline", "Invalid value: must be shorter than leaseDuration")
    if seconds["retryPeriod"] >= seconds["renewDeadline"]:
        reader.add("lease.retryPeriod", "Invalid value: must be shorter than renewDeadline")
    shards = item.get("shards", False)
    if not isinstance(shards, bool):
        reader.add("lease.shards", f"Invalid value: {quote(shards)}: must be true or false")
        shards = False
    return LeaseSpec(
        name,
        namespace,
        cluster,
        seconds["leaseDuration"],
        seconds["renewDeadline"],
        seconds["retryPeriod"],
        shards,
    )


def _seconds(reader: WireReader, item: dict[str, Any], key: str, default: float) -> float:
    value = item.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= _LONGEST:
        reader.add(
            field_path("lease", key), f"Invalid value: {quote(value)}: must be seconds in (0, {_LONGEST:.0f}]"
        )
        return default
    return float(value)


class LeaseRecord(Frozen):
    """What a Lease object says, read defensively (any replica, or anyone, may have written it)."""

    holder: str
    duration: float
    transitions: int
    resource_version: str

    __slots__ = ("duration", "holder", "resource_version", "transitions")

    def __init__(self, holder: str, duration: float, transitions: int, resource_version: str) -> None:
        object.__setattr__(self, "holder", holder)
        object.__setattr__(self, "duration", duration)
        object.__setattr__(self, "transitions", transitions)
        object.__setattr__(self, "resource_version", resource_version)

    @staticmethod
    def of(lease: dict[str, Any], fallback_duration: float) -> LeaseRecord:
        spec = lease.get("spec")
        spec = spec if isinstance(spec, dict) else {}
        metadata = lease.get("metadata")
        metadata = metadata if isinstance(metadata, dict) else {}
        holder = spec.get("holderIdentity")
        duration = spec.get("leaseDurationSeconds")
        transitions = spec.get("leaseTransitions")
        return LeaseRecord(
            holder if isinstance(holder, str) else "",
            float(duration)
            if isinstance(duration, int) and not isinstance(duration, bool) and 0 < duration <= _LONGEST
            else fallback_duration,
            transitions if isinstance(transitions, int) and not isinstance(transitions, bool) else 0,
            str(metadata.get("resourceVersion", "")),
        )


def lease_body(
    spec: LeaseSpec, holder: str, now: datetime, *, acquired: datetime, transitions: int, version: str = ""
) -> dict[str, Any]:
    """A Lease held by ``holder`` (``""``: released), renewed at ``now``."""
    metadata: dict[str, Any] = {"name": spec.name, "namespace": spec.namespace}
    if version:
        metadata["resourceVersion"] = version
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": metadata,
        "spec": {
            "holderIdentity": holder,
            "leaseDurationSeconds": max(1, round(spec.duration)) if holder else 1,
            "acquireTime": _micro_time(acquired),
            "renewTime": _micro_time(now),
            "leaseTransitions": transitions,
        },
    }


def _micro_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def check_ring(reader: WireReader, lease: LeaseSpec | None, shared: dict[str, bool]) -> None:
    """Sharing replicas (``shards: true``) write clusters several hosted clusters share (the
    management cluster) at once: those must be live clusters, whose server orders the writes; a
    manifest directory has one writer at a time. ``shared`` maps each such cluster to whether it
    is live."""
    if lease is None or not lease.shards:
        return
    for name, live in sorted(shared.items()):
        if not live:
            reader.add(
                "lease.shards",
                f"Invalid value: cluster {quote(name)} is shared by hosted clusters of several replicas: "
                "it must be a live cluster ('kubeconfig'), not a manifest directory",
            )
