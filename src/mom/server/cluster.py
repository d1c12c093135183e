"""The cluster a server answers from: a snapshot, plus (with ``--mutable``) an in-memory overlay.

Owns: :class:`ServedCluster` — GET and LIST (label and field selectors) over the snapshot with
the overlay's created, replaced and deleted objects on top, the resource version the cluster is
at, and the watchers told about each change. Without ``--mutable`` the overlay stays empty and
reads are the snapshot's, exactly. Everything here runs on the server's event loop (one thread).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mom.api.errors import NotFound
from mom.api.resources import GroupVersionResource, labels_of, metadata_of, name_of, namespace_of
from mom.manifest.selectors import FieldSelector, LabelSelector
from mom.manifest.store import Snapshot

Object = dict[str, Any]
Key = tuple[str, str, str, str]
"""(group, resource, namespace, name) of an overlay entry."""


@dataclass
class Watcher:
    """One open watch: which objects it wants and where its events go."""

    group: str
    resource: str
    namespace: str
    label_selector: LabelSelector | None
    field_selector: FieldSelector | None
    deliver: Callable[[str, Object], None]

    def wants(self, group: str, resource: str, namespace: str, obj: Object) -> bool:
        if (group, resource) != (self.group, self.resource):
            return False
        if self.namespace and namespace != self.namespace:
            return False
        return _selected(obj, namespace, self.label_selector, self.field_selector)


def _selected(
    obj: Object, namespace: str, labels: LabelSelector | None, fields: FieldSelector | None
) -> bool:
    if labels is not None and not labels.matches(labels_of(obj)):
        return False
    return fields is None or fields.matches(obj, namespace=namespace)


@dataclass
class ServedCluster:
    """A snapshot with an overlay on top; ``revision`` grows by one per applied write."""

    snapshot: Snapshot
    revision: int = 1
    _overlay: dict[Key, Object | None] = field(default_factory=dict)
    _touched: set[tuple[str, str]] = field(default_factory=set)
    _watchers: list[Watcher] = field(default_factory=list)

    @classmethod
    def over(cls, snapshot: Snapshot) -> ServedCluster:
        """A cluster whose revision starts above every resource version in ``snapshot``."""
        highest = 0
        for _, obj in snapshot.objects():
            version = metadata_of(obj).get("resourceVersion")
            if isinstance(version, str) and version.isdigit():
                highest = max(highest, int(version))
        return cls(snapshot, revision=highest + 1)

    @property
    def resource_version(self) -> str:
        return str(self.revision)

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        """One object (overlay first); :class:`NotFound` when absent or deleted."""
        if gvr.is_namespaces:
            name, namespace = name or namespace, ""
        key = (gvr.group, gvr.resource, namespace, name)
        if key in self._overlay:
            obj = self._overlay[key]
            if obj is None:
                where = f" in namespace {namespace!r}" if namespace else ""
                raise NotFound(f'{gvr.group_resource} "{name}" not found{where}')
            return obj
        return self.snapshot.get(gvr, namespace=namespace, name=name)

    def exists(self, gvr: GroupVersionResource, namespace: str, name: str) -> bool:
        try:
            self.get(gvr, namespace=namespace, name=name)
        except NotFound:
            return False
        return True

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> list[Object]:
        """LIST over the snapshot and the overlay; :class:`NotFound` for unknown resources."""
        if (gvr.group, gvr.resource) not in self._touched:
            return self.snapshot.list(
                gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
            )
        result: list[Object] = []
        seen: set[Key] = set()
        for obj in self.snapshot.list(gvr, namespace=namespace):
            scope = "" if gvr.is_namespaces else (namespace or namespace_of(obj))
            key = (gvr.group, gvr.resource, scope, name_of(obj))
            seen.add(key)
            current: Object | None = self._overlay.get(key, obj)
            if current is not None and _selected(current, scope, label_selector, field_selector):
                result.append(current)
        for key, added in self._overlay.items():
            group, resource, scope, _ = key
            if added is None or key in seen or (group, resource) != (gvr.group, gvr.resource):
                continue
            if namespace and scope != namespace:
                continue
            if _selected(added, scope, label_selector, field_selector):
                result.append(added)
        return result

    def store(self, gvr: GroupVersionResource, namespace: str, name: str, obj: Object | None) -> None:
        """Put ``obj`` in the overlay (``None`` deletes), advance the revision, tell the watchers."""
        if gvr.is_namespaces:
            name, namespace = name or namespace, ""
        key = (gvr.group, gvr.resource, namespace, name)
        previous = (
            self._overlay.get(key) if key in self._overlay else self._snapshot_object(gvr, namespace, name)
        )
        self._overlay[key] = obj
        self._touched.add((gvr.group, gvr.resource))
        self.revision += 1
        if obj is None:
            event, shown = "DELETED", previous
        else:
            event, shown = ("MODIFIED" if previous is not None else "ADDED"), obj
        if shown is None:
            return
        for watcher in list(self._watchers):
            if watcher.wants(gvr.group, gvr.resource, namespace, shown):
                watcher.deliver(event, shown)

    def _snapshot_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Object | None:
        try:
            return self.snapshot.get(gvr, namespace=namespace, name=name)
        except NotFound:
            return None

    def subscribe(self, watcher: Watcher) -> None:
        self._watchers.append(watcher)

    def unsubscribe(self, watcher: Watcher) -> None:
        if watcher in self._watchers:
            self._watchers.remove(watcher)
