"""The manifest-directory target, action by action, the way a kube-apiserver would answer.

Covers: Create sets uid/resourceVersion/creationTimestamp/generation, drops status where a
status subresource exists, is AlreadyExists on a different object and Unchanged on the same
one, names generateName objects from the mutation id; new objects go to per-object files, or
are appended to the location's List file when it has one; Update is guarded by
resourceVersion (stale -> Conflict, unless the content is already there; none at all -> accepted
on kube-apiserver's own resources, Invalid on custom resources, status included), keeps status and
bumps generation on spec changes, rewrites a List item in place keeping the others;
UpdateStatus/PatchStatus/ApplyStatus change only status (NotFound without a subresource);
JSON patch with a failed test is Invalid and changes nothing; merge and strategic patches;
Apply creates, merges and conflicts per field manager; Delete with preconditions, from List
files, of a Namespace; wrong scope and unusable names are Invalid; dry runs change nothing;
one mutation id is applied once; read() reflects every write; a batch whose every mutation
changes nothing rewrites no file and asks for no filesystem sync, yet is remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from apply_support import AUTHENTICATIONS, CONFIGMAPS, DEPLOYMENTS, configmap, mutation

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource
from mom.apply import ManifestTarget, Outcome
from mom.serialization import dump_go_yaml, load_document

Opener = Callable[..., ManifestTarget]
NAMESPACES = GroupVersionResource("", "v1", "namespaces")


def deployment(replicas: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "ns"},
        "spec": {"replicas": replicas},
        **extra,
    }


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def write_yaml(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_go_yaml(document))


def read_yaml(path: Path) -> Any:
    return load_document(path.read_bytes(), str(path))


def test_create_sets_server_fields_and_drops_status(open_target: Opener, tmp_path: Path) -> None:
    target = open_target()
    body = deployment(status={"readyReplicas": 5})

    result = target.apply("c1", mutation(Action.CREATE, DEPLOYMENTS, body, namespace="ns"))

    stored = read_yaml(tmp_path / "tree/namespaces/ns/apps/deployments/web.yaml")
    assert result.outcome is Outcome.CREATED and result.object == stored
    assert stored["metadata"]["creationTimestamp"] == "2024-10-14T22:38:20Z"
    assert stored["metadata"]["generation"] == 1 and stored["metadata"]["uid"]
    assert "status" not in stored
    assert target.read().get(DEPLOYMENTS, namespace="ns", name="web")["spec"] == {"replicas": 1}


def test_create_existing_is_conflict_unless_same(open_target: Opener) -> None:
    target = open_target()
    target.apply("c1", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="1"), namespace="ns"))

    same = target.apply("c2", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="1"), namespace="ns"))
    other = target.apply("c3", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="2"), namespace="ns"))

    assert same.outcome is Outcome.UNCHANGED
    assert other.outcome is Outcome.CONFLICT and "already exists" in other.message
    assert target.read().get(CONFIGMAPS, namespace="ns", name="a")["data"] == {"k": "1"}


def test_generate_name_is_stable_per_mutation_id(open_target: Opener, tmp_path: Path) -> None:
    target = open_target()
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"generateName": "gen-", "namespace": "ns"}}
    request = mutation(Action.CREATE, CONFIGMAPS, body, namespace="ns")

    first = target.apply("g1", request)
    repeat = target.apply("g1", request)
    second = target.apply("g2", request)

    assert first.object is not None and second.object is not None
    name = first.object["metadata"]["name"]
    assert name.startswith("gen-") and len(name) == len("gen-") + 5
    assert repeat.outcome is Outcome.ALREADY_APPLIED
    assert second.object["metadata"]["name"] != name
    assert len(list((tmp_path / "tree/namespaces/ns/core/configmaps").iterdir())) == 2


def test_new_object_is_appended_to_an_existing_list_file(open_target: Opener, tmp_path: Path) -> None:
    list_file = tmp_path / "tree/namespaces/ns/core/configmaps.yaml"
    write_yaml(
        list_file,
        {
            "apiVersion": "v1",
            "kind": "ConfigMapList",
            "metadata": {"resourceVersion": "9"},
            "items": [configmap("first")],
        },
    )
    target = open_target()

    target.apply("c", mutation(Action.CREATE, CONFIGMAPS, configmap("second"), namespace="ns"))

    document = read_yaml(list_file)
    assert [i["metadata"]["name"] for i in document["items"]] == ["first", "second"]
    assert document["metadata"] == {"resourceVersion": "9"}
    assert not (tmp_path / "tree/namespaces/ns/core/configmaps").exists()
    assert [o["metadata"]["name"] for o in target.read().list(CONFIGMAPS, namespace="ns")] == [
        "first",
        "second",
    ]


def test_update_is_guarded_by_resource_version(open_target: Opener) -> None:
    target = open_target()
    created = target.apply(
        "c", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="1"), namespace="ns")
    ).object
    assert created is not None
    fresh = {**created, "data": {"k": "2"}}
    stale = {**fresh, "metadata": {**created["metadata"], "resourceVersion": "999"}}

    conflict = target.apply("u1", mutation(Action.UPDATE, CONFIGMAPS, stale, namespace="ns"))
    updated = target.apply("u2", mutation(Action.UPDATE, CONFIGMAPS, fresh, namespace="ns"))
    rerun = target.apply("u3", mutation(Action.UPDATE, CONFIGMAPS, fresh, namespace="ns"))

    assert conflict.outcome is Outcome.CONFLICT and "has been modified" in conflict.message
    assert updated.outcome is Outcome.UPDATED and updated.object is not None
    assert int(updated.object["metadata"]["resourceVersion"]) > int(created["metadata"]["resourceVersion"])
    assert updated.object["metadata"]["uid"] == created["metadata"]["uid"]
    assert rerun.outcome is Outcome.UNCHANGED  # its resourceVersion is stale now, its content is there
    missing = target.apply("u4", mutation(Action.UPDATE, CONFIGMAPS, configmap("nope"), namespace="ns"))
    assert missing.outcome is Outcome.NOT_FOUND


def test_update_without_resource_version_only_on_built_in_resources(
    open_target: Opener, tmp_path: Path
) -> None:
    target = open_target()
    cluster = {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
    }
    target.apply("c1", mutation(Action.CREATE, AUTHENTICATIONS, {**cluster, "spec": {"logLevel": "Normal"}}))
    target.apply("c2", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="1"), namespace="ns"))
    target.apply("c3", mutation(Action.CREATE, DEPLOYMENTS, deployment(), namespace="ns"))
    before = tree_bytes(tmp_path / "tree")

    spec = target.apply(
        "u1", mutation(Action.UPDATE, AUTHENTICATIONS, {**cluster, "spec": {"logLevel": "Debug"}})
    )
    status = target.apply(
        "u2", mutation(Action.UPDATE_STATUS, AUTHENTICATIONS, {**cluster, "status": {"x": 1}})
    )
    same = target.apply(
        "u3", mutation(Action.UPDATE, AUTHENTICATIONS, {**cluster, "spec": {"logLevel": "Normal"}})
    )
    for refused in (spec, status, same):
        assert refused.outcome is Outcome.INVALID
        assert refused.message == (
            'authentications.operator.openshift.io "cluster" is invalid:'
            " metadata.resourceVersion: Invalid value: 0: must be specified for an update"
        )
    assert tree_bytes(tmp_path / "tree") == before, "nothing written"

    updated = target.apply("u4", mutation(Action.UPDATE, CONFIGMAPS, configmap("a", k="2"), namespace="ns"))
    status_only = mutation(Action.UPDATE_STATUS, DEPLOYMENTS, deployment(status={"ready": 1}), namespace="ns")
    assert (updated.outcome, target.apply("u5", status_only).outcome) == (Outcome.UPDATED, Outcome.UPDATED)
    assert target.read().get(CONFIGMAPS, namespace="ns", name="a")["data"] == {"k": "2"}


def test_status_and_spec_are_written_separately(open_target: Opener) -> None:
    target = open_target()
    target.apply("c", mutation(Action.CREATE, DEPLOYMENTS, deployment(), namespace="ns"))

    target.apply(
        "s", mutation(Action.UPDATE_STATUS, DEPLOYMENTS, deployment(9, status={"ready": 1}), namespace="ns")
    )
    after_status = target.read().get(DEPLOYMENTS, namespace="ns", name="web")
    target.apply(
        "u", mutation(Action.UPDATE, DEPLOYMENTS, deployment(2, status={"ready": 7}), namespace="ns")
    )
    after_update = target.read().get(DEPLOYMENTS, namespace="ns", name="web")
    patch = {"spec": {"replicas": 5}, "status": {"ready": 3}}
    target.apply(
        "p",
        mutation(
            Action.PATCH_STATUS,
            DEPLOYMENTS,
            patch,
            namespace="ns",
            name="web",
            patch_type="application/merge-patch+json",
        ),
    )
    after_patch = target.read().get(DEPLOYMENTS, namespace="ns", name="web")

    assert (after_status["spec"], after_status["status"]) == ({"replicas": 1}, {"ready": 1})
    assert after_status["metadata"]["generation"] == 1
    assert (after_update["spec"], after_update["status"]) == ({"replicas": 2}, {"ready": 1})
    assert after_update["metadata"]["generation"] == 2
    assert (after_patch["spec"], after_patch["status"]) == ({"replicas": 2}, {"ready": 3})
    target.apply("cm", mutation(Action.CREATE, CONFIGMAPS, configmap("a"), namespace="ns"))
    no_status = target.apply("cs", mutation(Action.UPDATE_STATUS, CONFIGMAPS, configmap("a"), namespace="ns"))
    assert no_status.outcome is Outcome.NOT_FOUND


def test_list_item_is_updated_in_place(open_target: Opener, tmp_path: Path) -> None:
    list_file = tmp_path / "tree/namespaces/ns/core/configmaps.yaml"
    items = [configmap(n, k="0") for n in ("a", "b", "c")]
    write_yaml(list_file, {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {}, "items": items})
    target = open_target()

    result = target.apply("u", mutation(Action.UPDATE, CONFIGMAPS, configmap("b", k="1"), namespace="ns"))

    assert result.outcome is Outcome.UPDATED
    stored = read_yaml(list_file)["items"]
    assert [(i["metadata"]["name"], i["data"]["k"]) for i in stored] == [("a", "0"), ("b", "1"), ("c", "0")]
    assert not (tmp_path / "tree/namespaces/ns/core/configmaps").exists()


def test_json_patch_with_failed_test_is_invalid(open_target: Opener, tmp_path: Path) -> None:
    target = open_target()
    target.apply("c", mutation(Action.CREATE, CONFIGMAPS, configmap("a", n="1"), namespace="ns"))
    before = tree_bytes(tmp_path / "tree")
    operations = [
        {"op": "test", "path": "/data/n", "value": "0"},
        {"op": "replace", "path": "/data/n", "value": "9"},
    ]

    result = target.apply(
        "p",
        mutation(
            Action.PATCH,
            CONFIGMAPS,
            operations,
            namespace="ns",
            name="a",
            patch_type="application/json-patch+json",
        ),
    )

    assert result.outcome is Outcome.INVALID and "test failed" in result.message
    assert tree_bytes(tmp_path / "tree") == before
    assert not target.is_applied("p")


def test_strategic_merge_patch_merges_conditions(open_target: Opener) -> None:
    target = open_target()
    body = deployment()
    target.apply("c", mutation(Action.CREATE, DEPLOYMENTS, body, namespace="ns"))
    conditions = [{"type": "A", "status": "True"}, {"type": "B", "status": "True"}]
    target.apply(
        "s",
        mutation(
            Action.UPDATE_STATUS, DEPLOYMENTS, deployment(status={"conditions": conditions}), namespace="ns"
        ),
    )

    patch = {"status": {"conditions": [{"type": "B", "status": "False"}]}}
    result = target.apply(
        "p",
        mutation(
            Action.PATCH_STATUS,
            DEPLOYMENTS,
            patch,
            namespace="ns",
            name="web",
            patch_type="application/strategic-merge-patch+json",
        ),
    )

    assert result.outcome is Outcome.PATCHED and result.object is not None
    assert result.object["status"]["conditions"] == [
        {"type": "A", "status": "True"},
        {"type": "B", "status": "False"},
    ]


def test_apply_merges_per_manager_and_conflicts(open_target: Opener) -> None:
    target = open_target()

    def apply(mid: str, body: dict[str, Any], manager: str, force: bool = False) -> Any:
        options = {"fieldManager": manager, **({"force": True} if force else {})}
        return target.apply(
            mid,
            mutation(
                Action.APPLY,
                DEPLOYMENTS,
                body,
                namespace="ns",
                name="web",
                field_manager=manager,
                options=options,
            ),
        )

    created = apply("a1", deployment(1), "one")
    clash = apply("a2", deployment(3), "two")
    forced = apply("a3", deployment(3), "two", force=True)
    unchanged = apply("a4", deployment(3), "two")

    assert created.outcome is Outcome.CREATED
    assert clash.outcome is Outcome.CONFLICT and '"one": .spec.replicas' in clash.message
    assert forced.outcome is Outcome.APPLIED and forced.object["spec"] == {"replicas": 3}
    assert unchanged.outcome is Outcome.UNCHANGED
    status = {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster"},
        "status": {"conditions": [{"type": "A", "status": "True"}]},
    }
    missing = target.apply("s", mutation(Action.APPLY_STATUS, AUTHENTICATIONS, status, field_manager="m"))
    assert missing.outcome is Outcome.NOT_FOUND


def test_delete_preconditions_list_files_and_idempotence(open_target: Opener, tmp_path: Path) -> None:
    list_file = tmp_path / "tree/namespaces/ns/core/configmaps.yaml"
    write_yaml(
        list_file,
        {
            "apiVersion": "v1",
            "kind": "ConfigMapList",
            "metadata": {},
            "items": [{**configmap("a"), "metadata": {"name": "a", "uid": "u-1"}}, configmap("b")],
        },
    )
    target = open_target()
    options = {"apiVersion": "v1", "kind": "DeleteOptions"}

    wrong = target.apply(
        "d0",
        mutation(
            Action.DELETE, CONFIGMAPS, {**options, "preconditions": {"uid": "u-2"}}, namespace="ns", name="a"
        ),
    )
    deleted = target.apply(
        "d1",
        mutation(
            Action.DELETE, CONFIGMAPS, {**options, "preconditions": {"uid": "u-1"}}, namespace="ns", name="a"
        ),
    )
    again = target.apply("d1", mutation(Action.DELETE, CONFIGMAPS, options, namespace="ns", name="a"))
    other_id = target.apply("d2", mutation(Action.DELETE, CONFIGMAPS, options, namespace="ns", name="a"))

    assert wrong.outcome is Outcome.CONFLICT and "Precondition failed" in wrong.message
    assert deleted.outcome is Outcome.DELETED
    assert again.outcome is Outcome.ALREADY_APPLIED
    assert other_id.outcome is Outcome.NOT_FOUND
    assert [i["metadata"]["name"] for i in read_yaml(list_file)["items"]] == ["b"]


def test_deleting_a_namespace_removes_only_its_object(open_target: Opener, tmp_path: Path) -> None:
    target = open_target()
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}}
    target.apply("n", mutation(Action.CREATE, NAMESPACES, namespace, name="ns"))
    target.apply("c", mutation(Action.CREATE, CONFIGMAPS, configmap("a"), namespace="ns"))
    assert (tmp_path / "tree/namespaces/ns/ns.yaml").is_file()

    result = target.apply(
        "d", mutation(Action.DELETE, NAMESPACES, {"apiVersion": "v1", "kind": "DeleteOptions"}, name="ns")
    )

    assert result.outcome is Outcome.DELETED
    assert not (tmp_path / "tree/namespaces/ns/ns.yaml").exists()
    assert target.read().get(CONFIGMAPS, namespace="ns", name="a")


@pytest.mark.parametrize(
    ("gvr", "namespace", "name"),
    [(CONFIGMAPS, "", "a"), (AUTHENTICATIONS, "ns", "cluster"), (CONFIGMAPS, "ns", "../../escape")],
)
def test_wrong_scope_or_unusable_name_is_invalid(
    open_target: Opener, tmp_path: Path, gvr: GroupVersionResource, namespace: str, name: str
) -> None:
    target = open_target()
    body = {"apiVersion": gvr.api_version, "kind": "X", "metadata": {"name": name}}

    result = target.apply("x", mutation(Action.CREATE, gvr, body, namespace=namespace))

    assert result.outcome is Outcome.INVALID
    assert [p.name for p in tmp_path.rglob("*.yaml")] == []


def test_dry_run_changes_nothing(open_target: Opener, tmp_path: Path) -> None:
    target = open_target()
    target.apply("c", mutation(Action.CREATE, CONFIGMAPS, configmap("a", k="1"), namespace="ns"))
    before = tree_bytes(tmp_path / "tree")

    planned = target.apply(
        "u", mutation(Action.UPDATE, CONFIGMAPS, configmap("a", k="2"), namespace="ns"), dry_run=True
    )
    by_option = target.apply(
        "v",
        mutation(
            Action.UPDATE, CONFIGMAPS, configmap("a", k="3"), namespace="ns", options={"dryRun": ["All"]}
        ),
    )

    assert planned.outcome is Outcome.UPDATED and planned.object is not None
    assert planned.object["data"] == {"k": "2"}
    assert by_option.outcome is Outcome.UPDATED
    assert tree_bytes(tmp_path / "tree") == before
    assert not target.is_applied("u") and not target.is_applied("v")


def test_a_batch_that_changes_nothing_rewrites_no_file_and_syncs_nothing(
    open_target: Opener, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = open_target()

    def batch(prefix: str) -> list[Any]:
        options = {"fieldManager": "op", "force": True}
        return [
            (
                f"{prefix}-{name}",
                mutation(
                    Action.APPLY,
                    CONFIGMAPS,
                    configmap(name),
                    namespace="ns",
                    name=name,
                    field_manager="op",
                    options=options,
                ),
            )
            for name in ("a", "b")
        ]

    assert {r.outcome for r in target.apply_batch(batch("first"))} == {Outcome.CREATED}
    before = {path: data for path, data in tree_bytes(tmp_path).items() if "wal" not in path}
    syncs: list[None] = []
    monkeypatch.setattr("os.sync", lambda: syncs.append(None))
    again = target.apply_batch(batch("second"))
    assert {r.outcome for r in again} == {Outcome.UNCHANGED}
    assert {path: data for path, data in tree_bytes(tmp_path).items() if "wal" not in path} == before
    assert syncs == []
    assert {r.outcome for r in target.apply_batch(batch("second"))} == {Outcome.ALREADY_APPLIED}
