"""Bridges between mom transports and httpx2, in both directions.

* :class:`Httpx2Transport` lets lightkube (or any httpx2 client) talk to a mom transport, e.g. a
  snapshot that records writes — operator code keeps its usual client.
* :class:`LiveTransport` sends mom's lean client's requests to a real kube-apiserver named by a
  kubeconfig, through lightkube's configuration handling (auth, TLS, exec plugins).

This module imports httpx2 and lightkube; nothing on an operator's per-run path imports it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
from lightkube import Client as LightkubeClient
from lightkube.config import client_adapter
from lightkube.config.kubeconfig import KubeConfig
from lightkube.config.models import Cluster, User
from lightkube.core.exceptions import ConfigError

from mom.api.errors import Fenced, InvalidInput, MomError
from mom.client.messages import ApiRequest, ApiResponse, Transport

SNAPSHOT_SERVER = "http://snapshot.mom.invalid"
"""The base URL lightkube is given for a snapshot; requests never leave the process."""


class Httpx2Transport(httpx2.BaseTransport):
    """An httpx2 transport answering every request from a mom :class:`Transport`."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        body = request.read()
        api_request = ApiRequest(
            method=request.method,
            path=request.url.path,
            query=tuple(request.url.params.multi_items()),
            headers=dict(request.headers),
            body=body,
        )
        response = self._transport.handle(api_request)
        return httpx2.Response(
            response.status, headers={"Content-Type": response.content_type}, content=response.body
        )


def lightkube_client(transport: Transport, *, field_manager: str | None = None) -> Any:
    """A lightkube ``Client`` whose every request is answered by ``transport``."""
    config = KubeConfig.from_one(cluster=Cluster(server=SNAPSHOT_SERVER), user=User()).get()
    return LightkubeClient(
        config=config, transport=Httpx2Transport(transport), field_manager=field_manager, trust_env=False
    )


_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class LiveTransport:
    """A live kube-apiserver, addressed through a kubeconfig file and context.

    ``user_agent`` names the process to the server (its audit log records it). With
    ``write_budget`` (seconds this process may still write, e.g. what is left of its lease), every
    write is checked first — none is sent once the budget is spent (:class:`Fenced`) — and waits
    for its answer no longer than the budget.
    """

    def __init__(
        self,
        kubeconfig: Path,
        context: str | None = None,
        *,
        timeout: float = 30.0,
        user_agent: str = "",
        write_budget: Callable[[], float] | None = None,
    ) -> None:
        try:
            config = KubeConfig.from_file(kubeconfig).get(context_name=context)
            if config is None:
                raise ValueError("no context selected")
        except (ConfigError, OSError, ValueError) as exc:
            raise InvalidInput(str(kubeconfig), [f"unusable kubeconfig: {exc}"]) from exc
        params = client_adapter.ConnectionParams(timeout=httpx2.Timeout(timeout), trust_env=False)
        self._client = client_adapter.Client(config, params)
        self._timeout = timeout
        self._user_agent = user_agent
        self._write_budget = write_budget

    def handle(self, request: ApiRequest) -> ApiResponse:
        headers = dict(request.headers)
        if self._user_agent:
            headers["User-Agent"] = self._user_agent
        timeout, extensions = self._timeout, {}
        budget = self._write_budget
        if budget is not None and request.method in _WRITES:
            timeout = min(timeout, _within(budget, request))

            def last_check(event: str, _info: object) -> None:
                # Called by the HTTP stack just before the request's headers, then its body,
                # are written to the socket: the server acts on nothing without the whole body.
                if event.endswith(("send_request_headers.started", "send_request_body.started")):
                    _within(budget, request)

            extensions["trace"] = last_check
        try:
            response = self._client.request(
                request.method,
                request.path,
                params=list(request.query),
                headers=headers,
                content=request.body or None,
                timeout=httpx2.Timeout(timeout),
                extensions=extensions,
            )
        except httpx2.HTTPError as exc:
            raise MomError(f"{request.method} {request.path}: {exc}") from exc
        return ApiResponse(response.status_code, response.content, response.headers.get("content-type", ""))

    def close(self) -> None:
        self._client.close()


def _within(budget: Callable[[], float], request: ApiRequest) -> float:
    """What is left of ``budget``, or :class:`Fenced` when nothing is."""
    left = budget()
    if left <= 0:
        raise Fenced(f"{request.method} {request.path}: not sent: this process may no longer write")
    return left
