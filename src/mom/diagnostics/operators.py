"""ClusterOperator conditions summarised: which operators are unavailable, progressing or degraded, and why.

Owns :func:`operator_summary`: one row per ClusterOperator with its operator version, the
status of ``Available``, ``Progressing`` and ``Degraded``, when the newest of them changed, and
the message of the first condition that is not as it should be (not available, progressing,
degraded, or ``Upgradeable=False``).
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource, name_of
from mom.diagnostics.files import mapping, mappings
from mom.mustgather.store import Snapshot

CLUSTEROPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
HEALTHY = {"Available": "True", "Progressing": "False", "Degraded": "False"}
Row = dict[str, Any]


def _unhappy(kind: str, status: object) -> bool:
    if kind == "Upgradeable":  # absent or Unknown is the norm; only False blocks an upgrade
        return status == "False"
    return kind in HEALTHY and status != HEALTHY[kind]


def operator_summary(snapshot: Snapshot) -> list[Row]:
    """One row per ClusterOperator, unhealthy ones first."""
    rows = []
    for operator in snapshot.list(CLUSTEROPERATORS):
        status = mapping(operator.get("status"))
        conditions = {str(c.get("type")): c for c in mappings(status.get("conditions"))}
        versions = {str(v.get("name")): v.get("version") for v in mappings(status.get("versions"))}
        unhappy = [c for kind, c in conditions.items() if _unhappy(kind, c.get("status"))]
        changed = [
            str(c.get("lastTransitionTime")) for c in conditions.values() if c.get("lastTransitionTime")
        ]
        rows.append(
            {
                "name": name_of(operator),
                "version": versions.get("operator", ""),
                "available": conditions.get("Available", {}).get("status", "Unknown"),
                "progressing": conditions.get("Progressing", {}).get("status", "Unknown"),
                "degraded": conditions.get("Degraded", {}).get("status", "Unknown"),
                "since": max(changed) if changed else "",
                "healthy": not unhappy,
                "problem": (
                    f"{unhappy[0].get('type')}={unhappy[0].get('status')}: {unhappy[0].get('message', '')}".strip()
                    if unhappy
                    else ""
                ),
            }
        )
    return sorted(rows, key=lambda row: (row["healthy"], row["name"]))
