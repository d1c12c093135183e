"""The live input source reads through a mom transport exactly what a snapshot holds.

Covers: GET of namespaced and cluster-scoped objects and of a Namespace; NotFound for an absent
object and for a resource the source does not know; LIST in one namespace and in all, with
label and field selectors sent to the server; list items given back their ``apiVersion`` and
``kind``; a failing server answer as one line with the server's message; gathering declared
inputs from the live source giving what gathering from the snapshot itself gives; and the
source, like every reader, refusing namespace and name given by position.
"""

from __future__ import annotations

from typing import Any

import pytest

from mom.api.errors import MomError, NotFound
from mom.api.input_resources import (
    ExactResource,
    ImplicitNamespacedReference,
    InputResources,
    LabelSelectedResource,
    ResourceList,
    ResourceReference,
)
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.client.messages import ApiRequest, ApiResponse, status_response
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.inputs import gather_inputs
from mom.live.source import LiveSource
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.serialization import dump_json, load_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
NODES = GroupVersionResource("", "v1", "nodes")
WIDGETS = GroupVersionResource("example.com", "v1", "widgets")


def configmap(namespace: str, name: str, **labels: str) -> tuple[ObjectRef, dict[str, Any]]:
    metadata = {"name": name, "namespace": namespace, "labels": labels}
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"ref": "b"}}
    return ObjectRef(CONFIGMAPS, namespace, name), body


def snapshot() -> Snapshot:
    return Snapshot.from_objects(
        [
            (
                ObjectRef(NAMESPACES, "", "ns-a"),
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns-a"}},
            ),
            (
                ObjectRef(NODES, "", "master-0"),
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "master-0"}},
            ),
            configmap("ns-a", "a", app="x"),
            configmap("ns-a", "b", app="y"),
            configmap("ns-b", "c", app="x"),
        ]
    )


class _Untyped:
    """A server that, like a kube-apiserver, sends list items without apiVersion and kind."""

    def __init__(self, inner: SnapshotTransport) -> None:
        self.inner = inner
        self.requests: list[ApiRequest] = []

    def handle(self, request: ApiRequest) -> ApiResponse:
        self.requests.append(request)
        answer = self.inner.handle(request)
        listing = load_json(answer.body, request.path)
        for item in listing.get("items") or []:
            del item["apiVersion"], item["kind"]
        return ApiResponse(answer.status, dump_json(listing))


@pytest.fixture
def source() -> LiveSource:
    return LiveSource(SnapshotTransport(snapshot(), MutationRecorder()))


def names(objects: list[dict[str, Any]]) -> list[str]:
    return [obj["metadata"]["name"] for obj in objects]


def test_get_finds_namespaced_cluster_scoped_and_namespace_objects(source: LiveSource) -> None:
    assert source.get(CONFIGMAPS, namespace="ns-a", name="a")["data"] == {"ref": "b"}
    assert source.get(NODES, name="master-0")["kind"] == "Node"
    assert source.get(NAMESPACES, name="ns-a")["metadata"] == {"name": "ns-a"}
    with pytest.raises(NotFound, match='configmaps "a" not found'):
        source.get(CONFIGMAPS, namespace="ns-b", name="a")


def test_list_sends_selectors_and_returns_typed_items() -> None:
    transport = _Untyped(SnapshotTransport(snapshot(), MutationRecorder()))
    source = LiveSource(transport)
    assert names(source.list(CONFIGMAPS, namespace="ns-a")) == ["a", "b"]
    selected = source.list(CONFIGMAPS, label_selector=LabelSelector.parse("app=x"))
    assert names(selected) == ["a", "c"]
    assert all(item["kind"] == "ConfigMap" and item["apiVersion"] == "v1" for item in selected)
    by_name = source.list(CONFIGMAPS, field_selector=FieldSelector.parse("metadata.name!=a"))
    assert names(by_name) == ["b", "c"]
    assert transport.requests[1].param("labelSelector") == "app=x"
    assert transport.requests[2].param("fieldSelector") == "metadata.name!=a"
    assert transport.requests[0].path == "/api/v1/namespaces/ns-a/configmaps"


def test_an_unknown_resource_and_a_failing_server_are_reported(source: LiveSource) -> None:
    with pytest.raises(NotFound, match="unknown resource widgets"):
        source.list(WIDGETS)

    class Failing:
        def handle(self, request: ApiRequest) -> ApiResponse:
            return status_response(403, 'configmaps is forbidden: User "x" cannot list')

    with pytest.raises(MomError) as failed:
        LiveSource(Failing()).list(CONFIGMAPS)
    assert str(failed.value) == 'configmaps: configmaps is forbidden: User "x" cannot list'
    assert not isinstance(failed.value, NotFound)


def test_gathering_from_the_live_source_gathers_what_the_snapshot_holds(source: LiveSource) -> None:
    spec = InputResources(
        ResourceList(
            exact_resources=(ExactResource.configmap("ns-a", "a"), ExactResource.configmap("ns-a", "gone")),
            label_selected_resources=(
                LabelSelectedResource("", "v1", "configmaps", "", {"matchLabels": {"app": "x"}}),
            ),
            resource_references=(
                ResourceReference.implicit(
                    ExactResource.configmap("ns-a", "a"),
                    ImplicitNamespacedReference("", "v1", "configmaps", "ns-a", "$.data.ref"),
                ),
            ),
        )
    )
    live = gather_inputs(source, spec)
    assert live == gather_inputs(snapshot(), spec)
    assert [str(ref) for ref in live.refs()] == [
        str(ObjectRef(CONFIGMAPS, "ns-a", "a")),
        str(ObjectRef(CONFIGMAPS, "ns-b", "c")),
        str(ObjectRef(CONFIGMAPS, "ns-a", "b")),
    ]
    assert len(live.missing) == 1


def test_namespace_and_name_cannot_be_given_by_position(source: LiveSource) -> None:
    with pytest.raises(TypeError):
        source.get(CONFIGMAPS, "ns-a", "a")  # type: ignore[misc]
    with pytest.raises(TypeError):
        source.list(CONFIGMAPS, "ns-a")  # type: ignore[misc]
