"""The served HTTP API, spoken to directly over loopback.

Covers: legacy and aggregated discovery, /apis/<group>, /version, the OpenAPI v3 index and
group-version documents; LIST with a resource version and label selector; Table output when
asked for; Status errors 404, 405, 409 (AlreadyExists, stale resourceVersion), 415 (protobuf)
and 422; WATCH with initial events, the initial-events-end bookmark and the timeout; with
--mutable, a create seen by GET and by an open watch, and an update with the current version;
an update and a delete seen by an open watch as MODIFIED and DELETED; a selector that does not
parse is the same 400 BadRequest from the server (object list, Table, watch) and from the
snapshot transport operators read through; a write that cannot be recorded is a 500 and is not
made either.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.client.messages import ApiRequest
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import read_mutation_dir
from mom.serialization import dump_json, load_json
from mom.server.runner import RunningServer, build_app, start_in_thread

NOW = datetime(2024, 1, 10, tzinfo=UTC)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NS = "ns1"


def _cm(name: str, **labels: str) -> dict:
    meta = {"name": name, "namespace": NS, "resourceVersion": "5", "labels": labels}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": name}}


OBJECTS = [
    (
        ObjectRef(GroupVersionResource("", "v1", "namespaces"), "", NS),
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NS}},
    ),
    (ObjectRef(CONFIGMAPS, NS, "a"), _cm("a", app="x")),
    (ObjectRef(CONFIGMAPS, NS, "b"), _cm("b", app="y")),
]


def _start(tmp_path: Path, mutable: bool) -> Iterator[tuple[httpx2.Client, Path]]:
    output = tmp_path / "out"
    server: RunningServer = start_in_thread(
        build_app(Snapshot.from_objects(OBJECTS), lambda: NOW, output, mutable)
    )
    try:
        with httpx2.Client(base_url=server.url, timeout=10) as client:
            yield client, output
    finally:
        server.stop()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[httpx2.Client, Path]]:
    yield from _start(tmp_path, mutable=False)


@pytest.fixture
def mutable(tmp_path: Path) -> Iterator[tuple[httpx2.Client, Path]]:
    yield from _start(tmp_path, mutable=True)


def _json(response: httpx2.Response) -> dict:
    assert response.headers["content-type"].startswith("application/json")
    return load_json(response.content, "response")


def test_discovery(served) -> None:
    client, _ = served
    assert _json(client.get("/api"))["versions"] == ["v1"]
    groups = _json(client.get("/apis"))
    assert groups["kind"] == "APIGroupList" and groups["groups"]
    first = groups["groups"][0]["name"]
    assert _json(client.get(f"/apis/{first}"))["kind"] == "APIGroup"
    aggregated = client.get(
        "/api", headers={"Accept": "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"}
    )
    assert "APIGroupDiscoveryList" in aggregated.headers["content-type"]
    assert any(
        r["resource"] == "configmaps"
        for r in load_json(aggregated.content, "a")["items"][0]["versions"][0]["resources"]
    )
    assert _json(client.get("/api/v1"))["kind"] == "APIResourceList"
    assert _json(client.get("/version"))["major"] == "1"
    index = _json(client.get("/openapi/v3"))["paths"]
    v1 = _json(client.get(index["api/v1"]["serverRelativeURL"]))
    patch = v1["paths"]["/api/v1/namespaces/{namespace}/configmaps/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"]["kind"] == "ConfigMap"
    assert {"name": "fieldValidation", "in": "query"}.items() <= patch["parameters"][2].items()
    assert client.get("/openapi/v2").status_code == 404


def test_list_and_table(served) -> None:
    client, _ = served
    listed = _json(client.get(f"/api/v1/namespaces/{NS}/configmaps", params={"labelSelector": "app=y"}))
    assert listed["kind"] == "ConfigMapList" and listed["metadata"]["resourceVersion"]
    assert [i["metadata"]["name"] for i in listed["items"]] == ["b"]
    table = _json(
        client.get("/api/v1/configmaps", headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"})
    )
    assert table["kind"] == "Table" and [r["cells"][0] for r in table["rows"]] == ["a", "b"]


def test_status_errors(served) -> None:
    client, _ = served
    missing = client.get(f"/api/v1/namespaces/{NS}/configmaps/nope")
    assert missing.status_code == 404 and _json(missing)["reason"] == "NotFound"
    assert client.post("/version").status_code == 405
    assert _json(client.post("/version"))["kind"] == "Status"
    protobuf = client.post(
        f"/api/v1/namespaces/{NS}/configmaps",
        content=b"k8s\x00",
        headers={"Content-Type": "application/vnd.kubernetes.protobuf"},
    )
    assert protobuf.status_code == 415
    invalid = client.post(
        f"/api/v1/namespaces/{NS}/configmaps", content=b"[1]", headers={"Content-Type": "application/json"}
    )
    assert invalid.status_code == 422 and _json(invalid)["reason"] == "Invalid"
    assert client.get("/api/v1/nothings").status_code == 404


def _events(client: httpx2.Client, params: dict[str, str]) -> list[dict]:
    with client.stream(
        "GET", f"/api/v1/namespaces/{NS}/configmaps", params={"watch": "1", **params}
    ) as response:
        assert response.status_code == 200
        return [load_json(line.encode(), "event") for line in response.iter_lines() if line]


def test_watch_initial_events_then_bookmark_then_end(served) -> None:
    client, _ = served
    events = _events(
        client,
        {
            "sendInitialEvents": "true",
            "allowWatchBookmarks": "true",
            "timeoutSeconds": "1",
            "resourceVersionMatch": "NotOlderThan",
        },
    )
    assert [e["type"] for e in events] == ["ADDED", "ADDED", "BOOKMARK"]
    assert events[2]["object"]["metadata"]["annotations"] == {"k8s.io/initial-events-end": "true"}
    assert events[2]["object"]["kind"] == "ConfigMap"
    assert _events(client, {"resourceVersion": "5", "timeoutSeconds": "1"}) == []


def _watching(client: httpx2.Client) -> tuple[threading.Thread, list[list[dict]]]:
    """A watch from resourceVersion 5 for two seconds, open once this returns; its events land in the list."""
    seen: list[list[dict]] = []
    watcher = threading.Thread(
        target=lambda: seen.append(_events(client, {"resourceVersion": "5", "timeoutSeconds": "2"}))
    )
    watcher.start()
    threading.Event().wait(0.5)
    return watcher, seen


def test_mutable_create_is_seen_by_get_and_watch(mutable) -> None:
    client, output = mutable
    watcher, seen = _watching(client)
    body = dump_json({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"n": "1"}})
    created = client.post(
        f"/api/v1/namespaces/{NS}/configmaps", content=body, headers={"Content-Type": "application/json"}
    )
    assert created.status_code == 201
    again = client.post(
        f"/api/v1/namespaces/{NS}/configmaps", content=body, headers={"Content-Type": "application/json"}
    )
    assert again.status_code == 409 and _json(again)["reason"] == "AlreadyExists"
    current = _json(client.get(f"/api/v1/namespaces/{NS}/configmaps/c"))
    assert current["data"] == {"n": "1"} and current["metadata"]["namespace"] == NS
    watcher.join()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in seen[0]] == [("ADDED", "c")]
    stale = {**current, "metadata": {**current["metadata"], "resourceVersion": "1"}}
    conflict = client.put(
        f"/api/v1/namespaces/{NS}/configmaps/c",
        content=dump_json(stale),
        headers={"Content-Type": "application/json"},
    )
    assert conflict.status_code == 409 and _json(conflict)["reason"] == "Conflict"
    fresh = {**current, "data": {"n": "2"}}
    assert (
        client.put(
            f"/api/v1/namespaces/{NS}/configmaps/c",
            content=dump_json(fresh),
            headers={"Content-Type": "application/json"},
        ).status_code
        == 200
    )
    assert _json(client.get(f"/api/v1/namespaces/{NS}/configmaps/c"))["data"] == {"n": "2"}
    assert [r.action.value for r in read_mutation_dir(output)] == ["Create", "Update"]


def test_mutable_update_and_delete_are_seen_by_a_watch(mutable) -> None:
    client, _ = mutable
    watcher, seen = _watching(client)
    patched = client.patch(
        f"/api/v1/namespaces/{NS}/configmaps/a",
        content=dump_json({"data": {"k": "changed"}}),
        headers={"Content-Type": "application/merge-patch+json"},
    )
    assert patched.status_code == 200 and _json(patched)["data"] == {"k": "changed"}
    deleted = client.delete(f"/api/v1/namespaces/{NS}/configmaps/b")
    assert deleted.status_code == 200 and _json(deleted)["metadata"]["name"] == "b"
    watcher.join()
    events = [(e["type"], e["object"]["metadata"]["name"]) for e in seen[0]]
    assert events == [("MODIFIED", "a"), ("DELETED", "b")]
    assert seen[0][0]["object"]["metadata"]["resourceVersion"] == "6"
    assert client.get(f"/api/v1/namespaces/{NS}/configmaps/b").status_code == 404


def test_a_bad_selector_is_the_same_bad_request_everywhere(served) -> None:
    client, _ = served
    path = f"/api/v1/namespaces/{NS}/configmaps"
    transport = SnapshotTransport(Snapshot.from_objects(OBJECTS), MutationRecorder())
    for params in ({"labelSelector": "app in (x"}, {"fieldSelector": "spec.nodeName=n"}):
        direct = transport.handle(ApiRequest("GET", path, tuple(params.items())))
        table = {"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
        answers = [
            client.get(path, params=params),
            client.get(path, params=params, headers=table),
            client.get(path, params={**params, "watch": "1"}),
        ]
        assert direct.status == 400 and load_json(direct.body, "status")["reason"] == "BadRequest"
        for answer in answers:
            assert answer.status_code == 400
            assert _json(answer)["message"] == load_json(direct.body, "status")["message"]


def test_a_write_that_cannot_be_recorded_is_not_made(tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.write_text("a file where the recording directory should be")
    server = start_in_thread(build_app(Snapshot.from_objects(OBJECTS), lambda: NOW, output, mutable=True))
    try:
        with httpx2.Client(base_url=server.url, timeout=10) as client:
            body = dump_json({"metadata": {"name": "c"}, "data": {"n": "1"}})
            created = client.post(
                f"/api/v1/namespaces/{NS}/configmaps",
                content=body,
                headers={"Content-Type": "application/json"},
            )
            assert created.status_code == 500 and "cannot be recorded" in _json(created)["message"]
            assert client.get(f"/api/v1/namespaces/{NS}/configmaps/c").status_code == 404
    finally:
        server.stop()
