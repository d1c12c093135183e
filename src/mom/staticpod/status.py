"""``StaticPodOperatorStatus``: the fields of the operator resource's status the controller owns.

Field names are library-go's JSON tags (``latestAvailableRevision``, ``nodeStatuses[]`` with
``nodeName``, ``currentRevision``, ``targetRevision``, ``lastFailedRevision``, ``lastFailedTime``,
``lastFailedReason``, ``lastFailedCount``, ``lastFallbackCount``, ``lastFailedRevisionErrors``),
so an existing static-pod operator's resource carries them unchanged. The status is read from a
cluster and so checked: a malformed field is an :class:`InvalidInput` naming its path. Fields
and conditions the controller does not own are carried through untouched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.wire_reader import WireReader, quote

OWNED_CONDITIONS = (
    "RevisionControllerDegraded",
    "NodeInstallerProgressing",
    "StaticPodFallbackRevisionDegraded",
)
"""The condition types the static pod controller sets; any other condition is left alone."""


@dataclass(frozen=True)
class NodeStatus:
    """One node's entry of ``status.nodeStatuses``."""

    node_name: str
    current_revision: int = 0
    target_revision: int = 0
    last_failed_revision: int = 0
    last_failed_time: str = ""
    last_failed_reason: str = ""
    last_failed_count: int = 0
    last_fallback_count: int = 0
    last_failed_revision_errors: tuple[str, ...] = ()

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"nodeName": self.node_name, "currentRevision": self.current_revision}
        optional: dict[str, Any] = {
            "targetRevision": self.target_revision,
            "lastFailedRevision": self.last_failed_revision,
            "lastFailedTime": self.last_failed_time,
            "lastFailedReason": self.last_failed_reason,
            "lastFailedCount": self.last_failed_count,
            "lastFallbackCount": self.last_fallback_count,
            "lastFailedRevisionErrors": list(self.last_failed_revision_errors),
        }
        wire.update({k: v for k, v in optional.items() if v})
        return wire


@dataclass(frozen=True)
class Condition:
    type: str
    status: str
    reason: str = ""
    message: str = ""
    last_transition_time: str = ""

    def to_wire(self) -> dict[str, Any]:
        wire = {"type": self.type, "status": self.status, "lastTransitionTime": self.last_transition_time}
        wire.update({k: v for k, v in (("reason", self.reason), ("message", self.message)) if v})
        return wire


@dataclass(frozen=True)
class StaticPodStatus:
    """The controller's view of the status: revisions, nodes, and its own conditions."""

    latest_available_revision: int = 0
    latest_available_revision_reason: str = ""
    node_statuses: tuple[NodeStatus, ...] = ()
    conditions: tuple[Condition, ...] = ()

    def node(self, name: str) -> NodeStatus | None:
        return next((n for n in self.node_statuses if n.node_name == name), None)

    def condition(self, kind: str) -> Condition | None:
        return next((c for c in self.conditions if c.type == kind), None)

    def with_condition(self, condition: Condition, now: str) -> StaticPodStatus:
        """``condition`` set; its transition time moves only when its status changes."""
        old = self.condition(condition.type)
        kept_time = old.last_transition_time if old is not None and old.status == condition.status else ""
        stamped = replace(condition, last_transition_time=kept_time or now)
        kept = tuple(c for c in self.conditions if c.type != condition.type)
        return replace(self, conditions=(*kept, stamped))


def read_status(obj: Mapping[str, Any], source: str) -> StaticPodStatus:
    """The owned part of ``obj``'s status; malformed fields are reported together."""
    reader = WireReader()
    status = reader.mapping(obj.get("status"), "status", None) or {}
    latest = _int(reader, status, "latestAvailableRevision", "status")
    reason = reader.string(status, "latestAvailableRevisionReason", "status")
    nodes: list[NodeStatus] = []
    for path, item in reader.items(status, "nodeStatuses", "status"):
        entry = reader.mapping(item, path, None)
        if entry is None:
            continue
        nodes.append(
            NodeStatus(
                node_name=reader.string(entry, "nodeName", path, required=True),
                current_revision=_int(reader, entry, "currentRevision", path),
                target_revision=_int(reader, entry, "targetRevision", path),
                last_failed_revision=_int(reader, entry, "lastFailedRevision", path),
                last_failed_time=reader.string(entry, "lastFailedTime", path),
                last_failed_reason=reader.string(entry, "lastFailedReason", path),
                last_failed_count=_int(reader, entry, "lastFailedCount", path),
                last_fallback_count=_int(reader, entry, "lastFallbackCount", path),
                last_failed_revision_errors=reader.strings(entry, "lastFailedRevisionErrors", path),
            )
        )
    conditions: list[Condition] = []
    for path, item in reader.items(status, "conditions", "status"):
        entry = reader.mapping(item, path, None)
        if entry is None or entry.get("type") not in OWNED_CONDITIONS:
            continue
        conditions.append(
            Condition(
                type=reader.string(entry, "type", path),
                status=reader.string(entry, "status", path),
                reason=reader.string(entry, "reason", path),
                message=reader.string(entry, "message", path),
                last_transition_time=reader.string(entry, "lastTransitionTime", path),
            )
        )
    if reader.problems:
        raise InvalidInput(source, reader.problems)
    return StaticPodStatus(latest, reason, tuple(nodes), tuple(conditions))


def with_status(obj: Mapping[str, Any], status: StaticPodStatus) -> dict[str, Any]:
    """``obj`` with the owned status fields replaced; everything else kept as it was."""
    old = dict(obj.get("status") or {})
    foreign = [
        c
        for c in old.get("conditions") or []
        if isinstance(c, dict) and c.get("type") not in OWNED_CONDITIONS
    ]
    new = {
        **old,
        "latestAvailableRevision": status.latest_available_revision,
        "nodeStatuses": [n.to_wire() for n in status.node_statuses],
        "conditions": foreign + [c.to_wire() for c in sorted(status.conditions, key=lambda c: c.type)],
    }
    if status.latest_available_revision_reason:
        new["latestAvailableRevisionReason"] = status.latest_available_revision_reason
    return {**obj, "status": new}


def _int(reader: WireReader, parent: Mapping[str, Any], key: str, path: str) -> int:
    value = parent.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        reader.add(f"{path}.{key}", f"Invalid value: {quote(value)}: must be a non-negative integer")
        return 0
    return value
