"""The cluster part with three fake nodes: rollout, fallback, pruning — run as mom runs operators.

Covers: the example operator's inputs become revision 1 (``<name>-1`` copies labelled with the
revision) and roll out one node at a time, each next node only after the previous one was Ready
for ``minReadySeconds``, never two nodes with a target at once, until every node's
``currentRevision`` is the latest and the manifests on disk run it; a change of the operator's
spec makes revision 2, rolled out the same way; a revision that never becomes ready falls back
on the first node, which gets ``lastFailedRevision`` with reason and count, the operator
resource turns ``StaticPodFallbackRevisionDegraded``, and no other node is given that revision;
a fixed revision resumes the rollout and clears the condition; pruning removes old revisions'
copies beyond the limit but never one a node runs, targets or would fall back to; a run whose
status write was lost is followed by one that adopts the existing revision instead of copying again.
"""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.unit.staticpod.world import KUBESCHEDULERS, OPERAND, Fleet

from mom.staticpod.operand import CONFIGMAPS, SECRETS
from mom.staticpod.status import StaticPodStatus

MIN_READY = timedelta(seconds=OPERAND.min_ready_seconds)


def at_latest(status: StaticPodStatus) -> bool:
    latest = status.latest_available_revision
    return len(status.node_statuses) == 3 and all(n.current_revision == latest for n in status.node_statuses)


def condition(status: StaticPodStatus, kind: str) -> str:
    found = status.condition(kind)
    return found.status if found else ""


def test_three_nodes_roll_out_one_at_a_time_after_the_minimum_ready_time(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, rule=lambda node, revision: True)
    fleet.cluster.run(fleet.operator, fleet.now)
    first = fleet.run_until(at_latest)
    assert first.latest_available_revision == 1
    fleet.set_log_level("Debug")
    start = len(fleet.installs)

    final = fleet.run_until(lambda s: s.latest_available_revision == 2 and at_latest(s))

    installs = fleet.installs[start:]
    assert [(node, revision) for _, node, revision in installs] == [
        ("master-0", 2),
        ("master-1", 2),
        ("master-2", 2),
    ]
    for (before, _, _), (after, _, _) in itertools.pairwise(installs):
        assert after - before >= MIN_READY
    assert all(sum(1 for n in s.node_statuses if n.target_revision) <= 1 for s in fleet.history)
    assert condition(final, "NodeInstallerProgressing") == "False"
    assert condition(final, "StaticPodFallbackRevisionDegraded") == "False"
    assert final.latest_available_revision_reason == "configmaps/kube-scheduler-pod changed"
    for node in fleet.nodes:
        manifest = node.kubelet.manifest()
        assert manifest is not None and manifest["metadata"]["labels"]["revision"] == "2"
        assert "-v=4" in manifest["spec"]["containers"][0]["args"]
    copy = fleet.cluster.get(CONFIGMAPS, "kube-scheduler-pod-2", OPERAND.namespace)
    assert copy is not None and copy["metadata"]["labels"] == {"revision": "2"}
    assert fleet.cluster.get(SECRETS, "serving-cert-2", OPERAND.namespace) is not None


