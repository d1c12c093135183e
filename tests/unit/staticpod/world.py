"""Fake nodes for the static pod tests: directories, a kubelet stand-in, and a cluster on disk.

A node is two directories (resources, manifests). The kubelet stand-in reads the manifests
directory and says whether the pod it finds is Ready by a rule the test controls; with a
cluster it also publishes the mirror pod ``<name>-<node>`` there, carrying the manifest's
labels and annotations, as the real kubelet does. The cluster is a must-gather tree kept by the
manifest-directory target: the operators run against its snapshot exactly as under mom, and
their mutations are applied to it.
"""

from __future__ import annotations

import importlib.util
import itertools
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import Target
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.operator import Operator
from mom.operator.run import run_controllers
from mom.serialization import load_document
from mom.staticpod.controller import static_pod_operator
from mom.staticpod.files import RevisionFiles
from mom.staticpod.installer import Installer
from mom.staticpod.node import Action, ApiRevisionSource, NodeAgent, NodeReport, NodeSettings
from mom.staticpod.operand import PODS, StaticPodOperand, load_operand
from mom.staticpod.readiness import MirrorPodReadiness
from mom.staticpod.status import StaticPodStatus, read_status

REPO = Path(__file__).resolve().parents[3]
EXAMPLE = REPO / "examples" / "static-pod-operand"
OPERAND: StaticPodOperand = load_operand(EXAMPLE / "operand.yaml")
START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)

Rule = Callable[[str, int], bool]
"""(node, revision) -> whether the pod of that revision on that node becomes Ready."""


def example_operator() -> ModuleType:
    """The example operator module (``examples/static-pod-operand/kube_scheduler_operator.py``)."""
    spec = importlib.util.spec_from_file_location(
        "static_pod_example_operator", EXAMPLE / "kube_scheduler_operator.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def revision_files(revision: int, verbosity: int = 2) -> RevisionFiles:
    """A complete revision of the example operand, its content depending on ``verbosity``."""
    example = example_operator()
    return RevisionFiles(
        revision,
        {
            "configmaps/kube-scheduler-pod/pod.yaml": example.pod_template(verbosity).encode(),
            "configmaps/config/config.yaml": example.scheduler_configuration("LowNodeUtilization").encode(),
            "secrets/serving-cert/tls.crt": f"certificate for revision {revision}\n".encode(),
            "secrets/serving-cert/tls.key": f"key for revision {revision}\n".encode(),
        },
    )


def node_installer(root: Path, node: str, **options: Any) -> Installer:
    return Installer(OPERAND, root / node / "resources", root / node / "manifests", **options)


class Kubelet:
    """Reads one node's manifests directory; readiness of what it finds follows ``rule``."""

    def __init__(self, node: str, installer: Installer, rule: Rule) -> None:
        self.node, self.installer, self.rule = node, installer, rule
        self.ready_since: dict[int, datetime] = {}

    def manifest(self) -> dict[str, Any] | None:
        path = self.installer.manifest_path
        return load_document(path.read_bytes(), str(path)) if path.exists() else None

    def ready(self, revision: int) -> bool | None:
        """The Readiness protocol, for node tests without a cluster."""
        pod = self.installer.installed()
        if pod is None or pod.revision != revision:
            return None
        return self.rule(self.node, revision)

    def mirror_pod(self, now: datetime) -> dict[str, Any] | None:
        """The mirror pod of what the manifests directory holds, Ready as the rule says."""
        manifest = self.manifest()
        if manifest is None:
            return None
        metadata = manifest["metadata"]
        revision = int(metadata["labels"]["revision"])
        ready = self.rule(self.node, revision)
        if ready:
            self.ready_since.setdefault(revision, now)
        since = self.ready_since.get(revision, now)
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {**metadata, "name": OPERAND.mirror_pod_name(self.node)},
            "spec": {**manifest["spec"], "nodeName": self.node},
            "status": {
                "phase": "Running",
                "conditions": [
                    {
                        "type": "Ready",
                        "status": "True" if ready else "False",
                        "lastTransitionTime": since.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    }
                ],
            },
        }


