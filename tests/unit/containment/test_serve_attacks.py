"""Attacks on ``mom serve``, made against the real server on 127.0.0.1.

Covers: a POST whose name holds ``/`` (422 Status) and a valid 253-character name (201,
recorded whole), each followed by a write that is still answered and recorded; a body
declared larger than the cap (413 before it is read) and a chunked body that grows past it
(413 once the cap is passed, the connection closed long before the client has sent it all,
and the server's memory peak stays within a few times the cap);
request paths holding NUL, ``..``, an encoded ``/`` (400 Status); a client that trickles its
request line, one that connects and says nothing, and one that stops sending its body (each
disconnected, or answered 408, within a bounded time); the CLI refusing absurd limits.
Every error is a kube ``Status`` JSON body.
"""

from __future__ import annotations

import json
import socket
import time
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2
import pytest

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.cli.main import main
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import read_mutation_dir
from mom.server.intake import Limits
from mom.server.runner import RunningServer, build_app, start_in_thread

NOW = datetime(2024, 1, 10, tzinfo=UTC)
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CAP = 64 * 1024
TIMEOUT = 1.0


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RunningServer]:
    snapshot = Snapshot.from_objects(
        [
            (
                ObjectRef(NAMESPACES, "", "ns"),
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}},
            )
        ]
    )
    app = build_app(snapshot, lambda: NOW, tmp_path / "out", False, Limits(CAP, TIMEOUT))
    running = start_in_thread(app)
    try:
        yield running
    finally:
        running.stop()


def _address(server: RunningServer) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _configmap(name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}}


def _status(response: httpx2.Response, code: int, reason: str) -> dict[str, object]:
    assert response.status_code == code, response.text
    assert response.headers["content-type"] == "application/json"
    body = json.loads(response.text)
    assert body["kind"] == "Status" and body["code"] == code and body["reason"] == reason
    return body


def _recorded_names(out: Path) -> list[str]:
    return sorted(request.name for request in read_mutation_dir(out))


def test_bad_and_long_names_never_break_later_writes(server: RunningServer, tmp_path: Path) -> None:
    long_name = "a" * 253
    with httpx2.Client(base_url=server.url, timeout=10) as client:
        url = "/api/v1/namespaces/ns/configmaps"
        body = _status(client.post(url, json=_configmap("a/b")), 422, "Invalid")
        assert 'metadata.name: Invalid value: "a/b"' in str(body["message"])
        _status(client.post(url, json=_configmap("b" * 254)), 422, "Invalid")
        _status(client.put(f"{url}/..", json=_configmap("..")), 422, "Invalid")
        assert client.post(url, json=_configmap(long_name)).status_code == 201
        assert client.post(url, json=_configmap("after")).status_code == 201
    assert _recorded_names(tmp_path / "out") == sorted(["after", long_name])


def test_body_over_the_cap_is_refused_unread(server: RunningServer, tmp_path: Path) -> None:
    with httpx2.Client(base_url=server.url, timeout=10) as client:
        big = json.dumps(_configmap("big") | {"data": {"k": "x" * (CAP + 1)}}).encode()
        response = client.post("/api/v1/namespaces/ns/configmaps", content=big)
        body = _status(response, 413, "RequestEntityTooLarge")
        assert f"larger than {CAP} bytes" in str(body["message"])
        assert response.headers["connection"] == "close"
        assert client.post("/api/v1/namespaces/ns/configmaps", json=_configmap("small")).status_code == 201
    assert _recorded_names(tmp_path / "out") == ["small"]


def test_streamed_body_is_cut_off_at_the_cap(server: RunningServer) -> None:
    """A chunked body of up to 256 MB: the server answers 413 and closes long before the end."""
    chunk = b"x" * 65536
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    sent = 0
    tracemalloc.start()  # the server runs in this process: its allocations are traced too
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/namespaces/ns/configmaps HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        try:
            while sent < 256 * 1024 * 1024:
                sock.sendall(framed)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        reply = _read_until_closed(sock)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert sent < 64 * 1024 * 1024, f"the server kept reading: {sent} bytes sent"
    assert peak < 8 * 1024 * 1024, f"{peak} bytes held at the peak for a {CAP}-byte cap"
    assert reply.startswith(b"HTTP/1.1 413 "), reply[:200]
    assert b'"reason":"RequestEntityTooLarge"' in reply


def _read_until_closed(sock: socket.socket, limit: float = 10.0) -> bytes:
    data = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            piece = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not piece:
            break
        data += piece
    return data


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/namespaces/%00/configmaps",
        "/api/v1/namespaces/ns/configmaps/..",
        "/api/v1/namespaces/a%2Fb/configmaps",
        "/api/v1/namespaces/ns/configmaps/a%2F..%2Fb",
        "/apis/./v1/widgets",
        "/api/v1/namespaces/ns/configmaps/" + "n" * 2000,
    ],
)
def test_malformed_paths_are_400(server: RunningServer, path: str) -> None:
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = _read_until_closed(sock)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 "), reply[:200]
    status = json.loads(body)
    assert status["kind"] == "Status" and status["reason"] == "BadRequest"


@pytest.mark.parametrize("opening", [b"", b"GET /api HTTP/1.1\r\nHo"])
def test_clients_that_stall_before_their_headers_end_are_disconnected(
    server: RunningServer, opening: bytes
) -> None:
    started = time.monotonic()
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(opening)
        trickled = 0
        closed = False
        while time.monotonic() - started < 8:  # a byte every 0.2 s would never end on its own
            try:
                sock.sendall(b"x")
                trickled += 1
                time.sleep(0.2)
                sock.setblocking(False)
                try:
                    closed = sock.recv(1024) == b""
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
            except (BrokenPipeError, ConnectionResetError):
                closed = True
            if closed:
                break
    elapsed = time.monotonic() - started
    assert closed, "the trickling connection was never closed"
    assert TIMEOUT <= elapsed < TIMEOUT + 4, elapsed


def test_a_body_that_stops_coming_is_answered_408(server: RunningServer) -> None:
    started = time.monotonic()
    with socket.create_connection(_address(server), timeout=10) as sock:
        sock.sendall(
            b"POST /api/v1/namespaces/ns/configmaps HTTP/1.1\r\nHost: x\r\n"
            b'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"apiVersion"'
        )
        reply = _read_until_closed(sock)
    assert reply.startswith(b"HTTP/1.1 408 "), reply[:200]
    assert b'"kind":"Status"' in reply
    assert time.monotonic() - started < TIMEOUT + 4


@pytest.mark.parametrize(
    ("flag", "value"), [("--max-body-bytes", "0"), ("--request-timeout", "nan"), ("--request-timeout", "-1")]
)
def test_absurd_limits_are_one_line(
    flag: str, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "namespaces").mkdir()
    assert main(["serve", "--no-cache", "--must-gather-dir", str(tmp_path), flag, value]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"mom: error: {flag}: must be")
