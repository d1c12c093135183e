"""Just enough OpenAPI v3 for kubectl: one document per group-version, paths and kind schemas.

Owns ``/openapi/v3`` (the index of group-versions) and ``/openapi/v3/<api|apis/G>/<V>``. Each
served resource gets its object path with a ``PATCH`` operation tagged with its kind
(``x-kubernetes-group-version-kind``) and the ``fieldValidation`` query parameter, which is how
kubectl decides the server validates fields itself, and a schema of its kind
(:mod:`mom.server.schemas`) for ``kubectl explain``. ``/openapi/v2``
is not served (404); kubectl only falls back to it when v3 is missing.
"""

from __future__ import annotations

from typing import Any

from mom.client.messages import ApiResponse, object_response, status_response
from mom.mustgather.discovery import ResourceInfo
from mom.mustgather.store import Snapshot
from mom.server.schemas import kind_schemas

PREFIX = "/openapi/v3"


def _gv_key(info: ResourceInfo) -> str:
    return f"apis/{info.gvr.group}/{info.gvr.version}" if info.gvr.group else f"api/{info.gvr.version}"


def _object_path(info: ResourceInfo) -> str:
    prefix = "/" + _gv_key(info)
    scope = "/namespaces/{namespace}" if info.namespaced else ""
    return f"{prefix}{scope}/{info.gvr.resource}/{{name}}"


def _patch_operation(info: ResourceInfo) -> dict[str, Any]:
    return {
        "operationId": f"patch{info.kind}",
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": {
            "group": info.gvr.group,
            "version": info.gvr.version,
            "kind": info.kind,
        },
        "parameters": [
            {"name": name, "in": "query", "schema": {"type": "string", "uniqueItems": True}}
            for name in ("dryRun", "fieldManager", "fieldValidation")
        ],
        "responses": {"200": {"description": "OK"}},
    }


def openapi_response(snapshot: Snapshot, path: str) -> ApiResponse:
    """The index (``/openapi/v3``) or one group-version document; 404 for anything else."""
    served = [info for info in snapshot.discovery.resources() if not info.is_subresource]
    keys = list(dict.fromkeys(_gv_key(info) for info in served))
    relative = path.rstrip("/").removeprefix(PREFIX).strip("/")
    if not relative and path.rstrip("/") == PREFIX:
        return object_response({"paths": {key: {"serverRelativeURL": f"{PREFIX}/{key}"} for key in keys}})
    if relative not in keys:
        return status_response(404, f"the server could not find the requested resource {path}")
    mine = [info for info in served if _gv_key(info) == relative]
    paths = {_object_path(info): {"patch": _patch_operation(info)} for info in mine}
    return object_response(
        {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "v1.31.0-mom"},
            "paths": paths,
            "components": {"schemas": kind_schemas(snapshot, mine)},
        }
    )
