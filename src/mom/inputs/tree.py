"""A must-gather tree read on demand: the input source for one-shot pruning.

Owns: :class:`TreeSource`, an :class:`~mom.mustgather.reader.ClusterReader` that walks the tree once
(names only) and decodes just the files a GET or LIST needs, so pruning a real must-gather
costs the declared inputs, not the whole tree. A GET reads the object's own
``<resource>/<name>.yaml`` file when there is one, else the ``<resource>.yaml`` List file of its
namespace, never the other objects of the resource; a LIST reads every file of the resource in
the namespace (every namespace when it has none). Each file is decoded at most once. Answers
follow the same rules as :class:`~mom.mustgather.store.Snapshot` (which answers each request over
the locations loaded).
The walk's refusals (non-regular files, symlinks out of the tree, oversized files) fail it at
once, and every file it decodes is held to the loader's rules (:mod:`mom.mustgather.documents`):
a tree mom refuses to load is refused here too, naming the file.
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
    find_resource_root,
    object_file_name,
    object_name_of_file,
    scan_tree,
    strip_suffix,
)
from mom.mustgather.loader import decode_file
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Location, Snapshot

Object = dict[str, Any]
Key = tuple[str, str, str]
"""namespace, group, resource: one place of the tree."""


class TreeSource:
    """Read-only cluster over a must-gather directory, decoding files on first use."""

    def __init__(self, path: Path) -> None:
        self.root = find_resource_root(path)
        scan = scan_tree(self.root)
        if scan.problems:
            raise_problems(self.root, scan.problems)
        self._files: dict[Key, list[TreeFile]] = {}
        self._namespace_files: dict[str, TreeFile] = {}
        discovery_files: list[TreeFile] = []
        for tree_file in scan.files:
            if tree_file.role == "discovery":
                discovery_files.append(tree_file)
            elif tree_file.role == "namespace":
                self._namespace_files[tree_file.namespace] = tree_file
            else:
                key = (tree_file.namespace, tree_file.group, tree_file.resource)
                self._files.setdefault(key, []).append(tree_file)
        self._locations: dict[Key, Location] = {}
        self._decoded: dict[str, builtins.list[Object]] = {}
        self._namespaces: dict[str, Object | None] = {}
        self._discovery = builtin_discovery()
        self._kinds_of: tuple[Discovery, dict[tuple[str, str], set[str]]] | None = None
        if discovery_files:
            documents = [(str(f.path), self._decode(f)) for f in discovery_files]
            self._discovery = Discovery.from_aggregated(documents).merged_over(self._discovery)

    @property
    def discovery(self) -> Discovery:
        return self._discovery

    def namespaces(self) -> builtins.list[str]:
        return sorted(self._namespace_files)

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        if gvr.is_namespaces:
            obj = self._namespace(name or namespace)
            if obj is None:
                raise NotFound(f'namespaces "{name or namespace}" not found')
            return obj
        key = (namespace, gvr.group, gvr.resource)
        location = self._locations.get(key) or self._location_of(key, name)
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
        if namespace:
            keys = [(namespace, gvr.group, gvr.resource)]
        else:
            keys = [key for key in self._files if key[1:] == (gvr.group, gvr.resource)]
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

    def _snapshot(self, keys: builtins.list[Key]) -> Snapshot:
        locations = [location for key in keys if (location := self._location(key)) is not None]
        return Snapshot(locations, {}, self._discovery, root=self.root)

    def _location(self, key: Key) -> Location | None:
        if key not in self._locations:
            location = self._location_of(key)
            if location is None:
                return None
            self._locations[key] = location
        return self._locations[key]

    def _location_of(self, key: Key, name: str | None = None) -> Location | None:
        """The location ``key`` built from its files; with ``name``, only the files that can hold
        that object: its own files, or the List file when it has none (as a GET reads them)."""
        files = self._files.get(key)
        if not files:
            return None
        if name is not None:
            stem = strip_suffix(object_file_name(name))  # the name itself, or its long-name form
            own = [f for f in files if f.role != "list" and f.name == stem]
            files = own or [f for f in files if f.role == "list"]
        location = Location(*key)
        for tree_file in files:
            objects = self._objects(tree_file)
            if tree_file.role == "list":
                location.list_items = objects
            elif objects:
                location.files[object_name_of_file(tree_file.name, objects[0])] = objects[0]
        return location

    def _namespace(self, name: str) -> Object | None:
        if name not in self._namespaces:
            tree_file = self._namespace_files.get(name)
            objects = self._objects(tree_file) if tree_file is not None else []
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


__all__ = ["TreeSource"]
