"""Least-privilege RBAC generated from an operator's inputs and outputs, and ``mom rbac``.

Covers: exact outputs get named update/patch/delete and an unnamed create; status subresources
for resources that have one and none for configmaps; event rules (core and events.k8s.io) in
eventing namespaces only; namespaced rules in per-namespace Roles, cluster-scoped ones in one
ClusterRole, each bound to the operator's service account; exact inputs readable by name only,
label-selected, generated-name and referenced inputs without names, explained in an annotation;
an unnamed grant replaces named grants of the same verb; the per-cluster-type split of the
sample operator; the same RBAC whatever the declaration order; the YAML stream and JSON List
parse back to the same objects; the impersonation header; ``mom rbac`` printing the pinned
operator's RBAC, pinning it, and rejecting an unknown operator with one line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.api.cluster import ClusterType
from mom.api.input_resources import (
    ClusterScopedReference,
    ExactResource,
    ExplicitNamespacedReference,
    GeneratedNameResource,
    ImplicitNamespacedReference,
    InputResources,
    LabelSelectedResource,
    ResourceList,
    ResourceReference,
)
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.apply.rbac import (
    NOTES_ANNOTATION,
    ServiceAccountRef,
    generate_rbac,
    impersonation_headers,
    rbac_list,
    render_rbac_yaml,
)
from mom.cli.main import main
from mom.manager.pins import PinStore
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import dump_json, load_json, load_yaml_text

NS = "openshift-authentication"


def _object(objects: list[dict[str, Any]], kind: str, namespace: str = "") -> dict[str, Any]:
    found = [o for o in objects if o["kind"] == kind and o["metadata"].get("namespace", "") == namespace]
    assert len(found) == 1, f"{kind} in {namespace!r}: {found}"
    return found[0]


def _rules(role: dict[str, Any], group: str, resource: str) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(resourceNames, verbs) of each rule on exactly this group and resource."""
    return [
        (tuple(rule.get("resourceNames", ())), tuple(rule["verbs"]))
        for rule in role["rules"]
        if rule["apiGroups"] == [group] and rule["resources"] == [resource]
    ]


def _outputs(**lists: OutputResourceList) -> OutputResources:
    return OutputResources(**lists)


def test_exact_outputs_are_named_except_create() -> None:
    outputs = _outputs(
        user_workload_resources=OutputResourceList(
            exact_resources=(ExactResource.configmap(NS, "foo"), ExactResource.configmap(NS, "bar"))
        )
    )
    objects = generate_rbac("op", InputResources(), outputs)
    role = _object(objects, "Role", NS)
    assert role["metadata"]["name"] == "mom:op:openshift-authentication"
    assert _rules(role, "", "configmaps") == [
        (("bar", "foo"), ("get", "update", "patch", "delete")),
        ((), ("create",)),
    ]
    assert (
        "create configmaps in openshift-authentication" in role["metadata"]["annotations"][NOTES_ANNOTATION]
    )
    assert not [o for o in objects if o["kind"] == "ClusterRole"]


def test_status_subresource_for_custom_resources_but_not_configmaps() -> None:
    outputs = _outputs(
        management_resources=OutputResourceList(exact_resources=(ExactResource.operator("authentications"),)),
        user_workload_resources=OutputResourceList(exact_resources=(ExactResource.configmap(NS, "foo"),)),
    )
    objects = generate_rbac("op", InputResources(), outputs)
    cluster_role = _object(objects, "ClusterRole")
    assert cluster_role["metadata"]["name"] == "mom:op:cluster"
    assert _rules(cluster_role, "operator.openshift.io", "authentications/status") == [
        (("cluster",), ("get", "update", "patch"))
    ]
    assert _rules(_object(objects, "Role", NS), "", "configmaps/status") == []


def test_events_are_granted_in_eventing_namespaces_only() -> None:
    outputs = _outputs(management_resources=OutputResourceList(eventing_namespaces=("ns-b", "ns-a")))
    objects = generate_rbac("op", InputResources(), outputs)
    roles = [o for o in objects if o["kind"] == "Role"]
    assert [r["metadata"]["namespace"] for r in roles] == ["ns-a", "ns-b"]
    for role in roles:
        assert _rules(role, "", "events") == [((), ("create", "patch"))]
        assert _rules(role, "events.k8s.io", "events") == [((), ("create", "patch"))]
        assert len(role["rules"]) == 2


