"""What keeps changing when an operator does not converge: fields, field managers, controllers.

Owns: :class:`ConvergenceWatch` — per (operator, instance) pair, the objects its last run's
writes left and the inputs that run read; :meth:`ConvergenceWatch.observe` compares a run with
the one before and describes every field that differs between them: in the objects both runs
wrote (with the field managers that own the field, from ``metadata.managedFields``, and the
controllers whose mutations changed the object), and in the inputs the operator did not write
itself (what changes underneath it). Server-set metadata (resourceVersion, generation,
managedFields, ...) is not a field that "keeps changing".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mom.api.errors import MomError
from mom.api.resources import ObjectRef
from mom.apply.semantics import SERVER_SET
from mom.inputs.gather import Identity, identity_of
from mom.manager.changes import differing_paths
from mom.serialization import load_json

Object = dict[str, Any]
Written = tuple[str, str, str, str, str]
"""target, group, resource, namespace, name: one object a run wrote."""

MAX_PATHS = 6
"""Paths named per object; more are counted, not listed."""
_IGNORED = tuple(f".metadata.{key}" for key in SERVER_SET)


@dataclass(frozen=True)
class Write:
    """An object as one run's last changing write to it left it, and who wrote it."""

    object: Object
    controllers: tuple[str, ...]


@dataclass
class _PairMemory:
    written: dict[Written, Write] = field(default_factory=dict)
    inputs: dict[Identity, Object] = field(default_factory=dict)


@dataclass
class ConvergenceWatch:
    pairs: dict[tuple[str, str], _PairMemory] = field(default_factory=dict)

    def observe(
        self,
        key: tuple[str, str],
        inputs: Iterable[tuple[ObjectRef, Object]],
        written: Mapping[Written, Write],
    ) -> list[str]:
        """Remember this run; describe the fields that differ from the pair's previous run."""
        memory = self.pairs.setdefault(key, _PairMemory())
        current_inputs = {identity_of(ref): obj for ref, obj in inputs}
        found = []
        for where, write in sorted(written.items()):
            before = memory.written.get(where)
            if before is None:
                continue
            paths = _fields(before.object, write.object)
            if paths:
                found.append(_describe_output(where, paths, before, write))
        own = {where[1:] for where in written}
        for identity, obj in sorted(current_inputs.items()):
            previous = memory.inputs.get(identity)
            if identity in own or previous is None:
                continue
            paths = _fields(previous, obj)
            if paths:
                found.append(f"input {_place(*identity)}: {_listed(paths)}")
        memory.written = dict(written)
        memory.inputs = current_inputs
        return found


def _fields(before: Object, after: Object) -> list[str]:
    return [p for p in differing_paths(before, after) if not p.startswith(_IGNORED)]


def _describe_output(where: Written, paths: Sequence[str], before: Write, after: Write) -> str:
    managers = sorted(
        {m for path in paths for obj in (before.object, after.object) for m in field_managers(obj, path)}
    )
    controllers = sorted(set(before.controllers) | set(after.controllers))
    who = []
    if managers:
        who.append(f"field managers {', '.join(managers)}")
    if controllers:
        who.append(f"controllers {', '.join(controllers)}")
    suffix = f" ({'; '.join(who)})" if who else ""
    return f"{_place(*where[1:])} on {where[0]}: {_listed(paths)}{suffix}"


def _place(group: str, resource: str, namespace: str, name: str) -> str:
    kind = f"{resource}.{group}" if group else resource
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def _listed(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:MAX_PATHS])
    return shown if len(paths) <= MAX_PATHS else f"{shown} and {len(paths) - MAX_PATHS} more"


def field_managers(obj: Object, path: str) -> list[str]:
    """The managers whose ``metadata.managedFields`` own ``path`` (``.status.conditions``,
    ``.status.conditions[type=Available].status``), a field inside it, or a field holding it."""
    steps = _steps(path)
    owners = []
    for entry in (obj.get("metadata") or {}).get("managedFields") or []:
        if isinstance(entry, dict) and _owns(entry.get("fieldsV1"), steps):
            manager = str(entry.get("manager") or "")
            if manager and manager not in owners:
                owners.append(manager)
    return owners


def _steps(path: str) -> list[tuple[str, str, str]]:
    """``.a.b[type=X].c`` as (field, "", "") and (field, key, value) steps."""
    steps: list[tuple[str, str, str]] = []
    for part in path.strip(".").split("."):
        name, _, item = part.partition("[")
        if item:
            key, _, value = item.rstrip("]").partition("=")
            steps.append((name, key, value))
        elif name:
            steps.append((name, "", ""))
    return steps


def _owns(fields: Any, steps: Sequence[tuple[str, str, str]]) -> bool:
    node = fields
    for name, key, value in steps:
        if not isinstance(node, dict) or not node:
            return node is not None  # a leaf owns everything below it
        node = node.get(f"f:{name}")
        if node is None:
            return False
        if key:
            if not isinstance(node, dict) or not node:
                return True  # the list is owned as a whole
            node = next((child for element, child in node.items() if _item_is(element, key, value)), None)
            if node is None:
                return False
    return True


def _item_is(element: str, key: str, value: str) -> bool:
    if not element.startswith("k:"):
        return False
    try:
        item = load_json(element[2:].encode(), "managedFields key")
    except MomError:  # a malformed key in a stored object names no item
        return False
    return isinstance(item, dict) and str(item.get(key)) == value
