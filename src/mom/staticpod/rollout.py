"""Rolling the latest revision out one node at a time: the installer controller's decisions.

A pure function of the status, the nodes, their mirror pods and ``now``:

* a node whose mirror pod runs its target revision and has been Ready for ``minReadySeconds``
  gets ``currentRevision`` = target, and its target is cleared;
* a node whose mirror pod says it fell back from its target gets ``lastFailedRevision``, the
  time, reason and counts, and its target is cleared; the rollout then stops there, and
  ``StaticPodFallbackRevisionDegraded`` is True until a newer revision is made;
* when no node has a target, the node furthest behind (then by name) is given the latest
  revision — unless that revision failed somewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from mom.api.timestamps import rfc3339
from mom.staticpod.mirror import MirrorPod
from mom.staticpod.status import Condition, NodeStatus, StaticPodStatus

PROGRESSING = "NodeInstallerProgressing"
FALLBACK_DEGRADED = "StaticPodFallbackRevisionDegraded"


def plan_rollout(
    status: StaticPodStatus,
    nodes: Sequence[str],
    pods: Mapping[str, MirrorPod],
    *,
    now: datetime,
    min_ready_seconds: int,
) -> StaticPodStatus:
    """The status after observing ``pods`` and choosing the next node, if any."""
    stamp = rfc3339(now)
    observed = []
    for name in sorted(set(nodes)):
        entry = status.node(name) or NodeStatus(name)
        observed.append(_observe(entry, pods.get(name), now, stamp, min_ready_seconds))
    latest = status.latest_available_revision
    failed = [n for n in observed if latest and n.last_failed_revision == latest]
    if latest and not failed and not any(n.target_revision for n in observed):
        behind = sorted(
            (n for n in observed if n.current_revision != latest),
            key=lambda n: (n.current_revision, n.node_name),
        )
        if behind:
            chosen = replace(behind[0], target_revision=latest)
            observed = [chosen if n.node_name == chosen.node_name else n for n in observed]
    result = replace(status, node_statuses=tuple(observed))
    return _conditions(result, failed, stamp)


def _observe(
    entry: NodeStatus, pod: MirrorPod | None, now: datetime, stamp: str, min_ready: int
) -> NodeStatus:
    if pod is None:
        return entry
    target = entry.target_revision
    if target and pod.fallback_for == target:
        return replace(
            entry,
            current_revision=pod.revision,
            target_revision=0,
            last_failed_revision=target,
            last_failed_time=stamp,
            last_failed_reason=pod.fallback_reason or "NotReady",
            last_failed_count=entry.last_failed_count + 1,
            last_fallback_count=entry.last_fallback_count + 1,
            last_failed_revision_errors=(pod.fallback_message,) if pod.fallback_message else (),
        )
    settled = (
        pod.ready and pod.ready_since is not None and now - pod.ready_since >= timedelta(seconds=min_ready)
    )
    if target and pod.revision == target and settled:
        return replace(entry, current_revision=target, target_revision=0)
    if not target and settled and pod.revision != entry.current_revision and not pod.fallback_for:
        return replace(entry, current_revision=pod.revision)
    return entry


def _conditions(status: StaticPodStatus, failed: Sequence[NodeStatus], stamp: str) -> StaticPodStatus:
    latest = status.latest_available_revision
    if failed:
        text = "; ".join(
            f"node {n.node_name} fell back to revision {n.current_revision} from revision {n.last_failed_revision}"
            + (f": {n.last_failed_revision_errors[0]}" if n.last_failed_revision_errors else "")
            for n in failed
        )
        degraded = Condition(FALLBACK_DEGRADED, "True", "RevisionNotReady", f"{text}; rollout stopped")
    else:
        degraded = Condition(FALLBACK_DEGRADED, "False", "AsExpected")
    behind = [n.node_name for n in status.node_statuses if n.current_revision != latest]
    if latest and behind and not failed:
        targets = ", ".join(
            f"{n.node_name} to {n.target_revision}" for n in status.node_statuses if n.target_revision
        )
        progressing = Condition(
            PROGRESSING,
            "True",
            "NodesBehind",
            f"{len(behind)} node(s) not at revision {latest}; installing {targets}",
        )
    else:
        progressing = Condition(
            PROGRESSING, "False", "AllNodesAtLatestRevision" if not failed else "RolloutStopped"
        )
    return status.with_condition(degraded, stamp).with_condition(progressing, stamp)
