"""``meta.k8s.io/v1`` ``Table`` answers for ``kubectl get`` (server-side printing).

Owns: choosing the columns of a resource (the apiserver's printer columns for built-in kinds,
:mod:`mom.server.printers`; Name, the CRD's ``additionalPrinterColumns`` when the snapshot holds
the CRD, then Age for the others), rendering rows, and the ``includeObject`` choice (``None``, ``Metadata`` — the default,
a ``PartialObjectMetadata`` — or ``Object``). Ages are relative to the ``now`` passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mom.api.jsonpath import parse_jsonpath
from mom.api.resources import GroupVersionResource, metadata_of
from mom.mustgather.reader import Object
from mom.mustgather.store import Snapshot
from mom.server.columns import AGE, NAME, Cell, Column, age, human_duration
from mom.server.printers import PRINTERS

TABLE_ACCEPT = "as=Table"
CRDS = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")

__all__ = ["Column", "columns_for", "human_duration", "render_table", "wants_table"]


def wants_table(accept: str) -> bool:
    """Whether an ``Accept`` header asks for a ``Table`` first."""
    first = accept.split(",", 1)[0]
    return TABLE_ACCEPT in first.replace(" ", "")


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
        return age(value, now) if kind == "date" else value

    return cell


def _crd_columns(snapshot: Snapshot, gvr: GroupVersionResource) -> list[Column]:
    if not gvr.group or snapshot.discovery.resource_info(CRDS) is None:
        return []
    try:
        crd = snapshot.get(CRDS, name=f"{gvr.resource}.{gvr.group}")
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
    """A built-in kind's printer columns; else Name, the CRD's columns, Age (unless the CRD
    already shows one), then the ``-o wide`` ones (priority above 0)."""
    builtin = PRINTERS.get((gvr.group, gvr.resource))
    if builtin is not None:
        return list(builtin)
    extra = _crd_columns(snapshot, gvr)
    columns = [NAME, *(c for c in extra if not c.priority)]
    if not any(c.name.lower() == "age" for c in extra):
        columns.append(AGE)
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
