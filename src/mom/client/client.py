"""mom's lean Kubernetes client: plain-dict objects over any :class:`Transport`.

The same client reads a must-gather, a test fixture or a live cluster; the transport decides.
It imports no HTTP stack, so an operator run as a subprocess starts fast; lightkube works over
the same transports through :mod:`mom.client.adapters` for authors who want typed models.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlencode

from mom.api.errors import Conflict, MomError, NotFound
from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.client.messages import JSON, ApiRequest, ApiResponse, Transport
from mom.client.paths import resource_url
from mom.serialization import dump_json, load_json

PatchType = Literal["json", "merge", "strategic"]

PATCH_CONTENT_TYPES: Mapping[str, str] = {
    "json": "application/json-patch+json",
    "merge": "application/merge-patch+json",
    "strategic": "application/strategic-merge-patch+json",
}
APPLY_CONTENT_TYPE = "application/apply-patch+yaml"


class ApiError(MomError):
    """A request the server refused; ``code`` is the HTTP status, the message the server's."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        Exception.__init__(self, message)


class NotFoundError(ApiError, NotFound):
    pass


class ConflictError(ApiError, Conflict):
    pass


class InvalidError(ApiError):
    """The server refused the request as malformed or invalid (HTTP 400/422)."""


class Client:
    """Get, list and write Kubernetes objects (dicts) through a transport.

    ``headers`` are sent with every request (mom uses one to name the controller instance).
    """

    def __init__(self, transport: Transport, *, headers: Mapping[str, str] | None = None) -> None:
        self._transport = transport
        self._headers = dict(headers or {})

    @property
    def transport(self) -> Transport:
        """The transport every request goes through."""
        return self._transport

    # Reads

    def get(self, gvr: GroupVersionResource, name: str, namespace: str = "") -> dict[str, Any]:
        """The object, or :class:`NotFoundError`."""
        return self._call("GET", resource_url(gvr, namespace, name))

    def get_or_none(self, gvr: GroupVersionResource, name: str, namespace: str = "") -> dict[str, Any] | None:
        try:
            return self.get(gvr, name, namespace)
        except NotFoundError:
            return None

    def list(
        self,
        gvr: GroupVersionResource,
        namespace: str = "",
        *,
        label_selector: str = "",
        field_selector: str = "",
    ) -> list[dict[str, Any]]:
        query = {"labelSelector": label_selector, "fieldSelector": field_selector}
        result = self._call("GET", resource_url(gvr, namespace), query=query)
        items = result.get("items") or []
        return [item for item in items if isinstance(item, dict)]

    # Writes

    def create(
        self,
        gvr: GroupVersionResource,
        obj: Mapping[str, Any],
        *,
        field_manager: str = "",
        dry_run: bool = False,
    ) -> dict[str, Any]:
        query = {"fieldManager": field_manager, "dryRun": "All" if dry_run else ""}
        url = resource_url(gvr, namespace_of(dict(obj)))
        return self._call("POST", url, query=query, body=dump_json(obj), content_type=JSON)

    def update(
        self,
        gvr: GroupVersionResource,
        obj: Mapping[str, Any],
        *,
        status: bool = False,
        field_manager: str = "",
        field_validation: str = "",
    ) -> dict[str, Any]:
        """Replace an object (or its status); the object's resourceVersion guards the write."""
        query = {"fieldManager": field_manager, "fieldValidation": field_validation}
        plain = dict(obj)
        url = resource_url(gvr, namespace_of(plain), name_of(plain), "status" if status else "")
        return self._call("PUT", url, query=query, body=dump_json(obj), content_type=JSON)

    def update_status(
        self, gvr: GroupVersionResource, obj: Mapping[str, Any], **options: Any
    ) -> dict[str, Any]:
        return self.update(gvr, obj, status=True, **options)

    def patch(
        self,
        gvr: GroupVersionResource,
        name: str,
        patch: Any,
        *,
        namespace: str = "",
        patch_type: PatchType = "merge",
        status: bool = False,
        field_manager: str = "",
    ) -> dict[str, Any]:
        """Patch an object; ``patch`` is a JSON-patch op list or a merge/strategic-merge document."""
        body = patch if isinstance(patch, bytes) else dump_json(patch, sort_keys=True)
        query = {"fieldManager": field_manager}
        url = resource_url(gvr, namespace, name, "status" if status else "")
        return self._call("PATCH", url, query=query, body=body, content_type=PATCH_CONTENT_TYPES[patch_type])

    def apply(
        self,
        gvr: GroupVersionResource,
        obj: Mapping[str, Any],
        *,
        field_manager: str,
        force: bool = False,
        status: bool = False,
    ) -> dict[str, Any]:
        """Server-side apply ``obj`` (an apply configuration) as ``field_manager``."""
        plain = dict(obj)
        query = {"fieldManager": field_manager, "force": "true" if force else ""}
        url = resource_url(gvr, namespace_of(plain), name_of(plain), "status" if status else "")
        return self._call("PATCH", url, query=query, body=dump_json(obj), content_type=APPLY_CONTENT_TYPE)

    def delete(
        self,
        gvr: GroupVersionResource,
        name: str,
        namespace: str = "",
        *,
        propagation_policy: str = "",
        preconditions: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        options: dict[str, Any] = {"kind": "DeleteOptions", "apiVersion": gvr.api_version}
        if propagation_policy:
            options["propagationPolicy"] = propagation_policy
        if preconditions:
            options["preconditions"] = dict(preconditions)
        url = resource_url(gvr, namespace, name)
        return self._call("DELETE", url, body=dump_json(options), content_type=JSON)

    # Plumbing

    def _call(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: bytes = b"",
        content_type: str = "",
    ) -> dict[str, Any]:
        headers = dict(self._headers)
        if content_type:
            headers["Content-Type"] = content_type
        params = tuple((k, v) for k, v in (query or {}).items() if v)
        response = self._transport.handle(ApiRequest(method, path, params, headers, body))
        return _decode(response, f"{method} {path}{'?' + urlencode(params) if params else ''}")


def _decode(response: ApiResponse, what: str) -> dict[str, Any]:
    if response.status >= 400:
        message = _status_message(response) or f"{what}: HTTP {response.status}"
        error_type: type[ApiError] = {
            400: InvalidError,
            404: NotFoundError,
            409: ConflictError,
            422: InvalidError,
        }.get(response.status, ApiError)
        raise error_type(response.status, message)
    if not response.body:
        return {}
    decoded = load_json(response.body, what)
    if not isinstance(decoded, dict):
        raise ApiError(response.status, f"{what}: response is not an object")
    return decoded


def _status_message(response: ApiResponse) -> str:
    try:
        decoded = load_json(response.body, "response")
    except MomError:
        return response.body.decode("utf-8", "replace").strip()
    if isinstance(decoded, dict):
        return str(decoded.get("message", ""))
    return ""


__all__: Sequence[str] = ("ApiError", "Client", "ConflictError", "InvalidError", "NotFoundError")
