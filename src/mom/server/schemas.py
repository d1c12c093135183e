"""OpenAPI schemas for the kinds a snapshot serves, so ``kubectl explain`` has something to read.

Owns :func:`kind_schemas`: for a kind defined by a CRD in the snapshot, the CRD's own
``openAPIV3Schema`` for that version (with its descriptions); for any other kind, a schema
inferred from the snapshot's objects of that kind (field names and JSON types, no descriptions,
at most :data:`SAMPLE` objects read). Every schema carries ``x-kubernetes-group-version-kind``.
"""

from __future__ import annotations

import copy
from typing import Any

from mom.api.errors import MomError
from mom.api.resources import GroupVersionResource
from mom.mustgather.discovery import ResourceInfo
from mom.mustgather.store import Snapshot

CRDS = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")
SAMPLE = 200
"""Objects read per kind to infer its schema."""
MAX_DEPTH = 32

Schema = dict[str, Any]


def schema_name(info: ResourceInfo) -> str:
    """``io.openshift.config.v1.ClusterOperator``-style: the group reversed, version, kind."""
    group = ".".join(reversed(info.gvr.group.split("."))) if info.gvr.group else "io.k8s.api.core"
    return f"{group}.{info.gvr.version}.{info.kind}"


def _crd_schema(snapshot: Snapshot, info: ResourceInfo) -> Schema | None:
    if not info.gvr.group or snapshot.discovery.resource_info(CRDS) is None:
        return None
    try:
        crd = snapshot.get(CRDS, name=f"{info.gvr.resource}.{info.gvr.group}")
    except MomError:
        return None
    for version in (crd.get("spec") or {}).get("versions") or []:
        if isinstance(version, dict) and version.get("name") == info.gvr.version:
            schema = (version.get("schema") or {}).get("openAPIV3Schema")
            return copy.deepcopy(schema) if isinstance(schema, dict) else None
    return None


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string"


def _merge(schema: Schema, value: Any, depth: int = 0) -> Schema:
    """``schema`` widened to also describe ``value``."""
    if value is None or depth > MAX_DEPTH:
        return schema
    kind = _type_of(value)
    schema.setdefault("type", kind)
    if schema["type"] != kind:
        return schema
    if isinstance(value, dict):
        properties = schema.setdefault("properties", {})
        for key, inner in value.items():
            if isinstance(key, str):
                properties[key] = _merge(properties.get(key, {}), inner, depth + 1)
    elif isinstance(value, list):
        items = schema.get("items", {})
        for inner in value:
            items = _merge(items, inner, depth + 1)
        schema["items"] = items
    return schema


def _inferred_schema(snapshot: Snapshot, info: ResourceInfo) -> Schema:
    schema: Schema = {"type": "object", "properties": {}}
    try:
        objects = snapshot.list(info.gvr)[:SAMPLE]
    except MomError:
        objects = []
    for obj in objects:
        _merge(schema, obj)
    schema["description"] = (
        f"{info.kind}: fields and types as {len(objects)} objects of the must-gather show them."
        if objects
        else f"{info.kind}: the must-gather holds no objects of this kind."
    )
    return schema


def kind_schemas(snapshot: Snapshot, infos: list[ResourceInfo]) -> dict[str, Schema]:
    """The ``components.schemas`` of one group-version document."""
    schemas: dict[str, Schema] = {}
    for info in infos:
        schema = _crd_schema(snapshot, info) or _inferred_schema(snapshot, info)
        schema["x-kubernetes-group-version-kind"] = [
            {"group": info.gvr.group, "version": info.gvr.version, "kind": info.kind}
        ]
        schemas[schema_name(info)] = schema
    return schemas
