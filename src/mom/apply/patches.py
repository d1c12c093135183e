"""The three Kubernetes patch formats, applied to plain-dict objects.

Owns: JSON patch (RFC 6902: ``add``, ``remove``, ``replace``, ``move``, ``copy``, ``test``),
JSON merge patch (RFC 7386: maps merge, ``null`` deletes, everything else replaces) and
strategic merge patch (merge patch, plus lists of maps merged item by item on a merge key,
and the ``$patch: delete`` / ``$patch: replace`` directives). The merge keys come from
:data:`LIST_MAP_KEYS`, a small table of the well-known list-map fields, shared with
server-side apply. Every function returns a new object and never changes its arguments.
A patch that cannot be applied raises :class:`PatchFailed`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.resources import copy_value
from mom.mustgather.reader import Object

JSON_PATCH = "application/json-patch+json"
MERGE_PATCH = "application/merge-patch+json"
STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json"

LIST_MAP_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "conditions": (("type",),),
    "containers": (("name",),),
    "initContainers": (("name",),),
    "ephemeralContainers": (("name",),),
    "env": (("name",),),
    "volumes": (("name",),),
    "volumeMounts": (("mountPath",),),
    "volumeDevices": (("devicePath",),),
    "ports": (("containerPort",), ("port",)),
    "imagePullSecrets": (("name",),),
    "relatedObjects": (("group", "resource", "namespace", "name"),),
    "generations": (("group", "resource", "namespace", "name"),),
    "versions": (("name",),),
}
"""Field name -> candidate merge keys (the first whose fields every item has is used).

``ports`` is keyed by ``containerPort`` in pod specs and by ``port`` in Service specs."""


class PatchFailed(InvalidInput):
    """A patch that does not apply: bad operation, missing path, failed ``test``."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("patch", problems)


def merge_key(field: str, items: Sequence[Any]) -> tuple[str, ...] | None:
    """The key that identifies the items of list ``field``; ``None`` when the list is atomic."""
    if not items or not all(isinstance(item, Mapping) for item in items):
        return None
    for key in LIST_MAP_KEYS.get(field, ()):
        if all(all(part in item for part in key) for item in items):
            return key
    return None


def key_of(item: Mapping[str, Any], key: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(item.get(part) for part in key)


# --- RFC 6902 ---------------------------------------------------------------------------


def _pointer(path: Any, index: int) -> list[str]:
    if not isinstance(path, str) or (path and not path.startswith("/")):
        raise PatchFailed([f"[{index}].path: Invalid value: {path!r}: not a JSON pointer"])
    if not path:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _list_index(container: list[Any], token: str, where: str, *, insert: bool) -> int:
    if insert and token == "-":
        return len(container)
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise PatchFailed([f"{where}: Invalid value: {token!r}: not an array index"])
    position = int(token)
    if position > len(container) or (not insert and position == len(container)):
        raise PatchFailed([f"{where}: index {position} out of range (length {len(container)})"])
    return position


def _parent(document: Any, tokens: list[str], where: str) -> Any:
    node = document
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_list_index(node, token, where, insert=False)]
        else:
            raise PatchFailed([f"{where}: Not found: {token!r} does not exist"])
    return node


def _get(document: Any, tokens: list[str], where: str) -> Any:
    if not tokens:
        return document
    parent = _parent(document, tokens, where)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent[last]
    if isinstance(parent, list):
        return parent[_list_index(parent, last, where, insert=False)]
    raise PatchFailed([f"{where}: Not found: {last!r} does not exist"])


def _remove(document: Any, tokens: list[str], where: str) -> Any:
    if not tokens:
        raise PatchFailed([f"{where}: cannot remove the whole document"])
    parent = _parent(document, tokens, where)
    last = tokens[-1]
    if isinstance(parent, dict) and last in parent:
        return parent.pop(last)
    if isinstance(parent, list):
        return parent.pop(_list_index(parent, last, where, insert=False))
    raise PatchFailed([f"{where}: Not found: {last!r} does not exist"])


