"""Server-side apply: merging an applied configuration into an object, with field ownership.

Owns: the field sets of applied configurations (paths such as
``f:status / f:conditions / k:{"type":"Available"} / f:status``), their ``FieldsV1`` form in
``metadata.managedFields`` (one ``operation: Apply`` entry per field manager and subresource),
the merge (maps recursively; list-map fields of :data:`~mom.apply.patches.LIST_MAP_KEYS`
item by item on their key; other lists replaced), conflicts with other appliers, and the
removal of fields a manager applied before and leaves out now.

Simplifications, stated: only other managers' ``Apply`` entries can conflict (``Update``
entries found in real objects still keep their fields from being removed); in
``metadata`` only labels, annotations, finalizers and ownerReferences are applied and tracked;
``null`` values in an applied configuration are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mom.api.errors import Conflict
from mom.api.resources import copy_value
from mom.apply.patches import key_of, merge_key
from mom.mustgather.reader import Object
from mom.serialization import dump_json, load_json

FieldPath = tuple[str, ...]

TRACKED_METADATA = ("annotations", "finalizers", "labels", "ownerReferences")
_MISSING = object()


class ApplyConflict(Conflict):
    """Fields another manager applied with a different value; ``force`` takes them over."""

    def __init__(self, conflicts: list[tuple[str, str]]) -> None:
        self.conflicts = conflicts
        listed = "; ".join(f'conflict with "{manager}": {field}' for manager, field in conflicts)
        super().__init__(f"Apply failed with {len(conflicts)} conflict(s): {listed}")


def applied_configuration(config: Object, *, status_only: bool, without_status: bool) -> Object:
    """The part of ``config`` that is applied and owned: no identity, no server-owned metadata."""
    scoped: Object = {}
    for key, value in config.items():
        if key in ("apiVersion", "kind") or value is None or (status_only and key != "status"):
            continue
        if without_status and not status_only and key == "status":
            continue
        if key == "metadata":
            value = {k: v for k, v in (value or {}).items() if k in TRACKED_METADATA and v is not None}
            if not value:
                continue
        scoped[key] = value
    return scoped


def field_paths(value: Mapping[str, Any], prefix: FieldPath = ()) -> set[FieldPath]:
    """Every owned path of an applied configuration: leaves, atomic lists and list-map items."""
    paths: set[FieldPath] = set()
    for key, child in value.items():
        if child is None:
            continue
        path = (*prefix, f"f:{key}")
        if isinstance(child, Mapping) and child:
            paths |= field_paths(child, path)
        elif isinstance(child, list) and (item_key := merge_key(key, child)) is not None:
            for item in child:
                item_path = (*path, _item_element(item, item_key))
                paths.add(item_path)
                paths |= field_paths(item, item_path)
        else:
            paths.add(path)
    return paths


def _item_element(item: Mapping[str, Any], key: tuple[str, ...]) -> str:
    return "k:" + dump_json(dict(zip(key, key_of(item, key), strict=True)), sort_keys=True).decode()


def to_fields_v1(paths: Iterable[FieldPath]) -> Object:
    """The ``fieldsV1`` document of a set of paths (list-map items carry a ``"."`` entry)."""
    tree: Object = {}
    for path in sorted(paths):
        node = tree
        for element in path:
            node = node.setdefault(element, {})
        if path[-1].startswith("k:"):
            node.setdefault(".", {})
    return tree


def from_fields_v1(tree: Mapping[str, Any], prefix: FieldPath = ()) -> set[FieldPath]:
    """The paths a ``fieldsV1`` document names."""
    paths: set[FieldPath] = set()
    for element, child in tree.items():
        if element == ".":
            paths.add(prefix)
            continue
        path = (*prefix, element)
        if not isinstance(child, Mapping) or not child:
            paths.add(path)
        else:
            paths |= from_fields_v1(child, path)
    return paths


def value_at(obj: Any, path: FieldPath) -> Any:
    """The value at ``path`` in ``obj``; ``_MISSING`` when any step is absent."""
    node = obj
    for element in path:
        if element.startswith("f:") and isinstance(node, Mapping):
            node = node.get(element[2:], _MISSING)
        elif element.startswith("k:") and isinstance(node, list):
            wanted = load_json(element[2:].encode(), "field path")
            node = next((i for i in node if isinstance(i, Mapping) and _matches(i, wanted)), _MISSING)
        else:
            return _MISSING
        if node is _MISSING:
            return _MISSING
    return node


def _matches(item: Mapping[str, Any], wanted: Mapping[str, Any]) -> bool:
    return all(item.get(k) == v for k, v in wanted.items())


def render_path(path: FieldPath) -> str:
    """``.status.conditions[type="Available"].status``, as Kubernetes prints field paths."""
    parts = []
    for element in path:
        if element.startswith("f:"):
            parts.append("." + element[2:])
        else:
            wanted = load_json(element[2:].encode(), "field path")
            parts.append("[" + ",".join(f"{k}={dump_json(v).decode()}" for k, v in wanted.items()) + "]")
    return "".join(parts)


def merge_applied(live: Any, config: Mapping[str, Any]) -> Object:
    """``live`` with ``config`` merged in: maps recursively, list-maps per item, the rest replaced."""
    result: Object = dict(live) if isinstance(live, Mapping) else {}
    for key, value in config.items():
        if value is None:
            continue
        current = result.get(key)
        if isinstance(value, Mapping):
            result[key] = merge_applied(current, value)
        elif isinstance(value, list) and isinstance(current, list) and merge_key(key, [*current, *value]):
            item_key = merge_key(key, [*current, *value])
            assert item_key is not None
            merged = list(current)
            for item in value:
                index = next(
                    (i for i, old in enumerate(merged) if key_of(old, item_key) == key_of(item, item_key)),
                    None,
                )
                if index is None:
                    merged.append(merge_applied({}, item))
                else:
                    merged[index] = merge_applied(merged[index], item)
            result[key] = merged
        else:
            result[key] = copy_value(value)
    return result


def remove_path(obj: Object, path: FieldPath) -> None:
    """Delete the field or list item at ``path``; empty maps left on the way are pruned."""
    parent = value_at(obj, path[:-1])
    last = path[-1]
    if last.startswith("f:") and isinstance(parent, dict):
        parent.pop(last[2:], None)
    elif last.startswith("k:") and isinstance(parent, list):
        wanted = load_json(last[2:].encode(), "field path")
        parent[:] = [i for i in parent if not (isinstance(i, Mapping) and _matches(i, wanted))]
    emptied = parent == {} or parent == []
    if emptied and len(path) > 1 and path[-2].startswith("f:") and path[:-1] != ("f:metadata",):
        remove_path(obj, path[:-1])


def _entries(obj: Object) -> list[Object]:
    managed = (obj.get("metadata") or {}).get("managedFields")
    return [dict(e) for e in managed if isinstance(e, Mapping)] if isinstance(managed, list) else []


def _entry_paths(entry: Mapping[str, Any]) -> set[FieldPath]:
    fields = entry.get("fieldsV1")
    return from_fields_v1(fields) if isinstance(fields, Mapping) else set()


def _is_entry(entry: Mapping[str, Any], manager: str, subresource: str) -> bool:
    return (
        entry.get("manager") == manager
        and entry.get("operation") == "Apply"
        and (entry.get("subresource") or "") == subresource
    )


def server_side_apply(
    live: Object | None,
    config: Object,
    *,
    manager: str,
    subresource: str,
    force: bool,
    now: str,
    without_status: bool,
) -> Object:
    """``live`` (or a new object) after ``manager`` applied ``config``; :class:`ApplyConflict` on conflicts.

    ``subresource`` is ``"status"`` for ApplyStatus (only ``.status`` is applied), else "".
    ``without_status`` leaves ``.status`` alone on the main resource (status subresource exists).
    """
    scoped = applied_configuration(config, status_only=subresource == "status", without_status=without_status)
    new_paths = field_paths(scoped)
    base: Object = copy_value(live) if live is not None else {}
    entries = _entries(base)
    mine = next((e for e in entries if _is_entry(e, manager, subresource)), None)
    others = [e for e in entries if e is not mine]
    conflicts = _conflicts(base, scoped, new_paths, others)
    if conflicts and not force:
        raise ApplyConflict(conflicts)
    if conflicts:
        others = _surrender(others, {path for _, path in conflicts_paths(base, scoped, new_paths, others)})
    result = merge_applied(base, scoped)
    old_paths = _entry_paths(mine) if mine is not None else set()
    kept_by_others = set().union(*(_entry_paths(e) for e in others)) if others else set()
    for path in sorted(old_paths - new_paths, key=len):  # items before their own fields
        if not any(other[: len(path)] == path for other in kept_by_others):
            remove_path(result, path)
    entry: Object = {
        "apiVersion": config.get("apiVersion", ""),
        "fieldsType": "FieldsV1",
        "fieldsV1": to_fields_v1(new_paths),
        "manager": manager,
        "operation": "Apply",
    }
    if subresource:
        entry["subresource"] = subresource
    entry["time"] = mine.get("time", now) if mine is not None and old_paths == new_paths else now
    managed = [e for e in others if _entry_paths(e)]
    position = entries.index(mine) if mine is not None else len(managed)
    managed.insert(min(position, len(managed)), entry)
    result.setdefault("metadata", {})["managedFields"] = managed
    return result


def conflicts_paths(
    live: Object, scoped: Object, new_paths: set[FieldPath], others: list[Object]
) -> list[tuple[str, FieldPath]]:
    """``(manager, path)`` for every field another applier owns with a different value."""
    found: list[tuple[str, FieldPath]] = []
    for entry in others:
        if entry.get("operation") != "Apply":
            continue
        for path in sorted(_entry_paths(entry) & new_paths):
            if path[-1].startswith("k:"):
                continue
            current = value_at(live, path)
            if current is not _MISSING and current != value_at(scoped, path):
                found.append((str(entry.get("manager", "")), path))
    return found


def _conflicts(
    live: Object, scoped: Object, new_paths: set[FieldPath], others: list[Object]
) -> list[tuple[str, str]]:
    return [
        (manager, render_path(path)) for manager, path in conflicts_paths(live, scoped, new_paths, others)
    ]


def _surrender(entries: list[Object], taken: set[FieldPath]) -> list[Object]:
    """Other managers' entries without the fields a forced apply took over."""
    result = []
    for entry in entries:
        paths = _entry_paths(entry)
        if entry.get("operation") == "Apply" and paths & taken:
            entry = {**entry, "fieldsV1": to_fields_v1(paths - taken)}
        result.append(entry)
    return result
