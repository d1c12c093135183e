"""Pruning revisions: keep the newest few, and always what any node runs or would fall back to."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mom.staticpod.mirror import MirrorPod
from mom.staticpod.status import StaticPodStatus


def protected_revisions(status: StaticPodStatus, pods: Mapping[str, MirrorPod]) -> set[int]:
    """The latest revision, each node's current and target, and each mirror pod's own and previous."""
    protected = {status.latest_available_revision}
    for node in status.node_statuses:
        protected |= {node.current_revision, node.target_revision}
    for pod in pods.values():
        protected |= {pod.revision, pod.previous}
    return protected - {0}


def revisions_to_prune(available: Iterable[int], protected: set[int], limit: int) -> list[int]:
    """Revisions beyond the ``limit`` newest that nothing protects, oldest first."""
    ordered = sorted(set(available))
    return [r for r in ordered[: max(len(ordered) - limit, 0)] if r not in protected]
