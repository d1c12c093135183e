"""``meta.k8s.io/v1`` ``Table`` answers for ``kubectl get`` (server-side printing).

Owns: choosing the columns of a resource (Name, the CRD's ``additionalPrinterColumns`` when the
snapshot holds the CRD, a few well-known built-ins such as pods' Ready/Status/Restarts, then
Age), rendering rows, and the ``includeObject`` choice (``None``, ``Metadata`` — the default,
a ``PartialObjectMetadata`` — or ``Object``). Ages are relative to the ``now`` passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from mom.api.jsonpath import parse_jsonpath
from mom.api.resources import GroupVersionResource, metadata_of
from mom.manifest.store import Snapshot
from mom.server.podstatus import pod_reason, pod_restarts

TABLE_ACCEPT = "as=Table"
CRDS = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")

Object = dict[str, Any]
Cell = Callable[[Object, datetime], Any]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    cell: Cell
    format: str = ""
    priority: int = 0

    def definition(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": f"{self.name} of the object",
            "priority": self.priority,
        }


def wants_table(accept: str) -> bool:
    """Whether an ``Accept`` header asks for a ``Table`` first."""
    first = accept.split(",", 1)[0]
    return TABLE_ACCEPT in first.replace(" ", "")


def human_duration(seconds: float) -> str:
    """An age the way kubectl prints one: ``45s``, ``5m10s``, ``3h``, ``12d``, ``2y40d``."""
    if seconds < -1:
        return "<invalid>"
    s = max(int(seconds), 0)
    minutes, hours, days = s // 60, s // 3600, s // 86400
    if s < 120:
        return f"{s}s"
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 730:
        return f"{days}d"
    years = days // 365
    if years < 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"


def _age(value: Any, now: datetime) -> str:
    if not isinstance(value, str) or not value:
        return "<unknown>"
    try:
        then = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "<unknown>"
    if then.tzinfo is None:
        then = then.replace(tzinfo=UTC)
    return human_duration((now - then).total_seconds())


def _name(obj: Object, now: datetime) -> Any:
    del now
    return metadata_of(obj).get("name", "")


def _created(obj: Object, now: datetime) -> Any:
    return _age(metadata_of(obj).get("creationTimestamp"), now)


def _pod_ready(obj: Object, now: datetime) -> Any:
    del now
    statuses = (obj.get("status") or {}).get("containerStatuses") or []
    containers = (obj.get("spec") or {}).get("containers") or []
    ready = sum(1 for s in statuses if isinstance(s, dict) and s.get("ready"))
    return f"{ready}/{len(containers)}"


def _pod_status(obj: Object, now: datetime) -> Any:
    del now
    return pod_reason(obj)


def _pod_restarts(obj: Object, now: datetime) -> Any:
    return pod_restarts(obj, now, _age)


_BUILTIN: dict[tuple[str, str], Sequence[Column]] = {
    ("", "pods"): (
        Column("Ready", "string", _pod_ready),
        Column("Status", "string", _pod_status),
        Column("Restarts", "string", _pod_restarts),
    ),
}


def _jsonpath_cell(text: str, kind: str) -> Cell:
    path = parse_jsonpath("$" + text if text.startswith((".", "[")) else text)

    def cell(obj: Object, now: datetime) -> Any:
        try:
            values = path.evaluate(obj)
        except ValueError:
            return None
        if not values:
            return None
        value = values[0] if len(values) == 1 else ",".join(str(v) for v in values)
        return _age(value, now) if kind == "date" else value

    return cell


def _crd_columns(snapshot: Snapshot, gvr: GroupVersionResource) -> list[Column]:
    if not gvr.group or snapshot.discovery.resource_info(CRDS) is None:
        return []
    try:
        crd = snapshot.get(CRDS, "", f"{gvr.resource}.{gvr.group}")
    except Exception:
        return []
    for version in (crd.get("spec") or {}).get("versions") or []:
        if not isinstance(version, dict) or version.get("name") != gvr.version:
            continue
        columns = []
        for column in version.get("additionalPrinterColumns") or []:
            try:
                kind = str(column.get("type", "string"))
                cell = _jsonpath_cell(str(column["jsonPath"]), kind)
                shown_type = "string" if kind == "date" else kind
                columns.append(
                    Column(str(column["name"]), shown_type, cell, priority=int(column.get("priority", 0)))
                )
            except (KeyError, ValueError, TypeError):
                continue
        return columns
    return []


def columns_for(snapshot: Snapshot, gvr: GroupVersionResource) -> list[Column]:
    """Name, the resource's own columns, Age (unless the CRD already shows one), then the
    ``-o wide`` ones (priority above 0)."""
    extra = list(_BUILTIN.get((gvr.group, gvr.resource), ())) or _crd_columns(snapshot, gvr)
    columns = [Column("Name", "string", _name, format="name"), *(c for c in extra if not c.priority)]
    if not any(c.name.lower() == "age" for c in extra):
        columns.append(Column("Age", "string", _created))
    return [*columns, *(c for c in extra if c.priority)]


def _row_object(obj: Object, include: str) -> Object | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": metadata_of(obj)}


def render_table(
    columns: Sequence[Column],
    items: Sequence[Object],
    now: datetime,
    include_object: str,
    resource_version: str,
) -> dict[str, Any]:
    """The ``Table`` of ``items``; ``include_object`` is the request's ``includeObject``."""
    rows = []
    for obj in items:
        row: dict[str, Any] = {"cells": [column.cell(obj, now) for column in columns]}
        shown = _row_object(obj, include_object)
        if shown is not None:
            row["object"] = shown
        rows.append(row)
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": [column.definition() for column in columns],
        "rows": rows,
    }
