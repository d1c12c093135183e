"""What the manager refuses, and what survives a crash.

Covers: a malicious operator that writes outside its pinned outputs — into another namespace,
a cluster-scoped RBAC object, a Secret smuggled under a declared ConfigMap path, events into a
foreign namespace — gets every such mutation refused and journaled with its reason, while its
allowed mutation is applied; under HyperShift a Management write into a namespace that is not
an operand namespace is refused; outputs are pinned at registration, so an operator that later
declares more does not get it; kill -9 at any point of application, then a restart, converges
to exactly the state an uninterrupted tick produces, with nothing applied twice.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.manager.conftest import EXAMPLES, FakeClock
from tests.unit.manager.test_manager_triggers import READS_SHARED, SHARED, _operator, _with_operators

from mom.api.input_resources import ExactResource
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.mustgather.loader import load_must_gather
from mom.operator import RunContext

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
CLUSTERROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")
EVENTS = GroupVersionResource("", "v1", "events")


def configmap(namespace: str, name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}


def malicious(ctx: RunContext) -> None:
    ctx.client.create(CONFIGMAPS, configmap("openshift-authentication", "shared"))  # declared: allowed
    ctx.client.create(CONFIGMAPS, configmap("kube-system", "stolen"))  # another namespace
    ctx.client.create(
        CLUSTERROLES,
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "ClusterRole",
            "metadata": {"name": "escalate"},
            "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
        },
    )
    ctx.client.update(  # a Secret under the declared ConfigMap path
        CONFIGMAPS,
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "shared", "namespace": "openshift-authentication"},
            "data": {"token": "c3RvbGVu"},
        },
    )
    ctx.client.create(
        EVENTS,
        {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": "noise.1", "namespace": "kube-system"},
            "involvedObject": {"kind": "Pod", "name": "x", "namespace": "kube-system"},
            "reason": "Spam",
            "message": "into a foreign namespace",
            "type": "Normal",
        },
    )


OUTPUTS = OutputResources(
    user_workload_resources=OutputResourceList(
        exact_resources=(SHARED,), eventing_namespaces=("openshift-example-operator",)
    )
)


def test_undeclared_writes_are_refused_and_journaled(standalone: Path, clock: FakeClock) -> None:
    manager = _with_operators(standalone, clock, _operator("intruder", malicious, OUTPUTS, READS_SHARED))
    report = manager.tick()

    (pair,) = [p for p in report.pairs if p.ran]
    assert (pair.applied, pair.refused) == (1, 4)
    mutations = manager.journal.mutations_of(pair.run_id or 0)
    refused = {m.request.identity: m.reason for m in mutations if m.state is MutationState.REFUSED}
    assert set(refused) == {
        "Create-ConfigMap.v1./stolen[kube-system]",
        "Create-ClusterRole.v1.rbac.authorization.k8s.io/escalate[]",
        "Update-Secret.v1./shared[openshift-authentication]",
        "Create-Event.v1./noise.1[kube-system]",
    }
    assert "path names configmaps" in refused["Update-Secret.v1./shared[openshift-authentication]"]
    assert all("not declared" in reason for key, reason in refused.items() if "Secret" not in key)
    cluster = load_must_gather(standalone.parent / "cluster")
    assert cluster.get(CONFIGMAPS, namespace="openshift-authentication", name="shared")["kind"] == "ConfigMap"
    assert not cluster.list(CONFIGMAPS, namespace="kube-system")
    assert not cluster.list(CLUSTERROLES)
    manager.journal.close()


def test_hypershift_refuses_namespaces_outside_the_control_plane(hypershift: Path, clock: FakeClock) -> None:
    def writes(ctx: RunContext) -> None:
        ctx.client.create(CONFIGMAPS, configmap("kube-system", "control-plane-config"))

    outputs = OutputResources(
        management_resources=OutputResourceList(
            exact_resources=(ExactResource.configmap("kube-system", "control-plane-config"),)
        )
    )
    manager = _with_operators(hypershift, clock, _operator("cp", writes, outputs))
    report = manager.tick()
    assert all(p.refused == 1 and p.applied == 0 for p in report.pairs)
    (mutation,) = manager.journal.mutations_of(report.pairs[0].run_id or 0)
    assert "not an operand namespace" in mutation.reason
    manager.journal.close()


def test_outputs_are_pinned_at_registration(standalone: Path, clock: FakeClock) -> None:
    def writes(ctx: RunContext) -> None:
        ctx.client.create(CONFIGMAPS, configmap("openshift-authentication", "later"))

    narrow = _operator("grower", writes, OUTPUTS)
    manager = _with_operators(standalone, clock, narrow)
    manager.journal.close()
    wider = OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=(SHARED, ExactResource.configmap("openshift-authentication", "later"))
        )
    )
    manager = _with_operators(standalone, clock, _operator("grower", writes, wider))
    report = manager.tick()
    assert report.pairs[0].refused == 1, "the operator's new declaration is not trusted"
    manager.journal.close()


CRASHER = """
import sys
from pathlib import Path
from tests.crash_points import Countdown, CrashingTarget
from tests.unit.manager.conftest import FakeClock
from mom.apply.manifest_target import ManifestTarget
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

config, where, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
clock = FakeClock()
manager, _ = open_manager(load_config(config), clock=clock)
countdown = Countdown(count)
if where == "inside-batch":  # at the count-th write-ahead checkpoint of a target
    manager.targets = {
        name: ManifestTarget(t.root, name=name, clock=clock, checkpoint=countdown.point)
        for name, t in manager.targets.items()
    }
else:
    manager.targets = {name: CrashingTarget(t, where, countdown) for name, t in manager.targets.items()}
manager.tick()
"""


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".mom" not in p.parts and p.parent.name != "state"
    }


def _journal_with_identity(path: Path, identity: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Journal(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE journal_identity SET id = ?", (identity,))
    db.close()


@pytest.mark.parametrize(
    ("example", "where", "count"),
    [
        ("standalone", "before-batch", 0),
        ("standalone", "after-batch", 0),
        ("standalone", "inside-batch", 0),
        ("standalone", "inside-batch", 3),
        ("hypershift", "before-batch", 2),
        ("hypershift", "after-batch", 1),
        ("hypershift", "inside-batch", 7),
    ],
)
def test_kill_during_application_then_restart_converges(
    tmp_path: Path, example: str, where: str, count: int
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(EXAMPLES / example, reference)
    manager, _ = open_manager(load_config(reference / "mom.yaml"), clock=FakeClock())
    manager.tick()
    manager.journal.close()

    crashed = tmp_path / "crashed"
    shutil.copytree(EXAMPLES / example, crashed)
    # Object uids and generated names derive from mutation ids, which end in the journal's
    # identity: the crashed manager's journal gets the reference's, so the trees compare exactly.
    _journal_with_identity(crashed / "state" / "journal.sqlite", manager.journal.identity)
    script = tmp_path / "crash.py"
    script.write_text(CRASHER)
    done = subprocess.run(
        [sys.executable, str(script), str(crashed / "mom.yaml"), where, str(count)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
    )
    assert done.returncode == -9, done.stderr

    restarted, _ = open_manager(load_config(crashed / "mom.yaml"), clock=FakeClock())
    restarted.recover()
    runs = restarted.journal.runs()
    mutations = [m for r in runs for m in restarted.journal.mutations_of(r.run_id)]
    assert all(m.state is MutationState.APPLIED for m in mutations if m.target)
    assert len({m.mutation_id for m in mutations}) == len(mutations)
    restarted.journal.close()
    assert _tree(crashed) == _tree(reference)
