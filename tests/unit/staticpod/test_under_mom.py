"""The cluster part runs under mom like any operator, beside the operator that feeds it.

Covers: with the example's ``mom.yaml`` (the example operator and ``mom static-pods operator``
both as subprocess operators on a manifest-directory cluster), the first tick writes the
operator's revision inputs while the static pod controller reports the missing inputs as
``RevisionControllerDegraded``; the next tick, triggered by those inputs, makes revision 1 as
``<name>-1`` copies and a ``revision-status-1`` ConfigMap, writes ``latestAvailableRevision``
and gives the first node its target; nothing either operator writes is refused.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from tests.unit.manager.conftest import FakeClock
from tests.unit.staticpod.world import EXAMPLE, KUBESCHEDULERS, OPERAND

from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.mustgather.loader import load_must_gather
from mom.staticpod.operand import CONFIGMAPS, SECRETS
from mom.staticpod.status import read_status


def test_the_static_pod_controller_runs_under_mom_after_the_operator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    monkeypatch.chdir(root)  # the example's commands name files relative to it
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    clock = FakeClock()
    manager, _ = open_manager(load_config(root / "mom.yaml"), clock=clock)

    first = manager.tick()
    clock.advance(60)
    second = manager.tick()
    manager.journal.close()

    assert first.ok and second.ok, (first, second)
    assert sum(p.refused for p in (*first.pairs, *second.pairs)) == 0
    ran = {p.operator: p.trigger for p in second.pairs if p.ran}
    assert ran["kube-scheduler-static-pods"] == "inputs changed"  # the operator's writes trigger it
    cluster = load_must_gather(root / "cluster")
    status = read_status(cluster.get(KUBESCHEDULERS, name="cluster"), "kubeschedulers/cluster")
    assert (status.latest_available_revision, status.latest_available_revision_reason) == (
        1,
        "initial revision",
    )
    assert [(n.node_name, n.target_revision) for n in status.node_statuses] == [
        ("master-0", 1),
        ("master-1", 0),
        ("master-2", 0),
    ]
    degraded = status.condition("RevisionControllerDegraded")
    assert degraded is not None and degraded.status == "False"
    for gvr, name in (*OPERAND.revisioned(), (CONFIGMAPS, "revision-status")):
        copy = cluster.get(gvr, namespace=OPERAND.namespace, name=f"{name}-1")
        assert copy["metadata"]["labels"] == {"revision": "1"}, name
    assert (
        cluster.get(SECRETS, namespace=OPERAND.namespace, name="serving-cert-1")["type"]
        == "kubernetes.io/tls"
    )
