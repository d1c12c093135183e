"""A must-gather tree read on demand: the input source for one-shot pruning.

Owns: :class:`TreeSource`, an :class:`~mom.mustgather.reader.ClusterReader` that never walks the
whole tree: each request walks only the directories that can answer it
(:class:`~mom.mustgather.layout.WalkFilter`) and decodes only the files it needs, so pruning a
real must-gather costs the declared inputs, not the tree. A GET reads the object's own
``<resource>/<name>.yaml`` file when there is one, else the ``<resource>.yaml`` List file of its
namespace, never the other objects of the resource; a LIST reads every file of the resource in
the namespace (every namespace when it has none). Each file is decoded at most once. Answers
follow the same rules as :class:`~mom.mustgather.store.Snapshot` (which answers each request over
the locations loaded).
A file a request needs is held to the walk's refusals (non-regular files, symlinks out of the
tree, oversized files) and to the loader's rules (:mod:`mom.mustgather.documents`): a file mom
refuses to load fails the request, naming the file. Files no request needs are not looked at.
Discovery is the tree's own ``aggregated-discovery-*.yaml`` over mom's built-in table; a resource
neither knows is learned from its objects when it is first listed.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, NotFound
from mom.api.resources import GroupVersionResource, labels_of
from mom.mustgather.builtin_discovery import builtin_discovery, observed_resources
from mom.mustgather.discovery import Discovery
from mom.mustgather.documents import check_placement, kinds_by_resource, objects_of, raise_problems
from mom.mustgather.layout import (
    TreeFile,
    TreeScan,
    find_resource_root,
    object_file_name,
    object_name_of_file,
    scan_tree,
    strip_suffix,
)
from mom.mustgather.loader import decode_file
from mom.mustgather.reader import Object
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Location, Snapshot

Place = tuple[str, str, str]
"""namespace, group, resource: one place of the tree."""


class TreeSource:
    """Read-only cluster over a must-gather directory, walking and decoding on first use."""

    def __init__(self, path: Path) -> None:
        self.root = find_resource_root(path)
        self._locations: dict[Place, Location] = {}
        self._decoded: dict[str, builtins.list[Object]] = {}
        self._namespaces: dict[str, Object | None] = {}
        self._namespace_names: builtins.list[str] | None = None
        self._discovery = builtin_discovery()
        self._kinds_of: tuple[Discovery, dict[tuple[str, str], set[str]]] | None = None
        discovery_files = [f for f in self._scan(_Where()).files if f.role == "discovery"]
        if discovery_files:
            documents = [(str(f.path), self._decode(f)) for f in discovery_files]
            self._discovery = Discovery.from_aggregated(documents).merged_over(self._discovery)

    @property
    def discovery(self) -> Discovery:
        return self._discovery

    def namespaces(self) -> builtins.list[str]:
        if self._namespace_names is None:
            scan = self._scan(_Where(namespace=None))
            self._namespace_names = sorted({f.namespace for f in scan.files if f.role == "namespace"})
        return builtins.list(self._namespace_names)

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        if gvr.is_namespaces:
            obj = self._namespace(name or namespace)
            if obj is None:
                raise NotFound(f'namespaces "{name or namespace}" not found')
            return obj
        key = (namespace, gvr.group, gvr.resource)
        location = self._locations.get(key) or self._object_location(key, name)
        locations = [location] if location is not None else []
        return Snapshot(locations, {}, self._discovery, root=self.root).get(
            gvr, namespace=namespace, name=name
        )

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        if gvr.is_namespaces:
            found = [obj for ns in self.namespaces() if (obj := self._namespace(ns)) is not None]
            return [
                obj
                for obj in found
                if (label_selector is None or label_selector.matches(labels_of(obj)))
                and (field_selector is None or field_selector.matches(obj, namespace=""))
            ]
        keys = self._place_locations(namespace or None, gvr.group, gvr.resource)
        snapshot = self._snapshot(keys)
        if self._discovery.resource_info(gvr) is None and keys:
            self._learn(snapshot)
            snapshot = self._snapshot(keys)
        return snapshot.list(
            gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
        )

    def _learn(self, snapshot: Snapshot) -> None:
        learned = observed_resources(snapshot.objects())
        self._discovery = Discovery(learned).merged_over(self._discovery)

    def _snapshot(self, keys: builtins.list[Place]) -> Snapshot:
        return Snapshot([self._locations[key] for key in keys], {}, self._discovery, root=self.root)

    def _place_locations(self, namespace: str | None, group: str, resource: str) -> builtins.list[Place]:
        """The places of ``group``/``resource`` in ``namespace`` (``None``: every namespace and
        cluster scope) that have files, each loaded whole into ``_locations``."""
        if namespace is not None and (namespace, group, resource) in self._locations:
            return [(namespace, group, resource)]
        places: dict[Place, builtins.list[TreeFile]] = {}
        for tree_file in self._scan(_Where(namespace, group, resource)).files:
            if tree_file.role in ("list", "object"):
                places.setdefault((tree_file.namespace, group, resource), []).append(tree_file)
        for key, files in places.items():
            if key not in self._locations:
                self._locations[key] = self._location(key, files)
        return builtins.list(places)

    def _object_location(self, key: Place, name: str) -> Location | None:
        """The location ``key`` built from only the files that can hold the object ``name``: its
        own files, or the List file when it has none (as a GET reads them)."""
        namespace, group, resource = key
        stem = strip_suffix(object_file_name(name)) or name  # the name itself, or its long-name form
        files = [
            f
            for f in self._scan(_Where(namespace, group, resource, stem)).files
            if f.role in ("list", "object")
        ]
        if not files:
            return None
        own = [f for f in files if f.role == "object"]
        return self._location(key, own or files)

    def _location(self, key: Place, files: builtins.list[TreeFile]) -> Location:
        location = Location(*key)
        for tree_file in files:
            objects = self._objects(tree_file)
            if tree_file.role == "list":
                location.list_items = objects
            elif objects:
                location.files[object_name_of_file(tree_file.name, objects[0])] = objects[0]
        return location

    def _scan(self, where: _Where) -> TreeScan:
        scan = scan_tree(self.root, where)
        if scan.problems:
            raise_problems(self.root, scan.problems)
        return scan

    def _namespace(self, name: str) -> Object | None:
        if name not in self._namespaces:
            files = [f for f in self._scan(_Where(namespace=name)).files if f.role == "namespace"]
            objects = self._objects(files[-1]) if files else []
            self._namespaces[name] = objects[0] if objects else None
        return self._namespaces[name]

    def _objects(self, tree_file: TreeFile) -> builtins.list[Object]:
        if tree_file.relative in self._decoded:
            return self._decoded[tree_file.relative]
        problems: builtins.list[str] = []
        objects = objects_of(self._decode(tree_file), tree_file, problems)
        check_placement(objects, tree_file, self._kinds(), problems)
        if problems:
            raise InvalidInput(str(tree_file.path), problems)
        self._decoded[tree_file.relative] = objects
        return objects

    def _kinds(self) -> dict[tuple[str, str], set[str]]:
        if self._kinds_of is None or self._kinds_of[0] is not self._discovery:
            self._kinds_of = (self._discovery, kinds_by_resource(self._discovery))
        return self._kinds_of[1]

    @staticmethod
    def _decode(tree_file: TreeFile) -> Any:
        document, problems = decode_file(str(tree_file.path))
        if problems:
            raise InvalidInput(str(tree_file.path), problems)
        return document


class _Where:
    """A walk of one request: ``namespace`` (``None``: every namespace and cluster scope), and
    in it ``resource`` of ``group`` (none when empty), only the files of ``stem`` when given."""

    def __init__(
        self, namespace: str | None = "", group: str = "", resource: str = "", stem: str | None = None
    ) -> None:
        self.namespace, self.group, self.resource, self.stem = namespace, group, resource, stem

    def wants_namespace(self, namespace: str) -> bool:
        return self.namespace is None or namespace == self.namespace

    def wants_group(self, namespace: str, group: str) -> bool:
        return bool(self.resource) and group == self.group and self.wants_namespace(namespace)

    def wants_place(self, namespace: str, group: str, resource: str) -> bool:
        return resource == self.resource and self.wants_group(namespace, group)

    def wants_object(self, namespace: str, group: str, resource: str, stem: str) -> bool:
        return (self.stem is None or stem == self.stem) and self.wants_place(namespace, group, resource)


__all__ = ["TreeSource"]