class Cluster:
    """A must-gather tree written through the manifest-directory target."""

    def __init__(self, root: Path, clock: Callable[[], datetime]) -> None:
        shutil.copytree(EXAMPLE / "cluster", root)
        self.target: Target = ManifestTarget(root, "cluster", clock=clock)
        self._ids = itertools.count()

    def client(self) -> tuple[Client, MutationRecorder]:
        recorder = MutationRecorder()
        return Client(SnapshotTransport(self.target.read(), recorder)), recorder

    def write(self, action: Callable[[Client], object]) -> None:
        """Run ``action`` on a client over the current tree, then apply what it wrote."""
        client, recorder = self.client()
        action(client)
        self.commit(recorder)

    def commit(self, recorder: MutationRecorder) -> None:
        results = self.target.apply_batch([(f"write-{next(self._ids)}", r) for r in recorder.requests])
        failed = [r.message for r in results if not r.ok]
        assert not failed, failed

    def run(self, operator: Operator, now: datetime) -> None:
        """One run of every controller of ``operator``, its mutations applied as mom applies them."""
        outcome = run_controllers(
            operator, self.target.read(), now=now, enabled={c: True for c in operator.controller_names}
        )
        assert not outcome.failed, outcome.results
        ids = [f"{operator.name}-{next(self._ids)}" for _ in outcome.requests]
        failed = [
            r.message
            for r in self.target.apply_batch(list(zip(ids, outcome.requests, strict=True)))
            if not r.ok
        ]
        assert not failed, failed

    def get(self, gvr: Any, name: str, namespace: str = "") -> dict[str, Any] | None:
        client, _ = self.client()
        return client.get_or_none(gvr, name, namespace)

    def publish(self, kubelet: Kubelet, now: datetime) -> None:
        """The kubelet's mirror pod, created (or replaced) and then its status reported."""
        pod = kubelet.mirror_pod(now)
        if pod is None:
            return
        name = OPERAND.mirror_pod_name(kubelet.node)

        def put(client: Client) -> None:
            old = client.get_or_none(PODS, name, OPERAND.namespace)
            if old is not None:
                client.delete(PODS, name, OPERAND.namespace)
            client.create(PODS, {k: v for k, v in pod.items() if k != "status"})

        def report(client: Client) -> None:
            created = client.get(PODS, name, OPERAND.namespace)
            client.update_status(PODS, {**created, "status": pod["status"]})

        self.write(put)
        self.write(report)


def later(now: datetime, seconds: float) -> datetime:
    return now + timedelta(seconds=seconds)


KUBESCHEDULERS = OPERAND.operator.gvr


class FakeNode:
    """A node: its directories, its kubelet, and the node part driving it through the cluster's API."""

    def __init__(self, root: Path, name: str, rule: Rule, ready_timeout: float) -> None:
        self.name = name
        self.installer = node_installer(root, name)
        self.kubelet = Kubelet(name, self.installer, rule)
        self.settings = NodeSettings(name, ready_timeout=ready_timeout)

    def step(self, cluster: Cluster, now: datetime) -> NodeReport:
        client, _ = cluster.client()
        agent = NodeAgent(
            self.settings,
            self.installer,
            MirrorPodReadiness(client, OPERAND, self.name),
            ApiRevisionSource(client, OPERAND),
        )
        report = agent.step(now)
        cluster.publish(self.kubelet, now)
        return report


class Fleet:
    """The example operator, the static pod controller and three fake nodes, ticking together."""

    def __init__(self, root: Path, rule: Rule, *, ready_timeout: float = 120.0, tick: float = 10.0) -> None:
        self.now = START
        self.tick = tick
        self.cluster = Cluster(root / "cluster", lambda: self.now)
        self.nodes = [FakeNode(root / "nodes", f"master-{n}", rule, ready_timeout) for n in range(3)]
        self.operator = example_operator().OPERATOR
        self.controller = static_pod_operator(OPERAND)
        self.installs: list[tuple[datetime, str, int]] = []
        self.history: list[StaticPodStatus] = []

    def set_log_level(self, level: str) -> None:
        def change(client: Client) -> None:
            obj = client.get(KUBESCHEDULERS, "cluster")
            client.update(KUBESCHEDULERS, {**obj, "spec": {**obj["spec"], "logLevel": level}})

        self.cluster.write(change)
        self.cluster.run(self.operator, self.now)

    def step(self) -> None:
        """One tick: the controller runs, then every node, then time moves on."""
        self.cluster.run(self.controller, self.now)
        for node in self.nodes:
            report = node.step(self.cluster, self.now)
            if report.action in (Action.INSTALLED, Action.FELL_BACK) and not self._seen(
                node.name, report.revision
            ):
                self.installs.append((self.now, node.name, report.revision))
        self.history.append(self.status())
        self.now = later(self.now, self.tick)

    def _seen(self, node: str, revision: int) -> bool:
        return bool(self.installs) and any(n == node and r == revision for _, n, r in self.installs[-3:])

    def status(self) -> StaticPodStatus:
        obj = self.cluster.get(KUBESCHEDULERS, "cluster")
        assert obj is not None
        return read_status(obj, "kubeschedulers/cluster")

    def run_until(self, done: Callable[[StaticPodStatus], bool], limit: int = 200) -> StaticPodStatus:
        for _ in range(limit):
            self.step()
            status = self.history[-1]
            if done(status):
                return status
        raise AssertionError(f"not done after {limit} ticks: {self.status()}")
