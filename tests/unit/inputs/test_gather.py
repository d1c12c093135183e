"""Gathering declared inputs from a small in-memory cluster, and writing them.

Covers: exact, generated-name (prefix, one namespace or all) and label-selected (namespaced,
all namespaces, cluster-scoped, matchExpressions) declarations; the three reference types;
explicit references pairing namespaces and names element-wise or one namespace for all names,
and reporting what cannot be paired; references followed to a fixed point through a chain and
around a cycle; definite JSONPaths that miss and non-string results reported, empty names
skipped; a Namespace object gathered only when declared; de-duplication; only
applyConfigurationResources gathered; objects in declaration order, references included, as the
Go pruner orders them; the writer's layout, List items in gathering order, its refusal of a
resource in two versions and of a non-input output directory, and replacing a previous input
directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.api.input_resources import (
    ClusterScopedReference,
    ExactResource,
    ExplicitNamespacedReference,
    GeneratedNameResource,
    ImplicitNamespacedReference,
    InputResources,
    LabelSelectedResource,
    OperandResourceList,
    ResourceList,
    ResourceReference,
)
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.inputs import GatheredInputs, gather_inputs, write_input_dir
from mom.inputs.writer import input_files
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot
from mom.serialization import load_document

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
PODS = GroupVersionResource("", "v1", "pods")
NODES = GroupVersionResource("", "v1", "nodes")
PROXIES = GroupVersionResource("config.openshift.io", "v1", "proxies")


def obj(
    gvr: GroupVersionResource, namespace: str, name: str, **fields: Any
) -> tuple[ObjectRef, dict[str, Any]]:
    kind = {
        "configmaps": "ConfigMap",
        "secrets": "Secret",
        "namespaces": "Namespace",
        "pods": "Pod",
        "nodes": "Node",
        "proxies": "Proxy",
    }[gvr.resource]
    metadata: dict[str, Any] = {"name": name, **fields.pop("metadata", {})}
    if namespace:
        metadata["namespace"] = namespace
    return ObjectRef(gvr, namespace, name), {
        "apiVersion": gvr.api_version,
        "kind": kind,
        "metadata": metadata,
        **fields,
    }


def cluster() -> Snapshot:
    return Snapshot.from_objects(
        [
            obj(NAMESPACES, "", "ns-a"),
            obj(PROXIES, "", "cluster", spec={"trustedCA": {"name": "ca"}, "readinessEndpoints": []}),
            obj(CONFIGMAPS, "ns-a", "ca", data={"next": "hop", "peer": "loop-b"}),
            obj(CONFIGMAPS, "ns-a", "hop", data={"next": "end"}),
            obj(CONFIGMAPS, "ns-a", "end", data={}),
            obj(CONFIGMAPS, "ns-a", "loop-b", data={"peer": "ca"}),
            obj(CONFIGMAPS, "ns-a", "app-1", metadata={"labels": {"app": "x", "tier": "web"}}),
            obj(CONFIGMAPS, "ns-b", "app-2", metadata={"labels": {"app": "x", "tier": "db"}}),
            obj(SECRETS, "ns-b", "s1", data={}),
            obj(SECRETS, "ns-c", "s2", data={}),
            obj(PODS, "ns-b", "etcd-1"),
            obj(PODS, "ns-b", "etcd-2"),
            obj(PODS, "ns-b", "kube-1"),
            obj(NODES, "", "master-0", metadata={"labels": {"node-role.kubernetes.io/master": ""}}),
            obj(NODES, "", "worker-0", metadata={"labels": {"node-role.kubernetes.io/worker": ""}}),
            obj(
                CONFIGMAPS,
                "ns-a",
                "index",
                data={
                    "refs": [
                        {"ns": "ns-b", "name": "s1"},
                        {"ns": "ns-c", "name": "s2"},
                        {"ns": "ns-c", "name": "x"},
                    ]
                },
            ),
        ]
    )


def names(gathered: GatheredInputs) -> list[str]:
    return [str(ref) for ref, _ in gathered.objects]


def gather(source: Snapshot, **lists: Any) -> GatheredInputs:
    return gather_inputs(source, InputResources(ResourceList(**lists)))


def test_exact_generated_and_label_selected_objects_are_gathered_and_nothing_else() -> None:
    gathered = gather(
        cluster(),
        exact_resources=(ExactResource.configmap("ns-a", "end"), ExactResource.configmap("ns-a", "nope")),
        generated_name_resources=(GeneratedNameResource("", "v1", "pods", "ns-b", "etcd-"),),
        label_selected_resources=(
            LabelSelectedResource("", "v1", "configmaps", "", {"matchLabels": {"app": "x"}}),
            LabelSelectedResource(
                "",
                "v1",
                "nodes",
                "",
                {"matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]},
            ),
        ),
    )
    assert names(gathered) == [
        "configmaps ns-a/end",
        "pods ns-b/etcd-1",
        "pods ns-b/etcd-2",
        "configmaps ns-a/app-1",
        "configmaps ns-b/app-2",
        "nodes master-0",
    ]
    assert gathered.missing == (
        "configmaps ns-a/nope (applyConfigurationResources.exactResources[1]): not found",
    )


def test_references_are_followed_to_a_fixed_point_through_chains_and_cycles() -> None:
    def next_hop(name: str, key: str) -> ResourceReference:
        return ResourceReference.implicit(
            ExactResource.configmap("ns-a", name),
            ImplicitNamespacedReference("", "v1", "configmaps", "ns-a", f"$.data.{key}"),
        )

    proxy = ResourceReference.implicit(
        ExactResource.config("proxies"),
        ImplicitNamespacedReference("", "v1", "configmaps", "ns-a", "$.spec.trustedCA.name"),
    )
    # Declared out of order: the reference from "hop" comes before the one that reaches "hop".
    gathered = gather(
        cluster(),
        resource_references=(
            next_hop("hop", "next"),
            proxy,
            next_hop("ca", "next"),
            next_hop("ca", "peer"),
            next_hop("loop-b", "peer"),
        ),
    )
    assert names(gathered) == [
        "configmaps ns-a/hop",
        "configmaps ns-a/end",
        "proxies.config.openshift.io cluster",
        "configmaps ns-a/ca",
        "configmaps ns-a/loop-b",
    ]
    assert gathered.missing == ()


def test_explicit_references_pair_namespaces_with_names_and_report_the_rest() -> None:
    def explicit(namespace_path: str, name_path: str) -> ResourceReference:
        return ResourceReference.explicit(
            ExactResource.configmap("ns-a", "index"),
            ExplicitNamespacedReference("", "v1", "secrets", namespace_path, name_path),
        )

    gathered = gather(cluster(), resource_references=(explicit("$.data.refs[*].ns", "$.data.refs[*].name"),))
    assert names(gathered) == [
        "configmaps ns-a/index",
        "secrets ns-b/s1",
        "secrets ns-c/s2",
    ]
    assert [m.split(" (")[0] for m in gathered.missing] == ["secrets ns-c/x"]

    one_namespace = gather(
        cluster(), resource_references=(explicit("$.data.refs[0].ns", "$.data.refs[*].name"),)
    )
    assert names(one_namespace) == ["configmaps ns-a/index", "secrets ns-b/s1"]
    assert len(one_namespace.missing) == 2

    unpaired = gather(
        cluster(), resource_references=(explicit("$.data.refs[0:2].ns", "$.data.refs[*].name"),)
    )
    assert names(unpaired) == ["configmaps ns-a/index"]
    assert unpaired.missing == (
        "applyConfigurationResources.resourceReferences[0].explicitNamespacedReference: "
        "2 namespaces for 3 names in 'index': cannot pair them",
    )


def test_cluster_scoped_references_and_unusable_json_path_results() -> None:
    gathered = gather(
        cluster(),
        resource_references=(
            ResourceReference.cluster_scoped(
                ExactResource.configmap("ns-a", "ca"),
                ClusterScopedReference("", "v1", "nodes", "$.data.node"),
            ),
            ResourceReference.cluster_scoped(
                ExactResource.config("proxies"), ClusterScopedReference("", "v1", "nodes", "$.spec.trustedCA")
            ),
            ResourceReference.cluster_scoped(
                ExactResource.config("proxies"),
                ClusterScopedReference("", "v1", "nodes", "$.spec.readinessEndpoints"),
            ),
        ),
    )
    assert names(gathered) == ["configmaps ns-a/ca", "proxies.config.openshift.io cluster"]
    assert gathered.missing == (
        "applyConfigurationResources.resourceReferences[0].clusterScopedReference.nameJSONPath '$.data.node'"
        " in 'ca': unknown key 'node'",
        "applyConfigurationResources.resourceReferences[1].clusterScopedReference.nameJSONPath"
        " '$.spec.trustedCA' in 'cluster': selected a dict, not a name",
    )


def test_only_apply_configuration_resources_are_gathered_and_duplicates_are_dropped() -> None:
    operand = ResourceList(exact_resources=(ExactResource.configmap("ns-a", "hop"),))
    spec = InputResources(
        ResourceList(
            exact_resources=(ExactResource.configmap("ns-a", "end"), ExactResource.configmap("ns-a", "end"))
        ),
        OperandResourceList(operand, operand, operand),
    )
    assert names(gather_inputs(cluster(), spec)) == ["configmaps ns-a/end"]


def test_unknown_resource_in_a_selector_is_reported_not_fatal() -> None:
    gathered = gather(
        cluster(), label_selected_resources=(LabelSelectedResource("nope.io", "v1", "widgets", "", {}),)
    )
    assert gathered.objects == ()
    assert "widgets.nope.io" in gathered.missing[0]


def test_written_tree_reads_back_with_a_declared_namespace(tmp_path: Path) -> None:
    gathered = gather(
        cluster(),
        exact_resources=(
            ExactResource.configmap("ns-a", "hop"),
            ExactResource("", "v1", "namespaces", "", "ns-a"),
            ExactResource.configmap("ns-a", "end"),
        ),
        label_selected_resources=(LabelSelectedResource("", "v1", "nodes", "", {}),),
    )
    write_input_dir(gathered, tmp_path / "in")
    assert sorted(str(p.relative_to(tmp_path / "in")) for p in (tmp_path / "in").rglob("*.yaml")) == [
        "cluster-scoped-resources/core/nodes.yaml",
        "namespaces/ns-a/core/configmaps.yaml",
        "namespaces/ns-a/ns-a.yaml",
    ]
    snapshot = load_must_gather(tmp_path / "in")
    assert snapshot.namespaces() == ["ns-a"]
    assert [item["metadata"]["name"] for item in snapshot.list(CONFIGMAPS, namespace="ns-a")] == [
        "hop",
        "end",
    ]
    assert len(snapshot.list(NODES)) == 2


def test_two_versions_of_one_resource_are_refused_before_writing(tmp_path: Path) -> None:
    ref_v1, v1 = obj(CONFIGMAPS, "ns-a", "a")
    ref_v2, v2 = obj(CONFIGMAPS, "ns-a", "b")
    v2 = {**v2, "apiVersion": "v2"}
    with pytest.raises(InvalidInput, match="several versions"):
        write_input_dir(GatheredInputs(((ref_v1, v1), (ref_v2, v2))), tmp_path / "in")
    assert not (tmp_path / "in").exists()


def test_output_dir_is_replaced_whole_but_never_a_foreign_directory(tmp_path: Path) -> None:
    first = gather(cluster(), exact_resources=(ExactResource.configmap("ns-a", "end"),))
    second = gather(cluster(), label_selected_resources=(LabelSelectedResource("", "v1", "nodes", "", {}),))
    write_input_dir(first, tmp_path / "in")
    write_input_dir(second, tmp_path / "in")
    assert sorted(str(p.relative_to(tmp_path / "in")) for p in (tmp_path / "in").rglob("*.yaml")) == [
        "cluster-scoped-resources/core/nodes.yaml"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["in"]
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "notes.txt").write_text("keep me")
    with pytest.raises(InvalidInput, match="not an input directory"):
        write_input_dir(second, tmp_path / "home")
    assert (tmp_path / "home" / "notes.txt").read_text() == "keep me"


def test_list_items_keep_the_declaration_order() -> None:
    def items(gathered: GatheredInputs) -> list[str]:
        document = load_document(input_files(gathered)["namespaces/ns-a/core/configmaps.yaml"], "configmaps")
        return [item["metadata"]["name"] for item in document["items"]]

    one = gather(
        cluster(),
        exact_resources=(ExactResource.configmap("ns-a", "hop"), ExactResource.configmap("ns-a", "end")),
    )
    other = gather(
        cluster(),
        exact_resources=(ExactResource.configmap("ns-a", "end"), ExactResource.configmap("ns-a", "hop")),
    )
    assert items(one) == ["hop", "end"]
    assert items(other) == ["end", "hop"]


def test_each_reference_is_followed_in_its_declaration_turn() -> None:
    def reference(referrer: ExactResource, path: str) -> ResourceReference:
        return ResourceReference.implicit(
            referrer, ImplicitNamespacedReference("", "v1", "configmaps", "ns-a", path)
        )

    ca = ExactResource.configmap("ns-a", "ca")
    gathered = gather(
        cluster(),
        resource_references=(
            reference(ca, "$.data.next"),
            reference(ExactResource.config("proxies"), "$.spec.trustedCA.name"),
            reference(ca, "$.data.peer"),
        ),
    )
    # The Go pruner's order: each reference's referring object, then what it names, in turn.
    assert names(gathered) == [
        "configmaps ns-a/ca",
        "configmaps ns-a/hop",
        "proxies.config.openshift.io cluster",
        "configmaps ns-a/loop-b",
    ]
