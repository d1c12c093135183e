"""Applying patches to objects: JSON merge patch, JSON patch, strategic merge and apply.

Owns the pure functions that turn (current object, patch document) into the patched object
for the ``--mutable`` overlay. Strategic merge is kept small: it is a merge patch except that
lists of maps with a well-known merge key (``conditions`` by ``type``, ``containers`` by
``name``...) are merged item by item, and ``$patch: delete`` / ``$patch: replace`` are honoured.
Server-side apply merges the applied configuration the same way (no field ownership).
"""

from __future__ import annotations

import copy
from typing import Any

from mom.api.errors import InvalidInput

MERGE_KEYS: dict[str, str] = {
    "conditions": "type",
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "env": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "imagePullSecrets": "name",
    "ownerReferences": "uid",
    "relatedObjects": "name",
    "versions": "name",
}
"""List fields merged item by item in strategic merge and apply, by the key naming an item."""


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386: maps merge recursively, ``null`` removes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def strategic_merge_patch(target: Any, patch: Any) -> Any:
    """A merge patch that merges known lists of maps by their merge key."""
    return _strategic(target, patch, "")


def _strategic(target: Any, patch: Any, field: str) -> Any:
    if isinstance(patch, list) and field in MERGE_KEYS and isinstance(target, list):
        return _merge_list(target, patch, MERGE_KEYS[field])
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _strategic(result.get(key), value, key)
    return result


def _merge_list(target: list[Any], patch: list[Any], key: str) -> list[Any]:
    result = [copy.deepcopy(item) for item in target]
    for item in patch:
        if not isinstance(item, dict) or key not in item:
            result.append(copy.deepcopy(item))
            continue
        index = next(
            (i for i, old in enumerate(result) if isinstance(old, dict) and old.get(key) == item[key]), None
        )
        if item.get("$patch") == "delete":
            if index is not None:
                del result[index]
        elif index is None:
            result.append(_strategic({}, item, ""))
        else:
            result[index] = _strategic(result[index], item, "")
    return result


def json_patch(target: Any, operations: Any, source: str) -> Any:
    """RFC 6902: ``add``, ``remove``, ``replace``, ``move``, ``copy`` and ``test``."""
    if not isinstance(operations, list):
        raise InvalidInput(source, ["body: a JSON patch must be a list of operations"])
    document = copy.deepcopy(target)
    for index, operation in enumerate(operations):
        field = f"body[{index}]"
        if not isinstance(operation, dict) or not isinstance(operation.get("path"), str):
            raise InvalidInput(source, [f"{field}.path: required"])
        try:
            document = _apply_operation(document, operation)
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise InvalidInput(
                source, [f"{field}: {operation.get('op')} {operation['path']!r}: {exc}"]
            ) from exc
    return document


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise ValueError("a JSON pointer starts with '/'")
    return [part.replace("~1", "/").replace("~0", "~") for part in path[1:].split("/")]


def _parent(document: Any, parts: list[str]) -> Any:
    node = document
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _apply_operation(document: Any, operation: dict[str, Any]) -> Any:
    op = operation.get("op")
    parts = _pointer(operation["path"])
    if op == "test":
        if _get(document, parts) != operation.get("value"):
            raise ValueError("test failed: value differs")
        return document
    if op in ("move", "copy"):
        from_parts = _pointer(str(operation.get("from", "")))
        value = copy.deepcopy(_get(document, from_parts))
        if op == "move":
            document = _remove(document, from_parts)
        return _add(document, parts, value)
    if op == "remove":
        return _remove(document, parts)
    if "value" not in operation:
        raise ValueError("value: required")
    value = copy.deepcopy(operation["value"])
    if op == "add":
        return _add(document, parts, value)
    if op == "replace":
        _get(document, parts)  # must exist
        document = _remove(document, parts)
        return _add(document, parts, value)
    raise ValueError(f"unknown operation {op!r}")


def _get(document: Any, parts: list[str]) -> Any:
    node = document
    for part in parts:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def _add(document: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    parent = _parent(document, parts)
    last = parts[-1]
    if isinstance(parent, list):
        parent.insert(len(parent) if last == "-" else int(last), value)
    elif isinstance(parent, dict):
        parent[last] = value
    else:
        raise TypeError("parent is not a container")
    return document


def _remove(document: Any, parts: list[str]) -> Any:
    if not parts:
        return None
    parent = _parent(document, parts)
    if isinstance(parent, list):
        del parent[int(parts[-1])]
    else:
        del parent[parts[-1]]
    return document
