"""kube ``Status`` failure bodies with a reason and details, as the apiserver sends them.

Owns :func:`status`: like :func:`mom.client.messages.status_response` but with a caller-chosen
reason (``AlreadyExists``, ``Conflict``, ``MethodNotAllowed``...) and ``details`` naming the object.
"""

from __future__ import annotations

from typing import Any

from mom.client.messages import ApiResponse
from mom.client.paths import ResourcePath
from mom.serialization import dump_json


def status(code: int, reason: str, message: str, target: ResourcePath | None = None) -> ApiResponse:
    """A failure ``Status`` with ``reason``; ``details`` name the addressed object when known."""
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }
    if target is not None:
        details: dict[str, Any] = {"kind": target.gvr.resource}
        if target.gvr.group:
            details["group"] = target.gvr.group
        if target.name:
            details["name"] = target.name
        body["details"] = details
    return ApiResponse(code, dump_json(body))
