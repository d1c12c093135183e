"""The ``output-resources`` document: everything an operator may write (FORMATS.md §3.4).

Owns: :class:`OutputResources` (one :class:`OutputResourceList` per cluster type), strict
reading and writing of the wire form, and :func:`output_matches`, the rule deciding whether one
write is allowed by one list.

Wire names are the Go JSON tags. ``version`` is optional here (it is never compared); the older
spelling ``generatedNameResource`` is accepted on read. ``to_wire`` prints the three lists
always and omits empty lists and empty namespaces, as Go does.

Matching differs from the Go proof of concept in one place, on purpose: a generated-name entry
also matches a named object whose name starts with the entry's prefix, so updates, patches and
deletes of an object created from ``generateName`` are allowed, as the Go type promises but
never implemented.
"""

from __future__ import annotations

from typing import Any

from mom.api.cluster import ClusterType
from mom.api.errors import InvalidInput
from mom.api.input_resources import ExactResource, GeneratedNameResource, read_exact, read_generated
from mom.api.values import Frozen
from mom.api.wire_reader import WireReader, field_path

_LIST_KEYS = ("exactResources", "generatedNameResources", "generatedNameResource", "eventingNamespaces")
_CLUSTER_KEYS = {
    ClusterType.CONFIGURATION: "configurationResources",
    ClusterType.MANAGEMENT: "managementResources",
    ClusterType.USER_WORKLOAD: "userWorkloadResources",
}
_EVENT_GROUPS = ("", "events.k8s.io")


class OutputResourceList(Frozen):
    """What an operator may write to one cluster type."""

    exact_resources: tuple[ExactResource, ...]
    generated_name_resources: tuple[GeneratedNameResource, ...]
    eventing_namespaces: tuple[str, ...]

    __slots__ = ("eventing_namespaces", "exact_resources", "generated_name_resources")

    def __init__(
        self,
        exact_resources: tuple[ExactResource, ...] = (),
        generated_name_resources: tuple[GeneratedNameResource, ...] = (),
        eventing_namespaces: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "exact_resources", exact_resources)
        object.__setattr__(self, "generated_name_resources", generated_name_resources)
        object.__setattr__(self, "eventing_namespaces", eventing_namespaces)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {}
        if self.exact_resources:
            wire["exactResources"] = [entry.to_wire() for entry in self.exact_resources]
        if self.generated_name_resources:
            wire["generatedNameResources"] = [entry.to_wire() for entry in self.generated_name_resources]
        if self.eventing_namespaces:
            wire["eventingNamespaces"] = list(self.eventing_namespaces)
        return wire


NOTHING_WRITTEN = OutputResourceList()
"""The empty list: what each cluster type's list of a document defaults to."""


class OutputResources(Frozen):
    """The whole document: one list per cluster type."""

    configuration_resources: OutputResourceList
    management_resources: OutputResourceList
    user_workload_resources: OutputResourceList

    __slots__ = ("configuration_resources", "management_resources", "user_workload_resources")

    def __init__(
        self,
        configuration_resources: OutputResourceList = NOTHING_WRITTEN,
        management_resources: OutputResourceList = NOTHING_WRITTEN,
        user_workload_resources: OutputResourceList = NOTHING_WRITTEN,
    ) -> None:
        object.__setattr__(self, "configuration_resources", configuration_resources)
        object.__setattr__(self, "management_resources", management_resources)
        object.__setattr__(self, "user_workload_resources", user_workload_resources)

    def for_cluster_type(self, cluster_type: ClusterType) -> OutputResourceList:
        return {
            ClusterType.CONFIGURATION: self.configuration_resources,
            ClusterType.MANAGEMENT: self.management_resources,
            ClusterType.USER_WORKLOAD: self.user_workload_resources,
        }[cluster_type]

    @classmethod
    def from_wire(cls, doc: Any, source: str) -> OutputResources:
        """Read a decoded document; :class:`InvalidInput` lists every problem found."""
        reader = WireReader()
        top = reader.mapping(doc, "", _CLUSTER_KEYS.values())
        if top is None:
            raise InvalidInput(source, reader.problems)
        lists = [_read_list(reader, top.get(key), key) for key in _CLUSTER_KEYS.values()]
        if reader.problems:
            raise InvalidInput(source, reader.problems)
        return cls(*lists)

    def to_wire(self) -> dict[str, Any]:
        return {key: self.for_cluster_type(cluster).to_wire() for cluster, key in _CLUSTER_KEYS.items()}


def _read_list(reader: WireReader, value: Any, path: str) -> OutputResourceList:
    doc = reader.mapping(value, path, _LIST_KEYS)
    if doc is None:
        return OutputResourceList()
    exact = [
        read_exact(reader, item, here, version_required=False)
        for here, item in reader.items(doc, "exactResources", path)
    ]
    generated_key = "generatedNameResources" if "generatedNameResources" in doc else "generatedNameResource"
    generated = [
        read_generated(reader, item, here, version_required=False)
        for here, item in reader.items(doc, generated_key, path)
    ]
    namespaces = reader.strings(doc, "eventingNamespaces", path)
    if len(set(namespaces)) != len(namespaces):
        reader.add(field_path(path, "eventingNamespaces"), "Duplicate value: a namespace is listed twice")
    return OutputResourceList(
        tuple(e for e in exact if e is not None),
        tuple(g for g in generated if g is not None),
        namespaces,
    )


def output_matches(
    resources: OutputResourceList,
    *,
    gvr_group: str,
    resource: str,
    namespace: str,
    name: str,
    generate_name: str,
) -> bool:
    """Whether a write of this identity is allowed by ``resources`` (version is not compared).

    * events (core or ``events.k8s.io``) in an eventing namespace: allowed, whatever the name;
    * an exact entry: the write has no ``generateName`` and group, resource, namespace and
      name are equal;
    * a generated-name entry: group, resource and namespace are equal and either the write has
      no name and its ``generateName`` equals the entry's, or the write's name starts with it.
    """
    if resource == "events" and gvr_group in _EVENT_GROUPS and namespace in resources.eventing_namespaces:
        return True
    for exact in resources.exact_resources:
        if (
            not generate_name
            and exact.group == gvr_group
            and exact.resource == resource
            and exact.namespace == namespace
            and exact.name == name
        ):
            return True
    for generated in resources.generated_name_resources:
        if generated.group != gvr_group or generated.resource != resource or generated.namespace != namespace:
            continue
        if not generated.name:
            continue
        if (not name and generate_name == generated.name) or (name and name.startswith(generated.name)):
            return True
    return False
