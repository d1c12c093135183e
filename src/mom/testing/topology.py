"""Topology check for golden tests: does one run's output route the same on every topology?

This is a test-time model of routing, not the manager's topology layer. It routes the
requests of one apply-configuration output (keyed by cluster type) to physical clusters:

* ``Standalone``: Configuration, Management and UserWorkload all go to one cluster.
* ``HyperShift``: Management goes to the management cluster with every namespace the
  Management requests touch mapped into one hosted-control-plane namespace
  (``clusters-example``); UserWorkload goes to the guest cluster; Configuration goes to the
  hosted cluster's configuration. The mapping rewrites the request namespace and, for requests
  whose body is an object, the body's ``metadata.namespace`` (re-serialized Go-style).

What :func:`check_topology` verifies, per topology:

1. no two distinct objects (resource, namespace, name) land on one object after the mapping
   (a collision would make one operator write clobber another);
2. undoing the mapping on the routed requests, and forgetting which physical cluster they went
   to, gives back exactly the un-routed requests (set semantics, byte-exact bodies), so routing
   neither loses, invents nor alters a mutation.

What it does not check: cluster-scoped Management objects are routed unchanged (whether one
such object can serve several hosted clusters is not judged); references to namespaces inside
bodies other than ``metadata.namespace`` (owner references, event ``involvedObject``) are not
rewritten; only one hosted cluster is modelled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mom.api.cluster import ClusterType
from mom.api.errors import InvalidInput
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, load_document
from mom.testing.cases import Topology

STANDALONE_CLUSTER = "standalone-cluster"
MANAGEMENT_CLUSTER = "management-cluster"
GUEST_CLUSTER = "guest-cluster"
HOSTED_CONFIGURATION = "hosted-cluster-configuration"
HOSTED_CONTROL_PLANE_NAMESPACE = "clusters-example"
"""The namespace of the one modelled hosted control plane on the management cluster."""

RequestsByClusterType = Mapping[ClusterType, Sequence[MutationRequest]]


def namespace_mapping(requests: RequestsByClusterType, topology: Topology) -> dict[str, str]:
    """Which namespaces move where: every namespace of a Management request, for HyperShift."""
    if topology is Topology.STANDALONE:
        return {}
    return {
        request.namespace: HOSTED_CONTROL_PLANE_NAMESPACE
        for request in requests.get(ClusterType.MANAGEMENT, ())
        if request.namespace
    }


def physical_cluster(cluster_type: ClusterType, topology: Topology) -> str:
    if topology is Topology.STANDALONE:
        return STANDALONE_CLUSTER
    return {
        ClusterType.CONFIGURATION: HOSTED_CONFIGURATION,
        ClusterType.MANAGEMENT: MANAGEMENT_CLUSTER,
        ClusterType.USER_WORKLOAD: GUEST_CLUSTER,
    }[cluster_type]


def route_output(requests: RequestsByClusterType, topology: Topology) -> dict[str, list[MutationRequest]]:
    """The requests each physical cluster receives under ``topology`` (namespaces mapped)."""
    mapping = namespace_mapping(requests, topology)
    routed: dict[str, list[MutationRequest]] = {}
    for cluster_type, cluster_requests in requests.items():
        target = physical_cluster(cluster_type, topology)
        for request in cluster_requests:
            moved = request
            if cluster_type is ClusterType.MANAGEMENT and request.namespace in mapping:
                moved = move_namespace(request, mapping[request.namespace])
            routed.setdefault(target, []).append(moved)
    return routed


def move_namespace(request: MutationRequest, namespace: str) -> MutationRequest:
    """``request`` aimed at ``namespace``; an object body's ``metadata.namespace`` follows."""
    body = request.body
    document = _object_body(request)
    if document is not None and document["metadata"].get("namespace") == request.namespace:
        document["metadata"]["namespace"] = namespace
        body = dump_go_yaml(document).encode("utf-8")
    from dataclasses import replace  # only a topology check moves requests

    return replace(request, namespace=namespace, body=body)


def _object_body(request: MutationRequest) -> dict[str, Any] | None:
    if request.action.is_patch or not request.body.strip():
        return None
    try:
        document = load_document(request.body, request.identity)
    except InvalidInput:
        return None
    if isinstance(document, dict) and isinstance(document.get("metadata"), dict):
        return document
    return None


def _object_key(request: MutationRequest, namespace: str) -> tuple[str, str, str, str, str]:
    gvr = request.gvr
    return (gvr.group, gvr.resource, namespace, request.name, request.generate_name)


def check_topology(requests: RequestsByClusterType, topology: Topology) -> list[str]:
    """Problems routing ``requests`` under ``topology``; empty when it routes faithfully."""
    mapping = namespace_mapping(requests, topology)
    problems: list[str] = []
    origins: dict[tuple[str, str, str, str, str], set[str]] = {}
    for request in requests.get(ClusterType.MANAGEMENT, ()):
        if request.namespace in mapping:
            key = _object_key(request, mapping[request.namespace])
            origins.setdefault(key, set()).add(request.namespace)
    for (group, resource, target, name, generate_name), namespaces in sorted(origins.items()):
        if len(namespaces) > 1:
            sources = ", ".join(f"{ns}/{name}{generate_name}" for ns in sorted(namespaces))
            problems.append(
                f"{topology.value}: {resource}.{group or 'core'} {sources} all map to "
                f"{target}/{name}{generate_name} on {MANAGEMENT_CLUSTER}"
            )
    if problems:
        return problems

    inverse = {key: next(iter(namespaces)) for key, namespaces in origins.items()}
    restored: set[tuple[Any, ...]] = set()
    for target, routed in route_output(requests, topology).items():
        for request in routed:
            original = (
                inverse.get(_object_key(request, request.namespace)) if target == MANAGEMENT_CLUSTER else None
            )
            back = move_namespace(request, original) if original is not None else request
            restored.add(back.equality_key())
    unrouted = {request.equality_key(): request for group in requests.values() for request in group}
    for key, request in unrouted.items():
        if key not in restored:
            problems.append(f"{topology.value}: {request.identity} does not survive routing unchanged")
    extra = len(restored - set(unrouted))
    if extra:
        problems.append(f"{topology.value}: routing produced {extra} request(s) the operator did not make")
    return problems
