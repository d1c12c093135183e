"""Where an object lives in a must-gather tree, and the file changes that write or remove it.

Owns: finding the stored copy of one object exactly as a GET on the tree would (the
``<resource>/<name>.yaml`` object file first, else the first item of that name in the
``<resource>.yaml`` List file; a Namespace at ``namespaces/<ns>/<ns>.yaml``), and turning a new
version of it into whole-file contents: an object is rewritten in the file it came from
(a List file keeps its other items, their order and its list-level fields); a new object is
appended to the location's List file when there is one (a LIST of that location reads only
the List file) and becomes ``<scope>/<group>/<resource>/<name>.yaml`` otherwise (a name too
long for a file name takes the long-name form of :func:`mom.mustgather.layout.object_file_name`).
Removing an object removes its object file and every item of that name in the List file;
removing a Namespace removes ``namespaces/<ns>/<ns>.yaml`` only, not what is inside.

A List longer than :data:`SPLIT_LIST_ITEMS` is split by the first write that lands in it:
in the same change, every item of every List file of that resource (each scope's) without
an object file of its own moves to one (the first item of a name, as GET reads it, carrying
the apiVersion/kind it inherits from its List) and the List files go away, so this and every
later create, update or delete is one object file, and a LIST reads the object files alone,
in mom and in Go's reader alike. Lists holding an item that cannot have a file (no name, a
name that is not a file name) are not split.
Changes are whole documents per file; the target serializes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource, name_of
from mom.mustgather.layout import CLUSTER_SCOPED_DIR, NAMESPACES_DIR, object_file_name
from mom.mustgather.reader import Object
from mom.serialization import load_document

SPLIT_LIST_ITEMS = 500
"""A write into a List longer than this splits it into object files first (module docstring),
so the cost of a write does not grow with the List it lands in."""

DocumentChanges = dict[str, Object | None]
Reader = Callable[[str], Object | None]
"""Reads the document at a path relative to the root (``None`` when there is no such file)."""


def check_segment(value: str, field: str) -> None:
    """Refuse names that would leave their directory (``..``, ``a/b``) or are not names at all."""
    if not value or value in (".", "..") or "/" in value or "\\" in value or "\0" in value:
        raise InvalidInput(field, [f"Invalid value: {value!r}: not usable as a file name"])


@dataclass(frozen=True, slots=True)
class Located:
    """One object's place: the object (``None`` when absent), and the files that matter for it."""

    object_path: str
    list_path: str | None
    object: Object | None
    in_object_file: bool
    list_document: Object | None
    index: int | None
    lists: tuple[ListFile, ...] = ()
    """Every List file of the resource in the tree, read only when this List is to be split."""

    def written(self, obj: Object) -> DocumentChanges:
        """The file change that stores ``obj`` as the new version of this object."""
        split = self._split()
        if split is not None:
            return {**split, self.object_path: obj}
        if self.in_object_file or self.list_document is None or self.list_path is None:
            return {self.object_path: obj}
        items = list(self.list_document.get("items") or [])
        if self.index is None:
            items.append(obj)
        else:
            items[self.index] = obj
        return {self.list_path: {**self.list_document, "items": items}}

    def removed(self) -> DocumentChanges:
        """The file changes that make this object disappear from every place it is read from
        (``None`` for a file that goes away)."""
        split = self._split()
        if split is not None:
            split.pop(self.object_path, None)
            return {**split, self.object_path: None} if self.in_object_file else split
        changes: DocumentChanges = {}
        if self.in_object_file:
            changes[self.object_path] = None
        if self.list_document is not None and self.list_path is not None and self.object is not None:
            name = name_of(self.object)
            items = [i for i in self.list_document.get("items") or [] if name_of(i) != name]
            if len(items) != len(self.list_document.get("items") or []):
                changes[self.list_path] = {**self.list_document, "items": items}
        return changes

    def _split(self) -> DocumentChanges | None:
        """The changes that replace every List file of the resource by object files when this
        one is longer than :data:`SPLIT_LIST_ITEMS` (``None`` when it is not, or when some item
        cannot have a file). Every scope goes at once: Go's LIST of all namespaces reads no
        object file anywhere while any List file of the resource is left."""
        if not self.lists:
            return None
        changes: DocumentChanges = {}
        for list_file in self.lists:
            directory = list_file.path.removesuffix(".yaml")
            items = list_file.document.get("items") or []
            if not isinstance(items, list):
                return None
            for item in items:
                name = name_of(item) if isinstance(item, dict) else ""
                if not _usable_name(name):
                    return None
                path = f"{directory}/{object_file_name(name)}"
                if path not in changes and object_file_name(name) not in list_file.object_files:
                    changes[path] = _inherit_type(item, list_file.document)
            changes[list_file.path] = None
        return changes


