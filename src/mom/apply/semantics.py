"""What each mutation action does to a stored object, the way a kube-apiserver decides it.

Owns: the pure decision for one request given the stored object (or its absence): create
(AlreadyExists, generateName), update and update of status (resourceVersion preconditions),
the three patch types, server-side apply (via :mod:`mom.apply.ssa`), delete (preconditions,
finalizers); the fields the server sets (uid, resourceVersion, creationTimestamp, generation)
and the status subresource rule. No I/O: :mod:`mom.apply.manifest_target` reads and writes.

Status subresource rule: every resource has one, except the plain-data and policy kinds
of :data:`mom.mustgather.builtin_discovery.WITHOUT_STATUS` (ConfigMaps, Secrets, Events, RBAC, ...).
On resources with one, Create drops ``.status``, Update/Patch/Apply keep the stored status,
the ``*Status`` actions change only ``.status``, and ``metadata.generation`` counts changes
outside ``metadata`` and ``status``. On resources without one, ``*Status`` actions are NotFound.
A write that would not change the stored object is ``Unchanged`` and keeps its resourceVersion.

Update without ``metadata.resourceVersion``: kube-apiserver's own resources allow an
unconditional update (their strategies' ``AllowUnconditionalUpdate``), except CRDs and
APIServices; custom resources (every group not in :data:`UNCONDITIONAL_UPDATE_GROUPS`) do not,
for ``Update`` and ``UpdateStatus`` alike: the server answers Invalid, whatever the body holds.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from mom.api.cluster import Action
from mom.api.errors import Conflict, InvalidInput, NotFound
from mom.api.resources import GroupVersionResource, copy_value, name_of
from mom.apply import patches
from mom.apply.ssa import server_side_apply
from mom.apply.target import Outcome
from mom.mustgather.builtin_discovery import has_status_subresource
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object
from mom.mutationdir.requests import MutationRequest
from mom.validation.names import GENERATED_PREFIX_MAX
from mom.validation.objects import Identity, identity_problems, object_problems

UNCONDITIONAL_UPDATE_GROUPS: frozenset[str] = frozenset(
    [""]
    + ["apps", "autoscaling", "batch", "policy"]
    + [
        f"{name}.k8s.io"
        for name in (
            "admissionregistration", "certificates", "coordination", "discovery", "events",
            "flowcontrol.apiserver", "internal.apiserver", "networking", "node", "rbac.authorization",
            "resource", "scheduling", "storage", "storagemigration",
        )
    ]
)  # fmt: skip
"""The API groups kube-apiserver serves itself: an Update without resourceVersion is accepted."""
CONDITIONAL_UPDATE_ONLY: frozenset[tuple[str, str]] = frozenset(
    [("apiextensions.k8s.io", "customresourcedefinitions"), ("apiregistration.k8s.io", "apiservices")]
)
"""Resources of kube-apiserver itself that, like custom resources, refuse an unconditional update."""
SERVER_SET = ("creationTimestamp", "generation", "managedFields", "resourceVersion", "selfLink", "uid")
_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_UID_NAMESPACE = uuid.UUID("6f1c2a52-4a49-4e0d-9d1c-6d6f6d2d6170")


def allows_unconditional_update(gvr: GroupVersionResource) -> bool:
    """Whether the server accepts an Update (or UpdateStatus) whose body has no resourceVersion."""
    return (
        gvr.group in UNCONDITIONAL_UPDATE_GROUPS and (gvr.group, gvr.resource) not in CONDITIONAL_UPDATE_ONLY
    )


@dataclass(frozen=True, slots=True)
class WriteContext:
    """What the server contributes to one write: identity, time, the next resourceVersion."""

    mutation_id: str
    now: str
    resource_version: str
    namespaced: bool
    has_status: bool
    options: Object
    kind: str = ""
    """The kind the resource holds, when discovery knows it: every object written must be one."""
    tolerate_reruns: bool = True
    """A target's tolerance of an operator run made again: a create of an object already there
    with the same content, or an update whose content is already stored (whatever its
    resourceVersion), is ``Unchanged``. ``False`` answers as a kube-apiserver: AlreadyExists,
    and a stale resourceVersion is a Conflict even when nothing would change."""


def write_context(
    mutation_id: str,
    request: MutationRequest,
    discovery: Discovery,
    *,
    now: str,
    resource_version: str,
    tolerate_reruns: bool = True,
) -> WriteContext:
    """What the server contributes to ``request``; :class:`InvalidInput` when the request's
    namespace does not fit the resource's scope (``discovery``'s, else namespaced exactly when
    the request names a namespace)."""
    gvr = request.gvr
    info = discovery.resource_info(gvr)
    namespaced = info.namespaced if info is not None else bool(request.namespace)
    if gvr.is_namespaces:
        namespaced = False
    elif namespaced and not request.namespace:
        raise InvalidInput("metadata.namespace", [f"Required value: {gvr.group_resource} is namespaced"])
    elif not namespaced and request.namespace:
        raise InvalidInput(
            "metadata.namespace",
            [f"Invalid value: {request.namespace!r}: {gvr.group_resource} is cluster-scoped"],
        )
    return WriteContext(
        mutation_id=mutation_id,
        now=now,
        resource_version=resource_version,
        namespaced=namespaced,
        has_status=has_status_subresource(gvr),
        options=request.options_document(),
        kind=info.kind if info is not None else "",
        tolerate_reruns=tolerate_reruns,
    )


@dataclass(frozen=True, slots=True)
class Change:
    """A decision: the outcome, and the object to store (``None`` with DELETED removes it)."""

    outcome: Outcome
    object: Object | None
    message: str = ""


def generated_name(prefix: str, mutation_id: str) -> str:
    """``prefix`` (as much of it as the server keeps) plus five characters derived from the
    mutation id (stable across re-runs)."""
    digest = hashlib.sha256(mutation_id.encode("utf-8")).digest()
    return prefix[:GENERATED_PREFIX_MAX] + "".join(
        _NAME_ALPHABET[b % len(_NAME_ALPHABET)] for b in digest[:5]
    )


def object_name(request: MutationRequest, body: Any, mutation_id: str) -> str:
    """The name the request writes: the URL name, or the body's name or generated name on create."""
    if request.action is not Action.CREATE:
        return request.name
    metadata = body.get("metadata") if isinstance(body, dict) else None
    metadata = metadata if isinstance(metadata, dict) else {}
    if metadata.get("name"):
        return str(metadata["name"])
    if metadata.get("generateName"):
        return generated_name(str(metadata["generateName"]), mutation_id)
    raise InvalidInput("metadata.name", ["Required value: name or generateName is required"])


