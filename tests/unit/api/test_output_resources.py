"""The output-resources document and the rule matching a write against it.

Covers: reading and writing the wire form (version optional, older generatedNameResource
spelling accepted, empty lists omitted, three lists always printed); every problem reported
at once; for_cluster_type; matching of events by eventing namespace (core and events.k8s.io),
exact entries (generateName must be empty, version ignored), generated-name entries on create
(generateName equal) and on later writes (name starting with the prefix), and non-matches.
"""

from __future__ import annotations

import pytest

from mom.api.cluster import ClusterType
from mom.api.errors import InvalidInput
from mom.api.input_resources import ExactResource, GeneratedNameResource
from mom.api.output_resources import OutputResourceList, OutputResources, output_matches

SAMPLE = {
    "configurationResources": {
        "exactResources": [
            {"group": "config.openshift.io", "version": "v1", "resource": "ingresses", "name": "cluster"}
        ]
    },
    "managementResources": {
        "exactResources": [
            {
                "group": "operator.openshift.io",
                "version": "v1",
                "resource": "authentications",
                "name": "cluster",
            }
        ],
        "eventingNamespaces": ["openshift-example-operator"],
    },
    "userWorkloadResources": {
        "exactResources": [
            {
                "group": "oauth.openshift.io",
                "version": "v1",
                "resource": "oauthclients",
                "name": "openshift-browser-client",
            },
            {
                "group": "",
                "version": "v1",
                "resource": "configmaps",
                "namespace": "openshift-authentication",
                "name": "foo",
            },
        ],
        "generatedNameResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "secrets",
                "namespace": "openshift-authentication",
                "name": "token-",
            }
        ],
    },
}


def test_sample_operator_outputs_read_and_round_trip() -> None:
    outputs = OutputResources.from_wire(SAMPLE, "output-resources.yaml")
    assert outputs.to_wire() == SAMPLE
    assert outputs.for_cluster_type(ClusterType.MANAGEMENT).eventing_namespaces == (
        "openshift-example-operator",
    )
    assert outputs.for_cluster_type(ClusterType.CONFIGURATION).exact_resources == (
        ExactResource.config("ingresses"),
    )


def test_empty_document_prints_the_three_lists() -> None:
    assert OutputResources().to_wire() == {
        "configurationResources": {},
        "managementResources": {},
        "userWorkloadResources": {},
    }


def test_version_is_optional_and_older_spelling_is_read() -> None:
    doc = {
        "userWorkloadResources": {"generatedNameResource": [{"group": "", "resource": "pods", "name": "p-"}]}
    }
    outputs = OutputResources.from_wire(doc, "doc")
    assert outputs.user_workload_resources.generated_name_resources == (
        GeneratedNameResource("", "", "pods", "", "p-"),
    )


def test_every_problem_is_reported_at_once() -> None:
    doc = {
        "configurationResources": {"exactResources": [{"group": "x", "resource": "r"}], "extra": True},
        "hostedResources": {},
        "managementResources": {"eventingNamespaces": ["a", "a", ""]},
    }
    with pytest.raises(InvalidInput) as caught:
        OutputResources.from_wire(doc, "out.yaml")
    assert caught.value.problems == (
        "hostedResources: Forbidden: unknown field",
        "configurationResources.extra: Forbidden: unknown field",
        "configurationResources.exactResources[0].name: Required value: must be present",
        'managementResources.eventingNamespaces[2]: Invalid value: "": must be a non-empty string',
        "managementResources.eventingNamespaces: Duplicate value: a namespace is listed twice",
    )


LIST = OutputResourceList(
    exact_resources=(ExactResource.configmap("openshift-authentication", "foo"),),
    generated_name_resources=(
        GeneratedNameResource("", "v1", "secrets", "openshift-authentication", "token-"),
    ),
    eventing_namespaces=("openshift-example-operator",),
)


@pytest.mark.parametrize(
    ("group", "resource", "namespace", "name", "generate_name", "expected"),
    [
        ("", "events", "openshift-example-operator", "anything.1234", "", True),
        ("events.k8s.io", "events", "openshift-example-operator", "x", "", True),
        ("", "events", "openshift-authentication", "x", "", False),
        ("", "configmaps", "openshift-authentication", "foo", "", True),
        ("", "configmaps", "openshift-authentication", "foo", "foo-", False),
        ("", "configmaps", "openshift-authentication", "bar", "", False),
        ("", "configmaps", "other", "foo", "", False),
        ("apps", "configmaps", "openshift-authentication", "foo", "", False),
        ("", "secrets", "openshift-authentication", "", "token-", True),
        ("", "secrets", "openshift-authentication", "token-x7k2p", "", True),
        ("", "secrets", "openshift-authentication", "", "other-", False),
        ("", "secrets", "openshift-authentication", "tok", "", False),
        ("", "secrets", "kube-system", "token-x7k2p", "", False),
    ],
)
def test_output_matching(
    group: str, resource: str, namespace: str, name: str, generate_name: str, expected: bool
) -> None:
    assert (
        output_matches(
            LIST,
            gvr_group=group,
            resource=resource,
            namespace=namespace,
            name=name,
            generate_name=generate_name,
        )
        is expected
    )
