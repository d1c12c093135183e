"""What differs between a pair's consecutive runs: input objects, and fields within objects.

Owns: :func:`input_objects` (a run's inputs by identity), :func:`input_changes` (objects
added, removed or changed between two runs, with the fields that changed and the field managers
owning them), :func:`differing_paths` (the JSON paths of the fields in which two versions of an
object differ), :func:`changed_fields` (the same less server-set metadata) and
:func:`field_managers` (who owns a field, from ``metadata.managedFields``), and
:class:`Writers` (which operators' controllers last wrote each object of an instance).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from mom.api.cluster import Action
from mom.api.errors import MomError
from mom.api.resources import ObjectRef
from mom.apply.semantics import SERVER_SET
from mom.inputs.gather import Identity, identity_of
from mom.journal.records import InputChange, InputChangeKind, MutationState, PlannedMutation
from mom.manager.topology import Topology
from mom.mustgather.reader import Object
from mom.mutationdir.requests import MutationRequest
from mom.serialization import load_json

InputObjects = dict[Identity, Any]
"""A run's input objects by identity (group, resource, namespace, name)."""

MAX_CHANGED_FIELDS = 6
"""Fields named per changed input in the journal; more are counted, not listed."""

_SERVER_SET_PATHS = tuple(f".metadata.{key}" for key in SERVER_SET)

LIST_KEYS = ("type", "name")
"""Item fields that name list items in a path (``conditions[type=Available]``) when every item
has one and they are unique."""


def input_objects(objects: Iterable[tuple[ObjectRef, Any]]) -> InputObjects:
    return {identity_of(ref): obj for ref, obj in objects}


def input_changes(before: Mapping[Identity, Any], after: Mapping[Identity, Any]) -> tuple[InputChange, ...]:
    """Objects present only ``after`` (added), only ``before`` (removed), or in both with other
    content (changed), sorted by kind of change and identity. Objects are compared as values;
    one object seen by both runs (an unchanged snapshot keeps its objects) costs nothing. A
    changed object carries the fields that changed (at most :data:`MAX_CHANGED_FIELDS`, then a
    count) and the field managers owning them before or after, so a journal reader sees why the
    pair ran again and who wrote what it read."""
    changes = [InputChange(InputChangeKind.ADDED, *key) for key in after.keys() - before.keys()]
    changes += [InputChange(InputChangeKind.REMOVED, *key) for key in before.keys() - after.keys()]
    changes += [
        _changed(key, before[key], after[key])
        for key in after.keys() & before.keys()
        if after[key] is not before[key] and after[key] != before[key]
    ]
    return tuple(sorted(changes))


def _changed(key: Identity, before: Any, after: Any) -> InputChange:
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return InputChange(InputChangeKind.CHANGED, *key)
    paths = changed_fields(before, after)
    shown = paths[:MAX_CHANGED_FIELDS]
    if len(paths) > len(shown):
        shown.append(f"({len(paths) - len(shown)} more)")
    managers: list[str] = []
    for path in paths:
        for obj in (before, after):
            managers += [m for m in field_managers(obj, path) if m not in managers]
    return InputChange(InputChangeKind.CHANGED, *key, fields=tuple(shown), managers=tuple(sorted(managers)))


@dataclass
class Writers:
    """Per instance and operator, the objects the operator's latest run wrote and mom applied (as
    operators address them, before any topology mapping) and the controllers that wrote each one: the
    journal names them beside a later run's changed inputs, so a pair that keeps running says who
    keeps changing what it reads. Bounded by the writes of each pair's latest run."""

    latest: dict[tuple[str, str], dict[Identity, frozenset[str]]] = field(default_factory=dict)

    def knows(self, instance: str, operator: str) -> bool:
        return (instance, operator) in self.latest

    def remember(
        self, instance: str, operator: str, written: Iterable[tuple[Identity, MutationRequest]]
    ) -> None:
        """The writes of ``operator``'s latest run on ``instance`` that were applied, each with the
        identity the operator addressed (:func:`addressed_writes`): as the run concluded in this
        process, or as the journal holds a run an earlier process made."""
        controllers: dict[Identity, set[str]] = {}
        for identity, request in written:
            controllers.setdefault(identity, set()).add(
                request.controller_instance_name or request.field_manager
            )
        self.latest[(instance, operator)] = {k: frozenset(v) for k, v in controllers.items()}

    def name(self, instance: str, changes: Sequence[InputChange]) -> tuple[InputChange, ...]:
        """``changes`` with the writers of each object: ``operator/controller`` (``operator`` when
        the write named no controller), from the latest run of every operator on ``instance``."""
        named = []
        for change in changes:
            identity = (change.group, change.resource, change.namespace, change.name)
            writers = sorted(
                f"{operator}/{controller}" if controller else operator
                for (where, operator), written in self.latest.items()
                if where == instance
                for controller in written.get(identity, ())
            )
            named.append(replace(change, writers=tuple(writers)) if writers else change)
        return tuple(named)


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


def changed_fields(before: Object, after: Object) -> list[str]:
    """:func:`differing_paths` less the metadata the server sets (resourceVersion, managedFields, ...):
    the fields somebody changed."""
    return [p for p in differing_paths(before, after) if not p.startswith(_SERVER_SET_PATHS)]


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


def addressed_writes(
    topology: Topology, mutations: Sequence[PlannedMutation]
) -> Iterator[tuple[Identity, MutationRequest]]:
    """Applied mutations with the identity the operator addressed: a write mapped into the
    hosted control plane namespace is mapped back; one whose origin cannot be told is left out."""
    hcp = topology.instance.hosted_control_plane_namespace if topology.hypershift else None
    for mutation in mutations:
        request = mutation.request
        if mutation.state is not MutationState.APPLIED or not request.name:
            continue
        namespace, name = request.namespace, request.name
        if hcp is not None and namespace == hcp and mutation.target == topology.instance.management:
            origin = topology.mapper.split(name) if topology.mapper.flatten else _origin(topology, request)
            if origin is None:
                continue
            namespace, name = origin
        yield (request.gvr.group, request.gvr.resource, namespace, name), request


def _origin(topology: Topology, request: MutationRequest) -> tuple[str, str] | None:
    """Under the kept-name rule, the operand namespace a written object carries as its origin."""
    if request.action.is_patch or request.action is Action.DELETE:
        return None
    try:
        body = request.body_document()
    except MomError:
        return None
    return topology.mapper.origin(body) if isinstance(body, dict) else None