def comparable(obj: Object | None, *, without_status: bool, keep_managed: bool = False) -> Object | None:
    """``obj`` minus what the server sets, to tell whether two versions differ for a user."""
    if obj is None:
        return None
    result = {k: v for k, v in obj.items() if not (without_status and k == "status")}
    metadata = dict(result.get("metadata") or {})
    for key in SERVER_SET:
        if not (keep_managed and key == "managedFields"):
            metadata.pop(key, None)
    result["metadata"] = metadata
    return result


def _spec_changed(old: Object, new: Object) -> bool:
    def spec(o: Object) -> Object:
        return {k: v for k, v in o.items() if k not in ("metadata", "status")}

    return spec(old) != spec(new)


def _stamp(new: Object, old: Object | None, ctx: WriteContext, gvr: GroupVersionResource) -> Object:
    """``new`` with the server-set metadata of a write: kept from ``old``, new resourceVersion.

    The metadata is a copy: a patched object may share it with the stored one, left unchanged.
    """
    metadata = new["metadata"] = dict(new.get("metadata") or {})
    if old is None:
        metadata["uid"] = str(uuid.uuid5(_UID_NAMESPACE, ctx.mutation_id))
        metadata["creationTimestamp"] = ctx.now
        if ctx.has_status and gvr.resource != "namespaces":
            metadata["generation"] = 1
    else:
        old_metadata = old.get("metadata") or {}
        for key in ("uid", "creationTimestamp", "generation"):
            if key in old_metadata:
                metadata[key] = old_metadata[key]
            else:
                metadata.pop(key, None)
        if "generation" in old_metadata and _spec_changed(old, new):
            metadata["generation"] = int(old_metadata["generation"]) + 1
    metadata["resourceVersion"] = ctx.resource_version
    return new


def _check_identity(body: Any, request: MutationRequest, ctx: WriteContext, name: str) -> Object:
    """The body as an object in the request's namespace; :class:`InvalidInput` when it is not one."""
    if not isinstance(body, dict) or not body.get("apiVersion") or not body.get("kind"):
        raise InvalidInput("body", ["apiVersion and kind are required"])
    if body["apiVersion"] != request.gvr.api_version:
        raise InvalidInput(
            "apiVersion",
            [f"Invalid value: {body['apiVersion']!r}: the request is for {request.gvr.api_version!r}"],
        )
    result = copy_value(body)
    metadata = result.setdefault("metadata", {})
    if not isinstance(metadata, dict):
        raise InvalidInput("metadata", ["must be an object"])
    if metadata.get("name") and metadata["name"] != name:
        raise InvalidInput(
            "metadata.name", [f"Invalid value: {metadata['name']!r}: the request names {name!r}"]
        )
    metadata["name"] = name
    if metadata.get("namespace") and metadata["namespace"] != request.namespace and ctx.namespaced:
        raise InvalidInput(
            "metadata.namespace",
            [
                f"Invalid value: {metadata['namespace']!r}:"
                f" does not match the request namespace {request.namespace!r}"
            ],
        )
    if ctx.namespaced:
        metadata["namespace"] = request.namespace
    else:
        metadata.pop("namespace", None)
    if metadata.get("creationTimestamp") is None:
        metadata.pop("creationTimestamp", None)
    return result


