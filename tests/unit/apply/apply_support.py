"""Builders shared by the apply tests: mutation requests as a recorder would store them, and a
fixed clock. (A module of its own, not the conftest: test modules import it by a unique name.)"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

NOW = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")


def fixed_clock() -> datetime:
    return NOW


def mutation(
    action: Action,
    gvr: GroupVersionResource,
    body: Any,
    *,
    namespace: str = "",
    name: str = "",
    options: dict[str, Any] | None = None,
    patch_type: str = "",
    field_manager: str = "",
) -> MutationRequest:
    """A request with the bytes a recorder writes: Go YAML, raw JSON for merge patches."""
    if action.is_patch and patch_type != "application/json-patch+json":
        body_bytes = dump_json(body)
    else:
        body_bytes = dump_go_yaml(body).encode()
    kind = None
    if not action.is_patch and isinstance(body, dict) and "kind" in body:
        kind = GroupVersionKind.from_api_version(body["apiVersion"], body["kind"])
    if not name and isinstance(body, dict) and action is not Action.DELETE:
        name = body.get("metadata", {}).get("name", "")
    return MutationRequest(
        action=action,
        gvr=gvr,
        namespace=namespace,
        name=name,
        generate_name="",
        kind=kind,
        body=body_bytes,
        options=dump_go_yaml(options).encode() if options else b"",
        patch_type=patch_type,
        field_manager=field_manager,
    )


def configmap(name: str, namespace: str = "ns", **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }
