"""Fixtures of the live package's unit tests: a stand-in server and a kubeconfig naming it."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_support import Server, handler, write_kubeconfig


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    found = Server(f"http://127.0.0.1:{httpd.server_address[1]}")
    httpd.RequestHandlerClass = handler(found)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield found
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def kubeconfig(tmp_path: Path, server: Server) -> Path:
    """A kubeconfig whose current context is ``server``."""
    return write_kubeconfig(tmp_path, clusters=[{"name": "one", "cluster": {"server": server.url}}])