def decide(request: MutationRequest, body: Any, current: Object | None, ctx: WriteContext) -> Change:
    """The change ``request`` makes to ``current`` (``None`` = absent).

    The object it would store is checked before it is returned: a valid object of the
    request's resource (JSON-representable, a valid name), landing where the request says —
    the request's (or the stored object's) ``apiVersion``, the stored object's kind (or the
    resource's), the request's name and namespace — whatever the patch or body said.
    """
    change = _decide(request, body, current, ctx)
    if change.object is not None and change.outcome is not Outcome.UNCHANGED:
        stored = current or {}
        expected = Identity(
            api_versions=frozenset({request.gvr.api_version, str(stored.get("apiVersion") or "")} - {""}),
            kind=str(stored.get("kind") or ctx.kind) or None,
            name=object_name(request, body, ctx.mutation_id) if current is None else request.name,
            # The request's namespace, or (a must-gather's quirk) whatever the stored copy says.
            namespaces=frozenset(
                {request.namespace if ctx.namespaced else None}
                | ({_field_or_none(stored, "namespace")} if current is not None else set())
            ),
        )
        problems = object_problems(change.object, request.gvr, namespaced=ctx.namespaced)
        problems += identity_problems(change.object, expected)
        if problems:
            raise InvalidInput(request.identity, problems)
    return change


def _field_or_none(obj: Object, key: str) -> str | None:
    metadata = obj.get("metadata")
    value = metadata.get(key) if isinstance(metadata, dict) else None
    return str(value) if value else None


def _decide(request: MutationRequest, body: Any, current: Object | None, ctx: WriteContext) -> Change:
    action, gvr = request.action, request.gvr
    if action.on_status and not ctx.has_status:
        raise NotFound(
            f'the server could not find the requested resource ({gvr.group_resource} "{request.name}" status)'
        )
    if action is Action.DELETE:
        return _delete(request, body, current, ctx)
    name = object_name(request, body, ctx.mutation_id)
    if action is Action.CREATE:
        return _create(_check_identity(body, request, ctx, name), current, ctx, gvr)
    if current is None and not action.is_apply:
        raise NotFound(_not_found(gvr, request.namespace, name))
    if action in (Action.UPDATE, Action.UPDATE_STATUS):
        return _update(request, _check_identity(body, request, ctx, name), current, ctx)
    if action.is_patch:
        return _patch(request, body, current, ctx)
    return _apply(request, _check_identity(body, request, ctx, name), current, ctx)


def _not_found(gvr: GroupVersionResource, namespace: str, name: str) -> str:
    where = f" in namespace {namespace!r}" if namespace else ""
    return f'{gvr.group_resource} "{name}" not found{where}'


def _modified(gvr: GroupVersionResource, name: str) -> str:
    return (
        f'Operation cannot be fulfilled on {gvr.group_resource} "{name}": the object has been modified;'
        " please apply your changes to the latest version and try again"
    )


def _create(body: Object, current: Object | None, ctx: WriteContext, gvr: GroupVersionResource) -> Change:
    if ctx.has_status:
        body.pop("status", None)
    if current is not None:
        if ctx.tolerate_reruns and comparable(current, without_status=ctx.has_status) == comparable(
            body, without_status=ctx.has_status
        ):
            return Change(Outcome.UNCHANGED, current, "already exists with the same content")
        raise Conflict(f'{gvr.group_resource} "{name_of(body)}" already exists')
    body.get("metadata", {}).pop("managedFields", None)
    return Change(Outcome.CREATED, _stamp(body, None, ctx, gvr))


