"""A live kube-apiserver as a write target: each mutation becomes the API call it records.

Owns: :class:`LiveTarget` and :func:`served_kinds`. Every action is sent with the request's
own options (fieldManager, fieldValidation, force, dryRun, DeleteOptions with preconditions):

* Create → POST (a ``generateName`` gets a name derived from the mutation id, so a repeated
  create finds its own object). AlreadyExists → the existing object is compared with the
  body, server-set metadata ignored: it holds every field of the body → Unchanged, else Conflict.
* Update / UpdateStatus → PUT (status subresource for UpdateStatus) guarded by the body's
  resourceVersion. A 409 → the live object holds what the body asks (its status for
  UpdateStatus) → Unchanged, else Conflict.
* Patch / PatchStatus → PATCH with the recorded patch type. A JSON patch refused on a failed
  ``test`` op whose other ops would change nothing on the live object → Unchanged.
  Merge and strategic-merge patches are idempotent by themselves.
* Apply / ApplyStatus → server-side apply as the options' (or request's) field manager, forced
  only when the options say ``force``; a field-manager conflict → Conflict.
* Delete → DELETE with the DeleteOptions body; NotFound → Unchanged (the object is already
  gone — what a delete asks for), a failed precondition → Conflict.

HTTP results map to outcomes: 409 Conflict, 404 NotFound, 400/422 Invalid, 403 Invalid with
the server's message. 5xx answers and unreachable servers raise :class:`MomError`: the manager
leaves the mutation pending and applies it again on the next recovery.

Idempotence: a live server does not remember mutation ids. This target remembers the ids it
applied in memory only (:meth:`LiveTarget.is_applied`); across restarts the manager's journal
prevents re-applying journaled mutations, and the one applied just before a crash is applied
again — every action above converges when repeated. ``dry_run`` uses server-side dry-run
(``dryRun=All``): the server validates and answers what it would store; nothing changes.

:meth:`LiveTarget.read` serves a snapshot kept current by :class:`~mom.live.watches.WatchCache`.

Impersonation: :meth:`LiveTarget.acting_as` is a view of the same target (same watches, same
remembered ids) whose writes carry ``Impersonate-User`` for an operator's service account, so
the server authorizes each write against that operator's RBAC; a refusal (403) is ``Invalid``
with the server's message. The reads that judge a repeated write stay the target's own.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from mom.api.cluster import Action
from mom.api.errors import InvalidInput, MomError
from mom.api.resources import GroupVersionResource, copy_value
from mom.apply.patches import JSON_PATCH, PatchFailed, json_patch
from mom.apply.rbac import ServiceAccountRef, impersonation_headers
from mom.apply.semantics import SERVER_SET, generated_name
from mom.apply.target import ApplyResult, Outcome
from mom.client.client import APPLY_CONTENT_TYPE
from mom.client.messages import JSON, ApiRequest
from mom.client.paths import resource_url
from mom.live.transport import LiveTransport
from mom.live.watches import WatchCache
from mom.mustgather.builtin_discovery import builtin_discovery
from mom.mustgather.discovery import Discovery, ResourceInfo
from mom.mustgather.reader import Object
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_json, load_document, load_json

_FAILURES = {400: Outcome.INVALID, 403: Outcome.INVALID, 404: Outcome.NOT_FOUND, 409: Outcome.CONFLICT}
_FAILURES[422] = Outcome.INVALID


class _Answer:
    """A decoded server answer: status, object (or Status), and the server's message."""

    def __init__(self, status: int, document: Object) -> None:
        self.status, self.document = status, document
        self.message = str(document.get("message", "")) if status >= 400 else ""
        self.reason = str(document.get("reason", "")) if status >= 400 else ""


