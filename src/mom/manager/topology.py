"""Topology: which physical cluster each cluster type goes to, and the namespace mapping.

Standalone: Configuration, Management and UserWorkload are one cluster, nothing is renamed.
HyperShift: namespaced Management objects of an operand namespace go to the management cluster,
into the hosted control plane namespace (``clusters-<name>``), named by the instance's rule
(:mod:`mom.manager.mapping`). Management objects of the instance's guest namespaces
(``openshift-config-managed`` by default) go to the guest cluster; a Management object in any
other namespace has no place and is refused. Cluster-scoped objects have no per-hosted-cluster
home on the management cluster, so cluster-scoped Management objects stay with the hosted
cluster, as do UserWorkload and Configuration: they go to the guest cluster.

Reads come from where the writes go, never from a fallback: an object of an operand namespace
is read from the hosted control plane namespace, unless the operator declares it a UserWorkload
or Configuration output (it writes that object to the guest's namespace of the same name, so it
reads it there); every other namespace and every cluster-scoped object is read from the guest.
The Namespace object of an operand namespace reads as the hosted control plane namespace, which
HyperShift owns: writing it is refused.

Two objects of one run that would land on one name are a collision: both are refused. Under the
``KeepName`` rule, objects of different operand namespaces (or of another instance) may also
meet across runs: a mapped write to an object that belongs to another operand namespace, or that
another writer claimed earlier in the tick, is refused for that second writer (:class:`Claims`).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping

from mom.api.cluster import ClusterType
from mom.api.errors import MomError, NotFound
from mom.api.output_resources import OutputResources
from mom.api.resources import NAMESPACES, GroupVersionResource, copy_value, metadata_of
from mom.api.values import Frozen
from mom.manager.mapping import ORIGIN_ANNOTATION, NamespaceMapper
from mom.manager.specs import InstanceSpec, TopologyKind
from mom.mustgather.discovery import Discovery
from mom.mustgather.reader import Object
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml

__all__ = ["ORIGIN_ANNOTATION", "Claims", "HostedView", "RoutedMutation", "Topology", "find_collisions"]


Identity = tuple[str, str, str, str]
"""(group, resource, namespace, name) of an object as the operator addresses it."""

Place = tuple[str, str, str, str]
"""(cluster, group/resource, namespace, name) of an object on a physical cluster."""


class RoutedMutation(Frozen):
    cluster_type: ClusterType
    cluster: str
    request: MutationRequest
    original: MutationRequest

    __slots__ = ("cluster", "cluster_type", "original", "request")

    def __init__(
        self, cluster_type: ClusterType, cluster: str, request: MutationRequest, original: MutationRequest
    ) -> None:
        object.__setattr__(self, "cluster_type", cluster_type)
        object.__setattr__(self, "cluster", cluster)
        object.__setattr__(self, "request", request)
        object.__setattr__(self, "original", original)


class Topology(Frozen):
    instance: InstanceSpec

    __slots__ = ("instance",)

    def __init__(self, instance: InstanceSpec) -> None:
        object.__setattr__(self, "instance", instance)

    @property
    def hypershift(self) -> bool:
        return self.instance.topology is TopologyKind.HYPERSHIFT

    @property
    def mapper(self) -> NamespaceMapper:
        instance = self.instance
        return NamespaceMapper(
            instance.hosted_control_plane_namespace, instance.operand_namespaces, instance.namespace_mapping
        )

    @property
    def clusters(self) -> tuple[str, ...]:
        if self.hypershift:
            return (self.instance.management, self.instance.guest)
        return (self.instance.cluster,)

    def cluster_for(self, cluster_type: ClusterType, namespace: str = "") -> str:
        if not self.hypershift:
            return self.instance.cluster
        if self.maps(cluster_type, namespace):
            return self.instance.management
        return self.instance.guest

    def refusal(self, cluster_type: ClusterType, request: MutationRequest) -> str:
        """Why a mutation has no place in this topology, or ``""``."""
        if not self.hypershift:
            return ""
        instance, namespace = self.instance, request.namespace
        operands = instance.operand_namespaces
        if request.gvr.is_namespaces and (request.name or namespace) in operands:
            return (
                f"namespace {request.name or namespace} is an operand namespace of hosted cluster "
                f"{instance.name}: it is read as {instance.hosted_control_plane_namespace} on the "
                "management cluster, which mom does not write"
            )
        if not namespace or request.gvr.is_namespaces:
            return ""
        if cluster_type is ClusterType.MANAGEMENT:
            if namespace in operands:
                return self.mapper.too_long(request.gvr, namespace, request.name, request.generate_name)
            if namespace not in instance.guest_namespaces:
                return (
                    f"namespace {namespace} is not an operand namespace, nor a guest namespace, of "
                    f"hosted cluster {instance.name}: it has no place in the topology"
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
        """Where one allowed mutation goes, with its namespace and name mapped for that cluster."""
        cluster = self.cluster_for(cluster_type, request.namespace)
        if not self.maps(cluster_type, request.namespace):
            return RoutedMutation(cluster_type, cluster, request, request)
        from dataclasses import replace  # a run's outputs only: a quiet tick routes nothing

        mapper, origin = self.mapper, request.namespace
        target = self.instance.hosted_control_plane_namespace
        renamed = replace(
            request,
            namespace=target,
            name=mapper.name(origin, request.name),
            generate_name=mapper.name(origin, request.generate_name),
            decoded_body=None,
        )
        if not request.action.is_patch and request.body:
            document = copy_value(request.body_document())
            if isinstance(document, dict) and document.get("kind") != "DeleteOptions":
                mapper.map_object(document, origin)
                body = dump_go_yaml(document).encode()
                mapped = replace(renamed, body=body, decoded_body=document)
                return RoutedMutation(cluster_type, cluster, mapped, request)
        mapped = renamed
        return RoutedMutation(cluster_type, cluster, mapped, request)

    # The way in

    def input_source(self, snapshots: Mapping[str, Snapshot]) -> Snapshot | HostedView:
        """A standalone-shaped read-only view of this instance's clusters."""
        if not self.hypershift:
            return snapshots[self.instance.cluster]
        return HostedView(self.instance, snapshots[self.instance.management], snapshots[self.instance.guest])

    def guest_objects(self, outputs: OutputResources) -> frozenset[Identity]:
        """Objects of operand namespaces that ``outputs`` write to the guest: read from there too."""
        if not self.hypershift:
            return frozenset()
        return frozenset(
            (resource.group, resource.resource, resource.namespace, resource.name)
            for declared in (outputs.user_workload_resources, outputs.configuration_resources)
            for resource in declared.exact_resources
            if resource.namespace in self.instance.operand_namespaces
        )


