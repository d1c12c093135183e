"""Shards of hosted clusters on a real kube-apiserver: replicas of ``mom run`` sharing 30 hosted clusters.

The management cluster and the Leases are on the live server; the guests are manifest directories.
Every hosted cluster's operator writes a ConfigMap into its hosted control plane namespace on each
run (resync every second), so the server's audit log shows who wrote each hosted cluster and
when, next to every change of its assignment Lease (whose request bodies are audited).
Covers: three replicas share the 30 hosted clusters within the load bound; at every moment each
hosted cluster has exactly one writer, the holder of its assignment Lease; kill -9 of one replica
— its hosted clusters are taken by the others and written again; a fourth replica joins — load
rebalances, and every move goes through a release by the old owner (the drain) first.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cluster import Cluster
from tests.polling import wait_for

from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.manager.scaleout.sharding import weight_of
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
LEASES = GroupVersionResource("coordination.k8s.io", "v1", "leases")
SRC = str(Path(__file__).resolve().parents[2] / "src")
HOSTED = 30
LEASE = {"leaseDuration": 4, "renewDeadline": 3, "retryPeriod": 0.5}

OPERATOR = """
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def summarize(ctx):
    settings = ctx.client.get(CONFIGMAPS, "settings", "openshift-config")
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "summary", "namespace": "openshift-example"}}
    ctx.client.apply(CONFIGMAPS, {**body, "data": settings["data"]}, field_manager="summarizer", force=True)


SUMMARIZER = Operator(
    name="summarizer",
    inputs=InputResources(
        apply_configuration_resources=ResourceList(exact_resources=(ExactResource.configmap("openshift-config", "settings"),))
    ),
    outputs=OutputResources(
        management_resources=OutputResourceList(exact_resources=(ExactResource.configmap("openshift-example", "summary"),))
    ),
    controllers=(Controller("summarizer-Summarize", summarize),),
)
"""


class Ring:
    def __init__(self, cluster: Cluster, client: Client, base: Path) -> None:
        self.cluster, self.client, self.base = cluster, client, base
        self.tag = f"ring{time.monotonic_ns() % 1000000}"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.hosted = [f"hc-{index:02d}" for index in range(HOSTED)]
        client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": self.tag}})
        for name in self.hosted:
            namespace = self.hcp(name)
            client.create(
                NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
            )
            settings = base / "guests" / name / "namespaces" / "openshift-config" / "core" / "configmaps"
            settings.mkdir(parents=True)
            document = {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "settings", "namespace": "openshift-config"},
                "data": {"hosted": name},
            }
            (settings / "settings.yaml").write_bytes(dump_json(document))

    def hcp(self, name: str) -> str:
        return f"{self.tag}-{name}"

    def start(self, identity: str) -> None:
        directory = self.base / identity
        directory.mkdir()
        module = f"summarizer_{self.tag}"
        (directory / f"{module}.py").write_text(OPERATOR)
        (directory / "kubeconfig").write_bytes(self.cluster.kubeconfig.read_bytes())
        config = {
            "journal": "state/journal.sqlite",
            "debounce": 0,
            "operators": [{"name": "summarizer", "python": f"{module}:SUMMARIZER", "resync": 1}],
            "clusters": [{"name": "management", "kubeconfig": "kubeconfig"}]
            + [{"name": name, "manifestDir": str(self.base / "guests" / name)} for name in self.hosted],
            "instances": [
                {
                    "name": name,
                    "topology": "HyperShift",
                    "management": "management",
                    "guest": name,
                    "hostedControlPlaneNamespace": self.hcp(name),
                    "operandNamespaces": ["openshift-example"],
                }
                for name in self.hosted
            ],
            "lease": {
                "name": "ring",
                "namespace": self.tag,
                "cluster": "management",
                "shards": True,
                **LEASE,
            },
        }
        (directory / "mom.yaml").write_bytes(dump_json(config))
        command = [sys.executable, "-m", "mom.cli.main", "run", "--config", str(directory / "mom.yaml")]
        command += ["--identity", identity, "--interval", "0.3"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(directory), SRC])}
        stderr = (self.base / f"{identity}.stderr").open("wb")
        self.processes[identity] = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )

    def owners(self) -> dict[str, str]:
        found = {}
        for lease in self.client.list(LEASES, self.tag):
            name = lease["metadata"]["name"]
            if name.startswith("ring-hc-"):
                found[name.removeprefix("ring-hc-")] = (lease.get("spec") or {}).get("holderIdentity") or ""
        return found

    def settled(self, replicas: set[str]) -> dict[str, str] | None:
        """The owners, once every hosted cluster has one of ``replicas``, each replica some, and no
        replica more than the ring's bound of the weight (published costs, as the ring reads them)."""
        owners, weights = self.owners(), self.weights()
        if len(owners) != HOSTED or set(owners.values()) != replicas:
            return None
        loads = {r: sum(weights[n] for n, o in owners.items() if o == r) for r in replicas}
        if max(loads.values()) > 1.25 * sum(weights.values()) / len(replicas) + max(weights.values()):
            return None
        return owners

    def weights(self) -> dict[str, float]:
        return {
            lease["metadata"]["name"].removeprefix("ring-hc-"): weight_of(lease)
            for lease in self.client.list(LEASES, self.tag)
            if lease["metadata"]["name"].startswith("ring-hc-")
        }

    def timeline(self) -> dict[str, list[tuple[datetime, datetime, str, str]]]:
        """Per hosted cluster, from the audit log: (received, completed, kind, who) for every
        successful summary write (kind "write", who: the writer) and assignment change (kind
        "holder", who: the holder the request named), in order of completion."""
        found: dict[str, list[tuple[datetime, datetime, str, str]]] = {n: [] for n in self.hosted}
        namespaces = {self.hcp(n): n for n in self.hosted}
        for event in self.cluster.audit_events():
            if (event.get("responseStatus") or {}).get("code", 500) >= 300:
                continue
            ref = event.get("objectRef") or {}
            times = (
                datetime.fromisoformat(event["requestReceivedTimestamp"]),
                datetime.fromisoformat(event["stageTimestamp"]),
            )
            agent = str(event.get("userAgent", ""))
            if (
                ref.get("namespace") in namespaces
                and ref.get("resource") == "configmaps"
                and agent.startswith("mom/")
            ):
                found[namespaces[ref["namespace"]]].append((*times, "write", agent.removeprefix("mom/")))
            elif (
                ref.get("namespace") == self.tag
                and str(ref.get("name", "")).startswith("ring-hc-")
                and event.get("verb") in ("create", "update")
            ):
                holder = (event.get("requestObject") or {}).get("spec", {}).get("holderIdentity") or ""
                found[str(ref["name"]).removeprefix("ring-hc-")].append((*times, "holder", holder))
        for events in found.values():
            events.sort(key=lambda e: e[1])
        return found

    def check_one_writer_at_a_time(self) -> None:
        """Each write happened wholly while its writer held the hosted cluster's assignment."""
        for name, events in self.timeline().items():
            changes = [e for e in events if e[2] == "holder"]
            for received, completed, kind, who in events:
                if kind != "write":
                    continue
                before = [c for c in changes if c[1] < received]
                assert before and before[-1][3] == who, (
                    f"{name}: {who} wrote at {received} without holding it"
                )
                during = [c for c in changes if received <= c[0] <= completed and c[3] != who]
                assert not during, f"{name}: its assignment changed while {who} was writing"

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
            process.wait()


