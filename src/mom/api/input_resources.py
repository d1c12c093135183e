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

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from mom.api.errors import InvalidInput
from mom.api.jsonpath import JsonPath, parse_jsonpath
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.api.wire_reader import WireReader, field_path, quote

IMPLICIT_NAMESPACED = "ImplicitNamespacedReference"
EXPLICIT_NAMESPACED = "ExplicitNamespacedReference"
CLUSTER_SCOPED = "ClusterScopedReference"
REFERENCE_TYPES: tuple[str, ...] = (IMPLICIT_NAMESPACED, EXPLICIT_NAMESPACED, CLUSTER_SCOPED)
_REFERENCE_BODIES = {
    IMPLICIT_NAMESPACED: "implicitNamespacedReference",
    EXPLICIT_NAMESPACED: "explicitNamespacedReference",
    CLUSTER_SCOPED: "clusterScopedReference",
}
_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
_TYPE_FIELDS = ("group", "version", "resource")


@dataclass(frozen=True, slots=True)
class ExactResource:
    """One object by name; ``namespace`` is empty for cluster-scoped objects."""

    group: str
    version: str
    resource: str
    namespace: str
    name: str

    WIRE_FIELDS: ClassVar[tuple[str, ...]] = (*_TYPE_FIELDS, "namespace", "name")

    @classmethod
    def configmap(cls, namespace: str, name: str) -> ExactResource:
        return cls("", "v1", "configmaps", namespace, name)

    @classmethod
    def secret(cls, namespace: str, name: str) -> ExactResource:
        return cls("", "v1", "secrets", namespace, name)

    @classmethod
    def config(cls, resource: str, name: str = "cluster") -> ExactResource:
        """A ``config.openshift.io/v1`` singleton such as ``ingresses cluster``."""
        return cls("config.openshift.io", "v1", resource, "", name)

    @classmethod
    def operator(cls, resource: str, name: str = "cluster") -> ExactResource:
        """An ``operator.openshift.io/v1`` singleton such as ``authentications cluster``."""
        return cls("operator.openshift.io", "v1", resource, "", name)

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    @property
    def ref(self) -> ObjectRef:
        return ObjectRef(self.gvr, self.namespace, self.name)

    def to_wire(self) -> dict[str, Any]:
        return _identity_wire(self.group, self.version, self.resource, self.namespace, "name", self.name)


@dataclass(frozen=True, slots=True)
class GeneratedNameResource:
    """Objects created with ``generateName``: ``name`` holds that prefix."""

    group: str
    version: str
    resource: str
    namespace: str
    name: str

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    def to_wire(self) -> dict[str, Any]:
        return _identity_wire(self.group, self.version, self.resource, self.namespace, "name", self.name)


@dataclass(frozen=True, slots=True)
class LabelSelectedResource:
    """Objects of a resource whose labels match; empty ``namespace`` means every namespace.

    ``label_selector`` is the wire ``metav1.LabelSelector`` (``matchLabels``, ``matchExpressions``).
    """

    group: str
    version: str
    resource: str
    namespace: str
    label_selector: Mapping[str, Any] = field(default_factory=dict, hash=False)

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    @property
    def match_labels(self) -> dict[str, str]:
        return dict(self.label_selector.get("matchLabels") or {})

    @property
    def match_expressions(self) -> list[dict[str, Any]]:
        return [dict(e) for e in self.label_selector.get("matchExpressions") or []]

    def to_wire(self) -> dict[str, Any]:
        wire = _identity_wire(self.group, self.version, self.resource, self.namespace, "", "")
        selector: dict[str, Any] = {}
        if self.match_labels:
            selector["matchLabels"] = self.match_labels
        if self.match_expressions:
            selector["matchExpressions"] = self.match_expressions
        wire["labelSelector"] = selector
        return wire


@dataclass(frozen=True, slots=True)
class ImplicitNamespacedReference:
    """Names found by ``name_json_path`` in the referring object, all in one fixed namespace."""

    group: str
    version: str
    resource: str
    namespace: str
    name_json_path: str

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    @property
    def name_path(self) -> JsonPath:
        return parse_jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {**_type_wire(self), "namespace": self.namespace, "nameJSONPath": self.name_json_path}


