"""Shared watches of a live cluster: one LIST+WATCH per resource type, cached for every reader.

Owns: :class:`WatchCache` — a background thread per resource type that LISTs every object
(all namespaces), then WATCHes from the list's resourceVersion with bookmarks, and LISTs again
when the server answers 410 Gone or the stream breaks. Given the namespaces a reader needs (a
replica's share of a management cluster: its hosted control plane namespaces), a namespaced
type is listed and watched in each of those namespaces only, one thread each, so nothing of
the other namespaces is held. :meth:`WatchCache.snapshot` returns the
same :class:`~mom.mustgather.store.Snapshot` object while nothing changed and a new one after any
event, so a manager can skip re-gathering when the snapshot is identical.
:meth:`WatchCache.get` and :meth:`WatchCache.list` read that snapshot (the cache is a
:class:`~mom.mustgather.reader.ClusterReader`). :meth:`WatchCache.expect` registers a write mom just made; the next snapshot waits (briefly)
until the watch has delivered it, so a reader sees its own writes.
Objects are stored without ``metadata.managedFields`` (must-gathers do not carry them).

A resource type the server does not serve (its LIST answers 404: a CRD not installed yet, an
API removed with an optional capability) has no objects: the snapshot does not wait for it,
one warning says so, and its watcher LISTs again every :data:`UNSERVED_RETRY_SECONDS` until the
type is served, then watches it like any other.
"""

from __future__ import annotations

import builtins
import logging
import threading
import time
from collections.abc import Iterable

from mom.api.errors import MomError
from mom.api.resources import GroupVersionResource, ObjectRef, name_of, namespace_of
from mom.client.messages import JSON, ApiRequest
from mom.client.paths import resource_url
from mom.live.transport import QUIET, LiveTransport
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.serialization import load_json

log = logging.getLogger(__name__)

NamespacedName = tuple[str, str]
"""An object's (namespace, name) within one resource type."""
Slot = tuple[GroupVersionResource, str]
"""What one watch holds: a resource type in one namespace (``""``: every namespace)."""

WATCH_SECONDS = 300
RETRY_SECONDS = 1.0
POLL_SECONDS = 2.0
"""A quiet watch stream is reopened (from the same resourceVersion) this often, so that
:meth:`WatchCache.close` never waits longer for a watch thread to notice it should stop."""
UNSERVED_RETRY_SECONDS = 5.0
"""How often the LIST of a resource type the server does not serve is tried again."""
SYNC_TIMEOUT = 30.0
SEEN_TIMEOUT = 10.0
_NOTHING = "\x00nothing expected"


def _cleaned(obj: Object, api_version: str, kind: str) -> Object:
    metadata = dict(obj.get("metadata") or {})
    metadata.pop("managedFields", None)
    cleaned = {"apiVersion": obj.get("apiVersion") or api_version, "kind": obj.get("kind") or kind}
    cleaned.update((k, v) for k, v in obj.items() if k not in ("apiVersion", "kind"))
    cleaned["metadata"] = metadata
    return cleaned


