"""A pod's STATUS and RESTARTS as ``kubectl get pods`` shows them, computed from its status.

Owns :func:`pod_reason` — the phase unless something says more: the pod's own ``reason``
(``Evicted``), an init container's progress or failure (``Init:0/2``, ``Init:CrashLoopBackOff``,
``Init:ExitCode:1``), a container's waiting or terminated reason (``CrashLoopBackOff``,
``Completed``, ``OOMKilled``), ``NotReady`` and ``Terminating`` — and :func:`pod_restarts`,
the restart count with how long ago the last restart was (``4 (3m ago)``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from mom.mustgather.reader import Object
from mom.server.columns import age


def _dicts(value: Any) -> Iterator[Object]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, dict))


def _section(obj: Object, name: str) -> Object:
    value = obj.get(name)
    return value if isinstance(value, dict) else {}


def _state(container: Object, which: str, name: str) -> Object | None:
    value = _section(container, which).get(name)
    return value if isinstance(value, dict) else None


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _exit_reason(terminated: Object, prefix: str = "") -> str:
    signal = _number(terminated.get("signal"))
    if signal:
        return f"{prefix}Signal:{signal}"
    return f"{prefix}ExitCode:{_number(terminated.get('exitCode'))}"


def _condition_true(status: Object, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in _dicts(status.get("conditions")))


def _restartable_init(spec: Object) -> set[str]:
    """Init containers that are sidecars: they keep running beside the others."""
    return {
        str(c.get("name")) for c in _dicts(spec.get("initContainers")) if c.get("restartPolicy") == "Always"
    }


def _init_reason(spec: Object, status: Object) -> str | None:
    """The reason while init containers have not all finished; ``None`` once they have."""
    total = len(list(_dicts(spec.get("initContainers"))))
    sidecars = _restartable_init(spec)
    for index, container in enumerate(_dicts(status.get("initContainerStatuses"))):
        terminated = _state(container, "state", "terminated")
        waiting = _state(container, "state", "waiting")
        if (
            terminated is not None
            and _number(terminated.get("exitCode")) == 0
            and not terminated.get("signal")
        ):
            continue
        if container.get("name") in sidecars and container.get("started") is True:
            continue
        if terminated is not None:
            reason = terminated.get("reason")
            return (
                f"Init:{reason}" if isinstance(reason, str) and reason else _exit_reason(terminated, "Init:")
            )
        if waiting is not None and waiting.get("reason") not in (None, "", "PodInitializing"):
            return f"Init:{waiting['reason']}"
        return f"Init:{index}/{total}"
    return None


def pod_reason(pod: Object) -> str:
    """What kubectl prints in a pod's STATUS column."""
    status, spec, metadata = _section(pod, "status"), _section(pod, "spec"), _section(pod, "metadata")
    reason = str(status.get("reason") or status.get("phase") or "")
    initializing = _init_reason(spec, status)
    if initializing is not None:
        reason = initializing
    if initializing is None or _condition_true(status, "Initialized"):
        running = False
        for container in reversed(list(_dicts(status.get("containerStatuses")))):
            waiting = _state(container, "state", "waiting")
            terminated = _state(container, "state", "terminated")
            if waiting is not None and waiting.get("reason"):
                reason = str(waiting["reason"])
            elif terminated is not None and terminated.get("reason"):
                reason = str(terminated["reason"])
            elif terminated is not None:
                reason = _exit_reason(terminated)
            elif container.get("ready") and _state(container, "state", "running") is not None:
                running = True
        if reason == "Completed" and running:
            reason = "Running" if _condition_true(status, "Ready") else "NotReady"
    if metadata.get("deletionTimestamp"):
        reason = "Unknown" if status.get("reason") == "NodeLost" else "Terminating"
    return reason


def pod_restarts(pod: Object, now: datetime) -> str:
    """The restart count, with ``(<age> ago)`` of the newest restart when there was one."""
    status = _section(pod, "status")
    count = 0
    last = ""
    for container in (*_dicts(status.get("initContainerStatuses")), *_dicts(status.get("containerStatuses"))):
        count += _number(container.get("restartCount"))
        finished = (_state(container, "lastState", "terminated") or {}).get("finishedAt")
        if isinstance(finished, str) and finished > last:
            last = finished
    return f"{count} ({age(last, now)} ago)" if count and last else str(count)
