"""HTTP-shaped request and response values exchanged with a transport, and kube ``Status`` bodies.

Owns :class:`ApiRequest`, :class:`ApiResponse`, the :class:`Transport` protocol and
:func:`status_response`, the one builder of ``Status`` failures for the transports and the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from mom.api.values import Frozen
from mom.client.paths import ResourcePath
from mom.serialization import dump_json

JSON = "application/json"


class ApiRequest(Frozen):
    """One Kubernetes API request as the transport receives it."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]
    body: bytes

    __slots__ = ("body", "headers", "method", "path", "query")

    def __init__(
        self,
        method: str,
        path: str,
        query: tuple[tuple[str, str], ...] = (),
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "query", query)
        object.__setattr__(self, "headers", {} if headers is None else headers)
        object.__setattr__(self, "body", body)

    def param(self, name: str, default: str = "") -> str:
        for key, value in self.query:
            if key == name:
                return value
        return default

    def header(self, name: str, default: str = "") -> str:
        """A header's value; names are case-insensitive, as in HTTP."""
        wanted = name.lower()
        return next((value for key, value in self.headers.items() if key.lower() == wanted), default)

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";", 1)[0].strip()


class ApiResponse(Frozen):
    """The transport's answer: HTTP status, body and its content type."""

    status: int
    body: bytes
    content_type: str

    __slots__ = ("body", "content_type", "status")

    def __init__(self, status: int, body: bytes, content_type: str = JSON) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "content_type", content_type)


class Transport(Protocol):
    """Anything that answers kube-apiserver requests: a snapshot, a recorder, a live cluster."""

    def handle(self, request: ApiRequest) -> ApiResponse: ...


_REASONS = {
    400: "BadRequest",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    408: "Timeout",
    409: "Conflict",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    500: "InternalError",
}


def status_response(
    code: int, message: str, target: ResourcePath | None = None, *, reason: str = ""
) -> ApiResponse:
    """A failure as the kube-apiserver reports it: a ``Status`` object with a reason and the code.

    ``reason`` defaults to the code's usual one (``AlreadyExists`` is the one 409 that is not
    ``Conflict``); ``details`` name the addressed resource and object when ``target`` is given.
    """
    status: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason or _REASONS.get(code, "InternalError"),
        "code": code,
    }
    if target is not None:
        details: dict[str, Any] = {"kind": target.gvr.resource}
        if target.gvr.group:
            details["group"] = target.gvr.group
        if target.name:
            details["name"] = target.name
        status["details"] = details
    return ApiResponse(code, dump_json(status))


def object_response(obj: Any, code: int = 200) -> ApiResponse:
    return ApiResponse(code, dump_json(obj))
