"""A small HTTP server standing in for a kube-apiserver, and kubeconfig files.

The server answers by path: ``/slow`` answers nothing for a second, ``/watch`` streams two
lines then stays open and quiet for a second; every other path gets a JSON ``Status``. Each
request is noted as (method, path, Authorization, User-Agent) in :attr:`Server.seen`.
"""

from __future__ import annotations

import http.server
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mom.serialization import dump_json


@dataclass
class Server:
    url: str
    seen: list[tuple[str, str, str, str]] = field(default_factory=list)


def handler(server: Server) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            headers = self.headers
            server.seen.append(
                (self.command, self.path, headers.get("Authorization", ""), headers.get("User-Agent", ""))
            )
            if self.path.startswith("/slow"):
                time.sleep(1.0)
            if self.path.startswith("/watch"):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"type": "ADDED"}\n{"type": "MODIFIED"}\n')
                self.wfile.flush()
                time.sleep(1.0)
                self.close_connection = True
                return
            body = dump_json({"kind": "Status", "status": "Success"})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *_: Any) -> None:
            pass

    return Handler


def write_kubeconfig(tmp_path: Path, **overrides: Any) -> Path:
    """A kubeconfig with contexts ``main`` (current) and ``other``, user ``admin`` with a token."""
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
