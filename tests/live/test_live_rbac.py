"""Generated RBAC on a real kube-apiserver: writes made as the operator's service account.

Covers: the RBAC generated for the sample operator is accepted by the apiserver (rules for
oauthclients too, which the test server does not serve); impersonating the operator's service
account, the declared writes succeed (create and update configmap ``foo``, server-side apply of
the ``cluster`` authentication and of its status, an event in the eventing namespace); writes
outside the declarations are refused by the apiserver itself with 403 Forbidden (patch and
update of configmap ``bar``, a Secret, a configmap in kube-system, a ClusterRole, an ingress
other than ``cluster``), and the refusal names the impersonated service account; ``kubectl
apply -f`` accepts the YAML stream and the JSON List.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.apply.rbac import (
    ServiceAccountRef,
    generate_rbac,
    impersonation_headers,
    rbac_list,
    render_rbac_yaml,
)
from mom.client.client import ApiError, Client
from mom.live.transport import LiveTransport
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import dump_json

pytestmark = pytest.mark.live

AUTH_NAMESPACE = "openshift-authentication"
EVENT_NAMESPACE = "openshift-example-operator"
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
EVENTS = GroupVersionResource("", "v1", "events")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
CLUSTER_ROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")
RESOURCES_BY_KIND = {
    "ServiceAccount": GroupVersionResource("", "v1", "serviceaccounts"),
    "Role": GroupVersionResource("rbac.authorization.k8s.io", "v1", "roles"),
    "RoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "rolebindings"),
    "ClusterRole": CLUSTER_ROLES,
    "ClusterRoleBinding": GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterrolebindings"),
}
RBAC_PROPAGATION_TIMEOUT = 15.0


@pytest.fixture
def admin(kube_apiserver: Cluster) -> Iterator[Client]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()


@pytest.fixture
def service_account() -> ServiceAccountRef:
    return ServiceAccountRef(f"mom-rbac-{secrets.token_hex(4)}", SAMPLE_OPERATOR.name)


@pytest.fixture
def operator_client(
    kube_apiserver: Cluster, admin: Client, service_account: ServiceAccountRef
) -> Iterator[Client]:
    """The sample operator's RBAC applied by the admin; a client impersonating its account."""
    operator = f"{SAMPLE_OPERATOR.name}-{service_account.namespace}"
    objects = generate_rbac(
        operator, SAMPLE_OPERATOR.inputs, SAMPLE_OPERATOR.outputs, service_account=service_account
    )
    _create_namespaces(admin, service_account, objects)
    for obj in objects:
        admin.apply(RESOURCES_BY_KIND[obj["kind"]], obj, field_manager="mom-test", force=True)
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport, headers=impersonation_headers(service_account))
    transport.close()
    for obj in reversed(objects):
        metadata = obj["metadata"]
        admin.delete(RESOURCES_BY_KIND[obj["kind"]], metadata["name"], metadata.get("namespace", ""))
    admin.delete(NAMESPACES, service_account.namespace)


def _create_namespaces(admin: Client, account: ServiceAccountRef, objects: list[dict[str, Any]]) -> None:
    """The account's namespace and every namespace the generated Roles and RoleBindings live in."""
    namespaces = {account.namespace, AUTH_NAMESPACE, EVENT_NAMESPACE}
    namespaces |= {obj["metadata"]["namespace"] for obj in objects if obj["metadata"].get("namespace")}
    for namespace in sorted(namespaces):
        namespace_object = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
        admin.apply(NAMESPACES, namespace_object, field_manager="mom-test", force=True)


def _configmap(name: str, namespace: str = AUTH_NAMESPACE) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}


