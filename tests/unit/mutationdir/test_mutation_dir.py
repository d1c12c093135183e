"""Writing and reading mutation directories (FORMATS.md §2.4-2.7).

Covers:
- file names: hash prefix of the body, else of the options, else MISSING; namespaced and
  cluster-scoped layouts; ':' replaced by '-COLON-'; options file only when options exist;
- writing: identical requests collapse to one file set (mode 0644); two different requests with the same
  natural file names both survive under names a Go reader pairs up (first 'body' -> 'metadata');
  no temporary files are left behind; names that are not one path segment are refused;
- reading: round trip of what was written; `mame:` (older library-go) and `name:` both give the
  name; `.json` bodies are read and their kind derived; a body without its metadata file, or a
  metadata file with a bad action, fails naming the file; a missing directory reads as empty;
  entries outside the eight action directories are ignored.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.mutationdir.directory import read_mutation_dir, request_paths, write_mutation_dir
from mom.mutationdir.equivalence import compare_requests
from mom.mutationdir.requests import MutationRequest

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
CONFIGMAP = GroupVersionKind("", "v1", "ConfigMap")
BODY = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: foo\n  namespace: ns\n"


def _request(**changes: object) -> MutationRequest:
    fields: dict[str, object] = {
        "action": Action.CREATE,
        "gvr": CONFIGMAPS,
        "namespace": "ns",
        "name": "foo",
        "generate_name": "",
        "kind": CONFIGMAP,
        "body": BODY,
        "controller_instance_name": "op-Demo",
    }
    fields.update(changes)
    return MutationRequest(**fields)  # type: ignore[arg-type]


def test_paths_use_the_body_hash_and_namespace_layout() -> None:
    prefix = hashlib.sha256(BODY).hexdigest()[-4:]
    body, metadata, options = request_paths(_request())
    assert body == f"Create/namespaces/ns/core/configmaps/{prefix}-body-foo.yaml"
    assert metadata == f"Create/namespaces/ns/core/configmaps/{prefix}-metadata-foo.yaml"
    assert options is None


def test_paths_fall_back_to_options_hash_then_missing_and_replace_colons() -> None:
    roles = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")
    request = _request(gvr=roles, namespace="", name="system:foo", body=b"", options=b"dryRun:\n- All\n")
    prefix = hashlib.sha256(b"dryRun:\n- All\n").hexdigest()[-4:]
    body, _, options = request_paths(request)
    directory = "Create/cluster-scoped-resources/rbac.authorization.k8s.io/clusterroles"
    assert body == f"{directory}/{prefix}-body-system-COLON-foo.yaml"
    assert options is not None and options.endswith(f"{prefix}-options-system-COLON-foo.yaml")
    assert request_paths(_request(body=b""))[0].endswith("MISSING-body-foo.yaml")


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    requests = [
        _request(),
        _request(
            action=Action.APPLY, name="bar", options=b"fieldManager: op\nforce: true\n", field_manager="op"
        ),
        _request(
            action=Action.PATCH_STATUS,
            kind=None,
            body=b'{"status":{}}',
            patch_type="application/merge-patch+json",
        ),
        _request(name="", generate_name="foo-"),
    ]
    write_mutation_dir(tmp_path, requests)
    read = read_mutation_dir(tmp_path)
    assert sorted(r.equality_key() for r in read) == sorted(r.equality_key() for r in requests)


def test_identical_requests_collapse_to_one_file_set(tmp_path: Path) -> None:
    write_mutation_dir(tmp_path, [_request(), _request(), _request()])
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) == 2
    assert {p.stat().st_mode & 0o777 for p in files} == {0o644}


def test_different_requests_with_the_same_file_names_both_survive(tmp_path: Path) -> None:
    first = _request(action=Action.APPLY, options=b"fieldManager: a\n", field_manager="a")
    second = _request(action=Action.APPLY, options=b"fieldManager: b\n", field_manager="b")
    third = _request(
        action=Action.APPLY, options=b"fieldManager: a\n", field_manager="a", controller_instance_name="x"
    )
    assert request_paths(first)[0] == request_paths(second)[0]
    write_mutation_dir(tmp_path, [first, second, third])

    assert compare_requests([first, second, third], read_mutation_dir(tmp_path)) == []
    bodies = sorted(p for p in tmp_path.rglob("*") if "-body-" in p.name)
    assert len(bodies) == 3
    for body in bodies:  # how the Go reader finds the sibling files
        assert (body.parent / body.name.replace("body", "metadata", 1)).is_file()
        assert (body.parent / body.name.replace("body", "options", 1)).is_file()
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".")]


def test_names_that_are_not_one_path_segment_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r'name: invalid value "\.\./\.\./etc"'):
        write_mutation_dir(tmp_path, [_request(name="../../etc")])


@pytest.mark.conformance
def test_reads_older_mame_metadata(conformance_dir: Path) -> None:
    root = (
        conformance_dir
        / "multi-operator-manager/test-data/apply-configuration/test-basic-call/expected-output"
    )
    requests = read_mutation_dir(root / "UserWorkload")
    assert [(r.action, r.namespace, r.name, r.controller_instance_name) for r in requests] == [
        (Action.CREATE, "openshift-authentication", "foo", "sample-operator-Demo")
    ]
    assert requests[0].kind == CONFIGMAP


def test_reads_json_bodies_and_derives_their_kind(tmp_path: Path) -> None:
    directory = tmp_path / "Create/namespaces/ns/core/configmaps"
    directory.mkdir(parents=True)
    (directory / "0001-body-foo.json").write_bytes(
        b'{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "foo"}}'
    )
    (directory / "0001-metadata-foo.json").write_bytes(
        b'{"action": "Create", "name": "foo", "namespace": "ns", "generateName": "",'
        b' "controllerInstanceName": "",'
        b' "resourceType": {"Group": "", "Version": "v1", "Resource": "configmaps"}}'
    )
    (request,) = read_mutation_dir(tmp_path)
    assert (request.kind, request.name, request.namespace) == (CONFIGMAP, "foo", "ns")


def test_body_without_metadata_names_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "Update/cluster-scoped-resources/core/namespaces"
    directory.mkdir(parents=True)
    (directory / "abcd-body-ns.yaml").write_bytes(b"apiVersion: v1\nkind: Namespace\n")
    with pytest.raises(InvalidInput, match=r"abcd-body-ns\.yaml: no metadata file abcd-metadata-ns\.yaml"):
        read_mutation_dir(tmp_path)


def test_bad_metadata_reports_every_problem_and_the_file(tmp_path: Path) -> None:
    directory = tmp_path / "Create/cluster-scoped-resources/core/namespaces"
    directory.mkdir(parents=True)
    (directory / "abcd-body-ns.yaml").write_bytes(b"apiVersion: v1\nkind: Namespace\n")
    (directory / "abcd-metadata-ns.yaml").write_bytes(
        b"action: Destroy\nname: ns\nresourceType:\n  Group: ''\n"
    )
    with pytest.raises(InvalidInput) as caught:
        read_mutation_dir(tmp_path)
    message = str(caught.value)
    assert "abcd-metadata-ns.yaml" in message
    assert 'action: unsupported value "Destroy"' in message
    assert "resourceType.Resource: required value" in message


def test_missing_directory_is_empty_and_other_entries_are_ignored(tmp_path: Path) -> None:
    assert read_mutation_dir(tmp_path / "absent") == []
    write_mutation_dir(tmp_path, [_request()])
    (tmp_path / "Bogus").mkdir()
    (tmp_path / "Bogus" / "x-body-y.yaml").write_bytes(b"{}")
    (tmp_path / "stdout.log").write_bytes(b"hello")
    assert len(read_mutation_dir(tmp_path)) == 1
