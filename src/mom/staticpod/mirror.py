"""What the cluster part learns from a node: its mirror pod, as the kubelet reports it.

The kubelet mirrors the installed manifest as pod ``<name>-<node>``, with the manifest's labels
and annotations: the revision, the revision it replaced, and after a fallback the failed
revision and why. Pods come from the cluster, so anything malformed is simply not a report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mom.staticpod.installer import FALLBACK_FOR, FALLBACK_MESSAGE, FALLBACK_REASON, PREVIOUS_REVISION
from mom.staticpod.operand import REVISION_LABEL


@dataclass(frozen=True)
class MirrorPod:
    node: str
    revision: int
    ready: bool = False
    ready_since: datetime | None = None
    previous: int = 0
    fallback_for: int = 0
    fallback_reason: str = ""
    fallback_message: str = ""


def mirror_pods(pods: Iterable[Mapping[str, Any]]) -> dict[str, MirrorPod]:
    """The well-formed mirror pods by node name."""
    found: dict[str, MirrorPod] = {}
    for pod in pods:
        mirror = _mirror_pod(pod)
        if mirror is not None:
            found[mirror.node] = mirror
    return found


def _mirror_pod(pod: Mapping[str, Any]) -> MirrorPod | None:
    metadata, spec, status = (_map(pod.get(k)) for k in ("metadata", "spec", "status"))
    labels, notes = _map(metadata.get("labels")), _map(metadata.get("annotations"))
    node = spec.get("nodeName")
    revision = _number(labels.get(REVISION_LABEL))
    if not isinstance(node, str) or not node or not revision:
        return None
    ready, since = False, None
    conditions = status.get("conditions")
    for condition in conditions if isinstance(conditions, list) else []:
        if (
            isinstance(condition, dict)
            and condition.get("type") == "Ready"
            and condition.get("status") == "True"
        ):
            ready, since = True, _time(condition.get("lastTransitionTime"))
    return MirrorPod(
        node=node,
        revision=revision,
        ready=ready and since is not None,
        ready_since=since,
        previous=_number(notes.get(PREVIOUS_REVISION)),
        fallback_for=_number(notes.get(FALLBACK_FOR)),
        fallback_reason=_text(notes.get(FALLBACK_REASON)),
        fallback_message=_text(notes.get(FALLBACK_MESSAGE)),
    )


def _map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 10 else 0


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
