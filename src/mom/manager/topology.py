"""Topology: which physical cluster each cluster type goes to, and the namespace mapping.

Standalone: Configuration, Management and UserWorkload are one cluster, nothing is renamed.
HyperShift: namespaced Management objects go to the management cluster, their operand
namespace mapped into the hosted control plane namespace (``clusters-<name>``); a Management
object in a namespace that is not one of the instance's operand namespaces has no place there
and is refused. Cluster-scoped objects have no per-hosted-cluster home on the management
cluster, so cluster-scoped Management objects stay with the hosted cluster, as do UserWorkload
and Configuration: they go to the guest cluster. The mapping is applied to mutations on the
way out and inverted on the way in, so an operator always sees a standalone-shaped world.
Reads of an operand namespace see the hosted control plane namespace and, behind it, the guest
cluster's namespace of the same name.

Many operand namespaces share one hosted-control-plane namespace, so the way back needs to
know where an object came from: objects mom maps out carry the annotation
``mom.openshift.io/operand-namespace``; objects without it (created by someone else) are
read as living in the first operand namespace. Two objects that would land on one name are a
collision: both are refused, never silently overwritten.
"""

from __future__ import annotations

import builtins
import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from mom.api.cluster import ClusterType
from mom.api.errors import NotFound
from mom.api.resources import GroupVersionResource, metadata_of
from mom.manager.config import InstanceSpec, TopologyKind
from mom.manifest.requests import MutationRequest
from mom.manifest.selectors import FieldSelector, LabelSelector
from mom.manifest.store import Snapshot
from mom.serialization import dump_go_yaml

ORIGIN_ANNOTATION = "mom.openshift.io/operand-namespace"

Object = dict[str, Any]


@dataclass(frozen=True)
class RoutedMutation:
    cluster_type: ClusterType
    cluster: str
    request: MutationRequest
    original: MutationRequest


@dataclass(frozen=True)
class Topology:
    instance: InstanceSpec

    @property
    def hypershift(self) -> bool:
        return self.instance.topology is TopologyKind.HYPERSHIFT

    @property
    def clusters(self) -> tuple[str, ...]:
        if self.hypershift:
            return (self.instance.management, self.instance.guest)
        return (self.instance.cluster,)

    def cluster_for(self, cluster_type: ClusterType, namespace: str = "") -> str:
        if not self.hypershift:
            return self.instance.cluster
        if cluster_type is ClusterType.MANAGEMENT and namespace:
            return self.instance.management
        return self.instance.guest

    def refusal(self, cluster_type: ClusterType, request: MutationRequest) -> str:
        """Why a mutation has no place in this topology, or ``""``."""
        namespace = request.namespace
        mapped = self.hypershift and cluster_type is ClusterType.MANAGEMENT and bool(namespace)
        if mapped and namespace not in self.instance.operand_namespaces:
            return (
                f"namespace {namespace} is not an operand namespace of hosted cluster "
                f"{self.instance.name}: it has no place on the management cluster"
            )
        return ""

    def maps(self, cluster_type: ClusterType, namespace: str) -> bool:
        return (
            self.hypershift
            and cluster_type is ClusterType.MANAGEMENT
            and namespace in self.instance.operand_namespaces
        )

    # The way out

    def route(self, cluster_type: ClusterType, request: MutationRequest) -> RoutedMutation:
        """Where one allowed mutation goes, with its namespace mapped for that cluster."""
        cluster = self.cluster_for(cluster_type, request.namespace)
        if not self.maps(cluster_type, request.namespace):
            return RoutedMutation(cluster_type, cluster, request, request)
        target = self.instance.hosted_control_plane_namespace
        body = request.body
        if not request.action.is_patch and request.body:
            document = copy.deepcopy(request.body_document())
            if isinstance(document, dict) and document.get("kind") != "DeleteOptions":
                _relocate(document, request.namespace, target)
                body = dump_go_yaml(document).encode()
                mapped = replace(request, namespace=target, body=body, decoded_body=document)
                return RoutedMutation(cluster_type, cluster, mapped, request)
        mapped = replace(request, namespace=target, body=body, decoded_body=None)
        return RoutedMutation(cluster_type, cluster, mapped, request)

    # The way in

    def input_source(self, snapshots: Mapping[str, Snapshot]) -> Snapshot | HostedView:
        """A standalone-shaped read-only view of this instance's clusters."""
        if not self.hypershift:
            return snapshots[self.instance.cluster]
        return HostedView(self.instance, snapshots[self.instance.management], snapshots[self.instance.guest])


