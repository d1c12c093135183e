"""Recording HTTP writes as mutation requests (FORMATS.md §2.1-2.3, conformance group B).

Covers:
- each library-go mutation-tests case: the HTTP requests a Go typed client sends, recorded and
  written, give byte-identical files at the same relative paths as the fixture, and read back
  equivalent to the fixture; three PATCH calls give two file sets (set semantics);
- the action chosen for each verb / subresource / Content-Type;
- options decoded from query parameters per action (dryRun list, force bool, grace period int),
  dropped when empty; fieldManager in the metadata only for patch and apply;
- JSON patches re-encoded as YAML, merge patches kept byte-for-byte;
- a namespaced Delete is recorded (with or without a typed DeleteOptions body, or none) and
  reads back equal; the stub response names the object and its kind;
- rejections: protobuf Content-Type, unknown subresource, namespace / name mismatch, bad JSON,
  non-resource paths.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.client.recorder import MutationRecorder
from mom.mutationdir.directory import read_mutation_dir, write_mutation_dir
from mom.mutationdir.equivalence import compare_requests

FEATUREGATES = "/apis/config.openshift.io/v1/featuregates"
JSON = "application/json"


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _featuregate(name: str) -> bytes:
    """What the Go typed client sends for an empty FeatureGate (zero values included)."""
    return _json(
        {
            "kind": "FeatureGate",
            "apiVersion": "config.openshift.io/v1",
            "metadata": {"name": name},
            "spec": {},
            "status": {"featureGates": None},
        }
    )


def _create_featuregate(recorder: MutationRecorder) -> None:
    recorder.record("POST", FEATUREGATES, {}, JSON, _featuregate("new-item"))


def _create_apiserver(recorder: MutationRecorder) -> None:
    body = {
        "kind": "APIServer",
        "apiVersion": "config.openshift.io/v1",
        "metadata": {"name": "new-item"},
        "spec": {"servingCerts": {}, "clientCA": {"name": ""}, "encryption": {}, "audit": {}},
        "status": {},
    }
    recorder.record("POST", "/apis/config.openshift.io/v1/apiservers", {}, JSON, _json(body))


def _update_featuregate(recorder: MutationRecorder) -> None:
    recorder.record("PUT", f"{FEATUREGATES}/new-item", {}, JSON, _featuregate("new-item"))


def _update_status_with_options(recorder: MutationRecorder) -> None:
    query = [("fieldValidation", "Strict")]
    recorder.record("PUT", f"{FEATUREGATES}/new-item/status", query, JSON, _featuregate("new-item"))


def _apply_featuregate(recorder: MutationRecorder) -> None:
    body = _json(
        {"kind": "FeatureGate", "apiVersion": "config.openshift.io/v1", "metadata": {"name": "new-item"}}
    )
    query = {"fieldManager": "the-client", "force": "true"}
    recorder.record("PATCH", f"{FEATUREGATES}/new-item", query, "application/apply-patch+yaml", body)


def _patch_three_times(recorder: MutationRecorder) -> None:
    patch = _json(
        [{"op": "test", "path": "/foo/path", "value": "bar"}, {"op": "remove", "path": "/foo/path/2"}]
    )
    kind: Callable[[GroupVersionResource], str | None] = lambda gvr: "FeatureGate"  # noqa: E731
    for suffix in ("", "/status", ""):
        recorder.record(
            "PATCH",
            f"{FEATUREGATES}/instance-name{suffix}",
            {},
            "application/json-patch+json",
            patch,
            controller_instance_name="fooController",
            kind_for=kind,
        )


CASES: dict[str, Callable[[MutationRecorder], None]] = {
    "CREATE-crd-in-dataset": _create_featuregate,
    "CREATE-crd-not-in-dataset": _create_apiserver,
    "UPDATE-crd-in-dataset": _update_featuregate,
    "UPDATE-STATUS-crd-in-dataset-with-options": _update_status_with_options,
    "APPLY-crd-in-dataset": _apply_featuregate,
    "PATCH-crd-in-dataset": _patch_three_times,
}


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.conformance
@pytest.mark.parametrize("case", sorted(CASES))
def test_recorded_calls_reproduce_library_go_fixture(
    case: str, conformance_dir: Path, tmp_path: Path
) -> None:
    fixture = conformance_dir / "library-go/pkg/manifestclienttest/testdata/mutation-tests" / case
    recorder = MutationRecorder()
    CASES[case](recorder)
    write_mutation_dir(tmp_path, recorder.requests)

    assert _files(tmp_path) == _files(fixture)
    assert (
        compare_requests(read_mutation_dir(fixture), read_mutation_dir(tmp_path), ignore_events=False) == []
    )
    assert compare_requests(read_mutation_dir(fixture), recorder.requests, ignore_events=False) == []


def test_three_patch_calls_are_two_distinct_requests() -> None:
    recorder = MutationRecorder()
    _patch_three_times(recorder)
    assert [r.action for r in recorder.requests] == [Action.PATCH, Action.PATCH_STATUS, Action.PATCH]
    assert len({r.equality_key() for r in recorder.requests}) == 2


@pytest.mark.parametrize(
    ("method", "suffix", "content_type", "action"),
    [
        ("POST", "", JSON, Action.CREATE),
        ("PUT", "/x", JSON, Action.UPDATE),
        ("PUT", "/x/status", JSON, Action.UPDATE_STATUS),
        ("PATCH", "/x", "application/apply-patch+yaml", Action.APPLY),
        ("PATCH", "/x/status", "application/apply-patch+yaml", Action.APPLY_STATUS),
        ("PATCH", "/x", "application/merge-patch+json", Action.PATCH),
        ("PATCH", "/x/status", "application/strategic-merge-patch+json; charset=utf-8", Action.PATCH_STATUS),
        ("DELETE", "/x", JSON, Action.DELETE),
    ],
)
def test_action_follows_verb_subresource_and_content_type(
    method: str, suffix: str, content_type: str, action: Action
) -> None:
    body = _featuregate("x") if method != "DELETE" else _json({"kind": "DeleteOptions", "apiVersion": "v1"})
    if action.is_patch:
        body = _json({"spec": {}})
    recorder = MutationRecorder()
    recorder.record(method, FEATUREGATES + suffix, {}, content_type, body)
    (request,) = recorder.requests
    assert request.action is action
    assert request.patch_type == (content_type.split(";")[0] if action.is_patch else "")


def test_namespaced_delete_is_recorded_with_its_delete_options() -> None:
    recorder = MutationRecorder()
    body = _json({"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground"})
    response = recorder.record(
        "DELETE",
        "/api/v1/namespaces/openshift-oauth-apiserver/secrets/etcd-client",
        {},
        JSON,
        body,
        controller_instance_name="oauth-ResourceSync",
        kind_for=lambda gvr: "Secret" if gvr.resource == "secrets" else None,
    )
    (request,) = recorder.requests
    assert (request.action, request.namespace, request.name) == (
        Action.DELETE,
        "openshift-oauth-apiserver",
        "etcd-client",
    )
    assert request.body == b"apiVersion: v1\nkind: DeleteOptions\npropagationPolicy: Foreground\n"
    assert request.kind == GroupVersionKind("", "v1", "DeleteOptions")
    assert response == {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "etcd-client", "namespace": "openshift-oauth-apiserver"},
    }


def test_options_are_typed_per_action_and_dropped_when_empty() -> None:
    recorder = MutationRecorder()
    recorder.record(
        "POST",
        FEATUREGATES,
        [("dryRun", "All"), ("fieldManager", "me"), ("timeout", "5s")],
        JSON,
        _featuregate("a"),
    )
    recorder.record(
        "PATCH", f"{FEATUREGATES}/a", {"force": "false"}, "application/apply-patch+yaml", _featuregate("a")
    )
    recorder.record(
        "DELETE", f"{FEATUREGATES}/a", {"gracePeriodSeconds": "30", "orphanDependents": "true"}, JSON, b""
    )
    recorder.record("PUT", f"{FEATUREGATES}/a", {"force": "true"}, JSON, _featuregate("a"))
    create, apply, delete, update = recorder.requests
    assert create.options == b"dryRun:\n- All\nfieldManager: me\n"
    assert create.field_manager == ""
    assert apply.options == b"force: false\n"
    assert delete.options == b"gracePeriodSeconds: 30\norphanDependents: true\n"
    assert delete.body == b""
    assert update.options == b""


def test_field_manager_is_metadata_only_for_patch_and_apply() -> None:
    recorder = MutationRecorder()
    query = {"fieldManager": "op"}
    recorder.record("PUT", f"{FEATUREGATES}/a", query, JSON, _featuregate("a"))
    recorder.record("PATCH", f"{FEATUREGATES}/a", query, "application/merge-patch+json", b'{"spec":{}}')
    update, patch = recorder.requests
    assert (update.field_manager, patch.field_manager) == ("", "op")
    assert patch.body == b'{"spec":{}}'
    assert patch.kind is None


def test_create_with_generate_name_and_apply_body_in_yaml() -> None:
    recorder = MutationRecorder()
    body = _json(
        {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"generateName": "foo-", "namespace": "ns"}}
    )
    response = recorder.record("POST", "/api/v1/namespaces/ns/configmaps", {}, JSON, body)
    yaml_body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: ns\n"
    recorder.record(
        "PATCH", "/api/v1/namespaces/ns/configmaps/cm", {}, "application/apply-patch+yaml", yaml_body
    )
    create, apply = recorder.requests
    assert (create.name, create.generate_name) == ("", "foo-")
    assert response["metadata"] == {"name": "", "generateName": "foo-", "namespace": "ns"}
    assert apply.body == yaml_body
    assert apply.kind == GroupVersionKind("", "v1", "ConfigMap")


@pytest.mark.parametrize(
    ("method", "path", "content_type", "body", "problem"),
    [
        ("POST", FEATUREGATES, "application/vnd.kubernetes.protobuf", b"\x00k8s", "Content-Type"),
        ("PUT", f"{FEATUREGATES}/x/scale", JSON, b"{}", 'subresource "scale"'),
        ("DELETE", f"{FEATUREGATES}/x/status", JSON, b"{}", "cannot be recorded"),
        ("POST", FEATUREGATES, JSON, b"{not json", "malformed JSON"),
        ("POST", FEATUREGATES, JSON, b'{"metadata": {}}', "apiVersion and kind"),
        ("PUT", f"{FEATUREGATES}/other", JSON, None, 'must equal the request name "other"'),
        ("POST", "/api/v1/namespaces/ns/configmaps", JSON, None, 'must equal the request namespace "ns"'),
        ("POST", "/version", JSON, None, "only writes to resources"),
        ("PATCH", f"{FEATUREGATES}/x", "application/json-patch+json", b'{"op": "add"}', "list of operations"),
    ],
)
def test_writes_library_go_refuses_are_rejected(
    method: str, path: str, content_type: str, body: bytes | None, problem: str
) -> None:
    recorder = MutationRecorder()
    with pytest.raises(InvalidInput) as caught:
        recorder.record(method, path, {}, content_type, body if body is not None else _featuregate("x"))
    assert problem in str(caught.value)
    assert recorder.requests == []


def test_namespaced_deletes_round_trip_through_a_mutation_dir(tmp_path: Path) -> None:
    recorder = MutationRecorder()
    path = "/api/v1/namespaces/ns/secrets/etcd-client"
    recorder.record("DELETE", path, {}, JSON, _json({"kind": "DeleteOptions", "apiVersion": "v1"}))
    recorder.record(
        "DELETE", path, {"propagationPolicy": "Background"}, JSON, _json({"gracePeriodSeconds": 0})
    )
    recorder.record("DELETE", path, {}, "", b"")
    write_mutation_dir(tmp_path, recorder.requests)
    read = read_mutation_dir(tmp_path)
    assert len(read) == 3
    assert all(r.action is Action.DELETE and r.namespace == "ns" for r in read)
    assert compare_requests(recorder.requests, read, ignore_events=False) == []
