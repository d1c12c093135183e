"""The pod ``log`` subresource over a small must-gather tree written here.

Covers: the default container (only one, or the default-container annotation), ``previous``,
``timestamps``, ``tailLines``, ``sinceTime``/``sinceSeconds``, ``limitBytes``; bad options as one
400 naming every problem; a missing log as 404 (400 for ``previous``); a log file that is a link
out of the tree is never read. Also the must-gather's time (``timestamp`` file, else the newest
object time) and field selectors per resource.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.client.messages import ApiRequest
from mom.client.paths import ResourcePath
from mom.mustgather.fieldlabels import field_labels
from mom.mustgather.gathered import gathered_at
from mom.mustgather.selectors import FieldSelector
from mom.mustgather.store import Snapshot
from mom.server.logs import pod_log

PODS = GroupVersionResource("", "v1", "pods")
EVENTS = GroupVersionResource("", "v1", "events")
NOW = datetime(2021, 8, 3, 10, 0, 0, tzinfo=UTC)
LINES = [
    "2021-08-03T09:00:00.000000001Z first\n",
    "2021-08-03T09:30:00.5Z second\n",
    "  continued without a time\n",
    "2021-08-03T09:59:30Z third\n",
]


def _pod(*containers: str, annotations: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "metadata": {"name": "p", "namespace": "ns", "annotations": annotations or {}},
        "spec": {"containers": [{"name": c} for c in containers]},
    }


def _tree(tmp_path: Path, container: str = "c", previous: str | None = None) -> Path:
    logs = tmp_path / "namespaces" / "ns" / "pods" / "p" / container / container / "logs"
    logs.mkdir(parents=True)
    (logs / "current.log").write_text("".join(LINES))
    if previous is not None:
        (logs / "previous.log").write_text(previous)
    return tmp_path


def _get(root: Path, pod: dict[str, Any], **query: str) -> tuple[int, str]:
    request = ApiRequest("GET", "/api/v1/namespaces/ns/pods/p/log", tuple(query.items()), {}, b"")
    response = pod_log(root, pod, request, ResourcePath(PODS, "ns", "p", "log"), NOW)
    return response.status, response.body.decode()


def test_options_select_the_lines(tmp_path: Path) -> None:
    root = _tree(tmp_path, previous="2021-08-03T08:00:00Z before\n")
    pod = _pod("c")
    assert _get(root, pod) == (200, "first\nsecond\n  continued without a time\nthird\n")
    assert _get(root, pod, timestamps="true")[1] == "".join(LINES)
    assert _get(root, pod, tailLines="2") == (200, "  continued without a time\nthird\n")
    assert _get(root, pod, tailLines="0") == (200, "")
    assert _get(root, pod, sinceTime="2021-08-03T09:30:00Z") == (
        200,
        "second\n  continued without a time\nthird\n",
    )
    assert _get(root, pod, sinceSeconds="60") == (200, "third\n")
    assert _get(root, pod, limitBytes="3") == (200, "fir")
    assert _get(root, pod, previous="true") == (200, "before\n")


def test_container_choice(tmp_path: Path) -> None:
    root = _tree(tmp_path, container="b")
    assert _get(root, _pod("a", "b", annotations={"kubectl.kubernetes.io/default-container": "b"}))[0] == 200
    assert _get(root, _pod("a", "b"), container="b")[0] == 200
    code, body = _get(root, _pod("a", "b"))
    assert code == 400 and "a container name must be specified" in body
    code, body = _get(root, _pod("a", "b"), container="zz")
    assert code == 400 and "'zz' is not valid" in body


def test_bad_options_are_one_400(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    code, message = _get(root, _pod("c"), tailLines="-1", sinceTime="yesterday", limitBytes="x")
    assert code == 400
    assert "tailLines" in message and "sinceTime" in message and "limitBytes" in message


def test_missing_logs(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    code, body = _get(root, _pod("c"), previous="true")
    assert code == 400 and "previous terminated container" in body
    code, _ = _get(tmp_path / "elsewhere", _pod("c"))
    assert code == 404


def test_a_log_linked_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("2021-08-03T09:00:00Z do not show\n")
    root = tmp_path / "tree"
    logs = root / "namespaces" / "ns" / "pods" / "p" / "c" / "c" / "logs"
    logs.mkdir(parents=True)
    (logs / "current.log").symlink_to(secret)
    code, body = _get(root, _pod("c"))
    assert code == 404 and "do not show" not in body
    hostile = _pod("../../../../../..")
    code, body = _get(root, hostile, container="../../../../../..")
    assert "do not show" not in body


def test_gathered_at_reads_the_timestamp_file_then_object_times(tmp_path: Path) -> None:
    (tmp_path / "timestamp").write_text(
        "2021-08-03 10:12:00.016988581 +0000 UTC m=+0.38\n2021-08-03 12:13:47.5 +0200 CEST m=+99\n"
    )
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "ns"}}
    snapshot = Snapshot.from_objects([(ObjectRef(PODS, "ns", "p"), pod)])
    snapshot.root = tmp_path
    assert gathered_at(snapshot) == datetime(2021, 8, 3, 10, 13, 47, 500000, tzinfo=UTC)
    (tmp_path / "timestamp").write_text("garbage\n")
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "e", "namespace": "ns", "creationTimestamp": "2021-08-03T09:00:00Z"},
        "lastTimestamp": "2021-08-03T09:45:00Z",
    }
    snapshot = Snapshot.from_objects([(ObjectRef(EVENTS, "ns", "e"), event)])
    snapshot.root = tmp_path
    assert gathered_at(snapshot) == datetime(2021, 8, 3, 9, 45, tzinfo=UTC)
    assert gathered_at(Snapshot.from_objects([])) is None


def test_field_selectors_per_resource() -> None:
    pod = {"metadata": {"name": "p"}, "spec": {"nodeName": "n1", "hostNetwork": True}, "status": {}}
    selector = FieldSelector.parse("spec.nodeName=n1,spec.hostNetwork=true", field_labels(PODS))
    assert selector.matches(pod)
    assert not FieldSelector.parse("status.phase=Running", field_labels(PODS)).matches(pod)
    event = {
        "metadata": {"name": "e"},
        "source": {"component": "kubelet"},
        "involvedObject": {"kind": "Node"},
    }
    events = FieldSelector.parse(
        "source=kubelet,involvedObject.kind!=Pod", field_labels(EVENTS), ("", "events")
    )
    assert events.matches(event)
    with pytest.raises(InvalidInput, match=r"spec\.nodeName"):
        FieldSelector.parse("spec.nodeName=n1", field_labels(EVENTS))