@dataclass(frozen=True, slots=True)
class ExplicitNamespacedReference:
    """Namespaces and names both found in the referring object by JSONPath."""

    group: str
    version: str
    resource: str
    namespace_json_path: str
    name_json_path: str

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    @property
    def namespace_path(self) -> JsonPath:
        return parse_jsonpath(self.namespace_json_path)

    @property
    def name_path(self) -> JsonPath:
        return parse_jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {
            **_type_wire(self),
            "namespaceJSONPath": self.namespace_json_path,
            "nameJSONPath": self.name_json_path,
        }


@dataclass(frozen=True, slots=True)
class ClusterScopedReference:
    """Names of cluster-scoped objects found by ``name_json_path`` in the referring object."""

    group: str
    version: str
    resource: str
    name_json_path: str

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    @property
    def name_path(self) -> JsonPath:
        return parse_jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {**_type_wire(self), "nameJSONPath": self.name_json_path}


@dataclass(frozen=True, slots=True)
class ResourceReference:
    """One object (``referring_resource``) pointing at others; ``type`` says which block applies."""

    referring_resource: ExactResource
    type: str
    implicit_namespaced_reference: ImplicitNamespacedReference | None = None
    explicit_namespaced_reference: ExplicitNamespacedReference | None = None
    cluster_scoped_reference: ClusterScopedReference | None = None

    @classmethod
    def implicit(cls, referring: ExactResource, target: ImplicitNamespacedReference) -> ResourceReference:
        return cls(referring, IMPLICIT_NAMESPACED, implicit_namespaced_reference=target)

    @classmethod
    def explicit(cls, referring: ExactResource, target: ExplicitNamespacedReference) -> ResourceReference:
        return cls(referring, EXPLICIT_NAMESPACED, explicit_namespaced_reference=target)

    @classmethod
    def cluster_scoped(cls, referring: ExactResource, target: ClusterScopedReference) -> ResourceReference:
        return cls(referring, CLUSTER_SCOPED, cluster_scoped_reference=target)

    @property
    def target(self) -> ImplicitNamespacedReference | ExplicitNamespacedReference | ClusterScopedReference:
        """The block ``type`` names (documents read by ``from_wire`` always have it)."""
        target = {
            IMPLICIT_NAMESPACED: self.implicit_namespaced_reference,
            EXPLICIT_NAMESPACED: self.explicit_namespaced_reference,
            CLUSTER_SCOPED: self.cluster_scoped_reference,
        }.get(self.type)
        if target is None:
            raise InvalidInput("resourceReference", [f"type {self.type!r} without its reference block"])
        return target

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"referringResource": self.referring_resource.to_wire(), "type": self.type}
        if self.explicit_namespaced_reference is not None:
            wire["explicitNamespacedReference"] = self.explicit_namespaced_reference.to_wire()
        if self.implicit_namespaced_reference is not None:
            wire["implicitNamespacedReference"] = self.implicit_namespaced_reference.to_wire()
        if self.cluster_scoped_reference is not None:
            wire["clusterScopedReference"] = self.cluster_scoped_reference.to_wire()
        return wire


@dataclass(frozen=True, slots=True)
class ResourceList:
    exact_resources: tuple[ExactResource, ...] = ()
    generated_name_resources: tuple[GeneratedNameResource, ...] = ()
    label_selected_resources: tuple[LabelSelectedResource, ...] = ()
    resource_references: tuple[ResourceReference, ...] = ()

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


@dataclass(frozen=True, slots=True)
class OperandResourceList:
    configuration_resources: ResourceList = ResourceList()
    management_resources: ResourceList = ResourceList()
    user_workload_resources: ResourceList = ResourceList()

    def to_wire(self) -> dict[str, Any]:
        return {
            "configurationResources": self.configuration_resources.to_wire(),
            "managementResources": self.management_resources.to_wire(),
            "userWorkloadResources": self.user_workload_resources.to_wire(),
        }


