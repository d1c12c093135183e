"""The ASGI application: kube-apiserver requests answered from a :class:`MemoryTarget`.

Owns HTTP: turning an ASGI request into an :class:`~mom.client.messages.ApiRequest`, routing it
(discovery, ``/version`` and health, GET and LIST with ``Table`` output, WATCH streams, writes),
and sending JSON back — always JSON, whatever protobuf the client would have preferred.
GET and LIST are the snapshot transport's, reading the target (the snapshot, plus the writes
of ``--mutable``); a ``Table`` renders the objects the transport selected.
Runs under any ASGI server; :mod:`mom.server.runner` runs it under uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, quote

from mom.api.errors import MomError
from mom.apply.memory_target import MemoryTarget
from mom.client.messages import ApiRequest, ApiResponse, object_response, status_response
from mom.client.paths import DiscoveryPath, ResourcePath, parse_path
from mom.client.transport import SnapshotTransport, failure_response
from mom.server.discovery import discovery_response
from mom.server.intake import Limits, Refused, check_path, check_write_names, read_body
from mom.server.logs import pod_log
from mom.server.mutations import WriteHandler
from mom.server.openapi import PREFIX as OPENAPI_PREFIX
from mom.server.openapi import openapi_response
from mom.server.tables import columns_for, render_table, wants_table
from mom.server.watch import Watchers, WatchRequest, watch_events

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger(__name__)

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_HEALTH = frozenset({"/healthz", "/readyz", "/livez"})


@dataclass
class ServeApp:
    """Answers kube API requests; ``clock`` gives "now" for ages in tables."""

    target: MemoryTarget
    transport: SnapshotTransport
    writes: WriteHandler
    watchers: Watchers
    clock: Callable[[], datetime]
    limits: Limits = field(default_factory=Limits)
    version: dict[str, Any] | None = None
    """The ``/version`` answer; ``None`` leaves it to the transport."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            await self._answer(scope, receive, send)
        except Refused as refused:
            await _send_response(send, refused.response, close=True)
        except Exception:  # whatever went wrong, the client gets a Status and the server goes on
            log.exception("%s %s failed", scope.get("method"), scope.get("path"))
            await _send_response(send, status_response(500, "the server failed to answer"), close=True)

    async def _answer(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = await _request_of(scope, receive, self.limits)
        target = parse_path(request.path)
        if isinstance(target, ResourcePath):
            refusal = check_path(target)
            if refusal is not None:
                await _send_response(send, refusal)
                return
        if request.method == "GET" and isinstance(target, ResourcePath) and _is_watch(request, target):
            stream = self._watch(request, target)
            if isinstance(stream, ApiResponse):
                await _send_response(send, stream)
            else:
                await _send_stream(send, receive, stream)
            return
        await _send_response(send, self.respond(request, target))

    def respond(self, request: ApiRequest, target: ResourcePath | DiscoveryPath | None) -> ApiResponse:
        """The answer to any request but a watch."""
        if isinstance(target, ResourcePath) and request.method in _WRITES:
            return check_write_names(request, target) or self.writes.handle(request, target)
        if request.method not in ("GET", "HEAD"):
            return status_response(405, f"{request.method} {request.path} is not supported")
        if isinstance(target, DiscoveryPath):
            return discovery_response(self.transport, request, target)
        if isinstance(target, ResourcePath):
            try:
                return self._read(request, target)
            except MomError as exc:
                return failure_response(exc, target)
        path = request.path.rstrip("/")
        if path in _HEALTH:
            return ApiResponse(200, b"ok", "text/plain")
        if path == "/version" and self.version is not None:
            return object_response(self.version)
        if path.startswith(OPENAPI_PREFIX):
            return openapi_response(self.target.base, request.path)
        return self.transport.handle(request)

    def _read(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        if target.subresource == "log" and target.gvr.group == "" and target.gvr.resource == "pods":
            pod = self.target.get(target.gvr, namespace=target.namespace, name=target.name)
            return pod_log(self.target.base.root, pod, request, target, self.clock())
        if not wants_table(request.headers.get("accept", "")):
            return self.transport.handle(request)
        items = self.transport.read_objects(request, target)
        columns = columns_for(self.target.base, target.gvr)
        include = request.param("includeObject", "Metadata")
        document = render_table(columns, items, self.clock(), include, self.target.resource_version)
        return object_response(document)

    def _watch(self, request: ApiRequest, target: ResourcePath) -> AsyncIterator[bytes] | ApiResponse:
        try:
            kind = self.target.list_kind(target.gvr)
            watch = WatchRequest.of(request, target.gvr, target.namespace, target.name)
        except MomError as exc:
            return failure_response(exc, target)
        item_kind = type(kind)(kind.group, kind.version, kind.kind.removesuffix("List"))
        return watch_events(self.target, self.watchers, watch, item_kind)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.writes.log.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _is_watch(request: ApiRequest, target: ResourcePath) -> bool:
    return request.param("watch") in ("true", "1") and not target.subresource


async def _request_of(scope: Scope, receive: Receive, limits: Limits) -> ApiRequest:
    headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
    body = await read_body(receive, headers, limits)
    query = tuple(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
    # The raw path keeps an encoded "/" inside a segment apart from the separators.
    raw = scope.get("raw_path")
    path = raw.decode("latin-1").split("?", 1)[0] if raw else quote(scope["path"])
    return ApiRequest(scope["method"], path, query, headers, body)


def _headers(content_type: str) -> list[tuple[bytes, bytes]]:
    return [(b"content-type", content_type.encode("latin-1")), (b"cache-control", b"no-cache, private")]


async def _send_response(send: Send, response: ApiResponse, *, close: bool = False) -> None:
    headers = [*_headers(response.content_type), (b"content-length", str(len(response.body)).encode())]
    if close:  # the rest of the request is not read: the connection cannot carry another
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send_stream(send: Send, receive: Receive, chunks: AsyncIterator[bytes]) -> None:
    """Send ``chunks`` as they come until they end or the client goes away."""
    await send({"type": "http.response.start", "status": 200, "headers": _headers("application/json")})
    gone = asyncio.ensure_future(_disconnected(receive))
    try:
        while True:
            following = asyncio.ensure_future(anext(chunks))
            await asyncio.wait({following, gone}, return_when=asyncio.FIRST_COMPLETED)
            if gone.done():
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    await following
                return
            try:
                chunk = following.result()
            except StopAsyncIteration:
                break
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        gone.cancel()
        aclose = getattr(chunks, "aclose", None)
        if aclose is not None:
            await aclose()
