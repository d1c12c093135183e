"""Writes made to the server: defaulted like the apiserver would, recorded, and optionally applied.

Owns: :class:`MutationLog` (the recorder plus the ``--output-dir`` it is written to after every
recorded write, so a killed server loses nothing) and :class:`WriteHandler` (POST, PUT, PATCH
of every type, server-side apply and DELETE). Before recording, a body missing ``apiVersion``,
``kind`` or ``metadata.namespace`` gets them from the URL, as the apiserver does. Recording is
the transport's (FORMATS.md §2); with ``mutable`` the write is first applied to the
:class:`~mom.server.cluster.ServedCluster` overlay (404, 409 and 422 as a real server answers)
and only writes that succeed are recorded. A server with neither a recording directory nor
``mutable`` refuses every write (405) with a message saying how to record it, rather than
answering as if it had been made.
"""

from __future__ import annotations

import copy
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, MomError, NotFound
from mom.apply.patches import PatchFailed, json_patch, merge_patch, strategic_merge_patch
from mom.client.messages import ApiRequest, ApiResponse, object_response
from mom.client.paths import ResourcePath
from mom.client.recorder import (
    APPLY_PATCH,
    JSON,
    JSON_PATCH,
    MERGE_PATCH,
    STRATEGIC_MERGE_PATCH,
    MutationRecorder,
)
from mom.client.transport import SnapshotTransport
from mom.manifest.mutationdir import write_mutation_dir
from mom.serialization import dump_json, load_document
from mom.server.cluster import Object, ServedCluster
from mom.server.statuses import status

Clock = Callable[[], datetime]


class MutationLog:
    """The recorded writes, written to ``output_dir`` (when set) each time one is added.

    A write that cannot be written out is dropped from the log and reported: the writes
    recorded before it and after it are written as if it had never been made.
    """

    def __init__(self, recorder: MutationRecorder, output_dir: Path | None) -> None:
        self.recorder = recorder
        self.output_dir = output_dir
        self._written = 0
        self._dropped: set[int] = set()
        """Positions in the recorder of writes that could not be written out."""

    def flush(self) -> None:
        """Write the log out; :class:`MomError` when the newest writes cannot be (they are dropped)."""
        requests = self.recorder.requests
        if self.output_dir is None or len(requests) == self._written:
            return
        kept = [request for index, request in enumerate(requests) if index not in self._dropped]
        try:
            write_mutation_dir(self.output_dir, kept)
        except (MomError, OSError) as exc:
            self._dropped.update(range(self._written, len(requests)))
            self._written = len(requests)
            reason = exc if isinstance(exc, MomError) else exc.strerror
            raise MomError(f"the write cannot be recorded in {self.output_dir}: {reason}") from exc
        self._written = len(requests)


