"""Taking a request in: its path checked, its body read under a byte cap and a deadline.

Owns: :class:`Limits` (what one request may cost the server), :func:`read_body` (streams the
body from ASGI, never holding more than the cap, giving up at the deadline), :func:`check_path`
(400 for what no kube-apiserver path holds: NUL and control characters, ``.``/``..``, empty
or over-long segments, an encoded ``/`` inside a segment) and :func:`check_write_names` (422
for object names that are not one path segment or exceed 253 characters, as the apiserver's
``ValidatePathSegmentName`` and name-length rules refuse them).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from mom.api.errors import InvalidInput
from mom.client.messages import ApiRequest, ApiResponse, status_response
from mom.client.paths import ResourcePath
from mom.serialization import load_document

Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]

MAX_NAME_LENGTH = 253
"""Longest object name Kubernetes accepts (a DNS subdomain)."""
MAX_SEGMENT_LENGTH = 1024
"""Longest path segment served; longer ones are no name, group or resource at all."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What one request may cost: body bytes, and seconds to send its headers or its body."""

    max_body_bytes: int = 3 * 1024 * 1024
    """The kube-apiserver's own default cap on request bodies."""
    request_timeout: float = 30.0


class Refused(Exception):
    """A request the server answers with ``response`` and then closes the connection on."""

    def __init__(self, response: ApiResponse) -> None:
        super().__init__(response.status)
        self.response = response


async def read_body(receive: Receive, headers: dict[str, str], limits: Limits) -> bytes:
    """The request body; :class:`Refused` with 413 past the cap, 408 past the deadline."""
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise Refused(_too_large(int(declared), limits))
    chunks: list[bytes] = []
    size = 0
    deadline = time.monotonic() + limits.request_timeout
    while True:
        remaining = deadline - time.monotonic()
        try:
            message = await asyncio.wait_for(receive(), timeout=max(remaining, 0.0))
        except TimeoutError:
            message_text = f"the request body did not arrive within {limits.request_timeout:g}s"
            raise Refused(status_response(408, message_text)) from None
        if message["type"] == "http.disconnect":
            raise Refused(status_response(400, "the client went away before sending its body"))
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise Refused(_too_large(size, limits))
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _too_large(size: int, limits: Limits) -> ApiResponse:
    message = f"the request body is larger than {limits.max_body_bytes} bytes (at least {size})"
    return status_response(413, message)


def check_path(target: ResourcePath) -> ApiResponse | None:
    """A 400 Status for a resource path no apiserver serves, else ``None``."""
    segments = [
        ("group", target.gvr.group, True),
        ("version", target.gvr.version, False),
        ("resource", target.gvr.resource, False),
        ("namespace", target.namespace, True),
        ("name", target.name, True),
    ]
    segments += [("subresource", part, False) for part in target.subresource.split("/") if target.subresource]
    for field, value, may_be_empty in segments:
        problem = _segment_problem(value, may_be_empty)
        if problem:
            return status_response(400, f"{field} {value!r} in the path {problem}")
    return None


def _segment_problem(value: str, may_be_empty: bool) -> str:
    if not value:
        return "" if may_be_empty else "is empty"
    if value in (".", ".."):
        return "may not be '.' or '..'"
    if "/" in value or "%" in value:
        return "may not contain '/' or '%'"
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return "may not contain control characters"
    if len(value) > MAX_SEGMENT_LENGTH:
        return f"is longer than {MAX_SEGMENT_LENGTH} characters"
    return ""


def check_write_names(request: ApiRequest, target: ResourcePath) -> ApiResponse | None:
    """A 422 Status when a write names an object by a name Kubernetes refuses, else ``None``."""
    names = [("name", target.name)] if target.name else []
    if request.method in ("POST", "PUT", "PATCH") and request.body.strip():
        metadata = _metadata_of(request.body)
        names += [
            (f"metadata.{key}", value)
            for key in ("name", "generateName")
            if isinstance(value := metadata.get(key), str) and value
        ]
    for field, name in names:
        problem = _segment_problem(name, True) or (
            f"must be no more than {MAX_NAME_LENGTH} characters" if len(name) > MAX_NAME_LENGTH else ""
        )
        if problem:
            message = f'{target.gvr.group_resource} "{name}" is invalid: {field}: Invalid value: "{name}": {problem}'
            return status_response(422, message, target)
    return None


def _metadata_of(body: bytes) -> dict[str, Any]:
    try:
        document = load_document(body, "body")
    except InvalidInput:  # an undecodable body is the transport's to report, with its own message
        return {}
    metadata = document.get("metadata") if isinstance(document, dict) else None
    return metadata if isinstance(metadata, dict) else {}
