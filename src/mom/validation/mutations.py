"""Checking what one recorded mutation would write, before any target sees it.

Owns: :func:`mutation_problems` — a request is refused when its namespace or name is not
one the kube-apiserver accepts for its resource; when its body does not decode or has no
JSON form (``!!binary``, ``!!set``, non-string keys, integers past 64 bits, ``.nan``); when a
whole-object body is not a valid object of its resource; or when a patch would rewrite the
identity of the object it patches (``apiVersion``, ``kind``, ``metadata.name``,
``metadata.namespace``). A patch's effect on a stored object is checked again when it is
applied (:func:`mom.apply.semantics.decide`): this check needs no stored object.
"""

from __future__ import annotations

from typing import Any

from mom.api.cluster import Action
from mom.api.errors import MomError
from mom.client.recorder import JSON_PATCH
from mom.mustgather.discovery import Discovery
from mom.mutationdir.requests import MutationRequest
from mom.validation.names import name_problem, namespace_problem
from mom.validation.objects import json_problems, object_problems

_IDENTITY_POINTERS = ("", "/apiVersion", "/kind", "/metadata", "/metadata/name", "/metadata/namespace")
"""JSON pointers a JSON patch may not write to: the identity fields and what holds them."""


def mutation_problems(request: MutationRequest, discovery: Discovery | None = None) -> list[str]:
    """Why ``request`` may not be applied as written (empty when it may)."""
    problems: list[str] = []
    if reason := namespace_problem(request.namespace):
        problems.append(f"namespace: {reason}")
    named = request.name or request.action is not Action.CREATE
    if named and (reason := name_problem(request.gvr, request.name)):
        problems.append(f"name: {reason}")
    try:
        body = request.body_document()
    except MomError as exc:
        return [*problems, f"body: {exc}"]
    if request.action.is_patch:
        problems += [f"body: {p}" for p in json_problems(body)] or _patch_identity(request, body, discovery)
    elif request.action is Action.DELETE:
        problems += [f"body: {p}" for p in json_problems(body)]
    else:
        problems += [f"body: {p}" for p in object_problems(body, request.gvr)]
    return problems


def _patch_identity(request: MutationRequest, body: Any, discovery: Discovery | None) -> list[str]:
    if request.patch_type == JSON_PATCH:
        return _json_patch_identity(body)
    if not isinstance(body, dict):
        return []  # not a patch at all: applying it fails with the patch engine's own reason
    info = discovery.resource_info(request.gvr) if discovery is not None else None
    metadata = body.get("metadata")
    expected: dict[str, tuple[Any, Any]] = {
        "apiVersion": (body.get("apiVersion", ...), request.gvr.api_version),
        "kind": (body.get("kind", ...), info.kind if info is not None else ...),
    }
    if isinstance(metadata, dict):
        expected["metadata.name"] = (metadata.get("name", ...), request.name)
        expected["metadata.namespace"] = (metadata.get("namespace", ...), request.namespace or None)
    elif "metadata" in body:
        expected["metadata"] = (metadata, {"name": request.name})
    problems = []
    for field, (given, wanted) in expected.items():
        if given is ... or wanted is ...:
            continue
        if given != wanted and not (field == "metadata.namespace" and given == "" and wanted is None):
            problems.append(f"body.{field}: Invalid value: {given!r}: a patch may not change it")
    return problems


def _json_patch_identity(operations: Any) -> list[str]:
    if not isinstance(operations, list):
        return []
    problems = []
    for index, operation in enumerate(operations):
        if not isinstance(operation, dict) or operation.get("op") == "test":
            continue
        for key in ("path", "from") if operation.get("op") == "move" else ("path",):
            if operation.get(key) in _IDENTITY_POINTERS:
                problems.append(
                    f"body[{index}].{key}: Invalid value: {operation[key]!r}: a patch may not change it"
                )
    return problems
