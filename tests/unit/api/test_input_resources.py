"""The input-resources document: reading, validation and writing back.

Covers: the three Go fixtures' documents read (null group = core) and round-trip through
to_wire; to_wire omitting what Go omits; every reference type accepted with its own block;
one InvalidInput listing every problem with Kubernetes field paths (unknown fields, required
values, bad JSONPath, unsupported type, wrong or missing reference block, bad label selector
operator, non-map values); matchExpressions allowed; generatedNameResources validated and the
older singular spelling accepted; the small constructors.
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
    ImplicitNamespacedReference,
    InputResources,
    ResourceList,
    ResourceReference,
)
from mom.serialization import load_yaml_text

PRUNING = Path("multi-operator-manager/pkg/library/libraryinputresources/test-data")


def problems_of(doc: Any) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        InputResources.from_wire(doc, "input-resources.yaml")
    assert caught.value.source == "input-resources.yaml"
    return list(caught.value.problems)


def referring() -> dict[str, Any]:
    return {"group": "config.openshift.io", "version": "v1", "resource": "proxies", "name": "cluster"}


@pytest.mark.conformance
@pytest.mark.parametrize(
    "case", ["direct-references-01", "anded-indirect-references-01", "label-selected-references-01"]
)
def test_go_fixture_documents_read_and_round_trip(conformance_dir: Path, case: str) -> None:
    path = conformance_dir / PRUNING / case / "input-resources.yaml"
    spec = InputResources.from_wire(load_yaml_text(path.read_text(), str(path)), str(path))
    assert InputResources.from_wire(spec.to_wire(), "again") == spec
    resources = spec.apply_configuration_resources
    if case == "direct-references-01":
        assert resources.exact_resources[0] == ExactResource(
            "", "v1", "configmaps", "kube-system", "kube-apiserver-legacy-service-account-token-tracking"
        )
        assert len(resources.exact_resources) == 9
    elif case == "anded-indirect-references-01":
        target = resources.resource_references[0].target
        assert isinstance(target, ImplicitNamespacedReference)
        assert target.namespace == "openshift-config"
        assert not target.name_path.definite
    else:
        assert [s.match_labels for s in resources.label_selected_resources] == [
            {"operator.openshift.io/controller-instance-name": "oauth-apiserver-RevisionController"}
        ] * 2


def test_to_wire_keeps_top_level_and_operand_lists_and_omits_empty_values() -> None:
    spec = InputResources(ResourceList(exact_resources=(ExactResource.config("ingresses"),)))
    assert spec.to_wire() == {
        "applyConfigurationResources": {
            "exactResources": [
                {"group": "config.openshift.io", "version": "v1", "resource": "ingresses", "name": "cluster"}
            ]
        },
        "operandResources": {
            "configurationResources": {},
            "managementResources": {},
            "userWorkloadResources": {},
        },
    }


def test_every_reference_type_is_accepted_with_its_own_block() -> None:
    doc = {
        "applyConfigurationResources": {
            "resourceReferences": [
                {
                    "referringResource": referring(),
                    "type": "ImplicitNamespacedReference",
                    "implicitNamespacedReference": {
                        "group": None,
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "openshift-config",
                        "nameJSONPath": "$.spec.trustedCA.name",
                    },
                },
                {
                    "referringResource": referring(),
                    "type": "ExplicitNamespacedReference",
                    "explicitNamespacedReference": {
                        "group": "",
                        "version": "v1",
                        "resource": "secrets",
                        "namespaceJSONPath": "$.spec.refs[*].namespace",
                        "nameJSONPath": "$.spec.refs[*].name",
                    },
                },
                {
                    "referringResource": referring(),
                    "type": "ClusterScopedReference",
                    "clusterScopedReference": {
                        "group": "config.openshift.io",
                        "version": "v1",
                        "resource": "infrastructures",
                        "nameJSONPath": "$.metadata.name",
                    },
                },
            ]
        }
    }
    spec = InputResources.from_wire(doc, "doc")
    references = spec.apply_configuration_resources.resource_references
    assert [type(r.target) for r in references] == [
        ImplicitNamespacedReference,
        ExplicitNamespacedReference,
        ClusterScopedReference,
    ]
    assert references[0].target.group == ""
    assert InputResources.from_wire(spec.to_wire(), "again") == spec


def test_every_problem_is_reported_at_once_with_field_paths() -> None:
    doc = {
        "bogusTop": 1,
        "applyConfigurationResources": {
            "exactResources": [{"group": "apps", "resource": "deployments", "name": "x", "nmae": "typo"}],
            "generatedNameResources": [{"version": "v1", "resource": "pods"}],
            "labelSelectedResources": [
                {
                    "version": "v1",
                    "resource": "configmaps",
                    "labelSelector": {
                        "matchExpressions": [{"key": "a", "operator": "Like", "values": ["b"]}]
                    },
                }
            ],
            "resourceReferences": [
                {
                    "referringResource": referring(),
                    "type": "ImplicitNamespacedReference",
                    "explicitNamespacedReference": {
                        "version": "v1",
                        "resource": "secrets",
                        "namespaceJSONPath": "$.a",
                        "nameJSONPath": "$.b",
                    },
                },
                {
                    "referringResource": referring(),
                    "type": "ImplicitNamespacedReference",
                    "implicitNamespacedReference": {
                        "version": "v1",
                        "resource": "secrets",
                        "nameJSONPath": "$.foo[",
                    },
                },
                {"referringResource": referring(), "type": "Bogus"},
            ],
        },
        "operandResources": {"managementResources": {"exactResources": "not-a-list"}},
    }
    problems = problems_of(doc)
    prefix = "applyConfigurationResources"
    refs = f"{prefix}.resourceReferences"
    selector = f"{prefix}.labelSelectedResources[0].labelSelector"
    assert problems == [
        "bogusTop: Forbidden: unknown field",
        f"{prefix}.exactResources[0].nmae: Forbidden: unknown field",
        f"{prefix}.exactResources[0].version: Required value: must be present",
        f"{prefix}.generatedNameResources[0].name: Required value: must be present",
        f'{selector}.matchExpressions[0].operator: Unsupported value: "Like": '
        'supported values: "In", "NotIn", "Exists", "DoesNotExist"',
        f"{refs}[0].implicitNamespacedReference: Required value: must be present for type "
        '"ImplicitNamespacedReference"',
        f"{refs}[0].explicitNamespacedReference: Forbidden: must not be present for type "
        '"ImplicitNamespacedReference"',
        f"{refs}[1].implicitNamespacedReference.namespace: Required value: must be present",
        f'{refs}[1].implicitNamespacedReference.nameJSONPath: Invalid value: "$.foo[": '
        "expected a quoted key or an index at offset 6",
        f'{refs}[2].type: Unsupported value: "Bogus": supported values: '
        '"ImplicitNamespacedReference", "ExplicitNamespacedReference", "ClusterScopedReference"',
        'operandResources.managementResources.exactResources: Invalid value: "not-a-list": must be a list',
    ]


def test_match_expressions_are_allowed_and_checked() -> None:
    doc = {
        "applyConfigurationResources": {
            "labelSelectedResources": [
                {
                    "version": "v1",
                    "resource": "secrets",
                    "labelSelector": {
                        "matchLabels": {"app": "x"},
                        "matchExpressions": [
                            {"key": "tier", "operator": "In", "values": ["a", "b"]},
                            {"key": "gone", "operator": "DoesNotExist"},
                        ],
                    },
                }
            ]
        }
    }
    selected = InputResources.from_wire(doc, "doc").apply_configuration_resources.label_selected_resources[0]
    assert selected.match_expressions[0] == {"key": "tier", "operator": "In", "values": ["a", "b"]}
    doc["applyConfigurationResources"]["labelSelectedResources"][0]["labelSelector"]["matchExpressions"] = [
        {"key": "tier", "operator": "In"},
        {"key": "gone", "operator": "Exists", "values": ["x"]},
    ]
    assert problems_of(doc) == [
        "applyConfigurationResources.labelSelectedResources[0].labelSelector.matchExpressions[0].values: "
        "Required value: must be non-empty for operator In",
        "applyConfigurationResources.labelSelectedResources[0].labelSelector.matchExpressions[1].values: "
        "Forbidden: must be empty for operator Exists",
    ]


def test_generated_name_resources_read_under_either_spelling() -> None:
    entry = {"group": "", "version": "v1", "resource": "pods", "namespace": "openshift-etcd", "name": "etcd-"}
    for key in ("generatedNameResources", "generatedNameResource"):
        spec = InputResources.from_wire({"applyConfigurationResources": {key: [entry]}}, "doc")
        assert spec.apply_configuration_resources.generated_name_resources[0].name == "etcd-"
        assert spec.to_wire()["applyConfigurationResources"] == {"generatedNameResources": [entry]}


def test_a_document_that_is_not_a_map_is_one_problem() -> None:
    assert problems_of(["a", "list"]) == ['Invalid value: ["a", "list"]: must be a map']
    assert InputResources.from_wire(None, "empty") == InputResources()


def test_constructors_name_the_usual_resources() -> None:
    assert ExactResource.configmap("ns", "cm").gvr.api_version == "v1"
    assert (
        str(ExactResource.operator("authentications").ref) == "authentications.operator.openshift.io cluster"
    )
    reference = ResourceReference.implicit(
        ExactResource.config("proxies"),
        ImplicitNamespacedReference("", "v1", "configmaps", "openshift-config", "$.spec.trustedCA.name"),
    )
    assert reference.to_wire()["type"] == "ImplicitNamespacedReference"
