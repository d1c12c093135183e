"""Which files of a must-gather tree a reader needs: reading only what was declared.

Owns: :class:`ReadScope` — per resource (group and plural name), the namespaces and names a
reader wants — and building one from declarations (:func:`scope_of_inputs`). A declared object
lives in its per-object file (``<name>.yaml``, or the long-name form) or in the List file of its
resource in its namespace, so those are the only files of that place opened for it; a place
whose every object is wanted (a label selector, a generated name) has all its files read.
The tree's own discovery files are always read (discovery decides kinds); a Namespace object is
read when it is declared (or written), or when some place of its namespace is read. A label
selector across all namespaces, a reference whose target namespace comes from the referring
object, and a cluster-scoped reference need every file of their resource (and every namespace
directory). A scope is also the :class:`~mom.mustgather.layout.WalkFilter` of a walk that lists
only those places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import ClassVar

from mom.api.input_resources import ResourceList
from mom.api.output_resources import OutputResourceList
from mom.api.values import Frozen
from mom.mustgather.layout import LONG_NAME_MARKER, TreeFile

ResourceKey = tuple[str, str]
"""``(group, plural resource name)``; the core group is ``""``."""

Names = frozenset[str] | None
"""The names wanted in one namespace of a resource; ``None``: every object there."""

Places = Mapping[str, Names] | None
"""Per namespace (``""``: cluster scope), the names wanted; ``None``: every namespace."""


class ReadScope(Frozen):
    """Per resource, where and which of its objects a reader needs; resources absent: none."""

    resources: Mapping[ResourceKey, Places]
    _namespaces: tuple[bool, frozenset[str]]
    """Whether every namespace is wanted, else the namespaces some place is in or whose
    Namespace object is wanted (``""``: cluster scope)."""
    _groups: tuple[frozenset[str], frozenset[tuple[str, str]]]
    """The groups wanted in every namespace, and ``(namespace, group)`` pairs wanted."""

    __slots__ = ("_groups", "_namespaces", "resources")
    _uncompared: ClassVar[tuple[str, ...]] = ("_namespaces", "_groups")

    def __init__(self, resources: Mapping[ResourceKey, Places]) -> None:
        object.__setattr__(self, "resources", resources)
        object.__setattr__(self, "_namespaces", _namespaces_of(resources))
        object.__setattr__(self, "_groups", _groups_of(resources))

    def wants(self, tree_file: TreeFile) -> bool:
        if tree_file.role == "discovery":
            return True
        if tree_file.role == "namespace":
            return self.wants_namespace(tree_file.namespace)
        if tree_file.role == "list":
            return self.wants_place(tree_file.namespace, tree_file.group, tree_file.resource)
        return self.wants_object(tree_file.namespace, tree_file.group, tree_file.resource, tree_file.name)

    def wants_namespace(self, namespace: str) -> bool:
        everywhere, placed = self._namespaces
        return everywhere or namespace in placed

    def wants_group(self, namespace: str, group: str) -> bool:
        everywhere, placed = self._groups
        return group in everywhere or (namespace, group) in placed

    def wants_place(self, namespace: str, group: str, resource: str) -> bool:
        key = (group, resource)
        if key not in self.resources:
            return False
        places = self.resources[key]
        return places is None or namespace in places

    def wants_object(self, namespace: str, group: str, resource: str, stem: str) -> bool:
        if not self.wants_place(namespace, group, resource):
            return False
        places = self.resources[(group, resource)]
        names = None if places is None else places[namespace]
        return names is None or stem in names or LONG_NAME_MARKER in stem

    def union(self, other: ReadScope) -> ReadScope:
        merged = _Builder(self.resources)
        for key, places in other.resources.items():
            merged.add_places(key, places)
        return ReadScope(merged.resources)

    def outside(self, namespaces: Iterable[str]) -> ReadScope:
        """The same, minus what it wants by name in ``namespaces`` (a guest cluster: its operand
        namespaces are read from the management cluster); a resource wanted in every namespace
        stays wanted in every namespace."""
        left = frozenset(namespaces)
        resources: dict[ResourceKey, Places] = {}
        for key, places in self.resources.items():
            if places is None:
                resources[key] = None
            elif kept := {namespace: names for namespace, names in places.items() if namespace not in left}:
                resources[key] = kept
        return ReadScope(resources)

    def in_namespaces(self, namespaces: Iterable[str]) -> ReadScope:
        """The same resources, every object of ``namespaces`` and nothing elsewhere (a
        management cluster: the hosted control plane namespaces the mapped objects live in)."""
        places: dict[str, Names] = dict.fromkeys(namespaces)
        return ReadScope({key: dict(places) for key in self.resources})


def _namespaces_of(resources: Mapping[ResourceKey, Places]) -> tuple[bool, frozenset[str]]:
    if any(places is None for places in resources.values()):
        return True, frozenset()
    placed = {namespace for places in resources.values() if places for namespace in places}
    declared = resources.get(("", "namespaces")) or {}
    if "" in declared:  # Namespace objects are cluster-scoped: wanted by name, or every one
        names = declared[""]
        if names is None:
            return True, frozenset()
        placed.update(names)
    return False, frozenset(placed)


def _groups_of(resources: Mapping[ResourceKey, Places]) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    everywhere = frozenset(group for (group, _), places in resources.items() if places is None)
    placed = frozenset(
        (namespace, group)
        for (group, _), places in resources.items()
        if places is not None
        for namespace in places
    )
    return everywhere, placed


class _Builder:
    def __init__(self, resources: Mapping[ResourceKey, Places] | None = None) -> None:
        self.resources: dict[ResourceKey, Places] = {
            key: None if places is None else dict(places) for key, places in (resources or {}).items()
        }

    def add(self, group: str, resource: str, namespace: str | None, name: str | None) -> None:
        """Want ``name`` (``None``: every object) in ``namespace`` (``None``: every namespace)."""
        places = None if namespace is None else {namespace: None if name is None else frozenset({name})}
        self.add_places((group, resource), places)

    def add_places(self, key: ResourceKey, places: Places) -> None:
        if key not in self.resources:
            self.resources[key] = None if places is None else dict(places)
            return
        known = self.resources[key]
        if known is None or places is None:
            self.resources[key] = None
            return
        merged = dict(known)
        for namespace, names in places.items():
            if namespace not in merged:
                merged[namespace] = names
                continue
            before = merged[namespace]
            merged[namespace] = None if before is None or names is None else before | names
        self.resources[key] = merged


def scope_of_inputs(
    declared: Iterable[ResourceList], written: Iterable[OutputResourceList] = ()
) -> ReadScope:
    """The files that can hold what ``declared`` reads and what ``written`` writes (written
    objects are looked up before a write, and their kinds come from the tree)."""
    builder = _Builder()
    for resources in declared:
        for exact in resources.exact_resources:
            builder.add(exact.group, exact.resource, exact.namespace, exact.name)
        for generated in resources.generated_name_resources:
            builder.add(generated.group, generated.resource, generated.namespace, None)
        for selected in resources.label_selected_resources:
            builder.add(selected.group, selected.resource, selected.namespace or None, None)
        for reference in resources.resource_references:
            referring = reference.referring_resource
            builder.add(referring.group, referring.resource, referring.namespace, referring.name)
            if (implicit := reference.implicit_namespaced_reference) is not None:
                builder.add(implicit.group, implicit.resource, implicit.namespace, None)
            for end in (reference.explicit_namespaced_reference, reference.cluster_scoped_reference):
                if end is not None:
                    builder.add(end.group, end.resource, None, None)
    for outputs in written:
        for exact in outputs.exact_resources:
            builder.add(exact.group, exact.resource, exact.namespace, exact.name)
        for generated in outputs.generated_name_resources:
            builder.add(generated.group, generated.resource, generated.namespace, None)
    return ReadScope(builder.resources)
