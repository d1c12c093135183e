"""The in-memory, read-only cluster a must-gather tree stands for: GET and LIST over it.

Owns: :class:`Location` (what one ``<scope>/<group>/<resource>`` place of a tree holds) and
:class:`Snapshot` (GET, LIST with label and field selectors, namespaces, every unique object); a
:class:`~mom.mustgather.reader.ServedReader`, as is the writable view of
:class:`~mom.apply.memory_target.MemoryTarget`.
The directory an object was found in decides its namespace, never ``metadata.namespace``.

Objects returned by a snapshot are the stored dicts themselves, shared by every caller:
they must be treated as read-only (copy before changing one).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from mom.api.errors import MomError, NotFound
from mom.api.resources import GroupVersionKind, GroupVersionResource, ObjectRef, labels_of, name_of
from mom.api.values import Value
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object

if TYPE_CHECKING:
    from mom.mustgather.selectors import FieldSelector, LabelSelector


class Location(Value):
    """One ``<scope>/<group>/<resource>`` of a tree; ``namespace`` is empty for cluster scope.

    ``list_items`` are the items of the ``<resource>.yaml`` List file (``None`` when there is no
    such file); ``files`` are the per-object ``<resource>/<name>.yaml`` files by file name.
    """

    namespace: str
    group: str
    resource: str
    list_items: list[Object] | None
    files: dict[str, Object]

    __slots__ = ("files", "group", "list_items", "namespace", "resource")

    def __init__(
        self,
        namespace: str,
        group: str,
        resource: str,
        list_items: list[Object] | None = None,
        files: dict[str, Object] | None = None,
    ) -> None:
        self.namespace = namespace
        self.group = group
        self.resource = resource
        self.list_items = list_items
        self.files = {} if files is None else files

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.namespace, self.group, self.resource)


class _Served:
    """What a location answers: the LIST items, the objects by name, and the unique objects."""

    __slots__ = ("by_name", "listed", "unique")

    def __init__(self, location: Location) -> None:
        files = location.files
        self.by_name: dict[str, Object] = dict(files)
        if location.list_items is None:
            self.listed: list[Object] = [files[name] for name in sorted(files)]
            self.unique: list[Object] = self.listed
            return
        # The list file answers LIST here; a per-object file of the same name replaces its item.
        self.listed = [files.get(name_of(item), item) for item in location.list_items]
        seen: set[str] = set()
        self.unique = []
        for item in self.listed:
            name = name_of(item)
            self.by_name.setdefault(name, item)
            if not name or name not in seen:
                seen.add(name)
                self.unique.append(item)
        self.unique.extend(files[name] for name in sorted(files) if name not in seen)


def _version_of(obj: Object) -> str:
    api_version = obj.get("apiVersion")
    return api_version.rpartition("/")[2] if isinstance(api_version, str) else ""


class Snapshot:
    """A read-only cluster: the objects of a must-gather tree and the discovery that serves them."""

    resource_version = ""
    """A snapshot never changes: its lists are at no resource version."""

    def __init__(
        self,
        locations: Iterable[Location],
        namespace_objects: Mapping[str, Object],
        discovery: Discovery,
        root: Path | None = None,
    ) -> None:
        self.discovery = discovery
        self.root = root
        self._namespace_files: dict[str, Object] = dict(namespace_objects)
        self._namespaces: dict[str, Object] = dict(namespace_objects)
        ordered = sorted(locations, key=lambda loc: (loc.namespace != "", loc.key))
        self._sources = ordered
        self._locations: dict[tuple[str, str, str], _Served] = {}
        self._scopes: dict[tuple[str, str], list[str]] = {}
        for location in ordered:
            if location.group == "" and location.resource == "namespaces" and location.namespace == "":
                served = _Served(location)
                for name, obj in served.by_name.items():
                    self._namespaces.setdefault(name, obj)
                continue
            self._locations[location.key] = _Served(location)
            self._scopes.setdefault((location.group, location.resource), []).append(location.namespace)
        self._namespaces = dict(sorted(self._namespaces.items()))
        self._objects = self._collect_objects(ordered)

    def _collect_objects(self, ordered: list[Location]) -> list[tuple[ObjectRef, Object]]:
        objects = [
            (ObjectRef(GroupVersionResource("", _version_of(obj), "namespaces"), "", name), obj)
            for name, obj in self._namespaces.items()
        ]
        for location in ordered:
            served = self._locations.get(location.key)
            if served is None:
                continue
            for obj in served.unique:
                gvr = GroupVersionResource(location.group, _version_of(obj), location.resource)
                objects.append((ObjectRef(gvr, location.namespace, name_of(obj)), obj))
        return objects

    @classmethod
    def from_objects(
        cls, objects: Iterable[tuple[ObjectRef, Object]], discovery: Discovery | None = None
    ) -> Snapshot:
        """A snapshot holding ``objects``; discovery defaults to their kinds over the built-ins."""
        from mom.mustgather.builtin_discovery import discovery_for_objects

        locations: dict[tuple[str, str, str], Location] = {}
        namespaces: dict[str, Object] = {}
        pairs = list(objects)
        for ref, obj in pairs:
            if ref.gvr.is_namespaces:
                namespaces[ref.name or ref.namespace] = obj
                continue
            key = (ref.namespace, ref.gvr.group, ref.gvr.resource)
            location = locations.setdefault(key, Location(*key))
            location.files[ref.name] = obj
        if discovery is None:
            discovery = discovery_for_objects(pairs)
        return cls(locations.values(), namespaces, discovery)

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        """One object; :class:`NotFound` when absent. For namespaces, ``name`` is the namespace."""
        if gvr.is_namespaces:
            name = name or namespace
            obj = self._namespaces.get(name)
        else:
            served = self._locations.get((namespace, gvr.group, gvr.resource))
            obj = served.by_name.get(name) if served is not None else None
        if obj is None:
            where = f" in namespace {namespace!r}" if namespace and gvr.resource != "namespaces" else ""
            raise NotFound(f'{gvr.group_resource} "{name}" not found{where}')
        _check_api_version(gvr, obj)
        return obj

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        """The objects of ``gvr`` in ``namespace`` ("" = everywhere); a missing namespace is empty."""
        located = self.list_located(
            gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
        )
        return [obj for _, obj in located]

    def list_located(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[tuple[str, Object]]:
        """Like :meth:`list`, each object paired with the namespace directory it was found in."""
        if gvr.is_namespaces:
            found = [("", obj) for obj in self._namespaces.values()]
        else:
            if self.discovery.resource_info(gvr) is None:
                raise NotFound(f"unknown resource {gvr.group_resource} in version {gvr.api_version!r}")
            scopes = [namespace] if namespace else self._scopes.get((gvr.group, gvr.resource), [])
            found = []
            for scope in scopes:
                served = self._locations.get((scope, gvr.group, gvr.resource))
                if served is not None:
                    found.extend((scope, obj) for obj in served.listed)
        result: builtins.list[tuple[str, Object]] = []
        for scope, obj in found:
            _check_api_version(gvr, obj)
            if label_selector is not None and not label_selector.matches(_labels(obj)):
                continue
            if field_selector is not None and not field_selector.matches(obj, namespace=scope):
                continue
            result.append((scope, obj))
        return result

    def list_kind(self, gvr: GroupVersionResource) -> GroupVersionKind:
        """``<Kind>List`` in the group/version of ``gvr``; :class:`NotFound` for unknown resources."""
        if gvr.is_namespaces:
            return GroupVersionKind("", gvr.version, "NamespaceList")
        info = self.discovery.resource_info(gvr)
        if info is None:
            raise NotFound(f"unknown resource {gvr.group_resource} in version {gvr.api_version!r}")
        return GroupVersionKind(gvr.group, gvr.version, info.kind + "List")

    def namespaces(self) -> builtins.list[str]:
        """Names of the namespaces that have a Namespace object, sorted."""
        return list(self._namespaces)

    def objects(self) -> Iterator[tuple[ObjectRef, Object]]:
        """Every unique object once: namespaces first, then cluster scope, then by namespace."""
        return iter(self._objects)

    def locations(self) -> builtins.list[Location]:
        """The locations the snapshot was built from (for caching it); do not change them."""
        return list(self._sources)

    def namespace_files(self) -> dict[str, Object]:
        """The ``namespaces/<ns>/<ns>.yaml`` objects the snapshot was built from, by name."""
        return dict(self._namespace_files)

    def __len__(self) -> int:
        return len(self._objects)


def _labels(obj: Object) -> Mapping[str, str]:
    """``metadata.labels`` without copying when, as always from a real cluster, it is all strings."""
    metadata = obj.get("metadata")
    labels = metadata.get("labels") if isinstance(metadata, dict) else None
    if not isinstance(labels, dict):
        return {}
    if all(type(value) is str for value in labels.values()):
        return labels
    return labels_of(obj)


def _check_api_version(gvr: GroupVersionResource, obj: Object) -> None:
    if obj.get("apiVersion") != gvr.api_version:
        raise MomError(
            f"{gvr.group_resource} {name_of(obj)!r} is stored as apiVersion {obj.get('apiVersion')!r},"
            f" not the requested {gvr.api_version!r}"
        )
