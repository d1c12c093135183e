"""Fixtures of the static pod tests: an unreachable kube-apiserver and a switchable probe endpoint."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mom.client.client import Client
from mom.live.transport import LiveTransport


@pytest.fixture
def unreachable_api(tmp_path: Path) -> Iterator[Client]:
    """A real client whose kube-apiserver does not answer: a kubeconfig naming a closed port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: down\n"
        f"clusters: [{{name: down, cluster: {{server: 'https://127.0.0.1:{port}', insecure-skip-tls-verify: true}}}}]\n"
        "users: [{name: u, user: {token: t}}]\n"
        "contexts: [{name: down, context: {cluster: down, user: u}}]\n"
    )
    transport = LiveTransport(kubeconfig, timeout=2.0)
    yield Client(transport)
    transport.close()


class Health:
    """A probe endpoint whose answer the test switches."""

    def __init__(self) -> None:
        self.healthy = False
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200 if outer.healthy else 503)
                self.end_headers()

            def log_message(self, *_args: object) -> None:
                return None

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/healthz"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def health() -> Iterator[Health]:
    endpoint = Health()
    yield endpoint
    endpoint.server.shutdown()
    endpoint.server.server_close()
