"""Typed models in a controller: a lightkube client over the run's own transport.

``typed_client(ctx)`` gives a controller a lightkube ``Client`` instead of mom's dict client.
Its requests go through the same transport as ``ctx.client`` — answered from the snapshot,
writes recorded, or sent to a live cluster — and carry the controller's identity, so what it
records is what ``ctx.client`` would record. lightkube (and httpx2) are imported only when a
controller asks for one, so operators on the dict client do not pay for them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from mom.client.messages import ApiRequest, ApiResponse, Transport
from mom.client.transport import CONTROLLER_HEADER
from mom.operator.context import RunContext


@dataclass(frozen=True)
class _AsController:
    """A transport that names the controller on every request, as ``ctx.client`` does."""

    transport: Transport
    controller_name: str

    def handle(self, request: ApiRequest) -> ApiResponse:
        headers = {**request.headers, CONTROLLER_HEADER: self.controller_name}
        return self.transport.handle(replace(request, headers=headers))


def typed_client(ctx: RunContext) -> Any:
    """A ``lightkube.Client`` for this controller run; its default field manager is the controller."""
    from mom.client.adapters import lightkube_client

    transport = _AsController(ctx.client.transport, ctx.controller_name)
    return lightkube_client(transport, field_manager=ctx.controller_name)
