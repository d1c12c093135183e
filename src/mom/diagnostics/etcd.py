"""etcd members and their health, from the ``etcd_info/`` files ``oc adm must-gather`` writes.

Owns :func:`etcd_members`: one row per member of ``member_list.json``, joined with
``endpoint_status.json`` (version, database size and in use, raft index, whether it leads) and
``endpoint_health.json`` (its client endpoint's health and error), and :func:`etcd_alarms`
(``alarm_list.json``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.diagnostics.files import mapping, mappings, read_json

ETCD_DIR = "etcd_info"
Row = dict[str, Any]


def etcd_members(root: Path) -> list[Row]:
    """The members; :class:`InvalidInput` when the must-gather holds no ``etcd_info/member_list.json``."""
    members = read_json(root, f"{ETCD_DIR}/member_list.json")
    if not isinstance(members, dict):
        raise InvalidInput(f"{ETCD_DIR}/member_list.json", ["missing, or not an etcd member list"])
    statuses = {
        s.get("Endpoint"): s.get("Status")
        for s in mappings(read_json(root, f"{ETCD_DIR}/endpoint_status.json"))
    }
    health = {h.get("endpoint"): h for h in mappings(read_json(root, f"{ETCD_DIR}/endpoint_health.json"))}
    rows = []
    for member in mappings(members.get("members")):
        endpoints = [
            u for u in member.get("clientURLs") or [] if isinstance(u, str) and u.startswith("https://")
        ]
        endpoint = endpoints[0] if endpoints else ""
        status = mapping(statuses.get(endpoint))
        checked = health.get(endpoint, {})
        rows.append(
            {
                "name": member.get("name", ""),
                "id": f"{member['ID']:x}" if isinstance(member.get("ID"), int) else "",
                "endpoint": endpoint,
                "healthy": checked.get("health") if isinstance(checked.get("health"), bool) else None,
                "error": checked.get("error", ""),
                "leader": bool(status) and status.get("leader") == member.get("ID"),
                "version": status.get("version", ""),
                "dbSize": status.get("dbSize"),
                "dbSizeInUse": status.get("dbSizeInUse"),
                "raftIndex": status.get("raftIndex"),
            }
        )
    return rows


def etcd_alarms(root: Path) -> list[Row]:
    """The alarms etcd raised (``NOSPACE``, ``CORRUPT``); none when the list is empty or absent."""
    alarms = read_json(root, f"{ETCD_DIR}/alarm_list.json")
    return mappings(alarms.get("alarms")) if isinstance(alarms, dict) else []