def served_kinds(transport: LiveTransport, resources: Iterable[GroupVersionResource]) -> Discovery:
    """What the server says about the group-versions of ``resources``, over mom's built-ins."""
    infos: list[ResourceInfo] = []
    for api_version in sorted({gvr.api_version for gvr in resources}):
        path = f"/apis/{api_version}" if "/" in api_version else f"/api/{api_version}"
        response = transport.handle(ApiRequest("GET", path, (), {"Accept": JSON}, b""))
        if response.status != 200:
            continue
        listing = load_json(response.body, f"GET {path}")
        group, _, version = api_version.rpartition("/")
        for entry in listing.get("resources") or [] if isinstance(listing, dict) else []:
            if isinstance(entry, dict) and "/" not in str(entry.get("name", "")):
                gvr = GroupVersionResource(group, version, str(entry["name"]))
                verbs = tuple(str(v) for v in entry.get("verbs") or ())
                infos.append(
                    ResourceInfo(gvr, str(entry.get("kind", "")), bool(entry.get("namespaced")), verbs)
                )
    return Discovery(infos).merged_over(builtin_discovery())


class LiveTarget:
    """Applies mutations to a live cluster; see the module docstring."""

    def __init__(
        self,
        name: str,
        transport: LiveTransport,
        *,
        clock: Callable[[], datetime],
        resources: Iterable[GroupVersionResource] = (),
        discovery: Discovery | None = None,
        namespaces: Iterable[str] | None = None,
    ) -> None:
        """``namespaces``: the only ones whose objects of a namespaced type are watched
        (``None``: every namespace)."""
        self.name = name
        self.transport = transport
        self._clock = clock
        self._applied: set[str] = set()
        self._lock = threading.Lock()
        self._identity: dict[str, str] = {}
        """Headers naming whom writes are made as; empty: the kubeconfig's own user."""
        wanted = sorted(set(resources), key=str)
        self.discovery = discovery or (served_kinds(transport, wanted) if wanted else builtin_discovery())
        watched = []
        for gvr in wanted:
            info = self.discovery.resource_info(gvr)
            if info is not None:
                watched.append((gvr, info.kind))
        self._cache = WatchCache(transport, watched, self.discovery, namespaces) if watched else None

    @property
    def watched(self) -> list[GroupVersionResource]:
        """The resource types watched (one watch each)."""
        return self._cache.resources if self._cache is not None else []

    def read(self) -> Snapshot:
        """The watched objects now: the same snapshot object while nothing has changed."""
        if self._cache is None:
            return Snapshot.from_objects([], discovery=self.discovery)
        return self._cache.snapshot()

    def acting_as(self, service_account: ServiceAccountRef) -> LiveTarget:
        """This target writing as ``service_account``: shares watches, connection and applied ids
        (closing the view closes them all)."""
        view = copy.copy(self)
        view._identity = impersonation_headers(service_account)
        return view

    @property
    def identity(self) -> str:
        """The user writes are made as; empty for the kubeconfig's own user."""
        return self._identity.get("Impersonate-User", "")

    def close(self) -> None:
        if self._cache is not None:
            self._cache.close()

    def is_applied(self, mutation_id: str) -> bool:
        """Whether this target (this process) applied ``mutation_id``; not kept across restarts."""
        return mutation_id in self._applied

    def apply_batch(self, items: Sequence[tuple[str, MutationRequest]]) -> list[ApplyResult]:
        """Apply in order, one request each: a live server has no transaction across objects."""
        return [self.apply(mutation_id, request) for mutation_id, request in items]

    def apply(self, mutation_id: str, request: MutationRequest, *, dry_run: bool = False) -> ApplyResult:
        with self._lock:
            if mutation_id in self._applied:
                return ApplyResult(mutation_id, Outcome.ALREADY_APPLIED, "already applied")
        try:
            options = request.options_document()
            dry = dry_run or bool(options.get("dryRun"))
            result = _Writer(self, mutation_id, request, options, dry).write()
        except InvalidInput as exc:
            return ApplyResult(mutation_id, Outcome.INVALID, str(exc))
        if result.ok and not dry:
            with self._lock:
                self._applied.add(mutation_id)
        return result

    def call(
        self,
        method: str,
        path: str,
        query: list[tuple[str, str]],
        body: bytes = b"",
        content_type: str = "",
        *,
        as_self: bool = False,
    ) -> _Answer:
        """One request, impersonating this view's identity unless ``as_self``."""
        headers = {"Accept": JSON, **({} if as_self else self._identity)}
        if content_type:
            headers["Content-Type"] = content_type
        response = self.transport.handle(ApiRequest(method, path, tuple(query), headers, body))
        if response.status >= 500:
            raise MomError(f"{method} {path}: HTTP {response.status}: {response.body[:200]!r}")
        try:
            document = load_json(response.body, f"{method} {path}") if response.body else {}
        except MomError:
            document = {"message": response.body.decode("utf-8", "replace").strip()}
        return _Answer(response.status, document if isinstance(document, dict) else {})

    def current(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object | None:
        """The live object, or ``None`` when it does not exist (read as the target's own user)."""
        answer = self.call("GET", resource_url(gvr, namespace, name), [], as_self=True)
        if answer.status == 404:
            return None
        if answer.status >= 400:
            raise MomError(f"GET {resource_url(gvr, namespace, name)}: {answer.message}")
        return answer.document

    def seen(self, gvr: GroupVersionResource, obj: Object | None, namespace: str, name: str) -> None:
        if self._cache is not None:
            self._cache.expect(gvr, (namespace, name), obj)


class _Writer:
    """One mutation sent to the server and its answer turned into an :class:`ApplyResult`."""

    def __init__(
        self, target: LiveTarget, mutation_id: str, request: MutationRequest, options: Object, dry: bool
    ) -> None:
        self.target, self.id, self.request, self.options, self.dry = (
            target,
            mutation_id,
            request,
            options,
            dry,
        )
        self.gvr = request.gvr

    def write(self) -> ApplyResult:
        action = self.request.action
        if action is Action.CREATE:
            return self._create()
        if action in (Action.UPDATE, Action.UPDATE_STATUS):
            return self._update()
        if action.is_patch:
            return self._patch()
        if action.is_apply:
            return self._apply()
        return self._delete()

    def _query(self, *keys: str) -> list[tuple[str, str]]:
        query = [(key, str(self.options[key])) for key in keys if self.options.get(key)]
        if self.dry:
            query.append(("dryRun", "All"))
        return query

    def _path(self, name: str = "") -> str:
        sub = "status" if self.request.action.on_status else ""
        return resource_url(self.gvr, self.request.namespace, name or self.request.name, sub)

    def _result(self, answer: _Answer, success: Outcome, name: str) -> ApplyResult:
        if answer.status < 400:
            obj = answer.document if success is not Outcome.DELETED else None
            if not self.dry:
                self.target.seen(self.gvr, obj, self.request.namespace, name)
            return ApplyResult(self.id, success, "", obj)
        outcome = _FAILURES.get(answer.status, Outcome.INVALID)
        return ApplyResult(self.id, outcome, answer.message or f"HTTP {answer.status}")

    def _unchanged_or(self, answer: _Answer, name: str, holds: Callable[[Object], bool]) -> ApplyResult:
        live = self.target.current(self.gvr, namespace=self.request.namespace, name=name)
        if live is not None and holds(live):
            return ApplyResult(self.id, Outcome.UNCHANGED, "the live object already holds this", live)
        return self._result(answer, Outcome.UNCHANGED, name)

    def _body(self) -> Object:
        body = self.request.body_document()
        if not isinstance(body, dict):
            raise InvalidInput(f"{self.request.identity} body", ["must be an object"])
        return copy_value(body)

    def _create(self) -> ApplyResult:
        body = self._body()
        metadata = body.setdefault("metadata", {})
        if not metadata.get("name") and metadata.get("generateName"):
            metadata["name"] = generated_name(str(metadata["generateName"]), self.id)
        name = str(metadata.get("name") or "")
        url = resource_url(self.gvr, self.request.namespace)
        answer = self.target.call(
            "POST", url, self._query("fieldManager", "fieldValidation"), dump_json(body), JSON
        )
        if answer.status == 409 and answer.reason == "AlreadyExists":
            return self._unchanged_or(answer, name, lambda live: holds(_content(body), live))
        return self._result(answer, Outcome.CREATED, name)

    def _update(self) -> ApplyResult:
        body = self._body()
        query = self._query("fieldManager", "fieldValidation")
        answer = self.target.call("PUT", self._path(), query, dump_json(body), JSON)
        if answer.status == 409:
            if self.request.action is Action.UPDATE_STATUS:
                wanted: Object = {"status": body.get("status")}
            else:
                wanted = {k: v for k, v in _content(body).items() if k != "status"}
            return self._unchanged_or(answer, self.request.name, lambda live: holds(wanted, live))
        return self._result(answer, Outcome.UPDATED, self.request.name)

    def _patch(self) -> ApplyResult:
        patch_type = self.request.patch_type or "application/merge-patch+json"
        body = self.request.body
        operations: Any = None
        if patch_type == JSON_PATCH:
            operations = load_document(body, f"{self.request.identity} body")
            body = dump_json(operations)
        query = self._query("fieldManager", "fieldValidation")
        answer = self.target.call("PATCH", self._path(), query, body, patch_type)
        if answer.status == 422 and _has_test(operations):
            return self._unchanged_or(
                answer, self.request.name, lambda live: _already_patched(live, operations)
            )
        return self._result(answer, Outcome.PATCHED, self.request.name)

    def _apply(self) -> ApplyResult:
        manager = str(self.options.get("fieldManager") or self.request.field_manager)
        query = [("fieldManager", manager)] if manager else []
        if self.options.get("force") is True:
            query.append(("force", "true"))
        query += self._query("fieldValidation")
        answer = self.target.call("PATCH", self._path(), query, dump_json(self._body()), APPLY_CONTENT_TYPE)
        return self._result(answer, Outcome.APPLIED, self.request.name)

    def _delete(self) -> ApplyResult:
        document = self.request.body_document()
        options: Object = dict(document) if isinstance(document, dict) else {}
        for key in ("propagationPolicy", "gracePeriodSeconds", "preconditions", "orphanDependents"):
            if key in self.options and key not in options:
                options[key] = self.options[key]
        options.setdefault("kind", "DeleteOptions")
        options.setdefault("apiVersion", "v1")
        if self.dry:  # the server reads DeleteOptions from the body, not the query, when both are given
            options["dryRun"] = ["All"]
        answer = self.target.call("DELETE", self._path(), self._query(), dump_json(options), JSON)
        if answer.status == 404:
            if not self.dry:
                self.target.seen(self.gvr, None, self.request.namespace, self.request.name)
            return ApplyResult(self.id, Outcome.UNCHANGED, "already absent")
        return self._result(answer, Outcome.DELETED, self.request.name)


def _content(obj: Object) -> Object:
    """``obj`` without the metadata the server sets."""
    metadata = {k: v for k, v in (obj.get("metadata") or {}).items() if k not in SERVER_SET}
    return {**obj, "metadata": metadata}


def holds(wanted: Any, live: Any) -> bool:
    """Whether ``live`` has every field of ``wanted`` with the same value (maps may hold more)."""
    if isinstance(wanted, dict):
        return isinstance(live, dict) and all(k in live and holds(v, live[k]) for k, v in wanted.items())
    if isinstance(wanted, list):
        return isinstance(live, list) and len(live) == len(wanted) and all(map(holds, wanted, live))
    return bool(wanted == live)


def _has_test(operations: Any) -> bool:
    return isinstance(operations, list) and any(
        isinstance(op, dict) and op.get("op") == "test" for op in operations
    )


def _already_patched(live: Object, operations: Any) -> bool:
    """A JSON patch whose ops other than ``test`` would leave ``live`` as it is."""
    if not isinstance(operations, list):
        return False
    changes = [op for op in operations if isinstance(op, dict) and op.get("op") != "test"]
    try:
        return json_patch(live, changes) == live
    except PatchFailed:
        return False


__all__ = ["LiveTarget", "holds", "served_kinds"]
