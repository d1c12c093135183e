"""Routing one output under Standalone and HyperShift (mom.testing.topology).

Covers: Standalone sends every cluster type to one cluster unchanged; HyperShift sends
Configuration, Management and UserWorkload to three clusters and moves namespaced Management
requests (path and body metadata.namespace) into the hosted-control-plane namespace, leaving
cluster-scoped ones and patches' bodies alone; faithful routing checks clean under both; two
objects collapsing onto one is a collision; a body that does not survive re-serialization is
reported.
"""

from __future__ import annotations

from typing import Any

from golden_support import CONFIGMAP_FOO, INGRESS, request_of

from mom.api.cluster import ClusterType
from mom.mutationdir.requests import MutationRequest
from mom.testing.cases import Topology
from mom.testing.topology import (
    GUEST_CLUSTER,
    HOSTED_CONFIGURATION,
    MANAGEMENT_CLUSTER,
    STANDALONE_CLUSTER,
    check_topology,
    route_output,
)


def request(spec: dict[str, Any], **changes: Any) -> MutationRequest:
    return request_of({**spec, **changes})


PATCH = {
    "action": "PatchStatus",
    "group": "operator.openshift.io",
    "resource": "authentications",
    "namespace": "openshift-authentication",
    "name": "cluster",
    "body": [{"op": "remove", "path": "/status/conditions/0"}],
}


def sample() -> dict[ClusterType, list[MutationRequest]]:
    return {
        ClusterType.CONFIGURATION: [request(INGRESS)],
        ClusterType.MANAGEMENT: [request(CONFIGMAP_FOO), request(INGRESS), request(PATCH)],
        ClusterType.USER_WORKLOAD: [request(CONFIGMAP_FOO)],
    }


def test_standalone_routes_everything_to_one_cluster_unchanged() -> None:
    routed = route_output(sample(), Topology.STANDALONE)
    assert list(routed) == [STANDALONE_CLUSTER]
    assert routed[STANDALONE_CLUSTER] == [r for group in sample().values() for r in group]


def test_hypershift_maps_management_namespaces_into_hosted_control_plane() -> None:
    routed = route_output(sample(), Topology.HYPERSHIFT)
    assert set(routed) == {HOSTED_CONFIGURATION, MANAGEMENT_CLUSTER, GUEST_CLUSTER}
    configmap, ingress, patch = routed[MANAGEMENT_CLUSTER]
    assert configmap.namespace == "clusters-example"
    assert b"namespace: clusters-example\n" in configmap.body
    assert ingress == request(INGRESS)  # cluster-scoped: unchanged
    assert patch.namespace == "clusters-example" and patch.body == request(PATCH).body
    assert routed[GUEST_CLUSTER] == [request(CONFIGMAP_FOO)]  # UserWorkload keeps its namespace


def test_faithful_routing_checks_clean_under_both_topologies() -> None:
    assert check_topology(sample(), Topology.STANDALONE) == []
    assert check_topology(sample(), Topology.HYPERSHIFT) == []


def test_two_objects_mapping_to_one_is_a_collision() -> None:
    other = request(CONFIGMAP_FOO, namespace="openshift-other")
    problems = check_topology({ClusterType.MANAGEMENT: [request(CONFIGMAP_FOO), other]}, Topology.HYPERSHIFT)
    assert len(problems) == 1
    assert "openshift-authentication/foo, openshift-other/foo all map to clusters-example/foo" in problems[0]
    assert (
        check_topology({ClusterType.MANAGEMENT: [request(CONFIGMAP_FOO), other]}, Topology.STANDALONE) == []
    )


def test_body_that_does_not_survive_rewriting_is_reported() -> None:
    plain = request(CONFIGMAP_FOO)
    odd = MutationRequest(
        action=plain.action,
        gvr=plain.gvr,
        namespace=plain.namespace,
        name=plain.name,
        generate_name="",
        kind=plain.kind,
        body=(
            b"{apiVersion: v1, kind: ConfigMap,\n"
            b"  metadata: {name: foo, namespace: openshift-authentication}}\n"
        ),
    )
    problems = check_topology({ClusterType.MANAGEMENT: [odd]}, Topology.HYPERSHIFT)
    assert problems == [
        "HyperShift: Create-ConfigMap.v1./foo[openshift-authentication] does not survive routing unchanged",
        "HyperShift: routing produced 1 request(s) the operator did not make",
    ]
