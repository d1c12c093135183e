"""Turning a decoded resource file into objects, and checking they belong where they were found.

Owns: the rules for what a List file, an object file and a Namespace file may contain
(mappings with string ``apiVersion`` and ``kind``; ``metadata``, when present, a mapping whose
``name``, ``namespace``, ``uid``... are strings and whose ``labels`` and ``annotations`` map to
strings — items without a name are tolerated, as Go's reader does; List items inherit both from the List; ``items:
null`` is empty), and the check that objects are of the kind their resource directory names.
Problems are returned as messages; the loader decides how to report them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind
from mom.mustgather.discovery import Discovery
from mom.mustgather.layout import TreeFile
from mom.mustgather.reader import Object


def objects_of(document: Any, tree_file: TreeFile, problems: list[str]) -> list[Object]:
    """The objects a decoded file holds; problems found are appended to ``problems``."""
    if document is None:
        problems.append("empty file: expected a Kubernetes object")
        return []
    if not isinstance(document, dict):
        problems.append(f"expected a Kubernetes object (a mapping), found a {type(document).__name__}")
        return []
    if tree_file.role != "list":
        return [document] if _has_type(document, "", problems) else []
    kind = document.get("kind")
    if "items" not in document and not (isinstance(kind, str) and kind.endswith("List")):
        problems.append(f"expected a List (the file is named after a resource), found kind {kind!r}")
        return []
    items = document.get("items")
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(f"items: expected a list of objects, found a {type(items).__name__}")
        return []
    item_kind = kind[: -len("List")] if isinstance(kind, str) and kind.endswith("List") else None
    api_version = document.get("apiVersion")
    objects: list[Object] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(f"items[{index}]: expected an object (a mapping), found a {type(item).__name__}")
            continue
        inherited = {
            key: value
            for key, value in (("kind", item_kind), ("apiVersion", api_version))
            if key not in item and isinstance(value, str) and value
        }
        if inherited:  # a new dict: the decoded document stays as the file says
            item = {**inherited, **item}
        if _has_type(item, f"items[{index}].", problems):
            objects.append(item)
    return objects


def _has_type(obj: Mapping[str, Any], field: str, problems: list[str]) -> bool:
    """Whether ``obj`` has the shape every object of a tree needs: a type, and metadata naming it."""
    before = len(problems)
    for key in ("apiVersion", "kind"):
        value = obj.get(key)
        if value is None or value == "":
            problems.append(f"{field}{key}: required")
        elif not isinstance(value, str):
            problems.append(f"{field}{key}: expected a string, found {_shape(value)}")
    metadata = obj.get("metadata")
    if metadata is None:
        return len(problems) == before
    if not isinstance(metadata, dict):
        problems.append(f"{field}metadata: expected a mapping, found {_shape(metadata)}")
        return False
    for key in _STRING_METADATA:
        if key in metadata and not isinstance(metadata[key], str | None):
            problems.append(f"{field}metadata.{key}: expected a string, found {_shape(metadata[key])}")
    for key in ("labels", "annotations"):
        pairs = metadata.get(key)
        if pairs is None:
            continue
        if not isinstance(pairs, dict):
            problems.append(f"{field}metadata.{key}: expected a mapping, found {_shape(pairs)}")
            continue
        for label, value in pairs.items():
            if not isinstance(value, str):
                problems.append(f"{field}metadata.{key}.{label}: expected a string, found {_shape(value)}")
    return len(problems) == before


_STRING_METADATA = ("name", "namespace", "generateName", "uid", "resourceVersion", "creationTimestamp")


def _shape(value: Any) -> str:
    """How a wrong value is described: its JSON type and, for scalars, the value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return repr(value)


def kinds_by_resource(discovery: Discovery) -> dict[tuple[str, str], set[str]]:
    """(group, resource) -> the kinds discovery serves under it, any version."""
    kinds: dict[tuple[str, str], set[str]] = {}
    for info in discovery.resources():
        if not info.is_subresource:
            kinds.setdefault((info.gvr.group, info.gvr.resource), set()).add(info.kind)
    return kinds


def check_placement(
    objects: list[Object], tree_file: TreeFile, known: Mapping[tuple[str, str], set[str]], problems: list[str]
) -> None:
    """Report objects that do not belong in the file they were found in: a Namespace file holds
    its Namespace, a resource directory the kinds discovery serves under it."""
    if tree_file.role != "namespace":
        misplaced(objects, tree_file, known, problems)
    elif objects and objects[0]["kind"] != "Namespace":
        problems.append(f"kind: expected Namespace in {tree_file.relative}, found {objects[0]['kind']!r}")


def raise_problems(root: Path, problems: list[tuple[str, str]]) -> None:
    """Raise one :class:`InvalidInput` for ``(file, problem)`` pairs: named after the file when
    there is one, else after the tree with each problem prefixed by its file."""
    if len({path for path, _ in problems}) == 1:
        raise InvalidInput(problems[0][0], [problem for _, problem in problems])
    raise InvalidInput(str(root), [f"{path}: {problem}" for path, problem in problems])


def misplaced(
    objects: list[Object], tree_file: TreeFile, known: Mapping[tuple[str, str], set[str]], problems: list[str]
) -> None:
    """Report objects whose group or kind is not what their resource directory holds."""
    expected = known.get((tree_file.group, tree_file.resource))
    place = f"{tree_file.group or 'core'}/{tree_file.resource}"
    first: GroupVersionKind | None = None
    for index, obj in enumerate(objects):
        gvk = GroupVersionKind.from_api_version(obj["apiVersion"], obj["kind"])
        where = f"items[{index}]" if tree_file.role == "list" else "object"
        if gvk.group != tree_file.group:
            problems.append(f"{where}: apiVersion {obj['apiVersion']!r} is not in the group of {place}")
        elif expected is not None and gvk.kind not in expected:
            wanted = " or ".join(sorted(expected))
            problems.append(f"{where}: a {gvk.kind} does not belong in {place} (holds {wanted})")
        elif expected is None and first is not None and gvk.kind != first.kind:
            problems.append(f"{where}: a {gvk.kind} among {first.kind} objects in {place}")
        first = first or gvk
