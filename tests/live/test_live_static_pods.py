"""The static pod controller's cluster part against a real kube-apiserver, with fake nodes.

Covers: the controller's pass makes revision 1 of the operand's inputs as ``<name>-1``
ConfigMaps and Secret labelled with the revision, plus ``revision-status-1``, and writes the
library-go ``StaticPodOperatorStatus`` fields through the status subresource of a real
``kubeapiservers`` resource; three fake nodes (directories, a kubelet stand-in publishing real
mirror pods with a Ready status) fetch their target revision from the API, install it and are
judged by their mirror pods, so the rollout is driven end to end by status updates, one node at
a time, for revision 1 and then for revision 2 after an input changes; pruning deletes the
revisions beyond the limit from the cluster; ``mom static-pods controller --once`` and
``mom static-pods node --once`` do the same against the live cluster, the node copying the
revision's files (Secrets decoded) from the API and installing its manifest.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster
from tests.unit.staticpod.world import Kubelet, example_operator

from mom.api.resource_entries import ExactResource
from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.staticpod.installer import Installer
from mom.staticpod.loop import run_pass
from mom.staticpod.node import Action, ApiRevisionSource, NodeAgent, NodeSettings
from mom.staticpod.operand import CONFIGMAPS, NODES, PODS, SECRETS, StaticPodOperand
from mom.staticpod.readiness import MirrorPodReadiness
from mom.staticpod.status import StaticPodStatus, read_status

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
SERVICEACCOUNTS = GroupVersionResource("", "v1", "serviceaccounts")
KUBEAPISERVERS = GroupVersionResource("operator.openshift.io", "v1", "kubeapiservers")
START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
TICK = timedelta(seconds=10)


def _operand(tag: str) -> StaticPodOperand:
    return StaticPodOperand(
        name="kube-scheduler",
        namespace=tag,
        operator=ExactResource("operator.openshift.io", "v1", "kubeapiservers", "", tag),
        config_maps=("kube-scheduler-pod", "config"),
        secrets=("serving-cert",),
        node_selector={"static-pods-test": tag},
        revision_limit=1,
        min_ready_seconds=30,
    )


def _inputs(operand: StaticPodOperand, verbosity: int) -> list[tuple[GroupVersionResource, dict[str, Any]]]:
    example = example_operator()
    meta = {"namespace": operand.namespace}
    pod = example.pod_template(verbosity).replace("openshift-kube-scheduler", operand.namespace)
    return [
        (CONFIGMAPS, {"metadata": {**meta, "name": "kube-scheduler-pod"}, "data": {"pod.yaml": pod}}),
        (CONFIGMAPS, {"metadata": {**meta, "name": "config"}, "data": {"config.yaml": example.scheduler_configuration("NoScoring")}}),
        (SECRETS, {"metadata": {**meta, "name": "serving-cert"}, "type": "Opaque", "stringData": {"tls.crt": "cert", "tls.key": "key"}}),
    ]  # fmt: skip


def _put(client: Client, gvr: GroupVersionResource, body: dict[str, Any]) -> None:
    kind = "Secret" if gvr == SECRETS else "ConfigMap"
    body = {"apiVersion": "v1", "kind": kind, **body}
    old = client.get_or_none(gvr, body["metadata"]["name"], body["metadata"]["namespace"])
    if old is None:
        client.create(gvr, body)
    else:
        client.update(
            gvr,
            {**body, "metadata": {**body["metadata"], "resourceVersion": old["metadata"]["resourceVersion"]}},
        )


class LiveNode:
    """A fake node whose kubelet stand-in publishes a real mirror pod with a Ready status."""

    def __init__(
        self, root: Path, name: str, operand: StaticPodOperand, client: Client, cluster: Cluster
    ) -> None:
        self.name, self.operand, self.client, self.cluster = name, operand, client, cluster
        self.installer = Installer(operand, root / name / "resources", root / name / "manifests")
        self.kubelet = Kubelet(name, self.installer, rule=lambda node, revision: True)
        self.agent = NodeAgent(
            NodeSettings(name, ready_timeout=300),
            self.installer,
            MirrorPodReadiness(client, operand, name),
            ApiRevisionSource(client, operand),
        )

    def step(self, now: datetime) -> Action:
        action = self.agent.step(now).action
        pod = self.kubelet.mirror_pod(now)
        if pod is not None:
            name = self.operand.mirror_pod_name(self.name)
            pod["metadata"] = {**pod["metadata"], "name": name, "namespace": self.operand.namespace}
            pod["spec"] = {
                **pod["spec"],
                "serviceAccountName": "default",
                "automountServiceAccountToken": False,
            }
            old = self.client.get_or_none(PODS, name, self.operand.namespace)
            if old is None or old["metadata"]["labels"]["revision"] != pod["metadata"]["labels"]["revision"]:
                if old is not None:  # the kubelet recreates a mirror pod whose manifest changed
                    path = f"/api/v1/namespaces/{self.operand.namespace}/pods/{name}"
                    self.cluster.request(
                        "DELETE", path, {"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0}
                    )
                old = self.client.create(PODS, {k: v for k, v in pod.items() if k != "status"})
            self.client.update_status(PODS, {**old, "status": pod["status"]})
        return action


def _status(client: Client, operand: StaticPodOperand) -> StaticPodStatus:
    obj = client.get(KUBEAPISERVERS, operand.operator.name)
    return read_status(obj, "kubeapiservers")


def _roll_out(
    client: Client, operand: StaticPodOperand, nodes: list[LiveNode], now: datetime, revision: int
) -> tuple[datetime, list[tuple[datetime, str]]]:
    installs: list[tuple[datetime, str]] = []
    for _ in itertools.repeat(None, 60):
        assert run_pass(operand, client, now).ok
        status = _status(client, operand)
        assert sum(1 for n in status.node_statuses if n.target_revision) <= 1
        if status.latest_available_revision == revision and all(
            n.current_revision == revision for n in status.node_statuses
        ):
            return now, installs
        for node in nodes:
            if node.step(now) is Action.INSTALLED:
                installs.append((now, node.name))
        now += TICK
    raise AssertionError(f"revision {revision} did not roll out: {_status(client, operand)}")


def _setup(client: Client, operand: StaticPodOperand, nodes: int) -> list[str]:
    """The namespace, its default service account, the operator resource, nodes and the inputs."""
    tag = operand.namespace
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": tag}})
    client.create(
        SERVICEACCOUNTS,
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": tag}},
    )
    client.create(
        KUBEAPISERVERS,
        {
            "apiVersion": "operator.openshift.io/v1",
            "kind": "KubeAPIServer",
            "metadata": {"name": tag},
            "spec": {"managementState": "Managed"},
        },
    )
    names = [f"{tag}-master-{n}" for n in range(nodes)]
    for name in names:
        client.create(
            NODES,
            {
                "apiVersion": "v1",
                "kind": "Node",
                "metadata": {"name": name, "labels": {"static-pods-test": tag}},
            },
        )
    for gvr, body in _inputs(operand, verbosity=2):
        _put(client, gvr, body)
    return names


def test_revisions_status_and_a_rollout_driven_by_status_updates(
    kube_apiserver: Cluster, client: Client, tmp_path: Path
) -> None:
    tag = f"static-pods-{time.monotonic_ns() % 1000000}"
    operand = _operand(tag)
    names = _setup(client, operand, nodes=3)
    nodes = [LiveNode(tmp_path, name, operand, client, kube_apiserver) for name in names]

    assert run_pass(operand, client, START).ok
    first = _status(client, operand)
    assert (first.latest_available_revision, first.latest_available_revision_reason) == (
        1,
        "initial revision",
    )
    assert [(n.node_name, n.current_revision, n.target_revision) for n in first.node_statuses] == [
        (names[0], 0, 1), (names[1], 0, 0), (names[2], 0, 0)
    ]  # fmt: skip
    raw = client.get(KUBEAPISERVERS, tag)["status"]
    assert raw["latestAvailableRevision"] == 1
    assert raw["nodeStatuses"][0] == {"nodeName": names[0], "currentRevision": 0, "targetRevision": 1}
    for gvr, name in (*operand.revisioned(), (CONFIGMAPS, "revision-status")):
        copy = client.get(gvr, f"{name}-1", tag)
        assert copy["metadata"]["labels"] == {"revision": "1"}
    assert client.get(SECRETS, "serving-cert-1", tag)["data"] == {"tls.crt": "Y2VydA==", "tls.key": "a2V5"}

    now, installs = _roll_out(client, operand, nodes, START, 1)
    assert [name for _, name in installs] == names
    assert all(b - a >= timedelta(seconds=30) for (a, _), (b, _) in itertools.pairwise(installs))

    _put(client, *_inputs(operand, verbosity=4)[0])
    now, installs = _roll_out(client, operand, nodes, now, 2)
    assert [name for _, name in installs] == names
    final = _status(client, operand)
    assert final.latest_available_revision_reason == "configmaps/kube-scheduler-pod changed"
    assert {c.type: c.status for c in final.conditions} == {
        "NodeInstallerProgressing": "False", "RevisionControllerDegraded": "False", "StaticPodFallbackRevisionDegraded": "False"
    }  # fmt: skip
    for node in nodes:
        pod = client.get(PODS, operand.mirror_pod_name(node.name), tag)
        assert pod["metadata"]["labels"]["revision"] == "2"
        assert "-v=4" in pod["spec"]["containers"][0]["args"]
    # Limit 1: revision 1 is every node's previous revision, so it stays until 3 replaces 2 everywhere.
    assert client.get_or_none(CONFIGMAPS, "config-1", tag) is not None
    _put(client, *_inputs(operand, verbosity=6)[0])
    _roll_out(client, operand, nodes, now, 3)
    assert run_pass(operand, client, now + timedelta(hours=1)).ok
    left = sorted(c["metadata"]["name"] for c in client.list(CONFIGMAPS, tag, label_selector="revision"))
    assert left == [
        "config-2",
        "config-3",
        "kube-scheduler-pod-2",
        "kube-scheduler-pod-3",
        "revision-status-2",
        "revision-status-3",
    ]


def test_the_commands_against_a_live_cluster(kube_apiserver: Cluster, client: Client, tmp_path: Path) -> None:
    tag = f"static-pods-cli-{time.monotonic_ns() % 1000000}"
    operand = _operand(tag)
    (node,) = _setup(client, operand, nodes=1)
    operand_file = tmp_path / "operand.yaml"
    operand_file.write_text(
        f"name: kube-scheduler\nnamespace: {tag}\n"
        f"operator: {{group: operator.openshift.io, version: v1, resource: kubeapiservers, name: {tag}}}\n"
        f"configMaps: [kube-scheduler-pod, config]\nsecrets: [serving-cert]\nnodeSelector: {{static-pods-test: {tag}}}\n"
    )
    mom = [sys.executable, "-m", "mom.cli.main", "static-pods"]
    common = ["--operand", str(operand_file), "--kubeconfig", str(kube_apiserver.kubeconfig), "--once"]

    controller = subprocess.run([*mom, "controller", *common], capture_output=True, text=True, check=False)
    assert controller.returncode == 0, controller.stderr
    assert controller.stdout.rstrip().endswith(" ok")
    status = _status(client, operand)
    assert [(n.node_name, n.target_revision) for n in status.node_statuses] == [(node, 1)]

    resources, manifests = tmp_path / "resources", tmp_path / "manifests"
    installed = subprocess.run(
        [*mom, "node", *common, "--node", node, "--resources-dir", str(resources), "--manifests-dir", str(manifests)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.rstrip().endswith(f"{node}: Installed revision 1")
    assert (resources / "kube-scheduler-pod-1" / "secrets" / "serving-cert" / "tls.key").read_text() == "key"
    manifest = (manifests / "kube-scheduler-pod.yaml").read_text()
    assert 'revision: "1"' in manifest and f"namespace: {tag}" in manifest