def find_collisions(routed: Iterable[RoutedMutation]) -> dict[int, str]:
    """Indexes of routed mutations that land on one object from different origins, with why."""
    seen: dict[tuple[str, GroupVersionResource, str, str], tuple[int, str]] = {}
    collisions: dict[int, str] = {}
    for index, item in enumerate(routed):
        request = item.request
        name = request.name or request.generate_name
        key = (item.cluster, replace(request.gvr, version=""), request.namespace, name)
        origin = item.original.namespace
        if key in seen and seen[key][1] != origin:
            first, first_origin = seen[key]
            reason = (
                f"namespace mapping collision: {first_origin}/{name} and {origin}/{name} both map to "
                f"{request.namespace}/{name} on cluster {item.cluster}"
            )
            collisions[first] = reason
            collisions[index] = reason
        else:
            seen.setdefault(key, (index, origin))
    return collisions


def _relocate(document: Object, origin: str, target: str) -> None:
    metadata = document.setdefault("metadata", {})
    metadata["namespace"] = target
    annotations = metadata.get("annotations") or {}
    metadata["annotations"] = {**annotations, ORIGIN_ANNOTATION: origin}
    involved = document.get("involvedObject")
    if isinstance(involved, dict) and involved.get("namespace") == origin:
        involved["namespace"] = target


class HostedView:
    """A hosted cluster as its operators expect to see it: operand namespaces un-mapped."""

    def __init__(self, instance: InstanceSpec, management: Snapshot, guest: Snapshot) -> None:
        self._instance = instance
        self._management = management
        self._guest = guest
        self._hcp = instance.hosted_control_plane_namespace
        self.discovery = guest.discovery.merged_over(management.discovery)

    def _origin(self, obj: Object) -> str:
        annotations = metadata_of(obj).get("annotations")
        if isinstance(annotations, dict) and annotations.get(ORIGIN_ANNOTATION):
            return str(annotations[ORIGIN_ANNOTATION])
        return self._instance.operand_namespaces[0]

    def _unmap(self, obj: Object, namespace: str) -> Object:
        """``obj`` as it appears in its operand namespace. Snapshot objects are read-only, so
        only the parts that change are copied: the object and its metadata."""
        metadata = {**metadata_of(obj), "namespace": namespace}
        view = {**obj, "metadata": metadata}
        annotations = metadata.get("annotations")
        if isinstance(annotations, dict) and ORIGIN_ANNOTATION in annotations:
            rest = {k: v for k, v in annotations.items() if k != ORIGIN_ANNOTATION}
            if rest:
                metadata["annotations"] = rest
            else:
                del metadata["annotations"]
        return view

    def get(self, gvr: GroupVersionResource, namespace: str, name: str) -> Object:
        if gvr.is_namespaces and name in self._instance.operand_namespaces:
            hcp = self._management.get(gvr, "", self._hcp)
            return {**hcp, "metadata": {**metadata_of(hcp), "name": name}}
        if namespace not in self._instance.operand_namespaces:
            return self._guest.get(gvr, namespace, name)
        try:
            obj = self._management.get(gvr, self._hcp, name)
        except NotFound:
            return self._guest.get(gvr, namespace, name)
        if self._origin(obj) != namespace:
            return self._guest.get(gvr, namespace, name)
        return self._unmap(obj, namespace)

    def list(
        self,
        gvr: GroupVersionResource,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        operands = self._instance.operand_namespaces
        if namespace and namespace not in operands:
            return self._guest.list(gvr, namespace, label_selector, field_selector)
        mapped = [
            self._unmap(obj, origin)
            for obj in self._management.list(gvr, self._hcp, label_selector)
            if (origin := self._origin(obj)) == namespace or (not namespace and origin in operands)
        ]
        if field_selector is not None:
            mapped = [obj for obj in mapped if field_selector.matches(obj)]
        guest = self._guest.list(gvr, namespace, label_selector, field_selector)
        return guest + mapped