class _Watcher(threading.Thread):
    """LIST then WATCH one resource type, feeding the cache."""

    def __init__(self, cache: WatchCache, gvr: GroupVersionResource, kind: str, namespace: str = "") -> None:
        where = f"-{namespace}" if namespace else ""
        super().__init__(name=f"mom-watch-{gvr.resource}.{gvr.group}{where}", daemon=True)
        self.cache, self.gvr, self.kind = cache, gvr, kind
        self.namespace = namespace
        """The one namespace listed and watched; ``""``: every namespace."""
        self.path = resource_url(gvr, namespace)
        self.synced = threading.Event()
        self.served = True
        """False while the server answers the LIST with 404 (the type is not served)."""

    def run(self) -> None:
        while not self.cache.stopping.is_set():
            try:
                version = self._list()
                if version is None:
                    self.cache.stopping.wait(UNSERVED_RETRY_SECONDS)
                    continue
                self._watch(version)
            except Exception as exc:  # a broken stream or a closed client: list again, or stop
                if self.cache.stopping.is_set():
                    return
                log.warning("watch of %s failed, listing again: %s", self.gvr, exc)
                self.cache.stopping.wait(RETRY_SECONDS)

    def _list(self) -> str | None:
        """LIST into the cache; the list's resourceVersion, or ``None`` when the type is not served."""
        path = self.path
        response = self.cache.transport.handle(ApiRequest("GET", path, (), {"Accept": JSON}))
        if response.status == 404:
            if self.served:
                log.warning(
                    "%s is not served by the cluster: inputs of that type have no objects until it is",
                    self.gvr,
                )
            self.served = False
            self.cache.replace(self._slot, {})
            self.synced.set()
            return None
        if response.status != 200:
            raise MomError(f"LIST {path}: HTTP {response.status}")
        if not self.served:
            log.info("%s is served now", self.gvr)
            self.served = True
        listing = load_json(response.body, f"LIST {path}")
        items = listing.get("items") or [] if isinstance(listing, dict) else []
        objects = {
            (namespace_of(item), name_of(item)): _cleaned(item, self.gvr.api_version, self.kind)
            for item in items
            if isinstance(item, dict)
        }
        self.cache.replace(self._slot, objects)
        self.synced.set()
        return str((listing.get("metadata") or {}).get("resourceVersion") or "")

    @property
    def _slot(self) -> Slot:
        return (self.gvr, self.namespace)

    def _watch(self, version: str) -> None:
        params = [
            ("watch", "true"),
            ("resourceVersion", version),
            ("allowWatchBookmarks", "true"),
            ("timeoutSeconds", str(WATCH_SECONDS)),
        ]
        while not self.cache.stopping.is_set():
            if not self._stream(params):  # ends quiet after POLL_SECONDS: reopen from the last version
                return

    def _stream(self, params: list[tuple[str, str]]) -> bool:
        """Follow one watch stream, keeping ``params``' resourceVersion current; False: LIST again."""
        with self.cache.transport.stream(self.path, params, quiet_after=POLL_SECONDS) as (status, lines):
            if status == 410:
                return False
            if status == QUIET:
                return True  # reopen from the same resourceVersion
            if status != 200:
                raise MomError(f"WATCH {self.gvr}: HTTP {status}")
            for line in lines:
                if not line.strip():
                    continue
                event = load_json(line.encode(), f"WATCH {self.gvr}")
                kind = event.get("type") if isinstance(event, dict) else None
                obj = event.get("object") if isinstance(event, dict) else None
                if not isinstance(obj, dict):
                    continue
                if kind == "ERROR":
                    return False  # 410 Gone (expired resourceVersion) and friends: list again
                version = str((obj.get("metadata") or {}).get("resourceVersion") or "")
                if version:
                    params[1] = ("resourceVersion", version)
                if kind == "BOOKMARK":
                    continue
                key = (namespace_of(obj), name_of(obj))
                cleaned = _cleaned(obj, self.gvr.api_version, self.kind)
                self.cache.event(self._slot, key, None if kind == "DELETED" else cleaned)
        return True


