"""What differs between a pair's consecutive runs: input objects, and fields within objects.

Owns: :func:`input_objects` (a run's inputs by identity), :func:`input_changes` (objects
added, removed or changed between two runs) and
:func:`differing_paths` (the JSON paths of the fields in which two versions of an object differ).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from mom.api.resources import ObjectRef
from mom.inputs.gather import Identity, identity_of
from mom.journal.records import InputChange, InputChangeKind

InputObjects = dict[Identity, Any]
"""A run's input objects by identity (group, resource, namespace, name)."""

LIST_KEYS = ("type", "name")
"""Item fields that name list items in a path (``conditions[type=Available]``) when every item
has one and they are unique."""


def input_objects(objects: Iterable[tuple[ObjectRef, Any]]) -> InputObjects:
    return {identity_of(ref): obj for ref, obj in objects}


def input_changes(before: Mapping[Identity, Any], after: Mapping[Identity, Any]) -> tuple[InputChange, ...]:
    """Objects present only ``after`` (added), only ``before`` (removed), or in both with other
    content (changed), sorted by kind of change and identity. Objects are compared as values;
    one object seen by both runs (an unchanged snapshot keeps its objects) costs nothing."""
    changes = [InputChange(InputChangeKind.ADDED, *key) for key in after.keys() - before.keys()]
    changes += [InputChange(InputChangeKind.REMOVED, *key) for key in before.keys() - after.keys()]
    changes += [
        InputChange(InputChangeKind.CHANGED, *key)
        for key in after.keys() & before.keys()
        if after[key] is not before[key] and after[key] != before[key]
    ]
    return tuple(sorted(changes))


def differing_paths(before: Any, after: Any, path: str = "") -> list[str]:
    """JSON paths (``.status.conditions``, ``.data.count``) of the fields that differ.

    Maps are compared key by key. A list of items keyed by ``type`` or ``name`` that holds the
    same items in the same order is compared item by item
    (``.status.conditions[type=Available].status``); when items were added, removed or reordered,
    the list itself is the differing field (``.status.conditions``), as is any other list.
    """
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            found
            for key in sorted(before.keys() | after.keys())
            for found in differing_paths(before.get(key), after.get(key), f"{path}.{key}")
        ]
    if isinstance(before, list) and isinstance(after, list):
        key = _list_key(before, after)
        if key is not None and [item[key] for item in before] == [item[key] for item in after]:
            return [
                found
                for old, new in zip(before, after, strict=True)
                for found in differing_paths(old, new, f"{path}[{key}={old[key]}]")
            ]
    return [path or "."]


def _list_key(*lists: list[Any]) -> str | None:
    for key in LIST_KEYS:
        if all(_keyed(items, key) for items in lists):
            return key
    return None


def _keyed(items: list[Any], key: str) -> bool:
    names = [item.get(key) if isinstance(item, dict) else None for item in items]
    return all(isinstance(n, str) for n in names) and len(set(names)) == len(names)
