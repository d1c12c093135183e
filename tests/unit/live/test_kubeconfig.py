"""The one kubeconfig loader: what it accepts and the one line it says about what it refuses.

Covers: the current context or a named one chosen, with its server; a transport sending the
user's token to the server; a certificate file that cannot be read;
and one error line naming the file for a missing file, a document that is not a kubeconfig,
no current context, an unknown context, a context whose cluster or user is missing, an
``auth-provider`` user and an exec plugin API version mom cannot call. The same messages reach
every live command (``mom create-input-resources from-cluster`` shown here).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.cli.main import main
from mom.client.messages import ApiRequest
from mom.live.kubeconfig import load_kubeconfig
from mom.live.transport import LiveTransport
from mom.serialization import dump_json


def kubeconfig(tmp_path: Path, **overrides: Any) -> Path:
    document: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "main",
        "clusters": [
            {"name": "one", "cluster": {"server": "http://127.0.0.1:1"}},
            {"name": "two", "cluster": {"server": "http://127.0.0.1:2"}},
        ],
        "contexts": [
            {"name": "main", "context": {"cluster": "one", "user": "admin"}},
            {"name": "other", "context": {"cluster": "two", "user": "admin"}},
        ],
        "users": [{"name": "admin", "user": {"token": "secret-token"}}],
    }
    document.update(overrides)
    path = tmp_path / "kubeconfig"
    path.write_bytes(dump_json(document))
    return path


def test_the_current_context_or_the_named_one_is_chosen(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path)
    assert load_kubeconfig(path).server == "http://127.0.0.1:1"
    chosen = load_kubeconfig(path, "other")
    assert (chosen.context, chosen.server) == ("other", "http://127.0.0.1:2")


class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization", "")))
        body = b'{"kind": "Status", "status": "Success"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    seen: list[tuple[str, str]] = []
    handler = type("Handler", (_Recorder,), {"seen": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    httpd.shutdown()
    httpd.server_close()


def test_a_transport_reaches_the_server_as_the_contexts_user(
    tmp_path: Path, server: tuple[str, list[tuple[str, str]]]
) -> None:
    url, seen = server
    path = kubeconfig(tmp_path, clusters=[{"name": "one", "cluster": {"server": url}}])
    transport = LiveTransport(path)
    try:
        answer = transport.handle(ApiRequest("GET", "/api/v1/namespaces/demo/configmaps/a"))
    finally:
        transport.close()
    assert answer.status == 200
    assert seen == [("/api/v1/namespaces/demo/configmaps/a", "Bearer secret-token")]


def test_a_certificate_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    cluster = {"server": "https://127.0.0.1:1", "certificate-authority": "ca.crt"}
    path = kubeconfig(tmp_path, clusters=[{"name": "one", "cluster": cluster}])
    with pytest.raises(InvalidInput) as refused:
        LiveTransport(path)  # no ca.crt beside the kubeconfig
    assert str(refused.value).startswith(f"{path}: context 'main': unusable credentials: ")
    assert "\n" not in str(refused.value)


REFUSED = [
    ({"current-context": None}, "no current-context set and no context named"),
    ({"contexts": "main"}, "not a kubeconfig: contexts must be a list of {name, context}"),
    ({"contexts": [{"name": "main", "context": {"cluster": "gone"}}]}, "context 'main': no cluster 'gone'"),
    (
        {"contexts": [{"name": "main", "context": {"cluster": "one", "user": "nobody"}}]},
        "context 'main': no user 'nobody'",
    ),
    (
        {"users": [{"name": "admin", "user": {"auth-provider": {"name": "gcp"}}}]},
        "user 'admin': auth-provider is not supported (use a token, a client certificate or an exec plugin)",
    ),
    (
        {"users": [{"name": "admin", "user": {"exec": {"apiVersion": "example.com/v9", "command": "x"}}}]},
        "user 'admin': exec plugin apiVersion 'example.com/v9' is not supported",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSED)
def test_an_unusable_kubeconfig_is_one_line_naming_the_file(
    tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    path = kubeconfig(tmp_path, **overrides)
    with pytest.raises(InvalidInput) as refused:
        load_kubeconfig(path)
    assert str(refused.value).startswith(f"{path}: {message}")
    assert "\n" not in str(refused.value)


def test_a_missing_file_an_unknown_context_and_a_non_kubeconfig_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="kubeconfig not found"):
        load_kubeconfig(tmp_path / "absent")
    with pytest.raises(InvalidInput, match="no context 'staging'"):
        load_kubeconfig(kubeconfig(tmp_path), "staging")
    (tmp_path / "list").write_text("- a\n- b\n")
    with pytest.raises(InvalidInput, match="not a kubeconfig"):
        load_kubeconfig(tmp_path / "list")


def test_a_live_command_reports_the_loaders_line_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "input-resources.yaml"
    spec.write_text("applyConfigurationResources: {}\n")
    argv = ["create-input-resources", "from-cluster", "--kubeconfig", str(tmp_path / "absent")]
    argv += ["--input-resources", str(spec), "--output-dir", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == f"mom: error: {tmp_path / 'absent'}: kubeconfig not found\n"