@dataclass(frozen=True, slots=True)
class ListFile:
    """One ``<resource>.yaml`` List file: its path, document, and the file names beside it in
    ``<resource>/``."""

    path: str
    document: Object
    object_files: frozenset[str]


def _list_files(root: Path, gvr: GroupVersionResource, read: Reader) -> tuple[ListFile, ...]:
    """Every List file of ``gvr`` below ``root``: cluster-scoped, then each namespace's."""
    scopes = [CLUSTER_SCOPED_DIR]
    if (root / NAMESPACES_DIR).is_dir():
        scopes += sorted(f"{NAMESPACES_DIR}/{entry.name}" for entry in (root / NAMESPACES_DIR).iterdir())
    found = []
    for scope in scopes:
        path = f"{scope}/{gvr.group_dir}/{gvr.resource}.yaml"
        document = read(path)
        if document is not None:
            directory = root / path.removesuffix(".yaml")
            names = frozenset(p.name for p in directory.iterdir()) if directory.is_dir() else frozenset()
            found.append(ListFile(path, document, names))
    return tuple(found)


def _usable_name(name: str) -> bool:
    try:
        check_segment(name, "metadata.name")
    except InvalidInput:
        return False
    return True


def locate(
    root: Path, gvr: GroupVersionResource, namespace: str, name: str, read: Reader | None = None
) -> Located:
    """Where ``gvr`` ``namespace``/``name`` is (or would be created) below ``root``; files are
    read with ``read`` (a batch in progress, a cache) or, by default, from disk."""
    read = read if read is not None else (lambda relative: read_document(root, relative))
    check_segment(name, "metadata.name")
    if gvr.is_namespaces:
        path = f"{NAMESPACES_DIR}/{name}/{name}.yaml"
        found = read(path)
        return Located(path, None, found, found is not None, None, None)
    if namespace:
        check_segment(namespace, "metadata.namespace")
    scope = f"{NAMESPACES_DIR}/{namespace}" if namespace else CLUSTER_SCOPED_DIR
    check_segment(gvr.group_dir, "group")
    check_segment(gvr.resource, "resource")
    object_path = f"{scope}/{gvr.group_dir}/{gvr.resource}/{object_file_name(name)}"
    list_path = f"{scope}/{gvr.group_dir}/{gvr.resource}.yaml"
    object_file = read(object_path)
    list_document = read(list_path)
    if list_document is not None and not isinstance(list_document.get("items") or [], list):
        raise InvalidInput(str(root / list_path), ["items: must be a list"])
    found, index = object_file, None
    if list_document is not None:
        items = list_document.get("items") or []
        index = next((i for i, item in enumerate(items) if name_of(item) == name), None)
        if found is None and index is not None:
            found = _inherit_type(items[index], list_document)
    lists: tuple[ListFile, ...] = ()
    if list_document is not None and len(list_document.get("items") or []) > SPLIT_LIST_ITEMS:
        lists = _list_files(root, gvr, read)
    return Located(object_path, list_path, found, object_file is not None, list_document, index, lists)


def _inherit_type(item: Object, list_document: Object) -> Object:
    """A List item with the apiVersion/kind it inherits from its List when it states none."""
    list_kind = str(list_document.get("kind") or "")
    inherited = {"apiVersion": list_document.get("apiVersion"), "kind": list_kind.removesuffix("List")}
    return {**{k: v for k, v in inherited.items() if v and k not in item}, **item}


def read_document(root: Path, relative: str) -> Object | None:
    """The document of ``root/relative`` as a Kubernetes object, ``None`` when absent or empty."""
    path = root / relative
    if not path.is_file():
        return None
    document = load_document(path.read_bytes(), str(path))
    if document is None:
        return None
    if not isinstance(document, dict):
        raise InvalidInput(str(path), ["expected a Kubernetes object"])
    return document
