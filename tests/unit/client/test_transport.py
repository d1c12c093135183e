"""One client, two worlds: the snapshot transport under mom's lean client and under lightkube.

Covers: lightkube (a real Kubernetes client library) reads a must-gather through the httpx2
adapter — GET, LIST, label selectors, typed and generic resources — and its writes are
recorded as mutations with the calling controller's name, never applied; mom's lean client
sees the same answers; errors are kube ``Status`` objects (404 for a missing object, 404 for
an unknown resource, 422 for a malformed write); reads never observe writes; discovery is
served both aggregated and per group-version; the lean client's ``get`` keeps its positional
order (name, then namespace) and takes both by keyword, the readers' form.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lightkube.core.exceptions import ApiError
from lightkube.generic_resource import create_global_resource
from lightkube.models.meta_v1 import ObjectMeta
from lightkube.resources.core_v1 import ConfigMap, Secret

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource
from mom.client.adapters import lightkube_client
from mom.client.client import Client, InvalidError, NotFoundError
from mom.client.messages import ApiRequest, ApiResponse
from mom.client.recorder import MutationRecorder
from mom.client.transport import CONTROLLER_HEADER, SnapshotTransport
from mom.mustgather.loader import load_must_gather
from mom.serialization import load_json

FEATUREGATES = GroupVersionResource("config.openshift.io", "v1", "featuregates")
SECRETS = GroupVersionResource("", "v1", "secrets")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
FeatureGate = create_global_resource("config.openshift.io", "v1", "FeatureGate", "featuregates")


@pytest.fixture
def transport(conformance_dir: Path) -> SnapshotTransport:
    tree = conformance_dir / "library-go" / "pkg" / "manifestclienttest" / "testdata" / "must-gather-01"
    return SnapshotTransport(load_must_gather(tree), MutationRecorder())


def test_lightkube_reads_the_snapshot(transport: SnapshotTransport) -> None:
    client = lightkube_client(transport)
    secrets = list(client.list(Secret, namespace="openshift-apiserver"))
    assert len(secrets) == 10
    assert client.get(Secret, "pull-secret", namespace="openshift-apiserver").metadata.name == "pull-secret"
    gate = client.get(FeatureGate, "cluster")
    assert gate.status["featureGates"], "served from featuregates/cluster.yaml"
    assert list(client.list(ConfigMap, namespace="does-not-exist")) == []


def test_lightkube_not_found_is_a_404(transport: SnapshotTransport) -> None:
    with pytest.raises(ApiError) as error:
        lightkube_client(transport).get(FeatureGate, "missing")
    assert error.value.status.code == 404


def test_lightkube_writes_are_recorded_not_applied(transport: SnapshotTransport) -> None:
    client = lightkube_client(transport.for_controller("demo-Controller"))
    client.create(
        ConfigMap(metadata=ObjectMeta(name="made", namespace="openshift-apiserver"), data={"a": "b"})
    )

    (request,) = transport.recorder.requests
    assert request.action is Action.CREATE
    assert (request.namespace, request.name) == ("openshift-apiserver", "made")
    assert request.controller_instance_name == "demo-Controller"
    assert b"a: b" in request.body
    with pytest.raises(ApiError):
        client.get(ConfigMap, "made", namespace="openshift-apiserver")  # no read-your-writes


def test_lean_client_sees_the_same(transport: SnapshotTransport) -> None:
    client = Client(transport, headers={CONTROLLER_HEADER: "c"})
    assert len(client.list(SECRETS, "openshift-apiserver")) == 10
    assert client.get_or_none(FEATUREGATES, "missing") is None
    with pytest.raises(NotFoundError):
        client.get(FEATUREGATES, "missing")
    client.delete(SECRETS, "pull-secret", "openshift-apiserver", propagation_policy="Foreground")
    (request,) = transport.recorder.requests
    assert (request.action, request.namespace, request.controller_instance_name) == (
        Action.DELETE,
        "openshift-apiserver",
        "c",
    )


def test_bad_writes_get_status_errors(transport: SnapshotTransport) -> None:
    wrong_namespace = (
        b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "b"}}'
    )
    with pytest.raises(InvalidError, match="namespace"):
        Client(_Raw(transport, wrong_namespace)).create(CONFIGMAPS, {"metadata": {"namespace": "a"}})
    response = transport.handle(
        ApiRequest(
            "POST", "/api/v1/namespaces/a/configmaps", headers={"Content-Type": "application/json"}, body=b"{"
        )
    )
    status = load_json(response.body, "status")
    assert response.status == 422 and status["kind"] == "Status" and status["reason"] == "Invalid"
    assert transport.recorder.requests == []


class _Raw:
    """Sends a fixed body whatever the client serialized: a client bug the server must catch."""

    def __init__(self, inner: SnapshotTransport, body: bytes) -> None:
        self.inner, self.body = inner, body

    def handle(self, request: ApiRequest) -> ApiResponse:
        return self.inner.handle(
            ApiRequest(request.method, request.path, request.query, request.headers, self.body)
        )


def test_unknown_resource_is_a_404(transport: SnapshotTransport) -> None:
    response = transport.handle(ApiRequest("GET", "/apis/example.com/v1/widgets"))
    assert response.status == 404
    assert load_json(response.body, "status")["code"] == 404


def test_discovery(transport: SnapshotTransport) -> None:
    aggregated = load_json(transport.handle(ApiRequest("GET", "/api")).body, "/api")
    assert aggregated["kind"] == "APIGroupDiscoveryList"
    core = aggregated["items"][0]["versions"][0]["resources"]
    assert any(r["resource"] == "configmaps" and r["responseKind"]["kind"] == "ConfigMap" for r in core)
    per_group = load_json(transport.handle(ApiRequest("GET", "/apis/apps/v1")).body, "/apis/apps/v1")
    assert {"deployments", "daemonsets"} <= {r["name"] for r in per_group["resources"]}


def test_the_lean_client_takes_name_then_namespace_or_both_by_keyword(transport: SnapshotTransport) -> None:
    client = Client(transport)
    by_position = client.get(SECRETS, "pull-secret", "openshift-apiserver")
    assert by_position["metadata"]["name"] == "pull-secret"
    assert client.get(SECRETS, namespace="openshift-apiserver", name="pull-secret") == by_position
    assert client.get(FEATUREGATES, "cluster") == client.get(FEATUREGATES, name="cluster")
    assert len(client.list(SECRETS, namespace="openshift-apiserver")) == 10
