"""What an object must be before mom stores it: JSON a kube-apiserver would accept, a valid
name, and — for a change to an existing object — the same identity it had.

Owns: :func:`json_problems` (only ``null``, booleans, strings, integers within int64, finite
floats, lists, and maps with string keys: YAML's ``!!binary``, ``!!set``, non-string keys,
``.nan``/``.inf`` and integers past 64 bits have no JSON form and would break every later
read of the object), :func:`object_problems` (a whole object about to be written to a
resource), and :func:`identity_problems` (a patched object against the stored one: a patch
may not change ``apiVersion``, ``kind``, ``metadata.name`` or ``metadata.namespace``).
Every function returns problems (field path first) and never raises.
"""

from __future__ import annotations

import math
from typing import Any

from mom.api.resources import GroupVersionResource
from mom.validation.names import generate_name_problem, name_problem, namespace_problem

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MAX_PROBLEMS = 5
"""A hostile body can hold thousands of bad values: report this many, then stop looking."""

IDENTITY_FIELDS = (("apiVersion",), ("kind",), ("metadata", "name"), ("metadata", "namespace"))


def json_problems(value: Any, path: str = "") -> list[str]:
    """Why ``value`` has no JSON form a kube-apiserver accepts (at most :data:`MAX_PROBLEMS`)."""
    problems: list[str] = []
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack and len(problems) < MAX_PROBLEMS:
        node, where = stack.pop()
        here = where or "<root>"
        if node is None or isinstance(node, (bool, str)):
            continue
        if isinstance(node, int):
            if not INT64_MIN <= node <= INT64_MAX:
                problems.append(f"{here}: Invalid value: {node}: integer does not fit in 64 bits")
        elif isinstance(node, float):
            if not math.isfinite(node):
                problems.append(f"{here}: Invalid value: {node}: not a finite number")
        elif isinstance(node, dict):
            for key, item in node.items():
                if not isinstance(key, str):
                    problems.append(f"{here}: Invalid value: {key!r}: map keys must be strings")
                    continue
                stack.append((item, f"{where}.{key}" if where else key))
        elif isinstance(node, list):
            stack.extend((item, f"{where}[{index}]") for index, item in enumerate(node))
        else:
            problems.append(f"{here}: Invalid value: a {_yaml_kind(node)} has no JSON form")
    return problems


def _yaml_kind(node: Any) -> str:
    if isinstance(node, (bytes, bytearray)):
        return "binary value"
    if isinstance(node, (set, frozenset)):
        return "set"
    return type(node).__name__


def object_problems(obj: Any, gvr: GroupVersionResource, *, namespaced: bool | None = None) -> list[str]:
    """Why ``obj`` cannot be stored as an object of ``gvr``: not JSON, no apiVersion/kind, an
    invalid name, generateName or namespace. ``namespaced`` (when known) checks the scope too."""
    problems = json_problems(obj)
    if problems:
        return problems
    if not isinstance(obj, dict):
        return ["<root>: Invalid value: must be an object"]
    for key in ("apiVersion", "kind"):
        if not isinstance(obj.get(key), str) or not obj[key]:
            problems.append(f"{key}: Required value")
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return [*problems, "metadata: Required value: must be an object"]
    name, generate_name = metadata.get("name"), metadata.get("generateName")
    if name or not generate_name:
        reason = name_problem(gvr, name) if isinstance(name, str) else "Invalid value: must be a string"
        if reason:
            problems.append(f"metadata.name: {reason}")
    if generate_name:
        reason = (
            generate_name_problem(gvr, generate_name)
            if isinstance(generate_name, str)
            else "Invalid value: must be a string"
        )
        if reason:
            problems.append(f"metadata.generateName: {reason}")
    namespace = metadata.get("namespace") or ""
    if not isinstance(namespace, str):
        problems.append("metadata.namespace: Invalid value: must be a string")
    elif reason := namespace_problem(namespace):
        problems.append(f"metadata.namespace: {reason}")
    elif namespaced is False and namespace and not gvr.is_namespaces:
        problems.append(
            f"metadata.namespace: Invalid value: {namespace!r}: {gvr.group_resource} is cluster-scoped"
        )
    return problems


def identity_problems(stored: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The identity fields a change to ``stored`` would rewrite in ``new``."""
    problems = []
    for path in IDENTITY_FIELDS:
        before, after = _field(stored, path), _field(new, path)
        if before != after:
            dotted = ".".join(path)
            problems.append(f"{dotted}: Invalid value: {after!r}: a change may not alter it (was {before!r})")
    return problems


def _field(obj: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = obj
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node or None
