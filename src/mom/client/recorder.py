"""Recording write requests as :class:`MutationRequest` values instead of performing them.

Owns the mapping from an HTTP write (verb, path, query, Content-Type, body) to a recorded
request (FORMATS.md §2.1-2.3): which action it is, which checks it must pass, how its body and
options are serialized, and the stub object the caller gets back. Nothing is applied anywhere.

One deliberate difference from library-go: a namespaced ``DELETE`` is recorded (its
``DeleteOptions`` body has no namespace, which makes the Go recorder refuse every one of them).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource, gvk_of, metadata_of
from mom.client.paths import ResourcePath, parse_path
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, load_document, load_json

APPLY_PATCH = "application/apply-patch+yaml"
JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"
JSON = "application/json"

ALLOWED_CONTENT_TYPES = frozenset({JSON, APPLY_PATCH, JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH})
"""Content types a recorded write may carry (protobuf is refused, as in library-go)."""

PATCH_CONTENT_TYPES = frozenset({JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH})

KindLookup = Callable[[GroupVersionResource], str | None]

# Query parameters of each metav1 options type: name -> how the value is decoded.
_LIST, _STRING, _BOOL, _INT = "list", "string", "bool", "int"
_WRITE_OPTIONS = {"dryRun": _LIST, "fieldManager": _STRING, "fieldValidation": _STRING}
_PATCH_OPTIONS = {**_WRITE_OPTIONS, "force": _BOOL}
_DELETE_OPTIONS = {
    "dryRun": _LIST,
    "gracePeriodSeconds": _INT,
    "ignoreStoreReadErrorWithClusterBreakingPotential": _BOOL,
    "orphanDependents": _BOOL,
    "propagationPolicy": _STRING,
}


def _no_kind(gvr: GroupVersionResource) -> str | None:
    del gvr
    return None


class MutationRecorder:
    """Collects recorded writes in the order they arrive; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: list[MutationRequest] = []

    @property
    def requests(self) -> list[MutationRequest]:
        """The recorded requests, in recording order (duplicates kept)."""
        with self._lock:
            return list(self._requests)

    def record(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | Sequence[tuple[str, str]],
        content_type: str,
        body: bytes,
        controller_instance_name: str = "",
        kind_for: KindLookup = _no_kind,
    ) -> dict[str, Any]:
        """Record one write and return the stub object a client receives for it.

        Raises :class:`InvalidInput` for writes library-go refuses: unsupported verbs or
        subresources, disallowed content types, malformed bodies, namespace or name mismatches.
        """
        request = build_request(method, path, query, content_type, body, controller_instance_name)
        self.add(request)
        return _stub_response(request, kind_for)

    def add(self, request: MutationRequest) -> None:
        """Record a request already built with :func:`build_request`."""
        with self._lock:
            self._requests.append(request)


def build_request(
    method: str,
    path: str,
    query: Mapping[str, str] | Sequence[tuple[str, str]],
    content_type: str,
    body: bytes,
    controller_instance_name: str = "",
) -> MutationRequest:
    """The :class:`MutationRequest` an HTTP write is recorded as (FORMATS.md §2.1-2.3)."""
    source = f"{method.upper()} {path}"
    target = parse_path(path)
    if not isinstance(target, ResourcePath):
        raise InvalidInput(source, ["only writes to resources can be recorded"])
    media_type = content_type.split(";", 1)[0].strip().lower()
    action = _action_of(method.upper(), target, media_type, body, source)
    pairs = list(query.items()) if isinstance(query, Mapping) else list(query)
    options, decoded_options = _options_of(action, pairs, source)
    field_manager = _first_value(pairs, "fieldManager") if action.is_patch or action.is_apply else ""
    if action.is_patch:
        return MutationRequest(
            action=action,
            gvr=target.gvr,
            namespace=target.namespace,
            name=target.name,
            generate_name="",
            kind=None,
            body=_patch_body(media_type, body, source),
            options=options,
            decoded_options=decoded_options,
            patch_type=media_type,
            field_manager=field_manager,
            controller_instance_name=controller_instance_name,
        )
    document = _decode_object(action, media_type, body, source)
    kind = gvk_of(document) if document is not None and "kind" in document else None
    meta = metadata_of(document) if document is not None else {}
    if document is not None:
        _check_identity(action, target, meta, source)
    body_name = meta.get("name", "")
    generate_name = meta.get("generateName", "") if action is not Action.DELETE else ""
    return MutationRequest(
        action=action,
        gvr=target.gvr,
        namespace=target.namespace,
        name=(body_name if isinstance(body_name, str) else "") if action is Action.CREATE else target.name,
        generate_name=generate_name if isinstance(generate_name, str) else "",
        kind=kind,
        body=dump_go_yaml(document).encode("utf-8") if document is not None else b"",
        options=options,
        decoded_options=decoded_options,
        field_manager=field_manager,
        controller_instance_name=controller_instance_name,
        decoded_body=document,
    )