@pytest.fixture
def ring(kube_apiserver: Cluster, client: Client, tmp_path: Path) -> Iterator[Ring]:
    made = Ring(kube_apiserver, client, tmp_path)
    yield made
    made.stop()


def test_replicas_share_hosted_clusters_with_one_writer_each(ring: Ring, client: Client) -> None:
    three = {"replica-a", "replica-b", "replica-c"}
    for identity in sorted(three):
        ring.start(identity)
    owners = wait_for(
        lambda: ring.settled(three), 90, "30 hosted clusters shared by three replicas", interval=0.2
    )
    shares = {r: sum(1 for o in owners.values() if o == r) for r in three}
    for name in ring.hosted:
        summary = wait_for(
            lambda n=name: client.get_or_none(CONFIGMAPS, "summary", ring.hcp(n)), 30, name, interval=0.2
        )
        assert summary["data"] == {"hosted": name}

    victim = max(shares, key=lambda r: (shares[r], r))
    lost = {name for name, owner in owners.items() if owner == victim}
    ring.processes[victim].kill()
    killed = datetime.now(UTC)
    survivors = three - {victim}
    after = wait_for(
        lambda: ring.settled(survivors), 60, "the killed replica's hosted clusters taken over", interval=0.2
    )
    timeline = ring.timeline()
    for name in lost:
        rewritten = [e for e in timeline[name] if e[2] == "write" and e[0] > killed]
        wait_for(
            lambda n=name: any(
                e[2] == "write" and e[0] > killed and e[3] == after[n] for e in ring.timeline()[n]
            ),
            30,
            f"{name} written by its new owner",
            interval=0.2,
        )
        assert all(e[3] != victim for e in rewritten), f"{name}: written by the killed replica"

    ring.start("replica-d")
    four = survivors | {"replica-d"}
    wait_for(lambda: ring.settled(four), 90, "the fourth replica's share", interval=0.2)
    time.sleep(3)  # a few more ticks of every replica, for the audit below
    ring.check_one_writer_at_a_time()
    joined = min(e[1] for events in ring.timeline().values() for e in events if e[3] == "replica-d")
    drained = 0
    for name, events in ring.timeline().items():
        holders = []  # changes of holder only (an owner publishing its cost keeps the holder)
        for event in (e for e in events if e[2] == "holder"):
            if not holders or holders[-1][3] != event[3]:
                holders.append(event)
        for before, previous, change in zip(holders, holders[1:], holders[2:], strict=False):
            if change[1] >= joined and change[3] == "replica-d":
                assert previous[3] == "", f"{name} moved to replica-d without being released first"
                drained += before[3] not in ("", "replica-d")
        for previous, change in itertools.pairwise(holders):
            if change[3] and previous[3] not in ("", victim):
                raise AssertionError(f"{name} moved {previous[3]} -> {change[3]} without a drain")
    assert drained >= 1, "the fourth replica's share was drained from the others"