def _update(request: MutationRequest, body: Object, current: Object | None, ctx: WriteContext) -> Change:
    assert current is not None
    wanted = str(body.get("metadata", {}).get("resourceVersion") or "")
    if not wanted and not allows_unconditional_update(request.gvr):
        raise InvalidInput(
            "",
            [
                f'{request.gvr.group_resource} "{request.name}" is invalid: metadata.resourceVersion:'
                " Invalid value: 0: must be specified for an update"
            ],
        )
    status_only = request.action is Action.UPDATE_STATUS
    if status_only:
        new = copy_value(current)
        new.pop("status", None)
        if "status" in body:
            new["status"] = body["status"]
    else:
        new = body
        if ctx.has_status:
            new.pop("status", None)
            if "status" in current:
                new["status"] = current["status"]
        if "managedFields" in (current.get("metadata") or {}):
            new["metadata"]["managedFields"] = current["metadata"]["managedFields"]
    stored = str((current.get("metadata") or {}).get("resourceVersion") or "")
    if wanted and wanted != stored and not ctx.tolerate_reruns:
        raise Conflict(_modified(request.gvr, request.name))
    if comparable(new, without_status=False) == comparable(current, without_status=False):
        return Change(Outcome.UNCHANGED, current, "the stored object already has this content")
    if wanted and wanted != stored:
        raise Conflict(_modified(request.gvr, request.name))
    return Change(Outcome.UPDATED, _stamp(new, current, ctx, request.gvr))


def _patch(request: MutationRequest, body: Any, current: Object | None, ctx: WriteContext) -> Change:
    assert current is not None
    if request.patch_type == patches.JSON_PATCH:
        patched = patches.json_patch(current, body)
    elif request.patch_type == patches.MERGE_PATCH:
        patched = patches.merge_patch(current, body)
    elif request.patch_type == patches.STRATEGIC_MERGE_PATCH:
        patched = patches.strategic_merge_patch(current, body)
    else:
        raise InvalidInput("patchType", [f"Unsupported value: {request.patch_type!r}"])
    stored_metadata = current.get("metadata") or {}
    new_metadata = patched.get("metadata") or {}
    if new_metadata.get("name") != stored_metadata.get("name"):
        raise InvalidInput("metadata.name", ["a patch cannot change the name"])
    if str(new_metadata.get("resourceVersion") or "") != str(stored_metadata.get("resourceVersion") or ""):
        raise Conflict(_modified(request.gvr, request.name))
    if request.action is Action.PATCH_STATUS:
        new = copy_value(current)
        new.pop("status", None)
        if "status" in patched:
            new["status"] = patched["status"]
    else:
        new = patched
        if ctx.has_status:
            new.pop("status", None)
            if "status" in current:
                new["status"] = current["status"]
    if new == current:
        return Change(Outcome.UNCHANGED, current, "the patch changes nothing")
    return Change(Outcome.PATCHED, _stamp(new, current, ctx, request.gvr))


def _apply(request: MutationRequest, body: Object, current: Object | None, ctx: WriteContext) -> Change:
    manager = request.field_manager or str(ctx.options.get("fieldManager") or "")
    if not manager:
        raise InvalidInput("fieldManager", ["Required value: is required for apply requests"])
    status = request.action is Action.APPLY_STATUS
    if current is None and status:
        raise NotFound(_not_found(request.gvr, request.namespace, request.name))
    new = server_side_apply(
        current,
        body,
        manager=manager,
        subresource="status" if status else "",
        force=ctx.options.get("force") is True,
        now=ctx.now,
        without_status=ctx.has_status,
    )
    if current is None:
        new = {"apiVersion": body["apiVersion"], "kind": body["kind"], **new}
        identity = {k: body["metadata"][k] for k in ("name", "namespace") if k in body["metadata"]}
        new["metadata"] = {**identity, **new.get("metadata", {})}
        return Change(Outcome.CREATED, _stamp(new, None, ctx, request.gvr), "created by apply")
    if new == current:
        return Change(Outcome.UNCHANGED, current, "the applied configuration is already in place")
    return Change(Outcome.APPLIED, _stamp(new, current, ctx, request.gvr))


def _delete(request: MutationRequest, body: Any, current: Object | None, ctx: WriteContext) -> Change:
    if current is None:
        raise NotFound(_not_found(request.gvr, request.namespace, request.name))
    preconditions = {}
    for source in (ctx.options, body if isinstance(body, dict) else {}):
        if isinstance(source.get("preconditions"), dict):
            preconditions.update(source["preconditions"])
    metadata = current.get("metadata") or {}
    for field, label in (("uid", "UID"), ("resourceVersion", "ResourceVersion")):
        wanted = preconditions.get(field)
        if wanted is not None and str(wanted) != str(metadata.get(field) or ""):
            raise Conflict(
                f"Precondition failed: {label} in precondition: {wanted},"
                f" {label} in object meta: {metadata.get(field) or ''}"
            )
    if metadata.get("finalizers"):
        if metadata.get("deletionTimestamp"):
            return Change(Outcome.UNCHANGED, current, "already being deleted, waiting for finalizers")
        marked = copy_value(current)
        marked["metadata"]["deletionTimestamp"] = ctx.now
        return Change(
            Outcome.DELETED,
            _stamp(marked, current, ctx, request.gvr),
            "marked for deletion; finalizers pending",
        )
    return Change(Outcome.DELETED, None)