def _action_of(method: str, target: ResourcePath, media_type: str, body: bytes, source: str) -> Action:
    problems: list[str] = []
    if target.subresource not in ("", "status"):
        problems.append(f'subresource "{target.subresource}" cannot be recorded (only status)')
    if media_type not in ALLOWED_CONTENT_TYPES and not (method == "DELETE" and not body.strip()):
        allowed = ", ".join(sorted(ALLOWED_CONTENT_TYPES))
        problems.append(f'Content-Type "{media_type}" is not supported: must be one of {allowed}')
    if problems:
        raise InvalidInput(source, problems)
    status = target.subresource == "status"
    if method == "POST" and not target.name and not status:
        action = Action.CREATE
    elif method == "PUT" and target.name:
        action = Action.UPDATE_STATUS if status else Action.UPDATE
    elif method == "PATCH" and target.name and media_type == APPLY_PATCH:
        action = Action.APPLY_STATUS if status else Action.APPLY
    elif method == "PATCH" and target.name and media_type in PATCH_CONTENT_TYPES:
        action = Action.PATCH_STATUS if status else Action.PATCH
    elif method == "DELETE" and target.name and not status:
        action = Action.DELETE
    else:
        raise InvalidInput(source, [f"{method} with Content-Type {media_type!r} cannot be recorded"])
    if action in (Action.CREATE, Action.UPDATE, Action.UPDATE_STATUS) and media_type != JSON:
        raise InvalidInput(source, [f'Content-Type "{media_type}" is not supported: must be {JSON}'])
    return action


def _decode_object(action: Action, media_type: str, body: bytes, source: str) -> dict[str, Any] | None:
    if action is Action.DELETE and not body.strip():
        return None
    document = load_document(body, source) if media_type == APPLY_PATCH else load_json(body, source)
    if not isinstance(document, dict):
        raise InvalidInput(source, ["body: must be a JSON object"])
    stated = gvk_of(document)
    if action is not Action.DELETE and (not stated.version or not stated.kind):
        raise InvalidInput(source, ["body: apiVersion and kind are required"])
    return document


def _check_identity(action: Action, target: ResourcePath, meta: dict[str, object], source: str) -> None:
    if action is Action.DELETE:
        return
    problems: list[str] = []
    body_namespace = meta.get("namespace") or ""
    if body_namespace != target.namespace:
        problems.append(
            f'metadata.namespace: invalid value "{body_namespace}": '
            f'must equal the request namespace "{target.namespace}"'
        )
    body_name = meta.get("name") or ""
    if action is not Action.CREATE and body_name != target.name:
        problems.append(
            f'metadata.name: invalid value "{body_name}": must equal the request name "{target.name}"'
        )
    if problems:
        raise InvalidInput(source, problems)


def _patch_body(media_type: str, body: bytes, source: str) -> bytes:
    document = load_json(body, source)
    if media_type == JSON_PATCH:
        if not isinstance(document, list) or not all(isinstance(op, dict) for op in document):
            raise InvalidInput(source, ["body: a JSON patch must be a list of operations"])
        return dump_go_yaml(document).encode("utf-8")
    if not isinstance(document, dict):
        raise InvalidInput(source, ["body: a merge patch must be a JSON object"])
    return body


def _first_value(pairs: Sequence[tuple[str, str]], key: str) -> str:
    values = [value for name, value in pairs if name == key]
    return values[0] if values else ""


def _options_of(
    action: Action, pairs: Sequence[tuple[str, str]], source: str
) -> tuple[bytes, dict[str, Any]]:
    """The query parameters decoded into the action's metav1 options type: as YAML ('' if empty),
    and as the mapping it encodes."""
    if action is Action.DELETE:
        schema = _DELETE_OPTIONS
    elif action.is_patch or action.is_apply:
        schema = _PATCH_OPTIONS
    else:
        schema = _WRITE_OPTIONS
    options: dict[str, Any] = {}
    problems: list[str] = []
    for key, decoding in schema.items():
        values = [value for name, value in pairs if name == key]
        if not values:
            continue
        if decoding == _LIST:
            options[key] = values
        elif decoding == _BOOL:
            options[key] = values[0].lower() not in ("false", "0")
        elif decoding == _INT:
            try:
                options[key] = int(values[0])
            except ValueError:
                problems.append(f'{key}: invalid value "{values[0]}": must be an integer')
        elif values[0]:
            options[key] = values[0]
    if problems:
        raise InvalidInput(source, problems)
    return (dump_go_yaml(options).encode("utf-8") if options else b""), options


def _stub_response(request: MutationRequest, kind_for: KindLookup) -> dict[str, Any]:
    kind: GroupVersionKind | None = request.kind
    if request.action.is_patch or request.action is Action.DELETE or kind is None:
        kind = GroupVersionKind(request.gvr.group, request.gvr.version, kind_for(request.gvr) or "")
    metadata: dict[str, Any] = {"name": request.name}
    if request.generate_name:
        metadata["generateName"] = request.generate_name
    if request.namespace:
        metadata["namespace"] = request.namespace
    return {"apiVersion": kind.api_version, "kind": kind.kind, "metadata": metadata}
