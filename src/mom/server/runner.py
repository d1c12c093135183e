"""Putting a :class:`ServeApp` on the network with uvicorn, in the foreground or in a thread.

Owns: building the app for a snapshot (:func:`build_app`), binding the listening socket (port 0
picks a free one, so the URL is known before serving starts), running uvicorn in the calling
thread (:func:`serve`, which handles SIGINT/SIGTERM and flushes the recorded mutations on the way
out) or in a background thread for tests and benchmarks (:func:`start_in_thread`).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import uvicorn

from mom.api.errors import MomError
from mom.apply.memory_target import MemoryTarget
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.mustgather.store import Snapshot
from mom.server.app import ServeApp
from mom.server.intake import Limits
from mom.server.mutations import MutationLog, WriteHandler
from mom.server.names import with_crd_resources
from mom.server.protocol import protocol_with_deadline
from mom.server.version import server_version
from mom.server.watch import Watchers

GRACEFUL_SHUTDOWN_SECONDS = 1
KEEP_ALIVE_SECONDS = 5
"""An idle connection is closed this long after its last response."""
MAX_HEADER_BYTES = 64 * 1024
"""Request line and headers larger than this are answered 400 and the connection closed."""


def build_app(
    snapshot: Snapshot,
    clock: Callable[[], datetime],
    output_dir: Path | None = None,
    mutable: bool = False,
    limits: Limits | None = None,
) -> ServeApp:
    """The app serving ``snapshot``; recorded writes go to ``output_dir`` when set.

    The snapshot's discovery gains the resources its CRDs define (:func:`with_crd_resources`).
    """
    snapshot.discovery = with_crd_resources(snapshot)
    watchers = Watchers()
    target = MemoryTarget(
        snapshot, "mom serve", clock=clock, tolerate_reruns=False, on_change=watchers.changed
    )
    recorder = MutationRecorder()
    transport = SnapshotTransport(target, recorder)
    writes = WriteHandler(target, transport, MutationLog(recorder, output_dir), mutable)
    version = server_version(snapshot)
    return ServeApp(target, transport, writes, watchers, clock, limits or Limits(), version)


def bind(address: str, port: int) -> socket.socket:
    """A listening TCP socket on ``address:port`` (IPv4 or IPv6); port 0 picks a free port."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it
    try:
        sock.bind((address, port))
    except OSError as exc:
        sock.close()
        raise MomError(f"cannot listen on {address}:{port}: {exc.strerror}") from exc
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket, tls: bool) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"{'https' if tls else 'http'}://{shown}:{port}"


def _config(app: ServeApp, certfile: Path | None, keyfile: Path | None) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        http=protocol_with_deadline(app.limits.request_timeout),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        lifespan="on",
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        ssl_certfile=str(certfile) if certfile else None,
        ssl_keyfile=str(keyfile) if keyfile else None,
    )


def serve(
    app: ServeApp, sock: socket.socket, certfile: Path | None = None, keyfile: Path | None = None
) -> None:
    """Serve until SIGINT or SIGTERM; the recorded mutations are flushed on the way out."""
    server = uvicorn.Server(_config(app, certfile, keyfile))
    try:
        server.run(sockets=[sock])
    finally:
        app.writes.log.flush()


@dataclass
class RunningServer:
    """A server running in a background thread; :meth:`stop` ends it."""

    url: str
    app: ServeApp
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def start_in_thread(
    app: ServeApp,
    address: str = "127.0.0.1",
    port: int = 0,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    ready_timeout: float = 10.0,
) -> RunningServer:
    """Start serving in a daemon thread and return once the server accepts connections."""
    sock = bind(address, port)
    server = uvicorn.Server(_config(app, certfile, keyfile))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="mom-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + ready_timeout
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    if not server.started:
        raise MomError(f"the server did not start within {ready_timeout}s")
    return RunningServer(url_of(sock, certfile is not None), app, server, thread)