def test_a_revision_that_never_becomes_ready_falls_back_and_stops_the_rollout(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, rule=lambda node, revision: revision != 2, ready_timeout=120)
    fleet.cluster.run(fleet.operator, fleet.now)
    fleet.run_until(at_latest)
    fleet.set_log_level("Debug")

    failed = fleet.run_until(lambda s: any(n.last_failed_revision for n in s.node_statuses))
    for _ in range(30):  # long after: the rollout stays stopped
        fleet.step()
    stopped = fleet.status()

    first = stopped.node("master-0")
    assert first is not None
    assert (first.current_revision, first.target_revision, first.last_failed_revision) == (1, 0, 2)
    assert (first.last_failed_reason, first.last_fallback_count, first.last_failed_count) == (
        "NotReady",
        1,
        1,
    )
    assert first.last_failed_time == failed.node("master-0").last_failed_time  # type: ignore[union-attr]
    assert first.last_failed_revision_errors == ("revision 2 not ready 120s after its install",)
    others = [stopped.node(n) for n in ("master-1", "master-2")]
    assert [(n.current_revision, n.target_revision) for n in others if n] == [(1, 0), (1, 0)]
    assert [(node, revision) for _, node, revision in fleet.installs if revision == 2] == [("master-0", 2)]
    degraded = stopped.condition("StaticPodFallbackRevisionDegraded")
    assert degraded is not None and degraded.status == "True"
    assert "node master-0 fell back to revision 1 from revision 2" in degraded.message
    for node in ("master-1", "master-2"):
        assert fleet.nodes[int(node[-1])].installer.installed().revision == 1  # type: ignore[union-attr]

    fleet.set_log_level("Trace")  # a fixed configuration: revision 3
    resumed = fleet.run_until(lambda s: s.latest_available_revision == 3 and at_latest(s))
    assert condition(resumed, "StaticPodFallbackRevisionDegraded") == "False"


def test_pruning_keeps_the_limit_and_every_revision_a_node_needs(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, rule=lambda node, revision: True)
    fleet.cluster.run(fleet.operator, fleet.now)
    fleet.run_until(at_latest)
    # Revisions 2 to 6, made faster than any node installs them: master-0 keeps target 2.
    for level in ("Debug", "Trace", "TraceAll", "Normal", "Debug"):
        fleet.set_log_level(level)
        fleet.cluster.run(fleet.controller, fleet.now)
    status = fleet.status()
    assert status.latest_available_revision == 6
    assert [(n.current_revision, n.target_revision) for n in status.node_statuses] == [(1, 2), (1, 0), (1, 0)]

    def kept() -> list[int]:
        names = [f"kube-scheduler-pod-{n}" for n in range(1, 7)]  # 7 is checked on its own
        return [
            n for n, name in enumerate(names, 1) if fleet.cluster.get(CONFIGMAPS, name, OPERAND.namespace)
        ]

    # Limit 3 keeps 4-6; 1 runs everywhere, 2 is master-0's target: only 3 goes.
    assert kept() == [1, 2, 4, 5, 6]
    for name in ("config-3", "revision-status-3"):
        assert fleet.cluster.get(CONFIGMAPS, name, OPERAND.namespace) is None
    assert fleet.cluster.get(SECRETS, "serving-cert-3", OPERAND.namespace) is None

    fleet.run_until(lambda s: at_latest(s) and s.latest_available_revision == 6)
    # All run 6; master-0 would fall back to 2, the others to 1: both stay.
    assert [node.installer.installed().previous for node in fleet.nodes] == [2, 1, 1]  # type: ignore[union-attr]
    assert kept() == [1, 2, 4, 5, 6]

    fleet.set_log_level("Trace")
    fleet.run_until(lambda s: at_latest(s) and s.latest_available_revision == 7)
    fleet.step()
    # All run 7 and would fall back to 6: the three newest are all that is left.
    assert kept() == [5, 6]
    assert fleet.cluster.get(CONFIGMAPS, "kube-scheduler-pod-7", OPERAND.namespace) is not None


def test_a_lost_status_write_adopts_the_revision_instead_of_copying_again(tmp_path: Path) -> None:
    fleet = Fleet(tmp_path, rule=lambda node, revision: True)
    fleet.cluster.run(fleet.operator, fleet.now)
    fleet.cluster.run(fleet.controller, fleet.now)
    assert fleet.status().latest_available_revision == 1

    def forget(client: Any) -> None:  # as if the run's status write never landed
        obj = client.get(KUBESCHEDULERS, "cluster")
        client.update_status(KUBESCHEDULERS, {**obj, "status": {}})

    fleet.cluster.write(forget)
    fleet.cluster.run(fleet.controller, fleet.now)

    assert fleet.status().latest_available_revision == 1
    assert fleet.cluster.get(CONFIGMAPS, "kube-scheduler-pod-2", OPERAND.namespace) is None
