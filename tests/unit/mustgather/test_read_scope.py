"""Reading only what was declared: a scoped load of a tree gathers exactly what a full load does.

On the real aws must-gather, for the real authentication operator's declaration, mom's sample
operator's (exact objects, label selectors in one namespace, an implicit reference) and one
with a label selector across every namespace and an explicit reference, the input directory
written from a scoped load is byte for byte the one written from a full load, while the scoped
load reads a small part of the tree, and a walk given the scope finds exactly the files a whole
walk's filter keeps. The rules themselves are checked on hand-made entries: a Namespace object
is read when declared or when a place of its namespace is read, and not otherwise.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mom.api.input_resources import InputResources
from mom.inputs.gather import gather_inputs
from mom.inputs.writer import write_input_dir
from mom.mustgather.layout import TreeFile, find_resource_root, scan_tree
from mom.mustgather.loader import TreeLoader, load_must_gather
from mom.mustgather.scope import ReadScope, scope_of_inputs
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import load_document

EVERYWHERE = """
applyConfigurationResources:
  exactResources:
  - {group: config.openshift.io, version: v1, resource: clusterversions, name: version}
  labelSelectedResources:
  - group: ""
    version: v1
    resource: configmaps
    namespace: ""
    labelSelector: {matchLabels: {config.openshift.io/inject-trusted-cabundle: "true"}}
  resourceReferences:
  - type: ExplicitNamespacedReference
    referringResource: {group: config.openshift.io, version: v1, resource: oauths, name: cluster}
    explicitNamespacedReference:
      group: ""
      version: v1
      resource: secrets
      namespaceJSONPath: $.metadata.name
      nameJSONPath: $.metadata.name
"""


def _tree_files(tree: Path) -> list[TreeFile]:
    return scan_tree(find_resource_root(tree)).files


def _written(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def declarations(authentication_operator: Path) -> dict[str, InputResources]:
    authentication = subprocess.run(
        [str(authentication_operator), "input-resources"], capture_output=True, check=True
    ).stdout
    return {
        "authentication": InputResources.from_wire(load_document(authentication, "auth"), "auth"),
        "sample": SAMPLE_OPERATOR.input_resources(),
        "everywhere": InputResources.from_wire(
            load_document(EVERYWHERE.encode(), "everywhere"), "everywhere"
        ),
    }


@pytest.mark.parametrize("declaration", ["authentication", "sample", "everywhere"])
def test_a_scoped_load_gathers_what_a_full_load_does(
    declaration: str, declarations: dict[str, InputResources], aws_must_gather: Path, tmp_path: Path
) -> None:
    declared = declarations[declaration]
    scope = scope_of_inputs([declared.apply_configuration_resources])
    full = gather_inputs(load_must_gather(aws_must_gather), declared)
    scoped = gather_inputs(load_must_gather(aws_must_gather, scope=scope), declared)
    write_input_dir(full, tmp_path / "full")
    write_input_dir(scoped, tmp_path / "scoped")
    assert len(full.objects) > 5, "the declaration finds objects in the must-gather"
    assert _written(tmp_path / "scoped") == _written(tmp_path / "full")

    loader = TreeLoader(aws_must_gather, scope)
    assert gather_inputs(loader.load(), declared).objects == full.objects

    files = [f for f in _tree_files(aws_must_gather) if f.role in ("list", "object")]
    read = [f for f in files if scope.wants(f)]
    if declaration != "everywhere":
        assert sum(f.size for f in read) * 10 < sum(f.size for f in files), (len(read), len(files))

    root = find_resource_root(aws_must_gather)
    walked = scan_tree(root, scope)
    assert walked.problems == []
    assert walked.files == [f for f in scan_tree(root).files if scope.wants(f)], (
        "a scoped walk finds what the scope wants of a whole walk, in the same order"
    )


def _file(role: str, group: str, resource: str, namespace: str = "", name: str = "") -> TreeFile:
    return TreeFile(Path("/tree"), "x", role, namespace, group, resource, name)  # type: ignore[arg-type]


def test_a_declared_object_is_read_from_its_own_file_or_its_list_file_and_its_namespace_only() -> None:
    declared = InputResources.from_wire(
        load_document(
            b"""