def _eventually(write: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """The write's result once the apiserver's authorizer has seen the new bindings."""
    deadline = time.monotonic() + RBAC_PROPAGATION_TIMEOUT
    while True:
        try:
            return write()
        except ApiError as exc:
            if exc.code != 403 or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _refused(write: Callable[[], object], account: ServiceAccountRef) -> None:
    with pytest.raises(ApiError) as raised:
        write()
    assert raised.value.code == 403
    message = str(raised.value)
    assert "forbidden" in message
    assert account.username in message


def test_declared_writes_succeed_as_the_operator(
    admin: Client, operator_client: Client, service_account: ServiceAccountRef
) -> None:
    if admin.get_or_none(CONFIGMAPS, "foo", AUTH_NAMESPACE) is not None:
        admin.delete(CONFIGMAPS, "foo", AUTH_NAMESPACE)

    created = _eventually(lambda: operator_client.create(CONFIGMAPS, _configmap("foo")))
    updated = operator_client.update(CONFIGMAPS, {**created, "data": {"written": "by the operator"}})
    assert admin.get(CONFIGMAPS, "foo", AUTH_NAMESPACE)["data"] == {"written": "by the operator"}
    assert updated["metadata"]["resourceVersion"] != created["metadata"]["resourceVersion"]

    authentication = {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
        "spec": {"managementState": "Managed"},
    }
    operator_client.apply(AUTHENTICATIONS, authentication, field_manager="sample-operator", force=True)
    condition = {
        "type": "SampleDegraded",
        "status": "False",
        "reason": "AsExpected",
        "lastTransitionTime": "2025-01-02T03:04:05Z",
    }
    status = {**authentication, "status": {"conditions": [condition]}}
    operator_client.apply(AUTHENTICATIONS, status, field_manager="sample-operator", force=True, status=True)
    stored = admin.get(AUTHENTICATIONS, "cluster")
    assert condition in stored["status"]["conditions"]

    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"generateName": "example-operator.", "namespace": EVENT_NAMESPACE},
        "involvedObject": {"kind": "Deployment", "name": "example-operator", "namespace": EVENT_NAMESPACE},
        "reason": "Tested",
        "message": "written as the operator",
    }
    assert operator_client.create(EVENTS, event)["reason"] == "Tested"
    admin.delete(CONFIGMAPS, "foo", AUTH_NAMESPACE)


def test_undeclared_writes_are_refused_by_the_apiserver(
    admin: Client, operator_client: Client, service_account: ServiceAccountRef
) -> None:
    if admin.get_or_none(CONFIGMAPS, "bar", AUTH_NAMESPACE) is None:
        admin.create(CONFIGMAPS, _configmap("bar"))
    bar = admin.get(CONFIGMAPS, "bar", AUTH_NAMESPACE)
    # The declared writes work, so the refusals below come from RBAC, not from propagation delay.
    _eventually(lambda: operator_client.get_or_none(CONFIGMAPS, "foo", AUTH_NAMESPACE) or {})

    _refused(
        lambda: operator_client.patch(CONFIGMAPS, "bar", {"data": {"x": "y"}}, namespace=AUTH_NAMESPACE),
        service_account,
    )
    _refused(lambda: operator_client.update(CONFIGMAPS, {**bar, "data": {"x": "y"}}), service_account)
    _refused(lambda: operator_client.delete(CONFIGMAPS, "bar", AUTH_NAMESPACE), service_account)
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "foo", "namespace": AUTH_NAMESPACE}}
    _refused(lambda: operator_client.create(SECRETS, secret), service_account)
    _refused(lambda: operator_client.create(CONFIGMAPS, _configmap("foo", "kube-system")), service_account)
    cluster_role = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": f"escalate-{service_account.namespace}"},
        "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
    }
    _refused(lambda: operator_client.create(CLUSTER_ROLES, cluster_role), service_account)
    other_ingress = {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "not-cluster"},
        "spec": {"domain": "apps.example.test"},
    }
    _refused(
        lambda: operator_client.apply(INGRESSES, other_ingress, field_manager="sample-operator", force=True),
        service_account,
    )
    assert admin.get(CONFIGMAPS, "bar", AUTH_NAMESPACE).get("data") is None
    assert admin.get_or_none(SECRETS, "foo", AUTH_NAMESPACE) is None


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_kubectl_applies_the_generated_rbac(
    kube_apiserver: Cluster, admin: Client, tmp_path: Path, form: str
) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    account = ServiceAccountRef(f"mom-kubectl-{secrets.token_hex(4)}", SAMPLE_OPERATOR.name)
    operator = f"{SAMPLE_OPERATOR.name}-{account.namespace}"
    objects = generate_rbac(
        operator, SAMPLE_OPERATOR.inputs, SAMPLE_OPERATOR.outputs, service_account=account
    )
    _create_namespaces(admin, account, objects)
    path = tmp_path / f"rbac.{form}"
    if form == "yaml":
        path.write_text(render_rbac_yaml(objects))
    else:
        path.write_bytes(dump_json(rbac_list(objects), indent=True))
    command = [kubectl, "--kubeconfig", str(kube_apiserver.kubeconfig), "apply", "-f", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" created") == len(objects)
    for obj in objects:
        metadata = obj["metadata"]
        stored = admin.get(RESOURCES_BY_KIND[obj["kind"]], metadata["name"], metadata.get("namespace", ""))
        assert stored.get("rules", []) == obj.get("rules", [])
    for obj in reversed(objects):
        metadata = obj["metadata"]
        admin.delete(RESOURCES_BY_KIND[obj["kind"]], metadata["name"], metadata.get("namespace", ""))
    admin.delete(NAMESPACES, account.namespace)
