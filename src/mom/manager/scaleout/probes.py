"""The HTTP endpoint a pod's probes and a metrics scraper use: ``/healthz``, ``/readyz``, ``/metrics``.

``/healthz`` answers 200 while the process shows signs of life (a tick, or a standby's attempt at
the Lease) within ``stale_after`` seconds, else 503, so the kubelet restarts a wedged manager.
``/readyz`` answers 200 once the configuration is loaded. ``/metrics`` serves the text of the last
tick's Prometheus metrics. Nothing else is served; request bodies are never read.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from mom.api.errors import InvalidInput

if TYPE_CHECKING:
    from http.server import ThreadingHTTPServer

Monotonic = Callable[[], float]


class Probes:
    """What the endpoint reports; updated by the manager's loop, read by the server's threads."""

    def __init__(self, monotonic: Monotonic, stale_after: float) -> None:
        self._monotonic = monotonic
        self._stale_after = stale_after
        self._lock = threading.Lock()
        self._beat = monotonic()
        self._metrics = ""

    def beat(self, metrics: str | None = None) -> None:
        with self._lock:
            self._beat = self._monotonic()
            if metrics is not None:
                self._metrics = metrics

    def answer(self, path: str) -> tuple[int, str]:
        with self._lock:
            alive = self._monotonic() - self._beat <= self._stale_after
            metrics = self._metrics
        if path == "/healthz":
            return (200, "ok\n") if alive else (503, "no tick or lease attempt lately\n")
        if path == "/readyz":
            return 200, "ok\n"
        if path == "/metrics":
            return 200, metrics
        return 404, "not found\n"


def parse_address(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``:PORT`` for every address)."""
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise InvalidInput("--probe-address", [f'Invalid value: "{value}": want HOST:PORT'])
    return host or "0.0.0.0", int(port)


def serve_probes(probes: Probes, address: tuple[str, int]) -> ThreadingHTTPServer:
    """Serve ``probes`` at ``address`` on a daemon thread; ``shutdown()`` the result to stop."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer  # only a served probe needs HTTP

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, text = probes.answer(self.path.partition("?")[0])
            body = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: quiet
            return

    try:
        server = ThreadingHTTPServer(address, Handler)
    except OSError as exc:
        raise InvalidInput(
            "--probe-address", [f"cannot listen on {address[0]}:{address[1]}: {exc.strerror}"]
        ) from exc
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="mom-probes", daemon=True).start()
    return server