def find_collisions(routed: Iterable[RoutedMutation]) -> dict[int, str]:
    """Indexes of routed mutations that land on one object from different origins, with why."""
    seen: dict[tuple[str, GroupVersionResource, str, str], tuple[int, str]] = {}
    collisions: dict[int, str] = {}
    for index, item in enumerate(routed):
        request = item.request
        name = request.name or request.generate_name
        unversioned = GroupVersionResource(request.gvr.group, "", request.gvr.resource)
        key = (item.cluster, unversioned, request.namespace, name)
        origin = item.original.namespace
        if key in seen and seen[key][1] != origin:
            first, first_origin = seen[key]
            reason = (
                f"namespace mapping collision: {first_origin}/{name} and {origin}/{name} both map to "
                f"{request.namespace}/{name} on cluster {item.cluster} (namespaceMapping: Flatten "
                "keeps them apart)"
            )
            collisions[first] = reason
            collisions[index] = reason
        else:
            seen.setdefault(key, (index, origin))
    return collisions


class Claims:
    """Who writes which object in one tick, so a second writer cannot take over the first's.

    A writer is an instance and the namespace its operator addressed. A write is refused when
    the object already on the cluster belongs to another operand namespace (its origin, read by
    the instance's rule), when another writer wrote the same object earlier in the tick, or when
    a write that is not mapped lands in some hosted cluster's control plane namespace.
    """

    def __init__(self, instances: Iterable[InstanceSpec], snapshots: Mapping[str, Snapshot]) -> None:
        self._snapshots = snapshots
        self._owners: dict[Place, tuple[str, str]] = {}
        self._control_planes = {
            (i.management, i.hosted_control_plane_namespace): i.name
            for i in instances
            if i.topology is TopologyKind.HYPERSHIFT
        }

    def claim(self, topology: Topology, routed: RoutedMutation) -> str:
        """Record ``routed`` as its writer's, or say why another writer owns its object."""
        request = routed.request
        name = request.name or request.generate_name
        writer = (topology.instance.name, routed.original.namespace)
        mapped = topology.maps(routed.cluster_type, routed.original.namespace)
        control_plane = self._control_planes.get((routed.cluster, request.namespace))
        if not mapped and control_plane is not None:
            return (
                f"namespace {request.namespace} on cluster {routed.cluster} is the hosted control plane "
                f"namespace of instance {control_plane}: only its own operand namespaces map there"
            )
        if not request.name:
            return ""  # a generated name is new: nobody else's object
        place = (routed.cluster, request.gvr.group_resource, request.namespace, name)
        owner = self._owners.get(place)
        if owner is None and mapped:
            owner = self._owner_on_cluster(topology, routed)
        if owner is not None and owner != writer:
            return (
                f"{request.gvr.group_resource} {request.namespace}/{name} on cluster {routed.cluster} "
                f"belongs to {owner[1]} of instance {owner[0]}; {writer[1]} of instance {writer[0]} may "
                "not write it"
            )
        self._owners[place] = writer
        return ""

    def _owner_on_cluster(self, topology: Topology, routed: RoutedMutation) -> tuple[str, str] | None:
        request = routed.request
        snapshot = self._snapshots.get(routed.cluster)
        if snapshot is None:
            return None
        try:
            existing = snapshot.get(request.gvr, namespace=request.namespace, name=request.name)
        except MomError:  # absent, or stored under another version: the write itself will tell
            return None
        origin = topology.mapper.origin(existing)
        return (topology.instance.name, origin[0] if origin else "")


