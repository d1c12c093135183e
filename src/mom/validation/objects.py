"""What an object must be before mom stores it: JSON a kube-apiserver would accept, a valid
name, and — for a change to an existing object — the same identity it had.

Owns: :func:`json_problems` (only ``null``, booleans, strings, integers within int64, finite
floats, lists, and maps with string keys: YAML's ``!!binary``, ``!!set``, non-string keys,
``.nan``/``.inf`` and integers past 64 bits have no JSON form and would break every later
read of the object), :func:`object_problems` (a whole object about to be written to a
resource), and :func:`identity_problems` (an object about to be stored against where the
write must land: a patch may not change ``apiVersion``, ``kind``, ``metadata.name`` or
``metadata.namespace``).
Every function returns problems (field path first) and never raises.
"""

from __future__ import annotations

import math
from typing import Any

from mom.api.resources import GroupVersionResource
from mom.api.values import Frozen
from mom.validation.names import generate_name_problem, name_problem, namespace_problem

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
MAX_PROBLEMS = 5
"""A hostile body can hold thousands of bad values: report this many, then stop looking."""


def json_problems(value: Any, path: str = "") -> list[str]:
    """Why ``value`` has no JSON form a kube-apiserver accepts (at most :data:`MAX_PROBLEMS`)."""
    if _plainly_json(value):
        return []
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


_PLAIN_SCALARS = (str, bool, type(None))


def _plainly_json(value: Any) -> bool:
    """Whether ``value`` is made of plain JSON types only, each acceptable (the usual body),
    judged without the field paths :func:`json_problems` names problems by; ``False`` when in
    doubt, and the paths are walked."""
    stack = [value]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is dict:
            for key, item in node.items():
                if type(key) is not str:
                    return False
                stack.append(item)
        elif kind is list:
            stack.extend(node)
        elif kind is int:
            if not INT64_MIN <= node <= INT64_MAX:
                return False
        elif kind is float:
            if not math.isfinite(node):
                return False
        elif kind not in _PLAIN_SCALARS:
            return False
    return True


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


class Identity(Frozen):
    """Where a write must land: one of ``api_versions``, of ``kind`` (when known), named
    ``name``, in one of ``namespaces`` (``None``: no namespace field)."""

    api_versions: frozenset[str]
    kind: str | None
    name: str
    namespaces: frozenset[str | None]

    __slots__ = ("api_versions", "kind", "name", "namespaces")

    def __init__(
        self,
        api_versions: frozenset[str],
        kind: str | None,
        name: str,
        namespaces: frozenset[str | None],
    ) -> None:
        object.__setattr__(self, "api_versions", api_versions)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "namespaces", namespaces)


def identity_problems(new: dict[str, Any], expected: Identity) -> list[str]:
    """The identity fields of ``new`` that are not where the write must land."""
    found = {
        "apiVersion": _field(new, ("apiVersion",)),
        "kind": _field(new, ("kind",)),
        "metadata.name": _field(new, ("metadata", "name")),
        "metadata.namespace": _field(new, ("metadata", "namespace")),
    }
    wanted: dict[str, tuple[object, ...]] = {
        "apiVersion": tuple(sorted(expected.api_versions)),
        "kind": (expected.kind,),
        "metadata.name": (expected.name,),
        "metadata.namespace": tuple(sorted(expected.namespaces, key=str)),
    }
    problems = []
    for field, value in found.items():
        if field == "kind" and expected.kind is None:
            continue
        if value not in wanted[field]:
            allowed = " or ".join(repr(w) for w in wanted[field])
            problems.append(f"{field}: Invalid value: {value!r}: the write is for {allowed}")
    return problems


def _field(obj: dict[str, Any], path: tuple[str, ...]) -> Any:
    node: Any = obj
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node or None
