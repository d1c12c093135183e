"""The node part: install the target revision, fall back when it never becomes ready.

Covers: a target revision is installed with the running one recorded as the previous; a
revision that is not ready within the timeout is replaced by the previous one, annotated with
the failed revision and the reason, and is not installed again while it stays the target;
with the kube-apiserver unreachable (a real client to a closed port) the node still falls back
from its local copy, judging readiness by a probe URL, and reports the new revision ready;
a target with no local copy while the API is down waits instead of installing anything; a
revision whose pod template is not a Pod is reported and the running revision left alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.staticpod.conftest import Health
from tests.unit.staticpod.world import OPERAND, START, Kubelet, later, node_installer, revision_files

from mom.api.errors import MomError
from mom.client.client import Client
from mom.staticpod.files import RevisionFiles
from mom.staticpod.installer import FALLBACK_FOR, FALLBACK_REASON
from mom.staticpod.node import Action, ApiRevisionSource, NodeAgent, NodeSettings
from mom.staticpod.readiness import ProbeReadiness

TIMEOUT = 120.0


class Targets:
    """What the cluster part would tell the node: a target and the revisions' files."""

    def __init__(self) -> None:
        self.target = 0
        self.revisions: dict[int, RevisionFiles] = {n: revision_files(n, verbosity=2 + n) for n in (1, 2, 3)}

    def target_revision(self, node: str) -> int:
        return self.target

    def fetch(self, revision: int) -> RevisionFiles:
        return self.revisions[revision]


def test_a_revision_never_ready_falls_back_to_the_previous_one(tmp_path: Path) -> None:
    installer = node_installer(tmp_path, "master-0")
    kubelet = Kubelet("master-0", installer, rule=lambda node, revision: revision != 2)
    source = Targets()
    agent = NodeAgent(NodeSettings("master-0", ready_timeout=TIMEOUT), installer, kubelet, source)

    source.target = 1
    assert agent.step(START).action is Action.INSTALLED
    assert agent.step(later(START, 1)).action is Action.READY
    source.target = 2
    assert agent.step(later(START, 10)).action is Action.INSTALLED
    assert agent.step(later(START, 10 + TIMEOUT - 1)).action is Action.WAITING

    report = agent.step(later(START, 10 + TIMEOUT))

    assert (report.action, report.revision) == (Action.FELL_BACK, 1)
    pod = installer.installed()
    assert pod is not None and (pod.revision, pod.fallback_for, pod.fallback_reason) == (1, 2, "NotReady")
    notes = kubelet.manifest()["metadata"]["annotations"]  # type: ignore[index]
    assert (notes[FALLBACK_FOR], notes[FALLBACK_REASON]) == ("2", "NotReady")
    # Still the target: the node does not try the failed revision again.
    assert agent.step(later(START, 1000)).action is Action.FELL_BACK
    assert installer.installed().revision == 1  # type: ignore[union-attr]
    # A newer revision is installed, with the good revision as the one to fall back to.
    source.target = 3
    assert agent.step(later(START, 1100)).action is Action.INSTALLED
    assert installer.installed().previous == 1  # type: ignore[union-attr]


def test_with_the_api_unreachable_the_node_falls_back_from_its_local_copy(
    tmp_path: Path, unreachable_api: Client, health: Health
) -> None:
    installer = node_installer(tmp_path, "master-0")
    for revision in (1, 2):  # copied while the API still answered
        installer.stage(revision_files(revision, verbosity=2 + revision))
    installer.install(1, now="2026-03-01T11:00:00Z", previous=0)
    installer.install(2, now="2026-03-01T12:00:00Z", previous=1)
    source = ApiRevisionSource(unreachable_api, OPERAND)
    with pytest.raises(MomError):
        source.target_revision("master-0")
    agent = NodeAgent(
        NodeSettings("master-0", ready_timeout=TIMEOUT), installer, ProbeReadiness(health.url), source
    )

    waiting = agent.step(later(START, 30))
    assert waiting.action is Action.WAITING and "API is unreachable" in waiting.message
    report = agent.step(later(START, TIMEOUT))

    assert (report.action, report.revision) == (Action.FELL_BACK, 1)
    assert installer.installed().fallback_for == 2  # type: ignore[union-attr]
    assert "not ready after falling back" in agent.step(later(START, TIMEOUT + 1)).message
    health.healthy = True
    steady = agent.step(later(START, TIMEOUT + 2))
    assert (steady.action, steady.revision) == (Action.FELL_BACK, 1)
    assert steady.message.startswith("ready after falling back from revision 2")


def test_a_target_without_a_local_copy_waits_while_the_api_is_down(
    tmp_path: Path, unreachable_api: Client
) -> None:
    installer = node_installer(tmp_path, "master-0")
    installer.stage(revision_files(1))
    installer.install(1, now="2026-03-01T11:00:00Z", previous=0)

    class Offline:
        def target_revision(self, node: str) -> int:
            return 2

        def fetch(self, revision: int) -> RevisionFiles:
            return ApiRevisionSource(unreachable_api, OPERAND).fetch(revision)

    kubelet = Kubelet("master-0", installer, rule=lambda node, revision: True)
    report = NodeAgent(NodeSettings("master-0"), installer, kubelet, Offline()).step(START)

    assert report.action is Action.WAITING and "cannot copy revision 2" in report.message
    assert installer.installed().revision == 1  # type: ignore[union-attr]
    assert installer.local_revisions() == [1]


def test_a_revision_that_cannot_be_installed_leaves_the_running_one(tmp_path: Path) -> None:
    installer = node_installer(tmp_path, "master-0")
    kubelet = Kubelet("master-0", installer, rule=lambda node, revision: True)
    source = Targets()
    broken = source.revisions[2]
    source.revisions[2] = RevisionFiles(
        2, {**broken.files, "configmaps/kube-scheduler-pod/pod.yaml": b"[1, 2]"}
    )
    agent = NodeAgent(NodeSettings("master-0"), installer, kubelet, source)
    source.target = 1
    agent.step(START)
    source.target = 2

    report = agent.step(later(START, 10))

    assert (report.action, report.revision) == (Action.STUCK, 1)
    assert "cannot install revision 2" in report.message and "must be a v1 Pod" in report.message
    assert installer.installed().revision == 1  # type: ignore[union-attr]