class HostedView:
    """A hosted cluster as its operators expect to see it: operand namespaces un-mapped, read from
    the hosted control plane namespace, except ``guest_objects``; everything else from the guest."""

    def __init__(
        self,
        instance: InstanceSpec,
        management: Snapshot,
        guest: Snapshot,
        guest_objects: frozenset[Identity] = frozenset(),
        discovery: Discovery | None = None,
    ) -> None:
        self._instance = instance
        self._operands = instance.operand_namespaces
        self._management = management
        self._guest = guest
        self._guest_objects = guest_objects
        self._hcp = instance.hosted_control_plane_namespace
        self._mapper = Topology(instance).mapper
        self.discovery = discovery or guest.discovery.merged_over(management.discovery)

    def reading_from_guest(self, guest_objects: frozenset[Identity]) -> HostedView:
        """The same view, reading ``guest_objects`` (of operand namespaces) from the guest."""
        if guest_objects == self._guest_objects:
            return self
        return HostedView(self._instance, self._management, self._guest, guest_objects, self.discovery)

    def _in_guest(self, gvr: GroupVersionResource, namespace: str, name: str) -> bool:
        return (gvr.group, gvr.resource, namespace, name) in self._guest_objects

    def _operand_namespace(self, name: str) -> Object:
        hcp = self._management.get(NAMESPACES, name=self._hcp)
        return {**hcp, "metadata": {**metadata_of(hcp), "name": name}}

    def get(self, gvr: GroupVersionResource, *, namespace: str = "", name: str) -> Object:
        if gvr.is_namespaces and (name or namespace) in self._operands:
            return self._operand_namespace(name or namespace)
        if namespace not in self._operands or self._in_guest(gvr, namespace, name):
            return self._guest.get(gvr, namespace=namespace, name=name)
        obj = self._management.get(gvr, namespace=self._hcp, name=self._mapper.name(namespace, name))
        if self._mapper.origin(obj) != (namespace, name):
            raise NotFound(f'{gvr.group_resource} "{name}" not found in namespace {namespace!r}')
        return self._mapper.unmap_object(obj, namespace, name)

    def list(
        self,
        gvr: GroupVersionResource,
        *,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        operands = self._operands
        if gvr.is_namespaces:
            return self._list_namespaces(gvr, label_selector, field_selector)
        if namespace and namespace not in operands:
            return self._guest.list(
                gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
            )
        mapped = []
        for obj in self._management.list(gvr, namespace=self._hcp, label_selector=label_selector):
            origin = self._mapper.origin(obj)
            if origin is not None and (origin[0] == namespace or (not namespace and origin[0] in operands)):
                mapped.append(self._mapper.unmap_object(obj, *origin))
        if field_selector is not None:
            mapped = [obj for obj in mapped if field_selector.matches(obj)]
        guest = self._guest.list(
            gvr, namespace=namespace, label_selector=label_selector, field_selector=field_selector
        )
        return [obj for obj in guest if self._read_from_guest(gvr, obj)] + mapped

    def _read_from_guest(self, gvr: GroupVersionResource, obj: Object) -> bool:
        metadata = metadata_of(obj)
        namespace, name = str(metadata.get("namespace", "")), str(metadata.get("name", ""))
        return namespace not in self._operands or self._in_guest(gvr, namespace, name)

    def _list_namespaces(
        self,
        gvr: GroupVersionResource,
        label_selector: LabelSelector | None,
        field_selector: FieldSelector | None,
    ) -> builtins.list[Object]:
        guest = [
            obj
            for obj in self._guest.list(gvr, label_selector=label_selector, field_selector=field_selector)
            if metadata_of(obj).get("name") not in self._operands
        ]
        try:
            operands = [self._operand_namespace(name) for name in self._operands]
        except NotFound:
            return guest
        labelled = [o for o in operands if label_selector is None or label_selector.matches(_labels(o))]
        return guest + [o for o in labelled if field_selector is None or field_selector.matches(o)]


def _labels(obj: Object) -> dict[str, str]:
    labels = metadata_of(obj).get("labels")
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, dict) else {}
