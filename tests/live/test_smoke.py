"""Smoke tests of the live-cluster test infrastructure against a real kube-apiserver.

Covers: the apiserver built from the pinned Kubernetes version is ready; the project's
config.openshift.io and operator.openshift.io CRDs are served, cluster-scoped, with a status
subresource; mom's live client (``Client`` over ``LiveTransport`` and a kubeconfig) creates,
gets, lists by label selector and deletes core objects; a write with a stale resourceVersion
raises ``ConflictError``; server-side apply of an Ingress and of its status, where conditions
applied by two field managers are merged by type; lightkube reads through the same kubeconfig.
"""

from __future__ import annotations

import pytest
from binaries import Binaries
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.client.client import Client, ConflictError, NotFoundError

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")

CONFIG_RESOURCES = {
    "authentications",
    "consoles",
    "ingresses",
    "clusteroperators",
    "featuregates",
    "infrastructures",
    "proxies",
}
OPERATOR_RESOURCES = {"authentications", "kubeapiservers"}


def _condition(kind: str, status: str, reason: str) -> dict[str, str]:
    return {
        "type": kind,
        "status": status,
        "reason": reason,
        "message": f"{kind} is {status}",
        "lastTransitionTime": "2025-01-02T03:04:05Z",
    }


def test_apiserver_is_ready_and_runs_the_pinned_version(
    kube_apiserver: Cluster, kube_binaries: Binaries
) -> None:
    assert kube_apiserver.read("/readyz") == b"ok"
    version = kube_apiserver.request("GET", "/version")
    assert version["gitVersion"] == kube_binaries.kubernetes_version
    assert version["gitVersion"].startswith(f"v{version['major']}.{version['minor']}.")


@pytest.mark.parametrize(
    ("group", "expected"),
    [("config.openshift.io", CONFIG_RESOURCES), ("operator.openshift.io", OPERATOR_RESOURCES)],
    ids=["config", "operator"],
)
def test_openshift_crds_are_served_cluster_scoped_with_status(
    kube_apiserver: Cluster, group: str, expected: set[str]
) -> None:
    listing = kube_apiserver.request("GET", f"/apis/{group}/v1")
    served = {r["name"]: r for r in listing["resources"]}
    assert expected | {f"{name}/status" for name in expected} <= set(served)
    assert not any(served[name]["namespaced"] for name in expected)


def test_live_client_creates_gets_lists_and_deletes(client: Client) -> None:
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "smoke-crud"}})
    for name, team in (("alpha", "blue"), ("beta", "green")):
        client.create(
            CONFIGMAPS,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": name, "namespace": "smoke-crud", "labels": {"team": team}},
                "data": {"key": name},
            },
            field_manager="mom-test",
        )

    fetched = client.get(CONFIGMAPS, "alpha", "smoke-crud")
    assert fetched["data"] == {"key": "alpha"}
    assert fetched["metadata"]["resourceVersion"]

    listed = client.list(CONFIGMAPS, "smoke-crud", label_selector="team=green")
    assert [item["metadata"]["name"] for item in listed] == ["beta"]

    client.delete(CONFIGMAPS, "alpha", "smoke-crud")
    with pytest.raises(NotFoundError):
        client.get(CONFIGMAPS, "alpha", "smoke-crud")
    assert client.get_or_none(CONFIGMAPS, "alpha", "smoke-crud") is None


def test_update_with_a_stale_resource_version_conflicts(client: Client) -> None:
    client.create(
        NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "smoke-conflict"}}
    )
    original = client.create(
        CONFIGMAPS,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": "smoke-conflict"}},
    )
    changed = client.update(CONFIGMAPS, {**original, "data": {"round": "1"}})
    assert changed["metadata"]["resourceVersion"] != original["metadata"]["resourceVersion"]

    with pytest.raises(ConflictError) as raised:
        client.update(CONFIGMAPS, {**original, "data": {"round": "2"}})
    assert raised.value.code == 409
    assert client.get(CONFIGMAPS, "cm", "smoke-conflict")["data"] == {"round": "1"}


def test_server_side_apply_merges_ingress_conditions_by_type(client: Client) -> None:
    ingress = {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "cluster"},
        "spec": {"domain": "apps.example.test"},
    }
    applied = client.apply(INGRESSES, ingress, field_manager="mom-test", force=True)
    assert applied["spec"] == {"domain": "apps.example.test"}

    first = {**ingress, "status": {"conditions": [_condition("Available", "True", "AsExpected")]}}
    client.apply(INGRESSES, first, field_manager="mom-test", force=True, status=True)
    second = {**ingress, "status": {"conditions": [_condition("Degraded", "False", "AsExpected")]}}
    merged = client.apply(INGRESSES, second, field_manager="other-operator", force=True, status=True)

    by_type = {c["type"]: c["status"] for c in merged["status"]["conditions"]}
    assert by_type == {"Available": "True", "Degraded": "False"}
    managers = {entry["manager"] for entry in merged["metadata"]["managedFields"]}
    assert {"mom-test", "other-operator"} <= managers

    client.delete(INGRESSES, "cluster")
    assert client.get_or_none(INGRESSES, "cluster") is None


def test_lightkube_reads_through_the_same_kubeconfig(kube_apiserver: Cluster) -> None:
    from lightkube import Client as LightkubeClient
    from lightkube.config.kubeconfig import KubeConfig
    from lightkube.resources.core_v1 import Namespace

    lightkube = LightkubeClient(config=KubeConfig.from_file(kube_apiserver.kubeconfig), trust_env=False)
    namespace = lightkube.get(Namespace, name="default")
    assert namespace.metadata is not None
    assert namespace.status is not None
    assert (namespace.metadata.name, namespace.status.phase) == ("default", "Active")
