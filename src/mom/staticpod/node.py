"""The node part: keep one node on its target revision, and fall back when a revision never comes up.

One :meth:`NodeAgent.step` does at most one thing, decided from the manifest on disk (the
truth about what the node runs), the target revision the cluster part gave this node (when the
kube-apiserver answers) and the readiness of what is installed:

1. a new target: copy it locally (from the API) unless a local copy exists, then install it,
   recording the revision it replaces as the one to fall back to;
2. an installed revision that is ready: prune old local copies;
3. an installed revision not ready ``ready_timeout`` seconds after its install: install the
   previous revision again from its local copy, annotated with the failed revision and why.

Steps 2 and 3 need nothing from the API: with a probe URL for readiness the node installs from
local copies and falls back while the kube-apiserver is down. A revision the node fell back
from is never installed again on that node.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from mom.api.errors import MomError
from mom.api.timestamps import rfc3339
from mom.client.client import Client
from mom.staticpod.files import RevisionFiles, revision_files
from mom.staticpod.installer import InstalledPod, Installer
from mom.staticpod.operand import StaticPodOperand, revision_name
from mom.staticpod.readiness import Readiness
from mom.staticpod.status import read_status


class RevisionSource(Protocol):
    """Where a node learns its target revision and gets a revision's files; raises MomError when it cannot."""

    def target_revision(self, node: str) -> int: ...

    def fetch(self, revision: int) -> RevisionFiles: ...


class ApiRevisionSource:
    """The kube-apiserver: the operator resource's ``nodeStatuses`` and the revision copies."""

    def __init__(self, client: Client, operand: StaticPodOperand) -> None:
        self._client, self._operand = client, operand

    def target_revision(self, node: str) -> int:
        ref = self._operand.operator
        obj = self._client.get(ref.gvr, ref.name)
        entry = read_status(obj, f"{ref.resource}/{ref.name}").node(node)
        return entry.target_revision if entry else 0

    def fetch(self, revision: int) -> RevisionFiles:
        objects = {
            name: self._client.get(gvr, revision_name(name, revision), self._operand.namespace)
            for gvr, name in self._operand.revisioned()
        }
        return revision_files(self._operand, revision, objects)


class Action(StrEnum):
    IDLE = "Idle"
    INSTALLED = "Installed"
    WAITING = "Waiting"
    READY = "Ready"
    FELL_BACK = "FellBack"
    STUCK = "Stuck"


@dataclass(frozen=True)
class NodeReport:
    action: Action
    revision: int
    message: str = ""

    def __str__(self) -> str:
        return f"{self.action.value} revision {self.revision}" + (f": {self.message}" if self.message else "")


@dataclass(frozen=True)
class NodeSettings:
    node: str
    ready_timeout: float = 300.0
    keep_revisions: int = 3


class NodeAgent:
    """Drives one node; see the module docstring."""

    def __init__(
        self, settings: NodeSettings, installer: Installer, readiness: Readiness, source: RevisionSource
    ) -> None:
        self.settings, self.installer, self._readiness, self._source = settings, installer, readiness, source

    def step(self, now: datetime) -> NodeReport:
        pod = self.installer.installed()
        try:
            target = self._source.target_revision(self.settings.node)
            offline = ""
        except MomError as exc:
            target, offline = 0, f"working from local copies, the API is unreachable ({exc})"
        if target and (pod is None or target != pod.revision) and not (pod and pod.fallback_for == target):
            return self._install(target, pod, now)
        if pod is None:
            return NodeReport(Action.IDLE, 0, offline or "no revision assigned")
        ready = self._readiness.ready(pod.revision)
        if ready:
            self.installer.prune(self.settings.keep_revisions)
        if pod.fallback_for:
            state = "ready" if ready else "not ready"
            message = f"{state} after falling back from revision {pod.fallback_for}: {pod.fallback_message}"
            return NodeReport(Action.FELL_BACK, pod.revision, message)
        if ready:
            return NodeReport(Action.READY, pod.revision, offline)
        waited = (now - _parse_time(pod.installed_at)).total_seconds() if pod.installed_at else 0.0
        if waited < self.settings.ready_timeout:
            return NodeReport(Action.WAITING, pod.revision, offline or f"not ready after {waited:g}s")
        if not pod.previous or not self.installer.has(pod.previous):
            return NodeReport(
                Action.STUCK, pod.revision, "not ready and no previous revision to fall back to"
            )
        message = f"revision {pod.revision} not ready {self.settings.ready_timeout:g}s after its install"
        self.installer.install(
            pod.previous,
            now=rfc3339(now),
            previous=pod.revision,
            fallback_for=pod.revision,
            reason="NotReady",
            message=message,
        )
        return NodeReport(Action.FELL_BACK, pod.previous, f"from revision {pod.revision}: {message}")

    def _install(self, target: int, pod: InstalledPod | None, now: datetime) -> NodeReport:
        running = pod.revision if pod else 0
        try:
            if not self.installer.has(target):
                self.installer.stage(self._source.fetch(target))
        except MomError as exc:
            return NodeReport(Action.WAITING, running, f"cannot copy revision {target}: {exc}")
        try:
            self.installer.install(target, now=rfc3339(now), previous=running)
        except MomError as exc:  # a revision that cannot be installed leaves the running one alone
            return NodeReport(Action.STUCK, running, f"cannot install revision {target}: {exc}")
        return NodeReport(Action.INSTALLED, target, f"replacing revision {running}" if running else "")


def _parse_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise MomError(f"installed-at {text!r}: not an RFC 3339 time") from exc
