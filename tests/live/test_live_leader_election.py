"""Leader election against a real kube-apiserver: three ``mom run`` replicas on one standalone config.

Who wrote what is read from the server's audit log (each replica's requests carry the user agent
``mom/<identity>``), never from the replicas' own output. Covers: exactly one replica writes; a
kill -9 of the leader in the middle of applying — another replica takes the Lease within its
duration and the cluster ends as an uninterrupted run leaves it; a leader paused (SIGSTOP) past
its renew deadline begins no write after it resumes (one already on its way to the socket when
the signal landed may complete, and is the only thing that may differ), and exits saying it lost
the Lease.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster
from tests.polling import wait_for

from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
LEASES = GroupVersionResource("coordination.k8s.io", "v1", "leases")
SRC = str(Path(__file__).resolve().parents[2] / "src")
COPIES = 800
"""Enough writes per tick that a kill lands between the first and the last of them."""
LEASE = {"leaseDuration": 4, "renewDeadline": 3, "retryPeriod": 0.5}
WRITES = {"create", "update", "patch", "delete", "deletecollection"}

OPERATOR = """
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

NS, COPIES = {namespace!r}, {copies}
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def copy(ctx):
    source = ctx.client.get(CONFIGMAPS, "source", NS)
    for index in range(COPIES):
        body = {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": f"copy-{{index}}", "namespace": NS}}}}
        ctx.client.apply(CONFIGMAPS, {{**body, "data": source["data"]}}, field_manager="copier", force=True)


COPIER = Operator(
    name="copier",
    inputs=InputResources(apply_configuration_resources=ResourceList(exact_resources=(ExactResource.configmap(NS, "source"),))),
    outputs=OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=tuple(ExactResource.configmap(NS, f"copy-{{i}}") for i in range(COPIES))
        )
    ),
    controllers=(Controller("copier-Copy", copy),),
)
"""


class Replicas:
    """``mom run`` processes, each with a directory (config, journal) of its own."""

    def __init__(self, cluster: Cluster, client: Client, base: Path, tag: str, *, lease: bool = True):
        self.cluster, self.client, self.base = cluster, client, base
        self.namespace = f"{tag}-{time.monotonic_ns() % 1000000}"
        self.lease = lease
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        client.create(
            NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": self.namespace}}
        )
        self.set_source("v1", create=True)

    def set_source(self, greeting: str, *, create: bool = False) -> None:
        body = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "source", "namespace": self.namespace},
        }
        if create:
            self.client.create(CONFIGMAPS, {**body, "data": {"greeting": greeting}})
        else:
            self.client.patch(
                CONFIGMAPS, "source", {"data": {"greeting": greeting}}, namespace=self.namespace
            )

    def directory(self, identity: str) -> Path:
        directory = self.base / identity
        if directory.exists():
            return directory
        directory.mkdir(parents=True)
        module = f"copier_{self.namespace.replace('-', '_')}"
        (directory / f"{module}.py").write_text(OPERATOR.format(namespace=self.namespace, copies=COPIES))
        (directory / "kubeconfig").write_bytes(self.cluster.kubeconfig.read_bytes())
        config: dict[str, Any] = {
            "journal": "state/journal.sqlite",
            "debounce": 0,
            "operators": [{"name": "copier", "python": f"{module}:COPIER"}],
            "clusters": [{"name": "live", "kubeconfig": "kubeconfig"}],
            "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
        }
        if self.lease:
            config["lease"] = {"name": "mom", "namespace": self.namespace, "cluster": "live", **LEASE}
        (directory / "mom.yaml").write_bytes(dump_json(config))
        return directory

    def command(self, identity: str, *extra: str) -> tuple[list[str], dict[str, str]]:
        directory = self.directory(identity)
        command = [sys.executable, "-m", "mom.cli.main", "run", "--config", str(directory / "mom.yaml")]
        command += ["--identity", identity, *extra]
        return command, {**os.environ, "PYTHONPATH": os.pathsep.join([str(directory), SRC])}

    def start(self, identity: str) -> None:
        command, env = self.command(identity, "--interval", "0.3")
        stderr = (self.base / f"{identity}.stderr").open("wb")
        self.processes[identity] = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )

    def stderr(self, identity: str) -> str:
        return (self.base / f"{identity}.stderr").read_text()

    def holder(self) -> str:
        lease = self.client.get_or_none(LEASES, "mom", self.namespace)
        return str(((lease or {}).get("spec") or {}).get("holderIdentity") or "")

    def copies(self) -> dict[str, Any]:
        return {
            item["metadata"]["name"]: item.get("data")
            for item in self.client.list(CONFIGMAPS, self.namespace)
            if item["metadata"]["name"] != "source"
        }

    def converged(self, greeting: str) -> bool:
        found = self.copies()
        return len(found) == COPIES and all(data == {"greeting": greeting} for data in found.values())

    def writes(self) -> list[dict[str, Any]]:
        """Every write the server received from a replica to this test's objects (Lease apart)."""
        return [
            event
            for event in self.cluster.audit_events()
            if event.get("verb") in WRITES
            and str(event.get("userAgent", "")).startswith("mom/")
            and (event.get("objectRef") or {}).get("namespace") == self.namespace
            and (event.get("objectRef") or {}).get("resource") != "leases"
        ]

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGCONT)
                process.kill()
            process.wait()