@dataclass(frozen=True, slots=True)
class InputResources:
    """The whole document. Only ``apply_configuration_resources`` is gathered as run input."""

    apply_configuration_resources: ResourceList = ResourceList()
    operand_resources: OperandResourceList = OperandResourceList()

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


# --- wire helpers -------------------------------------------------------------------------


def _type_wire(target: Any) -> dict[str, Any]:
    return {"group": target.group, "version": target.version, "resource": target.resource}


def _identity_wire(
    group: str, version: str, resource: str, namespace: str, name_key: str, name: str
) -> dict[str, Any]:
    wire: dict[str, Any] = {"group": group, "version": version, "resource": resource}
    if namespace:
        wire["namespace"] = namespace
    if name_key:
        wire[name_key] = name
    return wire


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


def read_exact(
    reader: WireReader, value: Any, path: str, *, version_required: bool = True
) -> ExactResource | None:
    """One ``{group, version, resource, namespace?, name}`` entry (shared with output-resources)."""
    doc = reader.mapping(value, path, ExactResource.WIRE_FIELDS)
    if doc is None:
        return None
    return ExactResource(
        reader.string(doc, "group", path),
        reader.string(doc, "version", path, required=version_required),
        reader.string(doc, "resource", path, required=True),
        reader.string(doc, "namespace", path),
        reader.string(doc, "name", path, required=True),
    )


def read_generated(
    reader: WireReader, value: Any, path: str, *, version_required: bool = True
) -> GeneratedNameResource | None:
    """One generated-name entry; ``name`` is the generateName prefix."""
    exact = read_exact(reader, value, path, version_required=version_required)
    if exact is None:
        return None
    return GeneratedNameResource(exact.group, exact.version, exact.resource, exact.namespace, exact.name)


def _read_exact(reader: WireReader, value: Any, path: str) -> ExactResource | None:
    return read_exact(reader, value, path)


def _read_generated(reader: WireReader, value: Any, path: str) -> GeneratedNameResource | None:
    return read_generated(reader, value, path)


def _read_label_selected(reader: WireReader, value: Any, path: str) -> LabelSelectedResource | None:
    doc = reader.mapping(value, path, (*_TYPE_FIELDS, "namespace", "labelSelector"))
    if doc is None:
        return None
    group = reader.string(doc, "group", path)
    version = reader.string(doc, "version", path, required=True)
    resource = reader.string(doc, "resource", path, required=True)
    namespace = reader.string(doc, "namespace", path)
    selector = _read_selector(reader, doc.get("labelSelector"), field_path(path, "labelSelector"))
    return LabelSelectedResource(group, version, resource, namespace, selector)


