"""WATCH: an initial list as ``ADDED`` events, bookmarks, then changes until the timeout.

Owns: reading a watch request's parameters (:class:`WatchRequest`) and producing its stream of
newline-separated JSON events (:func:`watch_events`), and the open watches told of each change
(:class:`Watchers`, listening to the :class:`~mom.apply.memory_target.MemoryTarget`). With ``sendInitialEvents=true`` (client-go's
WatchList) the initial events end with a ``BOOKMARK`` annotated ``k8s.io/initial-events-end``;
without a resource version the stream also starts with the current objects, as the apiserver
does. Changes come only from ``--mutable`` writes; a snapshot alone never changes, so the
stream then carries bookmarks until ``timeoutSeconds`` (default 300 s, at most 1800 s) and ends,
and informers re-watch instead of hot-looping.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from mom.api.resources import GroupVersionKind, GroupVersionResource, labels_of
from mom.client.messages import ApiRequest
from mom.mustgather.fieldlabels import field_labels
from mom.mustgather.reader import Object, ServedReader
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.serialization import dump_json

DEFAULT_TIMEOUT_SECONDS = 300.0
MAX_TIMEOUT_SECONDS = 1800.0
BOOKMARK_INTERVAL_SECONDS = 60.0
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass(frozen=True)
class WatchRequest:
    gvr: GroupVersionResource
    namespace: str
    label_selector: LabelSelector | None
    field_selector: FieldSelector | None
    send_initial_events: bool
    bookmarks: bool
    timeout_seconds: float

    @classmethod
    def of(cls, request: ApiRequest, gvr: GroupVersionResource, namespace: str, name: str) -> WatchRequest:
        """The watch ``request`` asks for; a watch on one name selects ``metadata.name``."""
        label = request.param("labelSelector")
        field = request.param("fieldSelector")
        if name:
            field = ",".join(part for part in (field, f"metadata.name={name}") if part)
        initial = request.param("sendInitialEvents")
        version = request.param("resourceVersion")
        try:
            timeout = float(request.param("timeoutSeconds") or DEFAULT_TIMEOUT_SECONDS)
        except ValueError:
            timeout = DEFAULT_TIMEOUT_SECONDS
        return cls(
            gvr=gvr,
            namespace=namespace,
            label_selector=LabelSelector.parse(label) if label else None,
            field_selector=(
                FieldSelector.parse(field, field_labels(gvr), (gvr.group, gvr.resource)) if field else None
            ),
            send_initial_events=initial == "true" or (initial == "" and version in ("", "0")),
            bookmarks=request.param("allowWatchBookmarks") in ("true", "1"),
            timeout_seconds=min(max(timeout, 0.0), MAX_TIMEOUT_SECONDS),
        )

    @property
    def watch_list(self) -> bool:
        """Whether the client asked for the initial-events-end bookmark (sendInitialEvents=true)."""
        return self.send_initial_events and self.bookmarks


@dataclass
class Watcher:
    """One open watch: which objects it wants and where its events go."""

    watch: WatchRequest
    deliver: Callable[[str, Object], None]

    def wants(self, gvr: GroupVersionResource, namespace: str, obj: Object) -> bool:
        watch = self.watch
        if (gvr.group, gvr.resource) != (watch.gvr.group, watch.gvr.resource):
            return False
        if watch.namespace and namespace != watch.namespace:
            return False
        if watch.label_selector is not None and not watch.label_selector.matches(labels_of(obj)):
            return False
        return watch.field_selector is None or watch.field_selector.matches(obj, namespace=namespace)


@dataclass
class Watchers:
    """The open watches; :meth:`changed` is the target's change listener."""

    _open: list[Watcher] = field(default_factory=list)

    def subscribe(self, watcher: Watcher) -> None:
        self._open.append(watcher)

    def unsubscribe(self, watcher: Watcher) -> None:
        if watcher in self._open:
            self._open.remove(watcher)

    def changed(
        self, gvr: GroupVersionResource, namespace: str, old: Object | None, new: Object | None
    ) -> None:
        """Tell the watches wanting it: ADDED, MODIFIED, or DELETED (with the object as it was)."""
        if new is None:
            event, shown = "DELETED", old
        else:
            event, shown = ("MODIFIED" if old is not None else "ADDED"), new
        if shown is None:
            return
        for watcher in list(self._open):
            if watcher.wants(gvr, namespace, shown):
                watcher.deliver(event, shown)


def _event(kind: str, obj: Any) -> bytes:
    return dump_json({"type": kind, "object": obj}) + b"\n"


def _bookmark(gvk: GroupVersionKind, resource_version: str, initial_end: bool) -> bytes:
    metadata: dict[str, Any] = {"resourceVersion": resource_version}
    if initial_end:
        metadata["annotations"] = {INITIAL_EVENTS_END: "true"}
    return _event("BOOKMARK", {"kind": gvk.kind, "apiVersion": gvk.api_version, "metadata": metadata})


async def watch_events(
    objects: ServedReader, watchers: Watchers, watch: WatchRequest, gvk: GroupVersionKind
) -> AsyncIterator[bytes]:
    """The chunks of the watch stream over ``objects``; ends after ``watch.timeout_seconds``."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    watcher = Watcher(watch, lambda kind, obj: queue.put_nowait(_event(kind, obj)))
    watchers.subscribe(watcher)
    try:
        if watch.send_initial_events:
            items = objects.list(
                watch.gvr,
                namespace=watch.namespace,
                label_selector=watch.label_selector,
                field_selector=watch.field_selector,
            )
            for obj in items:
                yield _event("ADDED", obj)
            if watch.bookmarks:
                yield _bookmark(gvk, objects.resource_version, initial_end=True)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + watch.timeout_seconds
        while (remaining := deadline - loop.time()) > 0:
            try:
                yield await asyncio.wait_for(queue.get(), min(remaining, BOOKMARK_INTERVAL_SECONDS))
            except TimeoutError:
                if watch.bookmarks and deadline - loop.time() > 0:
                    yield _bookmark(gvk, objects.resource_version, initial_end=False)
    finally:
        watchers.unsubscribe(watcher)
