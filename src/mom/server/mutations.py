"""Writes made to the server: defaulted like the apiserver would, recorded, and optionally applied.

Owns: :class:`MutationLog` (the recorder plus the ``--output-dir`` it is written to after every
recorded write, so a killed server loses nothing) and :class:`WriteHandler` (POST, PUT, PATCH
of every type, server-side apply and DELETE). Before recording, a body missing ``apiVersion``,
``kind`` or ``metadata.namespace`` gets them from the URL, as the apiserver does. Recording is
the transport's (FORMATS.md §2); with ``mutable`` the recorded request is first applied to the
:class:`~mom.apply.memory_target.MemoryTarget` later reads come from — by the same rules a
manifest target applies it with (:mod:`mom.apply.semantics`), answering as a kube-apiserver
(404, 409 AlreadyExists or Conflict, 422) — and only writes that succeed are recorded. Writes
to subresources other than ``status``, or to resources discovery does not know, are recorded
only. A server with neither a recording directory nor ``mutable`` refuses every write (405)
with a message saying how to record it, rather than answering as if it had been made.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from mom.api.cluster import Action
from mom.api.errors import InvalidInput, MomError
from mom.apply.memory_target import MemoryTarget
from mom.apply.target import Outcome
from mom.client.messages import ApiRequest, ApiResponse, object_response, status_response
from mom.client.paths import ResourcePath
from mom.client.recorder import APPLY_PATCH, JSON, MutationRecorder, build_request
from mom.client.transport import CONTROLLER_HEADER, SnapshotTransport, failure_response
from mom.mutationdir.directory import write_mutation_dir
from mom.serialization import dump_json, load_document

_FAILURES = {Outcome.CONFLICT: 409, Outcome.NOT_FOUND: 404, Outcome.INVALID: 422}


def mutation_id(position: int) -> str:
    """The id the ``position``-th write (from 1) the server applies is applied under: the uid and
    generated name of an object it creates derive from it, as on every target."""
    return f"serve-{position}"


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
    """Answers writes: recorded through ``transport``, applied to ``target`` when ``mutable``."""

    target: MemoryTarget
    transport: SnapshotTransport
    log: MutationLog
    mutable: bool = False
    _writes: int = 0

    def handle(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        if "protobuf" in request.content_type or "cbor" in request.content_type:
            message = (
                f'Content-Type "{request.content_type}" cannot be recorded: send JSON '
                "(kubectl create -f, or a client whose ContentType is application/json)"
            )
            return status_response(415, message, target)
        if not self.mutable and self.log.output_dir is None:
            message = (
                f"{request.method} {request.path}: this server neither records nor applies writes; "
                "start mom serve with --output-dir DIR to record them as a mutation directory, "
                "or with --mutable to apply them to what later reads see"
            )
            return status_response(405, message, target)
        request = self._defaulted(request, target)
        if not self.mutable or target.subresource not in ("", "status"):
            return self._record(request, target)
        if self.target.discovery.resource_info(target.gvr) is None:
            return self._record(request, target)
        try:
            return self._apply(request, target)
        except MomError as exc:
            return failure_response(exc, target, write=True)

    def _record(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        response = self.transport.handle(request)
        return self._logged(response, target) if response.status < 300 else response

    def _logged(self, response: ApiResponse, target: ResourcePath) -> ApiResponse:
        """``response`` once the log is written out; a 500 when the write cannot be."""
        try:
            self.log.flush()
        except MomError as exc:
            return status_response(500, str(exc), target)
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
        info = self.target.discovery.resource_info(target.gvr)
        if not body.get("apiVersion") and not body.get("kind") and info is not None:
            body = {"apiVersion": target.gvr.api_version, "kind": info.kind, **body}
            changed = True
        metadata = body.get("metadata")
        if target.namespace and isinstance(metadata, dict) and not metadata.get("namespace"):
            body["metadata"] = {**metadata, "namespace": target.namespace}
            changed = True
        return replace(request, body=dump_json(body)) if changed else request

    def _apply(self, request: ApiRequest, target: ResourcePath) -> ApiResponse:
        """Decide the write as it is recorded, record it, then make it; the object as it left it.

        The server answers on one thread: nothing comes between the decision and the write.
        """
        mutation = build_request(
            request.method,
            request.path,
            request.query,
            request.content_type,
            request.body,
            request.header(CONTROLLER_HEADER, self.transport.controller_instance_name),
        )
        self._writes += 1
        deleted = (
            self.target.get(target.gvr, namespace=target.namespace, name=target.name)
            if mutation.action is Action.DELETE
            else None
        )
        decided = self.target.apply(mutation_id(self._writes), mutation, dry_run=True)
        if not decided.ok:
            reason = (
                "AlreadyExists"
                if mutation.action is Action.CREATE and decided.outcome is Outcome.CONFLICT
                else ""
            )
            return status_response(_FAILURES[decided.outcome], decided.message, target, reason=reason)
        self.transport.recorder.add(mutation)
        logged = self._logged(ApiResponse(200, b""), target)
        if logged.status >= 300:
            return logged  # a write that cannot be recorded is not made either
        result = self.target.apply(mutation_id(self._writes), mutation)
        shown = result.object if result.object is not None else deleted
        return object_response(shown, 201 if result.outcome is Outcome.CREATED else 200)