def _read_selector(reader: WireReader, value: Any, path: str) -> dict[str, Any]:
    doc = reader.mapping(value, path, ("matchLabels", "matchExpressions"))
    if doc is None:
        return {}
    selector: dict[str, Any] = {}
    labels_path = field_path(path, "matchLabels")
    labels = reader.mapping(doc.get("matchLabels"), labels_path, None)
    if labels:
        for key, label in labels.items():
            if not isinstance(label, str):
                reader.add(f"{labels_path}[{key}]", f"Invalid value: {quote(label)}: must be a string")
        selector["matchLabels"] = {str(k): str(v) for k, v in labels.items()}
    expressions: list[dict[str, Any]] = []
    for here, item in reader.items(doc, "matchExpressions", path):
        expression = reader.mapping(item, here, ("key", "operator", "values"))
        if expression is None:
            continue
        key = reader.string(expression, "key", here, required=True)
        operator = reader.string(expression, "operator", here, required=True)
        values = reader.strings(expression, "values", here)
        if operator and operator not in _SELECTOR_OPERATORS:
            supported = ", ".join(quote(op) for op in _SELECTOR_OPERATORS)
            reader.add(
                field_path(here, "operator"),
                f"Unsupported value: {quote(operator)}: supported values: {supported}",
            )
        elif operator in ("In", "NotIn") and not values:
            reader.add(
                field_path(here, "values"), f"Required value: must be non-empty for operator {operator}"
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            reader.add(field_path(here, "values"), f"Forbidden: must be empty for operator {operator}")
        entry: dict[str, Any] = {"key": key, "operator": operator}
        if values:
            entry["values"] = list(values)
        expressions.append(entry)
    if expressions:
        selector["matchExpressions"] = expressions
    return selector


def _read_reference(reader: WireReader, value: Any, path: str) -> ResourceReference | None:
    doc = reader.mapping(value, path, ("referringResource", "type", *_REFERENCE_BODIES.values()))
    if doc is None:
        return None
    referring_path = field_path(path, "referringResource")
    if doc.get("referringResource") is None:
        reader.add(referring_path, "Required value: must be present")
    referring = read_exact(reader, doc.get("referringResource"), referring_path)
    kind = reader.string(doc, "type", path, required=True)
    if kind and kind not in REFERENCE_TYPES:
        supported = ", ".join(quote(t) for t in REFERENCE_TYPES)
        reader.add(
            field_path(path, "type"), f"Unsupported value: {quote(kind)}: supported values: {supported}"
        )
    bodies = {key: doc.get(body) for key, body in _REFERENCE_BODIES.items()}
    for key, body in bodies.items():
        body_path = field_path(path, _REFERENCE_BODIES[key])
        if key == kind and body is None:
            reader.add(body_path, f"Required value: must be present for type {quote(kind)}")
        elif key != kind and body is not None and kind in REFERENCE_TYPES:
            reader.add(body_path, f"Forbidden: must not be present for type {quote(kind)}")
    implicit = _read_implicit(
        reader, bodies[IMPLICIT_NAMESPACED], field_path(path, "implicitNamespacedReference")
    )
    explicit = _read_explicit(
        reader, bodies[EXPLICIT_NAMESPACED], field_path(path, "explicitNamespacedReference")
    )
    cluster = _read_cluster(reader, bodies[CLUSTER_SCOPED], field_path(path, "clusterScopedReference"))
    if referring is None:
        return None
    return ResourceReference(referring, kind, implicit, explicit, cluster)


def _read_target_type(reader: WireReader, doc: dict[str, Any], path: str) -> tuple[str, str, str]:
    return (
        reader.string(doc, "group", path),
        reader.string(doc, "version", path, required=True),
        reader.string(doc, "resource", path, required=True),
    )


def _read_path(reader: WireReader, doc: dict[str, Any], key: str, path: str) -> str:
    text = reader.string(doc, key, path, required=True)
    if text:
        try:
            parse_jsonpath(text)
        except ValueError as exc:
            reader.add(field_path(path, key), f"Invalid value: {quote(text)}: {exc}")
    return text


def _read_implicit(reader: WireReader, value: Any, path: str) -> ImplicitNamespacedReference | None:
    if value is None:
        return None
    doc = reader.mapping(value, path, (*_TYPE_FIELDS, "namespace", "nameJSONPath"))
    if doc is None:
        return None
    group, version, resource = _read_target_type(reader, doc, path)
    namespace = reader.string(doc, "namespace", path, required=True)
    return ImplicitNamespacedReference(
        group, version, resource, namespace, _read_path(reader, doc, "nameJSONPath", path)
    )


def _read_explicit(reader: WireReader, value: Any, path: str) -> ExplicitNamespacedReference | None:
    if value is None:
        return None
    doc = reader.mapping(value, path, (*_TYPE_FIELDS, "namespaceJSONPath", "nameJSONPath"))
    if doc is None:
        return None
    group, version, resource = _read_target_type(reader, doc, path)
    namespace_path = _read_path(reader, doc, "namespaceJSONPath", path)
    return ExplicitNamespacedReference(
        group, version, resource, namespace_path, _read_path(reader, doc, "nameJSONPath", path)
    )


def _read_cluster(reader: WireReader, value: Any, path: str) -> ClusterScopedReference | None:
    if value is None:
        return None
    doc = reader.mapping(value, path, (*_TYPE_FIELDS, "nameJSONPath"))
    if doc is None:
        return None
    group, version, resource = _read_target_type(reader, doc, path)
    return ClusterScopedReference(group, version, resource, _read_path(reader, doc, "nameJSONPath", path))
