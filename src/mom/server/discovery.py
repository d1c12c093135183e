"""Discovery documents a server answers: legacy and aggregated ``/api`` and ``/apis``, groups.

Owns the choice between the aggregated ``APIGroupDiscoveryList`` (when the ``Accept`` header
asks for ``as=APIGroupDiscoveryList``, as kubectl does) and the legacy ``APIVersions`` /
``APIGroupList`` documents, and ``/apis/<group>`` (``APIGroup``). Per group-version resource
lists and the aggregated documents themselves come from the snapshot transport; short names and
categories are added to them here (:mod:`mom.server.names`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mom.client.messages import ApiRequest, ApiResponse, object_response, status_response
from mom.client.paths import DiscoveryPath
from mom.client.transport import SnapshotTransport
from mom.mustgather.discovery import Discovery
from mom.serialization import dump_json, load_document
from mom.server.names import resource_names, with_names

AGGREGATED = "as=APIGroupDiscoveryList"


def _groups(discovery: Discovery) -> dict[str, list[str]]:
    """Each named group and its versions, preferred first."""
    groups: dict[str, list[str]] = {}
    for info in discovery.resources():
        if info.gvr.group:
            versions = groups.setdefault(info.gvr.group, [])
            if info.gvr.version not in versions:
                versions.append(info.gvr.version)
    return groups


def _group_document(group: str, versions: list[str]) -> dict[str, Any]:
    entries = [{"groupVersion": f"{group}/{version}", "version": version} for version in versions]
    return {"name": group, "versions": entries, "preferredVersion": entries[0]}


def discovery_response(
    transport: SnapshotTransport, request: ApiRequest, target: DiscoveryPath
) -> ApiResponse:
    """The answer to a discovery request."""
    discovery = transport.snapshot.discovery
    if target.group is None and target.version is None:
        if AGGREGATED in request.headers.get("accept", "").replace(" ", ""):
            return _named(transport, request)
        if target.legacy:
            return object_response(
                {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
            )
        groups = [_group_document(group, versions) for group, versions in _groups(discovery).items()]
        return object_response({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
    if target.version is None and target.group:
        versions = _groups(discovery).get(target.group)
        if not versions:
            return status_response(404, f"the server could not find the requested resource {request.path}")
        return object_response(
            {"kind": "APIGroup", "apiVersion": "v1", **_group_document(target.group, versions)}
        )
    return _named(transport, request)


def _named(transport: SnapshotTransport, request: ApiRequest) -> ApiResponse:
    """The transport's discovery document with short names and categories added."""
    response = transport.handle(request)
    if response.status != 200:
        return response
    document = with_names(load_document(response.body, request.path), resource_names(transport.snapshot))
    return replace(response, body=dump_json(document))
