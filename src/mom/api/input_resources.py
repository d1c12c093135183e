"""The ``input-resources`` document: what an operator reads (FORMATS.md §3.2).

Owns: the frozen value types of the document, strict reading from the wire
(:meth:`InputResources.from_wire`, every problem reported at once with Kubernetes-style field
paths, JSONPath expressions parsed at load time) and writing back (:meth:`InputResources.to_wire`).

Wire names are the Go JSON tags. Differences from the Go proof of concept, on purpose:

* unknown fields are rejected (Go ignores them);
* all three reference types are valid, and the block matching ``type`` must be present
  while the other two must be absent (Go rejects two of the types and crashes on a missing block);
* ``generatedNameResources`` are validated; the older spelling ``generatedNameResource`` is
  accepted on read;
* ``labelSelector.matchExpressions`` are allowed (operators ``In``, ``NotIn``, ``Exists``,
  ``DoesNotExist``).

``to_wire`` prints what Go prints: both top-level keys and the three operand lists always,
empty lists and empty ``namespace`` of exact/generated/label-selected entries omitted, every
field of a reference block present.
"""

from __future__ import annotations

from typing import Any

from mom.api.errors import InvalidInput
from mom.api.references import (
    CLUSTER_SCOPED,
    EXPLICIT_NAMESPACED,
    IMPLICIT_NAMESPACED,
    REFERENCE_TYPES,
    ClusterScopedReference,
    ExplicitNamespacedReference,
    ImplicitNamespacedReference,
    ResourceReference,
    _read_reference,
)
from mom.api.resource_entries import (
    ExactResource,
    GeneratedNameResource,
    LabelSelectedResource,
    _read_exact,
    _read_generated,
    _read_label_selected,
    read_exact,
    read_generated,
)
from mom.api.values import Frozen
from mom.api.wire_reader import WireReader, field_path

__all__ = [
    "CLUSTER_SCOPED",
    "EXPLICIT_NAMESPACED",
    "IMPLICIT_NAMESPACED",
    "REFERENCE_TYPES",
    "ClusterScopedReference",
    "ExactResource",
    "ExplicitNamespacedReference",
    "GeneratedNameResource",
    "ImplicitNamespacedReference",
    "InputResources",
    "LabelSelectedResource",
    "OperandResourceList",
    "ResourceList",
    "ResourceReference",
    "read_exact",
    "read_generated",
]


class ResourceList(Frozen):
    """The four kinds of resource entries one list of inputs may hold."""

    exact_resources: tuple[ExactResource, ...]
    generated_name_resources: tuple[GeneratedNameResource, ...]
    label_selected_resources: tuple[LabelSelectedResource, ...]
    resource_references: tuple[ResourceReference, ...]

    __slots__ = (
        "exact_resources",
        "generated_name_resources",
        "label_selected_resources",
        "resource_references",
    )

    def __init__(
        self,
        exact_resources: tuple[ExactResource, ...] = (),
        generated_name_resources: tuple[GeneratedNameResource, ...] = (),
        label_selected_resources: tuple[LabelSelectedResource, ...] = (),
        resource_references: tuple[ResourceReference, ...] = (),
    ) -> None:
        object.__setattr__(self, "exact_resources", exact_resources)
        object.__setattr__(self, "generated_name_resources", generated_name_resources)
        object.__setattr__(self, "label_selected_resources", label_selected_resources)
        object.__setattr__(self, "resource_references", resource_references)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {}
        for key, entries in (
            ("exactResources", self.exact_resources),
            ("generatedNameResources", self.generated_name_resources),
            ("labelSelectedResources", self.label_selected_resources),
            ("resourceReferences", self.resource_references),
        ):
            if entries:
                wire[key] = [entry.to_wire() for entry in entries]
        return wire


NO_RESOURCES = ResourceList()
"""The empty list: what each list of a document defaults to."""