def received(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(event["requestReceivedTimestamp"]))


def completed(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(event["stageTimestamp"]))


def writer(event: dict[str, Any]) -> str:
    return str(event["userAgent"]).removeprefix("mom/").split(" ")[0]


@pytest.fixture
def replicas(kube_apiserver: Cluster, client: Client, tmp_path: Path) -> Iterator[Callable[..., Replicas]]:
    made: list[Replicas] = []

    def make(tag: str, *, lease: bool = True) -> Replicas:
        made.append(Replicas(kube_apiserver, client, tmp_path / tag, tag, lease=lease))
        return made[-1]

    yield make
    for group in made:
        group.stop()


def test_one_writer_and_a_killed_leader_is_replaced_within_the_lease_duration(
    replicas: Callable[..., Replicas],
) -> None:
    group = replicas("elect")
    for identity in ("replica-a", "replica-b", "replica-c"):
        group.start(identity)
    wait_for(lambda: group.converged("v1"), 60, "the first leader's copies")
    leader = group.holder()
    assert leader in group.processes
    assert {writer(e) for e in group.writes()} == {leader}, "exactly one replica wrote"

    group.set_source("v2")
    wait_for(
        lambda: 0 < sum(d == {"greeting": "v2"} for d in group.copies().values()) < COPIES, 30, "mid-apply"
    )
    group.processes[leader].kill()
    killed_at = time.monotonic()
    killed_wall = datetime.now(UTC)
    assert not group.converged("v2"), "killed in the middle of applying"

    successor = wait_for(lambda: group.holder() not in ("", leader) and group.holder(), 30, "a new leader")
    took_over = time.monotonic() - killed_at
    wait_for(lambda: group.converged("v2"), 60, "the new leader's copies")
    print(f"takeover {took_over:.2f}s after kill -9 (leaseDuration {LEASE['leaseDuration']}s)")
    assert took_over < LEASE["leaseDuration"] + 2 * LEASE["retryPeriod"]

    events = group.writes()
    late = [e for e in events if received(e) > killed_wall]
    assert late and {writer(e) for e in late} == {successor}, "only the new leader wrote after the kill"
    assert {writer(e) for e in events} == {leader, successor}

    reference = replicas("reference", lease=False)
    reference.set_source("v2")
    command, env = reference.command("reference", "--once")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=180)
    assert done.returncode == 0, done.stderr
    assert group.copies() == reference.copies(), "the same objects as an uninterrupted run"


def test_a_paused_leader_writes_nothing_after_it_resumes(replicas: Callable[..., Replicas]) -> None:
    group = replicas("paused")
    for identity in ("replica-a", "replica-b", "replica-c"):
        group.start(identity)
    wait_for(lambda: group.converged("v1"), 60, "the first leader's copies")
    leader = group.holder()
    paused = group.processes[leader]

    group.set_source("v2")
    wait_for(
        lambda: 0 < sum(d == {"greeting": "v2"} for d in group.copies().values()) < COPIES, 30, "mid-apply"
    )
    paused.send_signal(signal.SIGSTOP)
    assert not group.converged("v2"), "paused in the middle of applying"
    wait_for(lambda: group.holder() not in ("", leader), 30, "a new leader")
    wait_for(lambda: group.converged("v2"), 60, "the new leader's copies")
    group.set_source("v3")
    wait_for(lambda: group.converged("v3"), 60, "the new leader's second copies")

    resumed = datetime.now(UTC)
    paused.send_signal(signal.SIGCONT)
    assert paused.wait(timeout=30) == 1
    assert "is no longer the leader" in group.stderr(leader)
    time.sleep(1)
    theirs = [e for e in group.writes() if writer(e) == leader]
    begun = [e for e in theirs if received(e) >= resumed]
    assert begun == [], f"the paused leader began a write after resuming: {begun[:3]}"
    # A write already past its last check when the signal landed (its bytes not yet on the
    # socket) completes once the process runs again: the Lease gives the server nothing to
    # fence it with. One such write at most; it is the only thing that may differ.
    in_flight = [e for e in theirs if completed(e) >= resumed]
    assert len(in_flight) <= 1, f"more than one write in flight across the pause: {in_flight}"
    undone = {name for name, data in group.copies().items() if data != {"greeting": "v3"}}
    allowed = {e["objectRef"].get("name") for e in in_flight}
    assert undone <= allowed, (
        f"something undid the new leader's work: {sorted(undone)[:5]} ({len(undone)} copies); "
        f"the paused leader's writes completed after it resumed: {in_flight}; {group.holder()=}"
    )
