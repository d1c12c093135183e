"""The real aws must-gather (OpenShift 4.8), loaded once per module.

Covers: finding the tree one directory down; the ClusterOperators an engineer expects; one
Namespace per ``namespaces/<ns>/<ns>.yaml`` file; every item of every LIST reachable by GET;
the ClusterVersion's desired version; logs and pod-log directories never becoming objects;
objects in both a List file and a per-object file counted once; the cache giving back
identical objects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.api.resources import GroupVersionResource
from mom.mustgather.layout import find_resource_root
from mom.mustgather.loader import cache_file, load_must_gather
from mom.mustgather.store import Snapshot

pytestmark = pytest.mark.realdata

CLUSTEROPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mom-cache")


@pytest.fixture(scope="module")
def aws(aws_must_gather: Path, cache_dir: Path) -> Snapshot:
    return load_must_gather(aws_must_gather, cache_dir=cache_dir)


def test_resource_root_is_one_directory_down(aws_must_gather: Path, aws: Snapshot) -> None:
    root = find_resource_root(aws_must_gather)
    assert root.parent == aws_must_gather
    assert root.name.startswith("quay-io-openshift-release-dev")
    assert aws.root == root


def test_cluster_operators(aws: Snapshot) -> None:
    names = {obj["metadata"]["name"] for obj in aws.list(CLUSTEROPERATORS)}
    assert len(names) == 31
    assert {"authentication", "kube-apiserver", "etcd", "network", "ingress"} <= names
    assert aws.get(CLUSTEROPERATORS, name="kube-apiserver")["kind"] == "ClusterOperator"


def test_namespaces_match_namespace_files(aws: Snapshot) -> None:
    assert aws.root is not None
    files = sorted(
        p.parent.name for p in (aws.root / "namespaces").glob("*/*.yaml") if p.stem == p.parent.name
    )
    assert aws.namespaces() == files
    assert len(files) == 56  # 57 namespace directories; openshift-operators has no Namespace file
    assert len(list((aws.root / "namespaces").iterdir())) == 57


def test_cluster_version(aws: Snapshot) -> None:
    version = aws.get(GroupVersionResource("config.openshift.io", "v1", "clusterversions"), name="version")
    assert version["status"]["desired"]["version"].startswith("4.8.")


def test_every_listed_item_is_reachable_by_get(aws: Snapshot) -> None:
    listed = 0
    for info in aws.discovery.resources():
        if aws.discovery.preferred(info.gvr.group, info.gvr.resource) is not info:
            continue
        for obj in aws.list(info.gvr):
            namespace = obj["metadata"].get("namespace", "") if info.namespaced else ""
            assert aws.get(info.gvr, namespace=namespace, name=obj["metadata"]["name"]) is obj
            listed += 1
    assert listed > 8000


def test_no_log_or_pod_log_file_became_an_object(aws: Snapshot) -> None:
    kinds = {obj["kind"] for _, obj in aws.objects()}
    assert all(isinstance(kind, str) and kind[0].isupper() for kind in kinds)
    assert not [ref for ref, _ in aws.objects() if ref.gvr.group == "pods" or ref.gvr.resource == "logs"]
    events = sum(1 for ref, _ in aws.objects() if ref.gvr.resource == "events")
    assert 8000 < len(aws) < 9000
    assert events > len(aws) // 2


def test_list_and_file_duplicates_count_once(aws: Snapshot) -> None:
    seen = [
        (ref.gvr.group, ref.gvr.resource, ref.namespace, ref.name) for ref, _ in aws.objects() if ref.name
    ]
    assert len(seen) == len(set(seen))
    dns = aws.get(
        GroupVersionResource("monitoring.coreos.com", "v1", "servicemonitors"),
        namespace="openshift-dns",
        name="dns-default",
    )
    assert dns["kind"] == "ServiceMonitor"


def test_cache_round_trip(aws: Snapshot, aws_must_gather: Path, cache_dir: Path) -> None:
    again = load_must_gather(aws_must_gather, cache_dir=cache_dir)
    assert list(again.objects()) == list(aws.objects())
    assert [i.gvr for i in again.discovery.resources()] == [i.gvr for i in aws.discovery.resources()]
    assert aws.root is not None
    assert cache_file(cache_dir, aws.root).is_file()