def test_roles_are_bound_to_the_operator_service_account() -> None:
    account = ServiceAccountRef("mom-system", "auth-op")
    outputs = _outputs(
        configuration_resources=OutputResourceList(exact_resources=(ExactResource.config("ingresses"),))
    )
    objects = generate_rbac("auth", InputResources(), outputs, service_account=account)
    assert [o["kind"] for o in objects] == ["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]
    assert objects[0]["metadata"] | {"labels": {}} == {
        "labels": {},
        "name": "auth-op",
        "namespace": "mom-system",
    }
    binding = objects[2]
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "mom:auth:cluster",
    }
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "auth-op", "namespace": "mom-system"}]


def test_inputs_read_by_name_selector_and_reference() -> None:
    referring = ExactResource.config("oauths")
    inputs = InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(ExactResource.secret(NS, "serving-cert"),),
            label_selected_resources=(
                LabelSelectedResource("", "v1", "configmaps", "", {"matchLabels": {"app": "x"}}),
            ),
            resource_references=(
                ResourceReference.implicit(
                    referring, ImplicitNamespacedReference("", "v1", "secrets", "openshift-config", ".spec.x")
                ),
                ResourceReference.explicit(
                    referring, ExplicitNamespacedReference("", "v1", "configmaps", ".spec.ns", ".spec.name")
                ),
                ResourceReference.cluster_scoped(
                    referring, ClusterScopedReference("config.openshift.io", "v1", "proxies", ".spec.p")
                ),
            ),
        )
    )
    objects = generate_rbac("op", inputs, OutputResources())
    assert _rules(_object(objects, "Role", NS), "", "secrets") == [
        (("serving-cert",), ("get", "list", "watch"))
    ]
    assert _rules(_object(objects, "Role", "openshift-config"), "", "secrets") == [((), ("get",))]
    cluster_role = _object(objects, "ClusterRole")
    assert _rules(cluster_role, "", "configmaps") == [((), ("get", "list", "watch"))]
    assert _rules(cluster_role, "config.openshift.io", "oauths") == [(("cluster",), ("get", "list", "watch"))]
    assert _rules(cluster_role, "config.openshift.io", "proxies") == [((), ("get",))]
    notes = cluster_role["metadata"]["annotations"][NOTES_ANNOTATION]
    assert "label selector" in notes
    assert "names are read from oauths 'cluster' at run time" in notes
    # Reads never include writes.
    assert all(set(rule["verbs"]) <= {"get", "list", "watch"} for rule in cluster_role["rules"])


def test_unnamed_grant_replaces_named_grants_of_the_same_verb() -> None:
    inputs = InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(ExactResource.configmap(NS, "foo"),),
            generated_name_resources=(GeneratedNameResource("", "v1", "configmaps", NS, "foo-"),),
        )
    )
    outputs = _outputs(
        user_workload_resources=OutputResourceList(exact_resources=(ExactResource.configmap(NS, "foo"),))
    )
    role = _object(generate_rbac("op", inputs, outputs), "Role", NS)
    assert _rules(role, "", "configmaps") == [
        (("foo",), ("update", "patch", "delete")),
        ((), ("get", "list", "watch", "create")),
    ]


