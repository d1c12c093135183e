"""Pod STATUS and RESTARTS as kubectl prints them, table-driven over the cases kubectl knows.

Covers: phase by default, the pod's own reason, a waiting or terminated container's reason,
exit codes and signals, finished pods as ``Completed``, init containers (progress, failure,
waiting reasons, restartable sidecars), ``NotReady``, ``Terminating`` and ``Unknown``, and the
restart count with the age of the last restart.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mom.server.podstatus import pod_reason, pod_restarts

NOW = datetime(2021, 8, 3, 10, 13, 47, tzinfo=UTC)


def _pod(phase: str = "Running", containers: list[Any] | None = None, **status: Any) -> dict[str, Any]:
    return {
        "metadata": {"name": "p"},
        "spec": {"containers": [{"name": "c"}], "initContainers": status.pop("init_spec", [])},
        "status": {"phase": phase, "containerStatuses": containers or [], **status},
    }


def _running(ready: bool = True) -> dict[str, Any]:
    return {"name": "c", "ready": ready, "state": {"running": {"startedAt": "2021-08-03T09:00:00Z"}}}


def _terminated(**fields: Any) -> dict[str, Any]:
    return {"name": "c", "ready": False, "state": {"terminated": fields}}


INIT_SPEC = [{"name": "i1"}, {"name": "i2"}]


@pytest.mark.parametrize(
    ("pod", "expected"),
    [
        (_pod("Running", [_running()]), "Running"),
        (_pod("Pending"), "Pending"),
        (_pod("Failed", reason="Evicted"), "Evicted"),
        (_pod("Succeeded", [_terminated(exitCode=0, reason="Completed")]), "Completed"),
        (
            _pod("Running", [{"name": "c", "state": {"waiting": {"reason": "CrashLoopBackOff"}}}]),
            "CrashLoopBackOff",
        ),
        (_pod("Failed", [_terminated(exitCode=137, reason="OOMKilled")]), "OOMKilled"),
        (_pod("Failed", [_terminated(exitCode=3)]), "ExitCode:3"),
        (_pod("Failed", [_terminated(exitCode=0, signal=9)]), "Signal:9"),
        (
            _pod(
                "Pending",
                init_spec=INIT_SPEC,
                initContainerStatuses=[
                    {"name": "i1", "state": {"terminated": {"exitCode": 0}}},
                    {"name": "i2", "state": {"running": {}}},
                ],
            ),
            "Init:1/2",
        ),
        (
            _pod(
                "Pending",
                init_spec=INIT_SPEC,
                initContainerStatuses=[{"name": "i1", "state": {"waiting": {"reason": "ImagePullBackOff"}}}],
            ),
            "Init:ImagePullBackOff",
        ),
        (
            _pod(
                "Pending",
                init_spec=INIT_SPEC,
                initContainerStatuses=[{"name": "i1", "state": {"terminated": {"exitCode": 2}}}],
            ),
            "Init:ExitCode:2",
        ),
        (
            _pod(
                "Pending",
                init_spec=INIT_SPEC,
                initContainerStatuses=[
                    {"name": "i1", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}}
                ],
            ),
            "Init:Error",
        ),
        (
            _pod(
                "Running",
                [_running()],
                init_spec=[{"name": "i1", "restartPolicy": "Always"}],
                initContainerStatuses=[{"name": "i1", "started": True, "state": {"running": {}}}],
            ),
            "Running",
        ),
        (
            _pod(
                "Running",
                [_running(), {**_terminated(exitCode=0, reason="Completed"), "name": "d"}],
                conditions=[{"type": "Ready", "status": "False"}],
            ),
            "NotReady",
        ),
        (
            {**_pod("Running", [_running()]), "metadata": {"deletionTimestamp": "2021-08-03T10:00:00Z"}},
            "Terminating",
        ),
        (
            {**_pod("Running", [_running()], reason="NodeLost"), "metadata": {"deletionTimestamp": "x"}},
            "Unknown",
        ),
        ({"status": "not a mapping"}, ""),
    ],
)
def test_pod_reason(pod: dict[str, Any], expected: str) -> None:
    assert pod_reason(pod) == expected


def test_restarts_show_the_last_restart() -> None:
    container = {
        "name": "c",
        "restartCount": 4,
        "lastState": {"terminated": {"finishedAt": "2021-08-03T10:10:47Z"}},
    }
    assert pod_restarts(_pod("Running", [container]), NOW) == "4 (3m ago)"
    assert pod_restarts(_pod("Running", [_running()]), NOW) == "0"
    assert pod_restarts(_pod("Running", [{"name": "c", "restartCount": 2}]), NOW) == "2"