class OperandResourceList(Frozen):
    """The operand's inputs, one list per cluster type."""

    configuration_resources: ResourceList
    management_resources: ResourceList
    user_workload_resources: ResourceList

    __slots__ = ("configuration_resources", "management_resources", "user_workload_resources")

    def __init__(
        self,
        configuration_resources: ResourceList = NO_RESOURCES,
        management_resources: ResourceList = NO_RESOURCES,
        user_workload_resources: ResourceList = NO_RESOURCES,
    ) -> None:
        object.__setattr__(self, "configuration_resources", configuration_resources)
        object.__setattr__(self, "management_resources", management_resources)
        object.__setattr__(self, "user_workload_resources", user_workload_resources)

    def to_wire(self) -> dict[str, Any]:
        return {
            "configurationResources": self.configuration_resources.to_wire(),
            "managementResources": self.management_resources.to_wire(),
            "userWorkloadResources": self.user_workload_resources.to_wire(),
        }


NO_OPERAND_RESOURCES = OperandResourceList()
"""No operand inputs for any cluster type."""


class InputResources(Frozen):
    """The whole document. Only ``apply_configuration_resources`` is gathered as run input."""

    apply_configuration_resources: ResourceList
    operand_resources: OperandResourceList

    __slots__ = ("apply_configuration_resources", "operand_resources")

    def __init__(
        self,
        apply_configuration_resources: ResourceList = NO_RESOURCES,
        operand_resources: OperandResourceList = NO_OPERAND_RESOURCES,
    ) -> None:
        object.__setattr__(self, "apply_configuration_resources", apply_configuration_resources)
        object.__setattr__(self, "operand_resources", operand_resources)

    @classmethod
    def from_wire(cls, doc: Any, source: str) -> InputResources:
        """Read a decoded document; :class:`InvalidInput` lists every problem found."""
        reader = WireReader()
        top = reader.mapping(doc, "", ("applyConfigurationResources", "operandResources"))
        if top is None:
            raise InvalidInput(source, reader.problems)
        apply = _read_list(reader, top.get("applyConfigurationResources"), "applyConfigurationResources")
        operand_path = "operandResources"
        operand = reader.mapping(
            top.get(operand_path),
            operand_path,
            ("configurationResources", "managementResources", "userWorkloadResources"),
        )
        operand = operand or {}
        lists = [
            _read_list(reader, operand.get(key), field_path(operand_path, key))
            for key in ("configurationResources", "managementResources", "userWorkloadResources")
        ]
        if reader.problems:
            raise InvalidInput(source, reader.problems)
        return cls(apply, OperandResourceList(*lists))

    def to_wire(self) -> dict[str, Any]:
        return {
            "applyConfigurationResources": self.apply_configuration_resources.to_wire(),
            "operandResources": self.operand_resources.to_wire(),
        }


_LIST_KEYS = (
    "exactResources",
    "generatedNameResources",
    "generatedNameResource",
    "labelSelectedResources",
    "resourceReferences",
)


def _read_list(reader: WireReader, value: Any, path: str) -> ResourceList:
    doc = reader.mapping(value, path, _LIST_KEYS)
    if doc is None:
        return ResourceList()
    exact = [_read_exact(reader, item, here) for here, item in reader.items(doc, "exactResources", path)]
    generated_key = "generatedNameResources" if "generatedNameResources" in doc else "generatedNameResource"
    generated = [_read_generated(reader, item, here) for here, item in reader.items(doc, generated_key, path)]
    selected = [
        _read_label_selected(reader, item, here)
        for here, item in reader.items(doc, "labelSelectedResources", path)
    ]
    references = [
        _read_reference(reader, item, here) for here, item in reader.items(doc, "resourceReferences", path)
    ]
    return ResourceList(
        tuple(e for e in exact if e is not None),
        tuple(g for g in generated if g is not None),
        tuple(s for s in selected if s is not None),
        tuple(r for r in references if r is not None),
    )