@dataclass
class WriteHandler:
    cluster: ServedCluster
    transport: SnapshotTransport
    log: MutationLog
    clock: Clock
    mutable: bool = False

    def handle(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        if "protobuf" in request.content_type or "cbor" in request.content_type:
            message = (
                f'Content-Type "{request.content_type}" cannot be recorded: send JSON '
                "(kubectl create -f, or a client whose ContentType is application/json)"
            )
            return status(415, "UnsupportedMediaType", message, target)
        if not self.mutable and self.log.output_dir is None:
            message = (
                f"{request.method} {request.path}: this server neither records nor applies writes; "
                "start mom serve with --output-dir DIR to record them as a mutation directory, "
                "or with --mutable to apply them to what later reads see"
            )
            return status(405, "MethodNotAllowed", message, target)
        request = self._defaulted(request, target)
        if not self.mutable:
            return self._record(request, target)
        try:
            return self._apply(request, target)
        except NotFound as exc:
            return status(404, "NotFound", str(exc), target)
        except InvalidInput as exc:
            return status(422, "Invalid", str(exc), target)

    def _record(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        response = self.transport.handle(request)
        if response.status < 300:
            try:
                self.log.flush()
            except MomError as exc:
                return status(500, "InternalError", str(exc), target)
        return response

    def _defaulted(self, request: ApiRequest, target: ResourcePath) -> ApiRequest:
        """The request with the body's apiVersion, kind and namespace filled in from the URL.

        A body sent without a Content-Type is JSON, as the apiserver takes it.
        """
        if not request.content_type and request.body.strip() and request.method != "PATCH":
            headers = {**request.headers, "content-type": JSON}
            request = replace(request, headers=headers)
        is_object = request.method in ("POST", "PUT") or (
            request.method == "PATCH" and request.content_type == APPLY_PATCH
        )
        if not is_object or not request.body.strip():
            return request
        try:
            body = load_document(request.body, request.path)
        except InvalidInput:
            return request  # the transport reports the bad body
        if not isinstance(body, dict):
            return request
        changed = False
        info = self.cluster.snapshot.discovery.resource_info(target.gvr)
        if not body.get("apiVersion") and not body.get("kind") and info is not None:
            body = {"apiVersion": target.gvr.api_version, "kind": info.kind, **body}
            changed = True
        metadata = body.get("metadata")
        if target.namespace and isinstance(metadata, dict) and not metadata.get("namespace"):
            body["metadata"] = {**metadata, "namespace": target.namespace}
            changed = True
        return replace(request, body=dump_json(body)) if changed else request

    def _apply(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        if target.subresource not in ("", "status") or not self.cluster.snapshot.discovery.resource_info(
            target.gvr
        ):
            return self._record(request, target)  # the transport answers what cannot be applied
        method = request.method
        if method == "POST":
            created = self._created(request, target)
            if isinstance(created, ApiResponse):
                return created
            return self._commit(request, target, str(created["metadata"]["name"]), created, 201)
        # Only server-side apply may address an object that does not exist yet.
        current = self._current_or_none(target)
        if current is None and request.content_type != APPLY_PATCH:
            raise NotFound(_missing_message(target))
        if method == "DELETE":
            return self._commit(request, target, target.name, None, 200, shown=current)
        body = load_document(request.body, request.path)
        if method == "PUT" and current is not None:
            new = _updated(current, body, target.subresource)
        elif current is None:
            created = self._created(request, target, body)
            if isinstance(created, ApiResponse):
                return created
            return self._commit(request, target, target.name, created, 201)
        else:
            new = _patched(current, body, request.content_type, target.subresource, request.path)
        stated = _resource_version(body) if isinstance(body, dict) else ""
        if stated and current is not None and stated != _resource_version(current):
            return status(409, "Conflict", _conflict_message(target), target)
        if (
            current is not None
            and new.get("metadata", {}).get("uid") is None
            and "uid" in current["metadata"]
        ):
            new["metadata"]["uid"] = current["metadata"]["uid"]
        return self._commit(request, target, target.name, new, 200)

    def _current_or_none(self, target: ResourcePath) -> Object | None:
        try:
            return self.cluster.get(target.gvr, namespace=target.namespace, name=target.name)
        except NotFound:
            return None

    def _created(self, request: ApiRequest, target: ResourcePath, body: Any = None) -> Object | ApiResponse:
        body = load_document(request.body, request.path) if body is None else body
        if not isinstance(body, dict):
            raise InvalidInput(request.path, ["body: must be a JSON object"])
        new = copy.deepcopy(body)
        metadata = new.setdefault("metadata", {})
        if not metadata.get("name") and metadata.get("generateName"):
            digest = hashlib.sha256(f"{self.cluster.revision}/{request.path}".encode()).hexdigest()
            metadata["name"] = metadata["generateName"] + digest[:5]
        name = metadata.get("name") or target.name
        if not name:
            raise InvalidInput(
                request.path, ["metadata.name: Required value: name or generateName is required"]
            )
        if self.cluster.exists(target.gvr, target.namespace, name):
            where = f" in namespace {target.namespace!r}" if target.namespace else ""
            message = f'{target.gvr.group_resource} "{name}" already exists{where}'
            return status(409, "AlreadyExists", message, replace(target, name=name))
        metadata["name"] = name
        metadata["uid"] = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"{request.path}/{name}/{self.cluster.revision}")
        )
        metadata["creationTimestamp"] = self.clock().strftime("%Y-%m-%dT%H:%M:%SZ")
        return new

    def _commit(
        self,
        request: ApiRequest,
        target: ResourcePath,
        name: str,
        new: Object | None,
        code: int,
        shown: Object | None = None,
    ) -> ApiResponse:
        recorded = self._record(request, target)
        if recorded.status >= 300:
            return recorded
        if new is not None:
            new.setdefault("metadata", {})["resourceVersion"] = str(self.cluster.revision + 1)
        self.cluster.store(target.gvr, target.namespace, name, new)
        return object_response(new if new is not None else shown, code)


def _resource_version(obj: Any) -> str:
    metadata = obj.get("metadata") if isinstance(obj, dict) else None
    version = metadata.get("resourceVersion") if isinstance(metadata, dict) else None
    return version if isinstance(version, str) else ""


def _missing_message(target: ResourcePath) -> str:
    where = f" in namespace {target.namespace!r}" if target.namespace else ""
    return f'{target.gvr.group_resource} "{target.name}" not found{where}'


def _conflict_message(target: ResourcePath) -> str:
    return (
        f'Operation cannot be fulfilled on {target.gvr.group_resource} "{target.name}": the object has '
        "been modified; please apply your changes to the latest version and try again"
    )


def _updated(current: Object, body: Any, subresource: str) -> Object:
    if not isinstance(body, dict):
        raise InvalidInput("body", ["must be a JSON object"])
    if subresource == "status":
        new = copy.deepcopy(current)
        new["status"] = copy.deepcopy(body.get("status"))
        return new
    new = copy.deepcopy(body)
    metadata = new.setdefault("metadata", {})
    for key in ("uid", "creationTimestamp"):
        if key in current.get("metadata", {}):
            metadata.setdefault(key, current["metadata"][key])
    return new


def _patched(current: Object | None, body: Any, content_type: str, subresource: str, source: str) -> Object:
    if current is None:
        raise NotFound(f"{source} not found")
    try:
        if content_type == JSON_PATCH:
            new: Any = json_patch(current, body)
        elif content_type == MERGE_PATCH:
            new = merge_patch(current, body)
        elif content_type in (STRATEGIC_MERGE_PATCH, APPLY_PATCH):
            new = strategic_merge_patch(current, body)
        else:
            raise InvalidInput(source, [f'Content-Type "{content_type}" is not a patch type'])
    except PatchFailed as exc:
        raise InvalidInput(source, exc.problems) from exc
    if not isinstance(new, dict):
        raise InvalidInput(source, ["the patched object is not an object"])
    if subresource == "status":
        kept = copy.deepcopy(current)
        kept["status"] = new.get("status")
        return kept
    return new