applyConfigurationResources:
  exactResources:
  - {group: "", version: v1, resource: configmaps, namespace: ns-a, name: wanted}
  - {group: config.openshift.io, version: v1, resource: oauths, name: cluster}
  - {group: "", version: v1, resource: namespaces, name: ns-d}
  labelSelectedResources:
  - {group: "", version: v1, resource: secrets, namespace: ns-b, labelSelector: {matchLabels: {a: b}}}
""",
            "declared",
        ),
        "declared",
    )
    scope = scope_of_inputs([declared.apply_configuration_resources])
    wanted = [
        _file("object", "", "configmaps", "ns-a", "wanted"),
        _file("list", "", "configmaps", "ns-a"),
        _file("object", "", "configmaps", "ns-a", "wan~0123456789abcdef"),
        _file("object", "config.openshift.io", "oauths", "", "cluster"),
        _file("list", "config.openshift.io", "oauths", ""),
        _file("object", "", "secrets", "ns-b", "any"),
        _file("list", "", "secrets", "ns-b"),
        _file("namespace", "", "", "ns-a", "ns-a"),
        _file("namespace", "", "", "ns-b", "ns-b"),
        _file("namespace", "", "", "ns-d", "ns-d"),
        _file("discovery", "", "", "", "aggregated-discovery-api"),
    ]
    skipped = [
        _file("object", "", "configmaps", "ns-a", "other"),
        _file("object", "", "configmaps", "ns-b", "wanted"),
        _file("list", "", "configmaps", "ns-b"),
        _file("object", "config.openshift.io", "oauths", "", "other"),
        _file("object", "", "secrets", "ns-a", "any"),
        _file("list", "apps", "deployments", "ns-a"),
        _file("object", "", "events", "ns-a", "wanted"),
        _file("namespace", "", "", "ns-z", "ns-z"),
    ]
    assert [f for f in wanted if not scope.wants(f)] == []
    assert [f for f in skipped if scope.wants(f)] == []

    hosted = scope.in_namespaces(["ns-a", "ns-c"])
    for f in (
        _file("object", "", "configmaps", "ns-a", "other"),
        _file("object", "", "secrets", "ns-c", "any"),
    ):
        assert hosted.wants(f), f"every object of a declared resource in the namespaces: {f}"
    assert not hosted.wants(_file("object", "", "configmaps", "ns-b", "wanted")), "nothing elsewhere"
    assert not hosted.wants(_file("object", "config.openshift.io", "oauths", "", "cluster")), (
        "nor cluster-scoped"
    )
    assert not hosted.wants(_file("list", "apps", "deployments", "ns-a")), "nor an undeclared resource"
    assert hosted.wants(_file("namespace", "", "", "ns-c", "ns-c")), "the Namespace of a place read"
    assert not hosted.wants(_file("namespace", "", "", "ns-z", "ns-z")), "no other Namespace object"


def test_the_union_of_two_scopes_wants_what_either_wants() -> None:
    one = ReadScope({("", "configmaps"): {"ns-a": frozenset({"a"})}})
    other = ReadScope({("", "configmaps"): {"ns-a": frozenset({"b"}), "ns-b": None}, ("", "secrets"): None})
    both = one.union(other)
    for f in (
        _file("object", "", "configmaps", "ns-a", "a"),
        _file("object", "", "configmaps", "ns-a", "b"),
        _file("object", "", "configmaps", "ns-b", "c"),
        _file("object", "", "secrets", "anywhere", "d"),
    ):
        assert both.wants(f), f
    assert not both.wants(_file("object", "", "configmaps", "ns-a", "c"))
    assert not one.wants(_file("object", "", "configmaps", "ns-a", "b")), (
        "union leaves its operands as they were"
    )
