"""The manager against a real kube-apiserver: live clusters in the configuration, watches, crashes.

Covers: a configuration naming a live cluster (kubeconfig relative to the file) builds a
LiveTarget watching exactly the resource types the pinned operators read (one watch per type
for all operators); the first tick runs every operator and applies their writes to the
server, a second tick runs nothing; changing an input object through the API is noticed by
the watch and the next tick runs only the operator that reads it; ``mom run --once`` works end
to end; kill -9 of a manager in the middle of applying, then a rerun, converges to the objects
an uninterrupted run produces, with no object created twice (generateName included); a
cluster naming both a manifestDir and a kubeconfig, or a missing kubeconfig, is refused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.journal.records import MutationState
from mom.live.target import LiveTarget
from mom.manager.assembly import open_manager
from mom.manager.config import load_config, parse_config
from mom.serialization import dump_json

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
REPO = str(Path(__file__).resolve().parents[2])
SRC = str(Path(REPO) / "src")

OPERATORS = """
from mom.api.input_resources import ExactResource, GeneratedNameResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

NS, INGRESS = {namespace!r}, {ingress!r}
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def configmap(name, **data):
    return {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": name, "namespace": NS}}, "data": data}}


def copy(ctx):
    source = ctx.client.get(CONFIGMAPS, "source", NS)
    for index in range(1, 4):
        ctx.client.apply(CONFIGMAPS, configmap(f"copy-{{index}}", **source["data"]), field_manager="copier", force=True)
    marker = {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"generateName": "marker-", "namespace": NS}}}}
    ctx.client.create(CONFIGMAPS, marker)


def describe(ctx):
    ingress = ctx.client.get(GroupVersionResource("config.openshift.io", "v1", "ingresses"), INGRESS)
    ctx.client.apply(CONFIGMAPS, configmap("domain", domain=ingress["spec"]["domain"]), field_manager="describer")


def _outputs(*names, generated=()):
    exact = tuple(ExactResource.configmap(NS, n) for n in names)
    made = tuple(GeneratedNameResource("", "v1", "configmaps", NS, g) for g in generated)
    return OutputResources(
        user_workload_resources=OutputResourceList(exact_resources=exact, generated_name_resources=made)
    )


def _reads(resource):
    return InputResources(apply_configuration_resources=ResourceList(exact_resources=(resource,)))


COPIER = Operator(
    name="copier",
    inputs=_reads(ExactResource.configmap(NS, "source")),
    outputs=_outputs("copy-1", "copy-2", "copy-3", generated=("marker-",)),
    controllers=(Controller("copier-Copy", copy),),
)
DESCRIBER = Operator(
    name="describer",
    inputs=_reads(ExactResource.config("ingresses", INGRESS)),
    outputs=_outputs("domain"),
    controllers=(Controller("describer-Describe", describe),),
)
"""

CRASHER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from tests.crash_points import Countdown, CrashingTarget
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

config, count = Path(sys.argv[1]), int(sys.argv[2])
manager, _ = open_manager(load_config(config), clock=lambda: datetime(2025, 3, 1, tzinfo=UTC))
countdown = Countdown(count)
manager.targets = {name: CrashingTarget(t, "before-write", countdown) for name, t in manager.targets.items()}
manager.tick()
"""


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def setup(cluster: Cluster, client: Client, directory: Path, tag: str) -> tuple[Path, str, str]:
    """A namespace with a source ConfigMap, an Ingress, an operator module and a config file."""
    namespace = ingress = f"{tag}-{time.monotonic_ns() % 1000000}"
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    source = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "source", "namespace": namespace}}
    client.create(CONFIGMAPS, {**source, "data": {"greeting": "hello"}})
    ingress_body = {"apiVersion": "config.openshift.io/v1", "kind": "Ingress", "metadata": {"name": ingress}}
    client.create(INGRESSES, {**ingress_body, "spec": {"domain": "apps.one.test"}})
    directory.mkdir(parents=True)
    module = f"live_ops_{namespace.replace('-', '_')}"
    (directory / f"{module}.py").write_text(OPERATORS.format(namespace=namespace, ingress=ingress))
    (directory / "kube").mkdir()
    (directory / "kube" / "config.yaml").write_bytes(cluster.kubeconfig.read_bytes())
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 0,
        "operators": [
            {"name": "copier", "python": f"{module}:COPIER"},
            {"name": "describer", "python": f"{module}:DESCRIBER"},
        ],
        "clusters": [{"name": "live", "kubeconfig": "kube/config.yaml"}],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (directory / "mom.yaml").write_bytes(dump_json(config))
    return directory / "mom.yaml", namespace, ingress


def ran(report: Any) -> list[str]:
    return sorted(p.operator for p in report.pairs if p.ran)


