"""A target held in memory: a read-only snapshot with the writes applied to it on top.

Owns :class:`MemoryTarget`, the target ``mom serve --mutable`` writes to. It decides every write
with :func:`mom.apply.semantics.decide`, as :class:`~mom.apply.manifest_target.ManifestTarget`
does, so the same write gives the same object (uid, generated name, generation,
managedFields, resourceVersion) whichever target it lands on; only where it is stored
differs. Resource versions count on from the highest one in the snapshot, one per write
that changes something. Reads (:meth:`MemoryTarget.get`, :meth:`MemoryTarget.list`) see the
snapshot with the written objects on top; each stored change is reported to ``on_change``
(the old and the new object, ``None`` for absent), for watches.
"""

from __future__ import annotations

import builtins
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from mom.api.errors import MomError, NotFound
from mom.api.resources import (
    GroupVersionKind,
    GroupVersionResource,
    ObjectRef,
    gvk_of,
    labels_of,
    metadata_of,
    name_of,
    namespace_of,
)
from mom.api.timestamps import rfc3339
from mom.apply.semantics import decide, object_name, write_context
from mom.apply.target import ApplyResult, Outcome
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest

WrittenKey = tuple[str, str, str, str]
"""(group, resource, namespace, name) of a written object; namespaces are cluster-scoped."""
ChangeListener = Callable[[GroupVersionResource, str, Object | None, Object | None], None]
"""Told of each stored change: the resource, the namespace, the object before and after."""


def _key(gvr: GroupVersionResource, namespace: str, name: str) -> WrittenKey:
    if gvr.is_namespaces:
        return (gvr.group, gvr.resource, "", name or namespace)
    return (gvr.group, gvr.resource, namespace, name)


def _selected(
    obj: Object, namespace: str, labels: LabelSelector | None, fields: FieldSelector | None
) -> bool:
    if labels is not None and not labels.matches(labels_of(obj)):
        return False
    return fields is None or fields.matches(obj, namespace=namespace)


class MemoryTarget:
    """Applies mutations over ``base`` in memory; see the module docstring.

    ``tolerate_reruns=False`` answers as a kube-apiserver does (a second create is
    AlreadyExists, a stale resourceVersion a Conflict); see
    :attr:`~mom.apply.semantics.WriteContext.tolerate_reruns`.
    """

    def __init__(
        self,
        base: Snapshot,
        name: str = "memory",
        *,
        clock: Callable[[], datetime],
        tolerate_reruns: bool = True,
        on_change: ChangeListener | None = None,
    ) -> None:
        self.name = name
        self.base = base
        self._clock = clock
        self._tolerate_reruns = tolerate_reruns
        self._on_change = on_change
        self._lock = threading.Lock()
        self._written: dict[WrittenKey, Object | None] = {}
        self._touched: set[tuple[str, str]] = set()
        self._applied: set[str] = set()
        self._version = max(
            (
                int(v)
                for _, obj in base.objects()
                if (v := str(metadata_of(obj).get("resourceVersion", ""))).isdigit()
            ),
            default=0,
        )

    @property
    def discovery(self) -> Discovery:
        return self.base.discovery

    @property
    def resource_version(self) -> str:
        """The last resource version handed out (or the snapshot's highest)."""
        return str(self._version)

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        """One object, written ones first; :class:`NotFound` when absent or deleted."""
        key = _key(gvr, namespace, name)
        if key not in self._written:
            return self.base.get(gvr, namespace=namespace, name=name)
        obj = self._written[key]
        if obj is None:
            where = f" in namespace {namespace!r}" if key[2] else ""
            raise NotFound(f'{gvr.group_resource} "{key[3]}" not found{where}')
        return obj

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> list[Object]:
        """LIST over the snapshot and the writes; :class:`NotFound` for unknown resources."""
        if (gvr.group, gvr.resource) not in self._touched:
            return self.base.list(
                gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
            )
        result: list[Object] = []
        seen: set[WrittenKey] = set()
        for obj in self.base.list(gvr, namespace=namespace):
            scope = "" if gvr.is_namespaces else (namespace or namespace_of(obj))
            key = (gvr.group, gvr.resource, scope, name_of(obj))
            seen.add(key)
            current = self._written.get(key, obj)
            if current is not None and _selected(current, scope, label_selector, field_selector):
                result.append(current)
        for key, added in list(self._written.items()):
            group, resource, scope, _ = key
            if added is None or key in seen or (group, resource) != (gvr.group, gvr.resource):
                continue
            if (not namespace or scope == namespace) and _selected(
                added, scope, label_selector, field_selector
            ):
                result.append(added)
        return result

    def list_kind(self, gvr: GroupVersionResource) -> GroupVersionKind:
        return self.base.list_kind(gvr)

    def objects(self) -> Iterator[tuple[ObjectRef, Object]]:
        """Every object as it is now: the snapshot's, replaced or removed by the writes, then new ones."""
        seen: set[WrittenKey] = set()
        for ref, obj in self.base.objects():
            key = _key(ref.gvr, ref.namespace, ref.name)
            seen.add(key)
            now = self._written.get(key, obj)
            if now is not None:
                yield ref, now
        for (group, resource, namespace, name), added in list(self._written.items()):
            if added is not None and (group, resource, namespace, name) not in seen:
                gvr = GroupVersionResource(group, gvk_of(added).version, resource)
                yield ObjectRef(gvr, namespace, name), added

    def read(self) -> Snapshot:
        """The objects as they are now, as a snapshot of their own."""
        return Snapshot.from_objects(list(self.objects()), discovery=self.discovery)

    def is_applied(self, mutation_id: str) -> bool:
        return mutation_id in self._applied

    def apply(self, mutation_id: str, request: MutationRequest, *, dry_run: bool = False) -> ApplyResult:
        """Apply ``request`` once under ``mutation_id``; ``dry_run`` decides without storing."""
        with self._lock:
            if mutation_id in self._applied:
                return ApplyResult(mutation_id, Outcome.ALREADY_APPLIED, "already applied")
            try:
                body = request.body_document()
                name = object_name(request, body, mutation_id)
                current = self._current(request.gvr, request.namespace, name)
                version = str(self._version + 1)
                context = write_context(
                    mutation_id,
                    request,
                    self.discovery,
                    now=rfc3339(self._clock()),
                    resource_version=version,
                    tolerate_reruns=self._tolerate_reruns,
                )
                change = decide(request, body, current, context)
            except MomError as exc:
                return ApplyResult(mutation_id, Outcome.of_failure(exc), str(exc))
            result = ApplyResult(mutation_id, change.outcome, change.message, change.object)
            if dry_run or context.options.get("dryRun"):
                return result
            self._applied.add(mutation_id)
            if change.outcome is not Outcome.UNCHANGED:
                self._version += 1
                self._store(request.gvr, request.namespace, name, current, change.object)
            return result

    def apply_batch(self, items: Sequence[tuple[str, MutationRequest]]) -> builtins.list[ApplyResult]:
        """Apply many mutations in order, each seeing the ones before it."""
        return [self.apply(mutation_id, request) for mutation_id, request in items]

    def _current(self, gvr: GroupVersionResource, namespace: str, name: str) -> Object | None:
        try:
            return self.get(gvr, namespace=namespace, name=name)
        except NotFound:
            return None

    def _store(
        self, gvr: GroupVersionResource, namespace: str, name: str, old: Object | None, new: Object | None
    ) -> None:
        key = _key(gvr, namespace, name)
        self._written[key] = new
        self._touched.add((gvr.group, gvr.resource))
        if self._on_change is not None:
            self._on_change(gvr, key[2], old, new)
