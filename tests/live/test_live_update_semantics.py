"""The manifest-directory target answers an Update without resourceVersion as kube-apiserver does.

Covers, each mutation applied to the real server and to a manifest directory holding the same
object: Update and UpdateStatus of a custom resource without ``metadata.resourceVersion`` are
Invalid on both (the server's message names the field), and neither changes the object;
Update of a ConfigMap and UpdateStatus of a Deployment (kube-apiserver's own resources, which
allow an unconditional update) are applied on both, with the same content.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.apply import ManifestTarget
from mom.apply.target import ApplyResult, Outcome
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
SERVER_SET = ("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")
_names = itertools.count()


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def recorded(write: Callable[[Client], Any]) -> MutationRequest:
    recorder = MutationRecorder()
    write(Client(SnapshotTransport(Snapshot.from_objects([]), recorder)))
    (request,) = recorder.requests
    return request


class Both:
    """A live cluster and a manifest directory holding the same objects."""

    def __init__(self, client: Client, live: LiveTarget, manifest: ManifestTarget) -> None:
        self.client, self.live, self.manifest = client, live, manifest
        self._ids = itertools.count()

    def seed(self, gvr: GroupVersionResource, obj: dict[str, Any]) -> None:
        created = self.client.create(gvr, obj)
        mutation_id = f"seed-{next(self._ids)}"
        assert self.manifest.apply(mutation_id, recorded(lambda c: c.create(gvr, created))).ok

    def apply(self, request: MutationRequest) -> tuple[ApplyResult, ApplyResult]:
        mutation_id = f"m-{next(self._ids)}"
        return self.live.apply(mutation_id, request), self.manifest.apply(mutation_id, request)

    def content(self, gvr: GroupVersionResource, namespace: str, name: str) -> tuple[Any, Any]:
        return tuple(  # type: ignore[return-value]
            _without_server_set(obj)
            for obj in (
                self.client.get(gvr, name, namespace),
                self.manifest.read().get(gvr, namespace=namespace, name=name),
            )
        )


def _without_server_set(obj: dict[str, Any]) -> dict[str, Any]:
    metadata = {k: v for k, v in obj["metadata"].items() if k not in SERVER_SET}
    return {**obj, "metadata": metadata}


@pytest.fixture
def both(kube_apiserver: Cluster, tmp_path: Path) -> Iterator[Both]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Both(
        Client(transport), LiveTarget("live", transport, clock=clock), ManifestTarget(tmp_path, clock=clock)
    )
    transport.close()


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_names)}-{time.monotonic_ns() % 100000}"


def test_custom_resource_update_without_resource_version_is_invalid_on_both(both: Both) -> None:
    name = _unique("rv")
    ingress = {"apiVersion": "config.openshift.io/v1", "kind": "Ingress", "metadata": {"name": name}}
    both.seed(INGRESSES, {**ingress, "spec": {"domain": "apps.example.com"}})
    before = both.content(INGRESSES, "", name)
    assert before[0] == before[1]

    spec = recorded(lambda c: c.update(INGRESSES, {**ingress, "spec": {"domain": "changed.example.com"}}))
    status = recorded(lambda c: c.update_status(INGRESSES, {**ingress, "status": {"componentRoutes": []}}))
    for request in (spec, status):
        live, manifest = both.apply(request)
        assert (live.outcome, manifest.outcome) == (Outcome.INVALID, Outcome.INVALID), (live, manifest)
        assert live.message == manifest.message
        assert live.message == (
            f'ingresses.config.openshift.io "{name}" is invalid:'
            " metadata.resourceVersion: Invalid value: 0: must be specified for an update"
        )
    assert both.content(INGRESSES, "", name) == before, "neither changed"


def test_built_in_update_without_resource_version_is_applied_on_both(both: Both) -> None:
    namespace = _unique("rv-ns")
    both.client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    metadata = {"name": "cm", "namespace": namespace}
    both.seed(CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"k": "1"}})
    update = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"k": "2"}}
    live, manifest = both.apply(recorded(lambda c: c.update(CONFIGMAPS, update)))
    assert (live.outcome, manifest.outcome) == (Outcome.UPDATED, Outcome.UPDATED), (live, manifest)
    after = both.content(CONFIGMAPS, namespace, "cm")
    assert after[0] == after[1] and after[0]["data"] == {"k": "2"}

    labels = {"app": "web"}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "c", "image": "x"}]},
            },
        },
    }
    both.seed(DEPLOYMENTS, deployment)
    status = {**deployment, "status": {"observedGeneration": 1}}
    live, manifest = both.apply(recorded(lambda c: c.update_status(DEPLOYMENTS, status)))
    assert (live.outcome, manifest.outcome) == (Outcome.UPDATED, Outcome.UPDATED), (live, manifest)
    live_status = both.client.get(DEPLOYMENTS, "web", namespace)["status"]
    assert live_status.get("observedGeneration") == 1
    assert both.manifest.read().get(DEPLOYMENTS, namespace=namespace, name="web")["status"] == {
        "observedGeneration": 1
    }