def test_watches_trigger_only_the_operators_that_read_the_change(
    kube_apiserver: Cluster, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_path, namespace, _ingress = setup(kube_apiserver, client, tmp_path / "manager", "watched")
    monkeypatch.syspath_prepend(str(tmp_path / "manager"))
    manager, _ = open_manager(load_config(config_path), clock=clock)
    target = manager.targets["live"]
    assert isinstance(target, LiveTarget)
    try:
        assert sorted(map(str, target.watched)) == sorted(map(str, [CONFIGMAPS, INGRESSES, NAMESPACES]))
        first = manager.tick()
        assert ran(first) == ["copier", "describer"]
        assert all(p.failed == 0 and p.applied > 0 for p in first.pairs), first.pairs
        assert client.get(CONFIGMAPS, "copy-2", namespace)["data"] == {"greeting": "hello"}
        assert client.get(CONFIGMAPS, "domain", namespace)["data"] == {"domain": "apps.one.test"}
        assert ran(manager.tick()) == [], "nothing changed: nothing runs"

        before = target.read()
        client.patch(CONFIGMAPS, "source", {"data": {"greeting": "bye"}}, namespace=namespace)
        deadline = time.monotonic() + 10
        while target.read() is before and time.monotonic() < deadline:
            time.sleep(0.05)
        third = manager.tick()
        assert ran(third) == ["copier"]
        assert client.get(CONFIGMAPS, "copy-3", namespace)["data"] == {"greeting": "bye"}
        assert ran(manager.tick()) == []
    finally:
        target.close()
        manager.journal.close()


def test_mom_run_once_against_a_live_cluster(kube_apiserver: Cluster, client: Client, tmp_path: Path) -> None:
    config_path, namespace, _ingress = setup(kube_apiserver, client, tmp_path / "run", "run-once")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "run"), SRC])}
    command = [sys.executable, "-m", "mom.cli.main", "run", "--config", str(config_path), "--once"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert client.get(CONFIGMAPS, "domain", namespace)["data"] == {"domain": "apps.one.test"}


def _state(client: Client, namespace: str) -> dict[str, Any]:
    """The configmaps of a namespace by name (generated names by prefix), content only."""
    found: dict[str, Any] = {}
    for item in client.list(CONFIGMAPS, namespace):
        name = item["metadata"]["name"]
        key = "marker-*" if name.startswith("marker-") else name
        found[key] = [*found.get(key, []), item.get("data")]
    return found


def test_kill_during_apply_then_rerun_converges(
    kube_apiserver: Cluster, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference_config, reference_ns, _ = setup(kube_apiserver, client, tmp_path / "reference", "reference")
    crashed_config, crashed_ns, _ = setup(kube_apiserver, client, tmp_path / "crashed", "crashed")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "reference"), SRC, REPO])}
    script = tmp_path / "crash.py"
    script.write_text(CRASHER)

    def tick(config: Path, writes_before_kill: int) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, str(script), str(config), str(writes_before_kill)]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    uninterrupted = tick(reference_config, 99)
    assert uninterrupted.returncode == 0, uninterrupted.stderr

    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "crashed"), SRC, REPO])
    crashed = tick(crashed_config, 3)
    assert crashed.returncode == -9, crashed.stderr
    assert "marker-*" not in _state(client, crashed_ns), "killed before the create"

    rerun = tick(crashed_config, 99)
    assert rerun.returncode == 0, rerun.stderr
    assert _state(client, crashed_ns) == _state(client, reference_ns)
    assert len(_state(client, crashed_ns)["marker-*"]) == 1, "the generated object exists once"

    monkeypatch.syspath_prepend(str(tmp_path / "crashed"))
    manager, _ = open_manager(load_config(crashed_config), clock=clock)
    try:
        mutations = [m for r in manager.journal.runs() for m in manager.journal.mutations_of(r.run_id)]
        assert mutations and all(m.state is MutationState.APPLIED for m in mutations)
    finally:
        for target in manager.targets.values():
            if isinstance(target, LiveTarget):
                target.close()
        manager.journal.close()


def test_a_cluster_is_a_directory_or_a_kubeconfig_not_both(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    document = {
        "operators": [{"name": "op", "python": "m:OP"}],
        "clusters": [
            {"name": "both", "manifestDir": "dir", "kubeconfig": "kube.yaml"},
            {"name": "missing", "kubeconfig": "absent.yaml", "context": "admin"},
        ],
        "instances": [{"name": "i", "topology": "Standalone", "cluster": "both"}],
    }
    (tmp_path / "kube.yaml").write_text("{}")
    with pytest.raises(InvalidInput) as raised:
        parse_config(document, tmp_path / "mom.yaml")
    problems = str(raised.value)
    assert (
        "clusters[0]: Invalid value: exactly one of 'manifestDir' (a directory) or 'kubeconfig'" in problems
    )
    assert 'clusters[1].kubeconfig: Not found: "absent.yaml": not a file' in problems
    document["clusters"] = [{"name": "both", "kubeconfig": "kube.yaml", "context": "admin"}]
    (cluster,) = parse_config(document, tmp_path / "mom.yaml").clusters
    assert (cluster.kubeconfig, cluster.context, cluster.live) == (tmp_path / "kube.yaml", "admin", True)