def _granted(objects: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {
        (o["metadata"].get("namespace", ""), rule["apiGroups"][0], rule["resources"][0])
        for o in objects
        if o["kind"] in ("Role", "ClusterRole")
        for rule in o["rules"]
        if set(rule["verbs"]) & {"create", "update", "patch"}
    }


def test_cluster_types_split_the_sample_operator_outputs() -> None:
    op = SAMPLE_OPERATOR
    management = _granted(generate_rbac(op.name, op.inputs, op.outputs, cluster_type=ClusterType.MANAGEMENT))
    guest = _granted(
        generate_rbac(
            op.name,
            op.inputs,
            op.outputs,
            cluster_type=[ClusterType.USER_WORKLOAD, ClusterType.CONFIGURATION],
        )
    )
    standalone = _granted(generate_rbac(op.name, op.inputs, op.outputs))
    assert management == {
        ("", "operator.openshift.io", "authentications"),
        ("", "operator.openshift.io", "authentications/status"),
        ("openshift-example-operator", "", "events"),
        ("openshift-example-operator", "events.k8s.io", "events"),
    }
    assert guest == {
        ("", "config.openshift.io", "ingresses"),
        ("", "config.openshift.io", "ingresses/status"),
        ("", "oauth.openshift.io", "oauthclients"),
        (NS, "", "configmaps"),
    }
    assert standalone == management | guest


def test_same_rbac_whatever_the_declaration_order() -> None:
    exact = (
        ExactResource.configmap(NS, "b"),
        ExactResource.config("ingresses"),
        ExactResource.configmap(NS, "a"),
    )
    first = generate_rbac(
        "op",
        InputResources(ResourceList(exact_resources=exact)),
        _outputs(
            management_resources=OutputResourceList(exact_resources=exact, eventing_namespaces=("y", "x"))
        ),
    )
    second = generate_rbac(
        "op",
        InputResources(ResourceList(exact_resources=exact[::-1])),
        _outputs(
            management_resources=OutputResourceList(
                exact_resources=exact[::-1], eventing_namespaces=("x", "y")
            )
        ),
    )
    assert render_rbac_yaml(first) == render_rbac_yaml(second)
    assert dump_json(rbac_list(first)) == dump_json(rbac_list(second))


def test_yaml_stream_and_json_list_parse_back() -> None:
    op = SAMPLE_OPERATOR
    objects = generate_rbac(op.name, op.inputs, op.outputs)
    text = render_rbac_yaml(objects)
    assert text.startswith("---\n")
    assert "# no resourceNames: create configmaps in openshift-authentication" in text
    documents = [load_yaml_text(part, "rbac") for part in text.split("---\n")[1:]]
    assert documents == objects
    assert load_json(dump_json(rbac_list(objects)), "rbac")["items"] == objects


def test_impersonation_header_names_the_service_account() -> None:
    headers = impersonation_headers(ServiceAccountRef("mom-operators", "sample-operator"))
    assert headers == {"Impersonate-User": "system:serviceaccount:mom-operators:sample-operator"}


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    (tmp_path / "cluster").mkdir()
    config = tmp_path / "mom.yaml"
    config.write_text(
        "journal: state/journal.sqlite\n"
        "operators:\n"
        "- name: sample-operator\n"
        "  python: mom.operator.sample.operator:SAMPLE_OPERATOR\n"
        "clusters:\n"
        "- name: standalone\n"
        "  manifestDir: cluster\n"
        "instances:\n"
        "- name: standalone\n"
        "  topology: Standalone\n"
        "  cluster: standalone\n"
    )
    return config


def test_cli_prints_the_pinned_operator_rbac(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rbac", "--config", str(config_file)]) == 0
    printed = capsys.readouterr().out
    documents = [load_yaml_text(part, "out") for part in printed.split("---\n")[1:]]
    pin = PinStore(config_file.parent / "state" / "journal.pins.json").get(SAMPLE_OPERATOR.name)
    assert pin is not None
    assert documents == generate_rbac(pin.operator, pin.inputs, pin.outputs)
    role = _object(documents, "Role", NS)
    assert (("foo",), ("get", "list", "watch", "update", "patch", "delete")) in _rules(role, "", "configmaps")

    assert main(["rbac", "--config", str(config_file), "--cluster-type", "Management", "-o", "json"]) == 0
    listed = load_json(capsys.readouterr().out.encode(), "out")
    expected = generate_rbac(pin.operator, pin.inputs, pin.outputs, cluster_type=ClusterType.MANAGEMENT)
    assert listed["items"] == expected


def test_cli_rejects_an_unknown_operator(config_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rbac", "--config", str(config_file), "--operator", "nope"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert 'operator "nope" is not configured' in captured.err
