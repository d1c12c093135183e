"""Gathering real inputs from the aws must-gather (OpenShift 4.8).

Covers: the sample operator's declared inputs (what an engineer expects is there, and what is
reported missing); a declaration using every kind on real objects — exact, generated-name
(etcd-quorum-guard pods), label-selected namespaced and cluster-scoped (master nodes through
matchExpressions), an implicit reference from the oauth-openshift Deployment's volumes, an
explicit reference from the authentication ClusterOperator's relatedObjects with an && filter,
a cluster-scoped reference, chains followed onward (route -> service -> back to the route,
config authentication -> openshift-config secret) and a definite path that misses; the same
result from the loaded snapshot and from the tree read on demand; determinism of the written
tree, with no undeclared Namespace object added; the digest stable, order-independent and equal
to the digest of the tree read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.api.input_resources import InputResources
from mom.inputs import GatheredInputs, TreeSource, gather_inputs, input_digest, write_input_dir
from mom.inputs.digest import directory_digest
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot

pytestmark = pytest.mark.realdata


def sample_operator_inputs() -> InputResources:
    return InputResources.from_wire(
        {
            "applyConfigurationResources": {
                "exactResources": [
                    {
                        "group": "config.openshift.io",
                        "version": "v1",
                        "resource": "ingresses",
                        "name": "cluster",
                    },
                    {
                        "group": "operator.openshift.io",
                        "version": "v1",
                        "resource": "authentications",
                        "name": "cluster",
                    },
                    {
                        "group": "",
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "openshift-authentication",
                        "name": "foo",
                    },
                    {
                        "group": "",
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "openshift-authentication",
                        "name": "fail-check",
                    },
                    {
                        "group": "oauth.openshift.io",
                        "version": "v1",
                        "resource": "oauthclients",
                        "name": "openshift-browser-client",
                    },
                ]
            }
        },
        "sample-operator",
    )


def reference(referring: dict[str, Any], kind: str, body: dict[str, Any]) -> dict[str, Any]:
    key = kind[0].lower() + kind[1:]
    return {"referringResource": referring, "type": kind, key: body}


CO_AUTH = {
    "group": "config.openshift.io",
    "version": "v1",
    "resource": "clusteroperators",
    "name": "authentication",
}
ROUTE = {
    "group": "route.openshift.io",
    "version": "v1",
    "resource": "routes",
    "namespace": "openshift-authentication",
    "name": "oauth-openshift",
}
SERVICE = {
    "group": "",
    "version": "v1",
    "resource": "services",
    "namespace": "openshift-authentication",
    "name": "oauth-openshift",
}
CONFIG_AUTH = {
    "group": "config.openshift.io",
    "version": "v1",
    "resource": "authentications",
    "name": "cluster",
}
DEPLOYMENT = {
    "group": "apps",
    "version": "v1",
    "resource": "deployments",
    "namespace": "openshift-authentication",
    "name": "oauth-openshift",
}
INFRA = {"group": "config.openshift.io", "version": "v1", "resource": "infrastructures", "name": "cluster"}
RELATED = '$.status.relatedObjects[?(@.resource == "routes" && @.group == "route.openshift.io")]'
AUTH_RELATED = (
    '$.status.relatedObjects[?(@.resource == "authentications" && @.group == "config.openshift.io")]'
)

EVERY_KIND = {
    "applyConfigurationResources": {
        "exactResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "configmaps",
                "namespace": "openshift-config",
                "name": "kube-root-ca.crt",
            }
        ],
        "generatedNameResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "pods",
                "namespace": "openshift-etcd",
                "name": "etcd-quorum-guard-",
            }
        ],
        "labelSelectedResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "configmaps",
                "namespace": "openshift-authentication",
                "labelSelector": {"matchLabels": {"app": "oauth-openshift"}},
            },
            {
                "group": "",
                "version": "v1",
                "resource": "nodes",
                "labelSelector": {
                    "matchExpressions": [{"key": "node-role.kubernetes.io/master", "operator": "Exists"}]
                },
            },
        ],
        "resourceReferences": [
            reference(
                DEPLOYMENT,
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "configmaps",
                    "namespace": "openshift-authentication",
                    "nameJSONPath": "$.spec.template.spec.volumes[*].configMap.name",
                },
            ),
            reference(
                CO_AUTH,
                "ExplicitNamespacedReference",
                {
                    "group": "route.openshift.io",
                    "version": "v1",
                    "resource": "routes",
                    "namespaceJSONPath": RELATED + ".namespace",
                    "nameJSONPath": RELATED + ".name",
                },
            ),
            reference(
                CO_AUTH,
                "ClusterScopedReference",
                {
                    "group": "config.openshift.io",
                    "version": "v1",
                    "resource": "authentications",
                    "nameJSONPath": AUTH_RELATED + ".name",
                },
            ),
            reference(
                ROUTE,
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "services",
                    "namespace": "openshift-authentication",
                    "nameJSONPath": "$.spec.to.name",
                },
            ),
            reference(
                SERVICE,
                "ImplicitNamespacedReference",
                {
                    "group": "route.openshift.io",
                    "version": "v1",
                    "resource": "routes",
                    "namespace": "openshift-authentication",
                    "nameJSONPath": "$.metadata.name",
                },
            ),
            reference(
                CONFIG_AUTH,
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "secrets",
                    "namespace": "openshift-config",
                    "nameJSONPath": "$.spec.webhookTokenAuthenticator.kubeConfig.name",
                },
            ),
            reference(
                INFRA,
                "ImplicitNamespacedReference",
                {
                    "group": "",
                    "version": "v1",
                    "resource": "configmaps",
                    "namespace": "openshift-config",
                    "nameJSONPath": "$.spec.cloudConfig.key",
                },
            ),
        ],
    }
}


@pytest.fixture(scope="module")
def snapshot(aws_must_gather: Path) -> Snapshot:
    return load_must_gather(aws_must_gather)


def names(gathered: GatheredInputs) -> list[str]:
    return [str(ref) for ref, _ in gathered.objects]


def test_sample_operator_inputs(snapshot: Snapshot) -> None:
    # Both configmaps are absent, so no namespaced object and no Namespace object is gathered.
    gathered = gather_inputs(snapshot, sample_operator_inputs())
    assert names(gathered) == [
        "ingresses.config.openshift.io cluster",
        "authentications.operator.openshift.io cluster",
    ]
    assert [line.split(" (")[0] for line in gathered.missing] == [
        "configmaps openshift-authentication/foo",
        "configmaps openshift-authentication/fail-check",
        "oauthclients.oauth.openshift.io openshift-browser-client",
    ]


def test_every_kind_of_declaration_on_real_objects(snapshot: Snapshot) -> None:
    gathered = gather_inputs(snapshot, InputResources.from_wire(EVERY_KIND, "every-kind"))
    assert names(gathered) == [
        "configmaps openshift-config/kube-root-ca.crt",
        "pods openshift-etcd/etcd-quorum-guard-85b4c88c96-nmk5g",
        "pods openshift-etcd/etcd-quorum-guard-85b4c88c96-psgzh",
        "pods openshift-etcd/etcd-quorum-guard-85b4c88c96-qgwkv",
        "configmaps openshift-authentication/v4-0-config-system-cliconfig",
        "configmaps openshift-authentication/v4-0-config-system-metadata",
        "configmaps openshift-authentication/v4-0-config-system-service-ca",
        "nodes ip-10-0-187-218.ec2.internal",
        "nodes ip-10-0-189-142.ec2.internal",
        "nodes ip-10-0-195-177.ec2.internal",
        "deployments.apps openshift-authentication/oauth-openshift",
        "configmaps openshift-authentication/v4-0-config-system-trusted-ca-bundle",
        "clusteroperators.config.openshift.io authentication",
        "routes.route.openshift.io openshift-authentication/oauth-openshift",
        "authentications.config.openshift.io cluster",
        "services openshift-authentication/oauth-openshift",
        "secrets openshift-config/webhook-authentication-integrated-oauth",
        "infrastructures.config.openshift.io cluster",
    ]
    assert gathered.missing == (
        "applyConfigurationResources.resourceReferences[6].implicitNamespacedReference.nameJSONPath"
        " '$.spec.cloudConfig.key' in 'cluster': unknown key 'key'",
    )


def test_tree_read_on_demand_gathers_the_same_objects(snapshot: Snapshot, aws_must_gather: Path) -> None:
    spec = InputResources.from_wire(EVERY_KIND, "every-kind")
    assert gather_inputs(TreeSource(aws_must_gather), spec) == gather_inputs(snapshot, spec)


def test_written_tree_is_deterministic_and_reads_back(snapshot: Snapshot, tmp_path: Path) -> None:
    spec = InputResources.from_wire(EVERY_KIND, "every-kind")
    for name in ("one", "two"):
        write_input_dir(gather_inputs(snapshot, spec), tmp_path / name)
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*.yaml")}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*.yaml")}
    assert one == two
    back = load_must_gather(tmp_path / "one")
    assert back.namespaces() == [], "no Namespace object was declared"
    assert len(back) == 18


def test_digest_is_stable_order_independent_and_matches_the_written_tree(
    snapshot: Snapshot, tmp_path: Path
) -> None:
    spec = InputResources.from_wire(EVERY_KIND, "every-kind")
    gathered = gather_inputs(snapshot, spec)
    digest = input_digest(gathered)
    assert len(digest) == 64
    assert input_digest(gather_inputs(snapshot, spec)) == digest
    assert input_digest(GatheredInputs(tuple(reversed(gathered.objects)))) == digest
    write_input_dir(gathered, tmp_path / "in")
    assert directory_digest(tmp_path / "in") == digest
    fewer = GatheredInputs(gathered.objects[1:])
    assert input_digest(fewer) != digest
