"""Names are judged by the rule the kube-apiserver applies to their resource, and a generated
name is one the apiserver would hand out.

Covers: namespaces as DNS-1123 labels, Services as DNS-1035 labels, RBAC, CSRs and OpenShift's
OAuth, user and image kinds as path segments (colons, ``~`` allowed, ``%`` and ``/`` not), everything else (built-in or custom) as
DNS-1123 subdomains up to 253 characters; ``generateName`` prefixes may end in ``-``; a
manifest-directory create with a 250-character ``generateName`` stores a 63-character name;
a Create whose body names another namespace than its request is refused as it is applied;
the checks let through what the apiserver allows: patching an object a must-gather stores
without its namespace, and updating one stored under an older apiVersion.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import Outcome
from mom.mutationdir.requests import MutationRequest
from mom.validation.names import generate_name_problem, name_problem, namespace_problem

CORE = {r: GroupVersionResource("", "v1", r) for r in ("namespaces", "services", "configmaps", "secrets")}
CLUSTERROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")
OAUTHCLIENTS = GroupVersionResource("oauth.openshift.io", "v1", "oauthclients")
CUSTOM = GroupVersionResource("example.com", "v1", "widgets")

VALID = [
    (CORE["namespaces"], "a" * 63),
    (CORE["services"], "web-1"),
    (CORE["configmaps"], "a" * 61 + ".b"),
    (CORE["secrets"], ("a" * 63 + ".") * 3 + "b" * 61),  # 253 characters
    (CLUSTERROLES, "system:controller:namespace-controller"),
    (CLUSTERROLES, "Upper_Case~ok"),
    (OAUTHCLIENTS, "openshift-browser-client"),
    (GroupVersionResource("oauth.openshift.io", "v1", "oauthaccesstokens"), "sha256~Zm9vYmFy"),
    (GroupVersionResource("user.openshift.io", "v1", "identities"), "htpasswd:alice"),
    (GroupVersionResource("image.openshift.io", "v1", "imagestreamtags"), "ruby:2.7"),
    (GroupVersionResource("certificates.k8s.io", "v1", "certificatesigningrequests"), "csr-X:1"),
    (CUSTOM, "cluster"),
]
INVALID = [
    (CORE["namespaces"], "a" * 64, "no more than 63"),
    (CORE["namespaces"], "kube.system", "RFC 1123 label"),
    (CORE["services"], "1st", "DNS-1035 label"),
    (CORE["configmaps"], "Upper", "RFC 1123 subdomain"),
    (CORE["configmaps"], "a" * 254, "no more than 253"),
    (CORE["configmaps"], "-lead", "RFC 1123 subdomain"),
    (CLUSTERROLES, "a/b", "may not contain '/'"),
    (CLUSTERROLES, "100%", "may not contain '%'"),
    (CLUSTERROLES, "..", "may not be '..'"),
    (CUSTOM, "with space", "RFC 1123 subdomain"),
    (CUSTOM, "", "Required value"),
]


@pytest.mark.parametrize(("gvr", "name"), VALID)
def test_names_the_apiserver_accepts(gvr: GroupVersionResource, name: str) -> None:
    assert name_problem(gvr, name) == ""


@pytest.mark.parametrize(("gvr", "name", "why"), INVALID)
def test_names_the_apiserver_refuses(gvr: GroupVersionResource, name: str, why: str) -> None:
    assert why in name_problem(gvr, name)


def test_generate_name_prefixes_and_namespaces() -> None:
    assert generate_name_problem(CORE["configmaps"], "builder-") == ""
    assert generate_name_problem(CORE["services"], "web-") == ""
    assert "DNS-1035" in generate_name_problem(CORE["services"], "9-")
    assert namespace_problem("") == "", "cluster scope"
    assert "RFC 1123 label" in namespace_problem("Kube_System")


def _create(body: str, namespace: str = "ns") -> MutationRequest:
    return MutationRequest(
        Action.CREATE,
        CORE["configmaps"],
        namespace,
        "",
        "",
        GroupVersionKind("", "v1", "ConfigMap"),
        body.encode(),
    )


def test_a_long_generate_name_gives_the_name_the_apiserver_would(tmp_path: Path) -> None:
    target = ManifestTarget(tmp_path, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    prefix = "p" * 249 + "-"
    result = target.apply(
        "1-0@x", _create(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: {prefix}\n")
    )
    assert result.outcome is Outcome.CREATED, result.message
    assert result.object is not None
    name = result.object["metadata"]["name"]
    assert len(name) == 63 and name.startswith("p" * 58)
    assert target.read().get(CORE["configmaps"], namespace="ns", name=name)["metadata"]["name"] == name


def test_a_body_in_another_namespace_is_refused_as_it_is_applied(tmp_path: Path) -> None:
    target = ManifestTarget(tmp_path, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    body = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: Kube_System\n"
    result = target.apply("1-0@x", _create(body, namespace="Kube_System"))
    assert result.outcome is Outcome.INVALID
    assert "metadata.namespace: Invalid value: 'Kube_System'" in result.message
    assert not any(tmp_path.glob("namespaces/**/*.yaml"))


def _tree_with(tmp_path: Path, relative: str, text: str) -> ManifestTarget:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return ManifestTarget(tmp_path, clock=lambda: datetime(2026, 1, 1, tzinfo=UTC))


def test_a_patch_of_an_object_stored_without_its_namespace_is_applied(tmp_path: Path) -> None:
    target = _tree_with(
        tmp_path,
        "namespaces/ns/core/configmaps.yaml",
        "apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata:\n    name: plain\n  data:\n    a: b\n",
    )
    patch = MutationRequest(
        Action.PATCH,
        CORE["configmaps"],
        "ns",
        "plain",
        "",
        None,
        b'{"data":{"a":"c"}}',
        patch_type="application/merge-patch+json",
    )
    result = target.apply("1-0@x", patch)
    assert result.outcome is Outcome.PATCHED, result.message
    assert target.read().get(CORE["configmaps"], namespace="ns", name="plain")["data"] == {"a": "c"}


def test_an_update_of_an_object_stored_under_an_older_version_is_applied(tmp_path: Path) -> None:
    deployments = GroupVersionResource("apps", "v1", "deployments")
    target = _tree_with(
        tmp_path,
        "namespaces/ns/apps/deployments/web.yaml",
        "apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ns\nspec:\n  replicas: 1\n",
    )
    body = b"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: ns\nspec:\n  replicas: 2\n"
    update = MutationRequest(
        Action.UPDATE, deployments, "ns", "web", "", GroupVersionKind("apps", "v1", "Deployment"), body
    )
    result = target.apply("1-0@x", update)
    assert result.outcome is Outcome.UPDATED, result.message
