"""Conformance group A (must-gather reading), read in place from the Go fixtures.

Covers, per ../shared/conformance/README.md A1-A3 (reads only; watch, informer, protobuf and
HTTP expectations belong to the transport):
- A1: individual file wins over the list file for GET; GET from a list file; GET missing is
  NotFound; LIST featuregates; LIST CRDs from individual files only (2); LIST deployments in
  all namespaces (3); LIST secrets in one namespace uses the list file only (10); LIST in a
  missing namespace is empty; the namespace object and its labels; LIST namespaces (3);
  resources without data list empty (what informers need to sync).
- A2: the tree's own aggregated discovery is authoritative (cloudprivateipconfigs resolvable,
  clusterautoscalers not); aggregated discovery lists core v1 configmaps as ConfigMap; LIST
  configmaps in `present` is empty; no Namespace object means LIST namespaces is empty.
- A3: label selector filtering; the directory (not metadata.namespace) decides membership.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.api.errors import NotFound
from mom.api.resources import GroupVersionResource
from mom.mustgather.loader import load_must_gather
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot

pytestmark = pytest.mark.conformance

FEATUREGATES = GroupVersionResource("config.openshift.io", "v1", "featuregates")
SECRETS = GroupVersionResource("", "v1", "secrets")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CRDS = GroupVersionResource("apiextensions.k8s.io", "v1", "customresourcedefinitions")


@pytest.fixture(scope="module")
def must_gather_01(conformance_dir: Path) -> Snapshot:
    return load_must_gather(conformance_dir / "library-go/pkg/manifestclienttest/testdata/must-gather-01")


@pytest.fixture(scope="module")
def must_gather_02(conformance_dir: Path) -> Snapshot:
    return load_must_gather(conformance_dir / "library-go/pkg/manifestclienttest/testdata/must-gather-02")


@pytest.fixture(scope="module")
def input_dir(conformance_dir: Path) -> Snapshot:
    return load_must_gather(conformance_dir / "library-go/pkg/manifestclient/testing/test-data/input-dir")


def test_a1_get_prefers_the_individual_file(must_gather_01: Snapshot) -> None:
    featuregate = must_gather_01.get(FEATUREGATES, name="cluster")
    assert featuregate["kind"] == "FeatureGate"
    assert featuregate["status"]["featureGates"]
    assert must_gather_01.root is not None
    individual = (
        must_gather_01.root / "cluster-scoped-resources/config.openshift.io/featuregates/cluster.yaml"
    )
    assert featuregate["metadata"]["uid"] in individual.read_text()


def test_a1_get_from_list_file_and_individual_file(must_gather_01: Snapshot) -> None:
    from_list = must_gather_01.get(SECRETS, namespace="openshift-apiserver", name="default-dockercfg-nrrk8")
    assert from_list["kind"] == "Secret"
    assert from_list["metadata"]["name"] == "default-dockercfg-nrrk8"
    individual = must_gather_01.get(SECRETS, namespace="openshift-apiserver", name="pull-secret")
    assert individual["metadata"]["annotations"] == {"foo": "bar"}


def test_a1_get_missing_is_not_found(must_gather_01: Snapshot) -> None:
    with pytest.raises(NotFound, match="missing"):
        must_gather_01.get(FEATUREGATES, name="missing")


def test_a1_lists(must_gather_01: Snapshot) -> None:
    assert must_gather_01.list(FEATUREGATES)
    assert len(must_gather_01.list(CRDS)) == 2
    assert len(must_gather_01.list(DEPLOYMENTS)) == 3
    secrets = must_gather_01.list(SECRETS, namespace="openshift-apiserver")
    assert len(secrets) == 10
    assert "pull-secret" not in {s["metadata"]["name"] for s in secrets}


def test_a1_missing_namespace_lists_empty(must_gather_01: Snapshot) -> None:
    assert must_gather_01.list(SECRETS, namespace="no-such-namespace") == []
    assert must_gather_01.list(CONFIGMAPS, namespace="no-such-namespace") == []


def test_a1_resources_without_data_list_empty(must_gather_01: Snapshot) -> None:
    clusteroperators = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
    pods = GroupVersionResource("", "v1", "pods")
    assert must_gather_01.list(clusteroperators) == []
    assert must_gather_01.list(pods, namespace="openshift-authentication-operator") == []
    assert must_gather_01.list_kind(clusteroperators).kind == "ClusterOperatorList"


def test_a1_namespaces(must_gather_01: Snapshot) -> None:
    namespace = must_gather_01.get(NAMESPACES, namespace="openshift-apiserver", name="openshift-apiserver")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/audit"] == "privileged"
    assert len(must_gather_01.list(NAMESPACES)) == 3
    assert must_gather_01.namespaces() == [
        "openshift-apiserver",
        "openshift-authentication",
        "openshift-authentication-operator",
    ]


def test_a1_object_in_list_and_file_counts_once(must_gather_01: Snapshot) -> None:
    refs = [ref for ref, _ in must_gather_01.objects() if ref.gvr.resource == "featuregates"]
    assert [ref.name for ref in refs] == ["cluster"]
    assert len(must_gather_01) == len(list(must_gather_01.objects()))


def test_a2_own_discovery_is_authoritative(must_gather_02: Snapshot) -> None:
    cloud_ips = GroupVersionResource("cloud.network.openshift.io", "v1", "cloudprivateipconfigs")
    assert must_gather_02.list(cloud_ips) == []
    with pytest.raises(NotFound, match="clusterautoscalers"):
        must_gather_02.list(GroupVersionResource("autoscaling.openshift.io", "v1", "clusterautoscalers"))


def test_a2_aggregated_discovery_lists_configmaps(must_gather_02: Snapshot) -> None:
    document = must_gather_02.discovery.aggregated_document(legacy=True)
    (core,) = document["items"]
    (v1,) = [v for v in core["versions"] if v["version"] == "v1"]
    (configmaps,) = [r for r in v1["resources"] if r["resource"] == "configmaps"]
    assert configmaps["responseKind"]["kind"] == "ConfigMap"
    assert "name" not in core["metadata"]
    groups = [
        item["metadata"]["name"] for item in must_gather_02.discovery.aggregated_document(False)["items"]
    ]
    assert "cloud.network.openshift.io" in groups
    assert "autoscaling.openshift.io" not in groups


def test_a2_namespace_without_object(must_gather_02: Snapshot) -> None:
    assert must_gather_02.list(CONFIGMAPS, namespace="present") == []
    assert must_gather_02.list(NAMESPACES) == []
    with pytest.raises(NotFound):
        must_gather_02.get(NAMESPACES, namespace="present", name="present")


def test_a3_label_selector(input_dir: Snapshot) -> None:
    selector = LabelSelector.parse(
        "operator.openshift.io/controller-instance-name=oauth-apiserver-RevisionController"
    )
    selected = input_dir.list(CONFIGMAPS, namespace="openshift-authentication", label_selector=selector)
    assert sorted(obj["metadata"]["name"] for obj in selected) == ["audit-1", "revision-status-1"]


def test_a3_directory_decides_namespace(input_dir: Snapshot) -> None:
    audit = input_dir.get(CONFIGMAPS, namespace="openshift-authentication", name="audit")
    assert audit["metadata"]["namespace"] == "openshift-oauth-apiserver"
    with pytest.raises(NotFound):
        input_dir.get(CONFIGMAPS, namespace="openshift-oauth-apiserver", name="audit")
    by_directory = FieldSelector.parse("metadata.namespace=openshift-authentication")
    assert input_dir.list(CONFIGMAPS, field_selector=by_directory)
    by_field = FieldSelector.parse("metadata.namespace=openshift-oauth-apiserver")
    assert input_dir.list(CONFIGMAPS, field_selector=by_field) == []
