"""The one read protocol of a cluster, and the one type of the objects it holds.

Owns: :data:`Object` (a Kubernetes object as a plain dict), :class:`ResourceCatalog` (what
kind and scope a resource has), :class:`ClusterReader` (GET and LIST) and
:class:`ServedReader` (a reader a transport serves as a kube-apiserver: its lists carry their
kind and a resource version). A snapshot of a
must-gather (:class:`mom.mustgather.store.Snapshot`), a tree read on demand, a live cluster and
the views the manager and the server build over them all read through this protocol, so
anything that gathers or inspects objects takes a :class:`ClusterReader`.

The namespace, name and selectors are keyword-only, so an argument order can never be
confused: ``reader.get(gvr, namespace="ns", name="n")``; a cluster-scoped object (and a
Namespace) is ``reader.get(gvr, name="n")``. ``get`` raises :class:`~mom.api.errors.NotFound`
when the object is absent; ``list`` of a resource the reader does not know raises it too, and
an empty namespace means every namespace (and cluster scope).
"""

from __future__ import annotations

import builtins
from typing import TYPE_CHECKING, Any, Protocol

from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.mustgather.discovery import Discovery, ResourceInfo

if TYPE_CHECKING:
    from mom.mustgather.selectors import FieldSelector, LabelSelector

Object = dict[str, Any]
"""A Kubernetes object as decoded JSON; readers share them, so callers copy before changing one."""


class ResourceCatalog(Protocol):
    """Kind and scope of the resources a reader serves."""

    def resource_info(self, gvr: GroupVersionResource) -> ResourceInfo | None: ...


class ClusterReader(Protocol):
    """A read-only cluster: GET one object, LIST objects by namespace and selectors."""

    @property
    def discovery(self) -> ResourceCatalog: ...

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object: ...

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]: ...


class ServedReader(ClusterReader, Protocol):
    """A reader served as a kube-apiserver: full discovery, and what a LIST response carries."""

    @property
    def discovery(self) -> Discovery: ...

    @property
    def resource_version(self) -> str:
        """The version lists are at (empty for a snapshot that never changes)."""
        ...

    def list_kind(self, gvr: GroupVersionResource) -> GroupVersionKind: ...


__all__ = ["ClusterReader", "Object", "ResourceCatalog", "ServedReader"]
