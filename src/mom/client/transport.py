"""A transport that answers reads from a snapshot and records writes instead of performing them.

Reads follow FORMATS.md §1 with the fixes mom makes (field selectors honoured, as the
apiserver does for each resource; per-group discovery answered; proper ``Status`` errors).
They come from any :class:`~mom.mustgather.reader.ServedReader`: a :class:`~mom.mustgather.store.Snapshot`, or the
writable view ``mom serve --mutable`` reads through this same transport. Writes follow §2: each
becomes a :class:`~mom.mutationdir.requests.MutationRequest` in a shared recorder, and reads never
see them (no read-your-writes, as in the Go client). A request the transport cannot answer gets
the Status :func:`failure_response` gives, as a kube-apiserver answers it: 404 for what does not
exist, 400 for a bad read (a selector that does not parse), 422 for a write that is invalid.
"""

from __future__ import annotations

from typing import Any

from mom.api.errors import InvalidInput, MomError, NotFound
from mom.api.resources import GroupVersionResource
from mom.api.values import Frozen
from mom.client.messages import ApiRequest, ApiResponse, object_response, status_response
from mom.client.paths import DiscoveryPath, ResourcePath, parse_path
from mom.client.recorder import MutationRecorder
from mom.mustgather.reader import ServedReader
from mom.serialization import dump_json

CONTROLLER_HEADER = "X-Mom-Controller-Instance-Name"
"""Header naming the controller instance on whose behalf a request is made (mom's own clients)."""

_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def failure_response(
    error: MomError, target: ResourcePath | None = None, *, write: bool = False
) -> ApiResponse:
    """The Status a kube-apiserver answers ``error`` with: 404 not found, 422 an invalid write,
    400 any other bad request, 500 the rest."""
    if isinstance(error, NotFound):
        return status_response(404, str(error), target)
    if isinstance(error, InvalidInput):
        return status_response(422 if write else 400, str(error), target)
    return status_response(500, str(error), target)


class SnapshotTransport(Frozen):
    """Reads from ``snapshot``; writes go to ``recorder``, tagged with ``controller_instance_name``."""

    snapshot: ServedReader
    recorder: MutationRecorder
    controller_instance_name: str

    __slots__ = ("controller_instance_name", "recorder", "snapshot")

    def __init__(
        self,
        snapshot: ServedReader,
        recorder: MutationRecorder,
        controller_instance_name: str = "",
    ) -> None:
        object.__setattr__(self, "snapshot", snapshot)
        object.__setattr__(self, "recorder", recorder)
        object.__setattr__(self, "controller_instance_name", controller_instance_name)

    def for_controller(self, controller_instance_name: str) -> SnapshotTransport:
        """The same snapshot and recorder, recording writes as made by one controller."""
        return SnapshotTransport(self.snapshot, self.recorder, controller_instance_name)

    def handle(self, request: ApiRequest) -> ApiResponse:
        target = parse_path(request.path)
        resource = target if isinstance(target, ResourcePath) else None
        write = request.method in _WRITE_METHODS
        try:
            if write:
                if resource is None:
                    return status_response(405, f"{request.method} {request.path} is not a resource write")
                return self._write(request)
            if request.method not in ("GET", "HEAD"):
                return status_response(405, f"method {request.method} is not supported")
            if isinstance(target, DiscoveryPath):
                return self._discovery(target)
            if resource is not None:
                return self._read(request, resource)
            if request.path.rstrip("/") == "/version":
                return object_response({"major": "1", "minor": "31", "gitVersion": "v1.31.0-mom"})
            return status_response(404, f"the server could not find the requested resource {request.path}")
        except MomError as exc:
            return failure_response(exc, resource, write=write)

    def read_objects(self, request: ApiRequest, target: ResourcePath) -> list[dict[str, Any]]:
        """The objects a GET (one) or LIST (those selected) addresses; :class:`NotFound` for
        what does not exist, :class:`InvalidInput` for a selector that does not parse."""
        if target.subresource:
            raise NotFound(f"subresource {target.subresource!r} is not served from a snapshot")
        if target.name:
            return [self.snapshot.get(target.gvr, namespace=target.namespace, name=target.name)]
        label = request.param("labelSelector")
        field = request.param("fieldSelector")
        if not label and not field:
            return self.snapshot.list(target.gvr, namespace=target.namespace)
        # Selectors are parsed by the lists that have them: a run that lists none does not load them.
        from mom.mustgather.fieldlabels import field_labels
        from mom.mustgather.selectors import FieldSelector, LabelSelector

        gvr = target.gvr
        return self.snapshot.list(
            gvr,
            namespace=target.namespace,
            label_selector=LabelSelector.parse(label) if label else None,
            field_selector=FieldSelector.parse(field, field_labels(gvr), (gvr.group, gvr.resource))
            if field
            else None,
        )

    def _read(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        if not target.name and not target.subresource and request.param("watch") in ("true", "1"):
            if request.param("sendInitialEvents") == "true":
                return status_response(422, "sendInitialEvents is not supported by a snapshot; use LIST")
            return ApiResponse(200, b"")  # A snapshot never changes: the watch ends with no event.
        items = self.read_objects(request, target)
        if target.name:
            return object_response(items[0])
        list_kind = self.snapshot.list_kind(target.gvr)
        return object_response(
            {
                "apiVersion": list_kind.api_version,
                "kind": list_kind.kind,
                "metadata": {"resourceVersion": self.snapshot.resource_version},
                "items": items,
            }
        )

    def _discovery(self, target: DiscoveryPath) -> ApiResponse:
        discovery = self.snapshot.discovery
        if target.version is None and target.group is None:
            return ApiResponse(
                200,
                dump_json(discovery.aggregated_document(legacy=target.legacy)),
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
            )
        resources = [
            info
            for info in discovery.resources()
            if info.gvr.group == (target.group or "")
            and (target.version is None or info.gvr.version == target.version)
        ]
        if not resources:
            return status_response(404, f"the server could not find the requested resource {target}")
        group_version = resources[0].gvr.api_version if target.version else (target.group or "")
        return object_response(
            {
                "kind": "APIResourceList",
                "apiVersion": "v1",
                "groupVersion": group_version,
                "resources": [
                    {
                        "name": info.gvr.resource,
                        "singularName": info.kind.lower(),
                        "namespaced": info.namespaced,
                        "kind": info.kind,
                        "verbs": list(info.verbs),
                    }
                    for info in resources
                ],
            }
        )

    def _write(self, request: ApiRequest) -> ApiResponse:
        controller = request.header(CONTROLLER_HEADER, self.controller_instance_name)
        stub = self.recorder.record(
            request.method,
            request.path,
            request.query,
            request.content_type,
            request.body,
            controller_instance_name=controller,
            kind_for=self._kind_for,
        )
        return object_response(stub, 201 if request.method == "POST" else 200)

    def _kind_for(self, gvr: GroupVersionResource) -> str | None:
        info = self.snapshot.discovery.resource_info(gvr)
        return info.kind if info else None
