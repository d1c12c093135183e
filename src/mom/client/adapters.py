"""A bridge from httpx2 to mom transports, for operators written against lightkube.

:class:`Httpx2Transport` lets lightkube (or any httpx2 client) talk to a mom transport, e.g. a
snapshot that records writes — operator code keeps its usual client; :func:`lightkube_client`
builds such a client. A live cluster is reached through :mod:`mom.live.transport` instead.

This module imports httpx2 and lightkube; nothing on an operator's per-run path imports it.
"""

from __future__ import annotations

from typing import Any

import httpx2
from lightkube import Client as LightkubeClient
from lightkube.config.kubeconfig import KubeConfig
from lightkube.config.models import Cluster, User

from mom.client.messages import ApiRequest, Transport

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