def _add(document: Any, tokens: list[str], value: Any, where: str, *, replace: bool = False) -> Any:
    if not tokens:
        return value
    parent = _parent(document, tokens, where)
    last = tokens[-1]
    if isinstance(parent, dict):
        if replace and last not in parent:
            raise PatchFailed([f"{where}: Not found: {last!r} does not exist"])
        parent[last] = value
    elif isinstance(parent, list):
        position = _list_index(parent, last, where, insert=not replace)
        if replace:
            parent[position] = value
        else:
            parent.insert(position, value)
    else:
        raise PatchFailed([f"{where}: cannot add below a scalar"])
    return document


def json_patch(document: Object, operations: Any) -> Object:
    """``document`` with RFC 6902 ``operations`` applied in order (all or nothing)."""
    if not isinstance(operations, list):
        raise PatchFailed(["a JSON patch must be a list of operations"])
    result: Any = copy_value(document)
    for index, operation in enumerate(operations):
        if not isinstance(operation, Mapping):
            raise PatchFailed([f"[{index}]: an operation must be a mapping"])
        op = operation.get("op")
        where = f"[{index}] {op} {operation.get('path')!r}"
        tokens = _pointer(operation.get("path"), index)
        if op in ("add", "replace", "test") and "value" not in operation:
            raise PatchFailed([f"[{index}].value: Required value for {op!r}"])
        if op == "add":
            result = _add(result, tokens, copy_value(operation["value"]), where)
        elif op == "replace":
            result = _add(result, tokens, copy_value(operation["value"]), where, replace=True)
        elif op == "remove":
            _remove(result, tokens, where)
        elif op == "test":
            actual = _get(result, tokens, where)
            if actual != operation["value"]:
                raise PatchFailed(
                    [f"{where}: test failed: found {actual!r}, expected {operation['value']!r}"]
                )
        elif op in ("move", "copy"):
            source = _pointer(operation.get("from"), index)
            if op == "move" and tokens[: len(source)] == source and tokens != source:
                raise PatchFailed([f"{where}: cannot move a value into itself"])
            value = (
                _remove(result, source, where) if op == "move" else copy_value(_get(result, source, where))
            )
            result = _add(result, tokens, value, where)
        else:
            raise PatchFailed([f"[{index}].op: Unsupported value: {op!r}"])
    if not isinstance(result, dict):
        raise PatchFailed(["the patched document is not an object"])
    return result


# --- RFC 7386 and strategic merge ---------------------------------------------------------


def merge_patch(document: Object, patch: Any) -> Object:
    """``document`` with the RFC 7386 merge ``patch`` applied."""
    if not isinstance(patch, Mapping):
        raise PatchFailed(["a merge patch must be an object"])
    return _merge(document, patch, strategic=False)


def strategic_merge_patch(document: Object, patch: Any) -> Object:
    """``document`` with a strategic merge ``patch``: list-map fields merge by their key."""
    if not isinstance(patch, Mapping):
        raise PatchFailed(["a strategic merge patch must be an object"])
    return _merge(document, patch, strategic=True)


def _merge(target: Any, patch: Mapping[str, Any], *, strategic: bool) -> Object:
    if strategic and patch.get("$patch") == "replace":
        return {k: copy_value(v) for k, v in patch.items() if k != "$patch"}
    result: Object = dict(target) if isinstance(target, Mapping) else {}
    for key, value in patch.items():
        if strategic and key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        elif isinstance(value, Mapping):
            if strategic and value.get("$patch") == "delete":
                result.pop(key, None)
            else:
                result[key] = _merge(result.get(key), value, strategic=strategic)
        elif strategic and isinstance(value, list) and isinstance(result.get(key), list):
            result[key] = _merge_list(key, result[key], value)
        else:
            result[key] = copy_value(value)
    return result


def _merge_list(field: str, current: list[Any], patch: list[Any]) -> list[Any]:
    """Strategic merge of a list: by merge key for list-map fields, else the patch replaces it."""
    plain = [item for item in patch if not (isinstance(item, Mapping) and "$patch" in item)]
    key = merge_key(field, [*current, *plain]) if field in LIST_MAP_KEYS else None
    if key is None:
        return copy_value(plain)
    merged = list(current)
    for item in patch:
        position = next((i for i, old in enumerate(merged) if key_of(old, key) == key_of(item, key)), None)
        if item.get("$patch") == "delete":
            if position is not None:
                del merged[position]
        elif position is None:
            merged.append(_merge({}, item, strategic=True))
        else:
            merged[position] = _merge(merged[position], item, strategic=True)
    return merged
