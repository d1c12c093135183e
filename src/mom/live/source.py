"""A live cluster as a :class:`~mom.mustgather.reader.ClusterReader`, on a mom transport.

Owns: :class:`LiveSource` — GET and LIST sent through a transport (a
:class:`~mom.live.transport.LiveTransport` for a kube-apiserver; any mom transport answers
the same requests). Kinds come from mom's built-in discovery table unless a discovery is
given: LIST of a resource the source does not know is refused, since the items would have
no kind. A 404 is :class:`~mom.api.errors.NotFound`; any other failure is
:class:`~mom.api.errors.MomError` with the server's message.
"""

from __future__ import annotations

import builtins

from mom.api.errors import MomError, NotFound
from mom.api.resources import GroupVersionResource
from mom.client.messages import JSON, ApiRequest, Transport
from mom.client.paths import resource_url
from mom.mustgather.builtin_discovery import builtin_discovery
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.serialization import load_json


class LiveSource:
    """Read-only access to the cluster behind ``transport``."""

    def __init__(self, transport: Transport, discovery: Discovery | None = None) -> None:
        self.transport = transport
        self.discovery = discovery or builtin_discovery()

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        return self._read(gvr, resource_url(gvr, namespace, name), ())

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        info = self.discovery.resource_info(gvr)
        if info is None:
            raise NotFound(f"unknown resource {gvr.group_resource} in version {gvr.api_version!r}")
        query = [
            (key, str(selector))
            for key, selector in (("labelSelector", label_selector), ("fieldSelector", field_selector))
            if selector is not None and not selector.is_everything
        ]
        listing = self._read(gvr, resource_url(gvr, "" if gvr.is_namespaces else namespace), tuple(query))
        items = listing.get("items") or []
        return [_typed(item, gvr, info.kind) for item in items if isinstance(item, dict)]

    def _read(self, gvr: GroupVersionResource, path: str, query: tuple[tuple[str, str], ...]) -> Object:
        response = self.transport.handle(ApiRequest("GET", path, query, {"Accept": JSON}))
        try:
            document = load_json(response.body, f"GET {path}") if response.body else {}
        except MomError:
            document = {"message": response.body.decode("utf-8", "replace").strip()}
        if not isinstance(document, dict):
            raise MomError(f"GET {path}: the answer is not an object")
        if response.status == 404:
            raise NotFound(f"{gvr.group_resource}: {document.get('message', 'not found')}")
        if response.status >= 400:
            raise MomError(f"{gvr.group_resource}: {document.get('message') or f'HTTP {response.status}'}")
        return document


def _typed(obj: Object, gvr: GroupVersionResource, kind: str) -> Object:
    """List items come without ``apiVersion``/``kind``; put them back as stored objects have them."""
    obj.setdefault("apiVersion", gvr.api_version)
    obj.setdefault("kind", kind)
    return obj


__all__ = ["LiveSource"]