class WatchCache:
    """Every object of the given resource types, kept current by one watch per type (per type
    and namespace, for a namespaced type when ``namespaces`` is given)."""

    def __init__(
        self,
        transport: LiveTransport,
        resources: Iterable[tuple[GroupVersionResource, str]],
        discovery: Discovery,
        namespaces: Iterable[str] | None = None,
    ) -> None:
        self.transport = transport
        self.discovery = discovery
        self.stopping = threading.Event()
        self._changed = threading.Condition()
        self._objects: dict[Slot, dict[NamespacedName, Object]] = {}
        self._expected: dict[tuple[GroupVersionResource, NamespacedName], str | None] = {}
        self._snapshot: Snapshot | None = None
        self._watchers = [
            _Watcher(self, gvr, kind, namespace)
            for gvr, kind in resources
            for namespace in self._places(gvr, namespaces)
        ]
        self._slots = {(w.gvr, w.namespace) for w in self._watchers}
        for watcher in self._watchers:
            watcher.start()

    def _places(self, gvr: GroupVersionResource, namespaces: Iterable[str] | None) -> builtins.list[str]:
        info = self.discovery.resource_info(gvr)
        if namespaces is None or info is None or not info.namespaced or gvr.is_namespaces:
            return [""]
        return sorted(set(namespaces))

    @property
    def resources(self) -> builtins.list[GroupVersionResource]:
        return list(dict.fromkeys(w.gvr for w in self._watchers))

    def watches(self, gvr: GroupVersionResource, namespace: str) -> bool:
        """Whether an object of ``gvr`` in ``namespace`` is held here."""
        return (gvr, "") in self._slots or (gvr, namespace) in self._slots

    def replace(self, slot: Slot, objects: dict[NamespacedName, Object]) -> None:
        gvr = slot[0]
        with self._changed:
            if self._objects.get(slot) != objects:
                self._objects[slot] = objects
                self._snapshot = None
            for expected in [e for e in self._expected if e[0] == gvr and self.watched_in(slot, e[1][0])]:
                del self._expected[expected]
            self._changed.notify_all()

    @staticmethod
    def watched_in(slot: Slot, namespace: str) -> bool:
        return not slot[1] or slot[1] == namespace

    def event(self, slot: Slot, key: NamespacedName, obj: Object | None) -> None:
        gvr = slot[0]
        with self._changed:
            objects = self._objects.setdefault(slot, {})
            if obj is None:
                objects.pop(key, None)
            else:
                objects[key] = obj
            self._snapshot = None
            expected = self._expected.get((gvr, key), _NOTHING)
            version = None if obj is None else str(obj["metadata"].get("resourceVersion", ""))
            if expected == version:
                del self._expected[(gvr, key)]
            self._changed.notify_all()

    def expect(self, gvr: GroupVersionResource, key: NamespacedName, obj: Object | None) -> None:
        """A write mom made: the object as written (``None`` after a delete)."""
        with self._changed:
            if not self.watches(gvr, key[0]):
                return
            slot = (gvr, "") if (gvr, "") in self._slots else (gvr, key[0])
            current = self._objects.get(slot, {}).get(key)
            version = None if obj is None else str((obj.get("metadata") or {}).get("resourceVersion", ""))
            current_version = None if current is None else str(current["metadata"].get("resourceVersion", ""))
            if version != current_version:
                self._expected[(gvr, key)] = version

    def snapshot(self) -> Snapshot:
        """Every watched object now; the same object as last time when nothing changed."""
        deadline = time.monotonic() + SYNC_TIMEOUT
        for watcher in self._watchers:
            if not watcher.synced.wait(max(0.0, deadline - time.monotonic())):
                raise MomError(f"the watch of {watcher.gvr} did not list its objects in {SYNC_TIMEOUT:.0f}s")
        with self._changed:
            self._changed.wait_for(lambda: not self._expected, SEEN_TIMEOUT)
            self._expected.clear()
            if self._snapshot is None:
                pairs = [
                    (ObjectRef(gvr, namespace, name), obj)
                    for (gvr, _), objects in sorted(self._objects.items(), key=lambda item: str(item[0]))
                    for (namespace, name), obj in sorted(objects.items())
                ]
                self._snapshot = Snapshot.from_objects(pairs, discovery=self.discovery)
            return self._snapshot

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        """One watched object, as :meth:`snapshot` holds it; :class:`NotFound` when it is not held."""
        return self.snapshot().get(gvr, namespace=namespace, name=name)

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        """The watched objects of ``gvr`` (see :meth:`snapshot`) in ``namespace`` ("": every one)."""
        return self.snapshot().list(
            gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
        )

    def close(self) -> None:
        """Stop every watch."""
        self.stopping.set()
        for watcher in self._watchers:
            watcher.join(timeout=POLL_SECONDS + 3.0)
