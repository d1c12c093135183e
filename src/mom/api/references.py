"""References between objects in an ``input-resources`` document (FORMATS.md §3.2).

Owns: the three reference types (implicit-namespaced, explicit-namespaced, cluster-scoped),
:class:`ResourceReference`, and their strict reading, with every JSONPath expression parsed at
load time. All three types are valid (the Go code rejects two); the block matching ``type`` must
be present and the other two absent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput
from mom.api.resource_entries import TYPE_FIELDS, ExactResource, TypedResource, read_exact
from mom.api.values import Frozen
from mom.api.wire_reader import WireReader, field_path, quote

if TYPE_CHECKING:
    from mom.api.jsonpath import JsonPath

IMPLICIT_NAMESPACED = "ImplicitNamespacedReference"
EXPLICIT_NAMESPACED = "ExplicitNamespacedReference"
CLUSTER_SCOPED = "ClusterScopedReference"
REFERENCE_TYPES: tuple[str, ...] = (IMPLICIT_NAMESPACED, EXPLICIT_NAMESPACED, CLUSTER_SCOPED)
_REFERENCE_BODIES = {
    IMPLICIT_NAMESPACED: "implicitNamespacedReference",
    EXPLICIT_NAMESPACED: "explicitNamespacedReference",
    CLUSTER_SCOPED: "clusterScopedReference",
}


def _jsonpath(text: str) -> JsonPath:
    """``text`` parsed; the parser is imported by the first expression read or followed, so an
    operator run that declares references but never follows them does not load it."""
    from mom.api.jsonpath import parse_jsonpath

    return parse_jsonpath(text)


class ImplicitNamespacedReference(TypedResource):
    """Names found by ``name_json_path`` in the referring object, all in one fixed namespace."""

    namespace: str
    name_json_path: str

    __slots__ = ("name_json_path", "namespace")

    def __init__(self, group: str, version: str, resource: str, namespace: str, name_json_path: str) -> None:
        super().__init__(group, version, resource)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name_json_path", name_json_path)

    @property
    def name_path(self) -> JsonPath:
        return _jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {**self.type_wire(), "namespace": self.namespace, "nameJSONPath": self.name_json_path}


class ExplicitNamespacedReference(TypedResource):
    """Namespaces and names both found in the referring object by JSONPath."""

    namespace_json_path: str
    name_json_path: str

    __slots__ = ("name_json_path", "namespace_json_path")

    def __init__(
        self, group: str, version: str, resource: str, namespace_json_path: str, name_json_path: str
    ) -> None:
        super().__init__(group, version, resource)
        object.__setattr__(self, "namespace_json_path", namespace_json_path)
        object.__setattr__(self, "name_json_path", name_json_path)

    @property
    def namespace_path(self) -> JsonPath:
        return _jsonpath(self.namespace_json_path)

    @property
    def name_path(self) -> JsonPath:
        return _jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {
            **self.type_wire(),
            "namespaceJSONPath": self.namespace_json_path,
            "nameJSONPath": self.name_json_path,
        }


class ClusterScopedReference(TypedResource):
    """Names of cluster-scoped objects found by ``name_json_path`` in the referring object."""

    name_json_path: str

    __slots__ = ("name_json_path",)

    def __init__(self, group: str, version: str, resource: str, name_json_path: str) -> None:
        super().__init__(group, version, resource)
        object.__setattr__(self, "name_json_path", name_json_path)

    @property
    def name_path(self) -> JsonPath:
        return _jsonpath(self.name_json_path)

    def to_wire(self) -> dict[str, Any]:
        return {**self.type_wire(), "nameJSONPath": self.name_json_path}


class ResourceReference(Frozen):
    """One object (``referring_resource``) pointing at others; ``type`` says which block applies."""

    referring_resource: ExactResource
    type: str
    implicit_namespaced_reference: ImplicitNamespacedReference | None
    explicit_namespaced_reference: ExplicitNamespacedReference | None
    cluster_scoped_reference: ClusterScopedReference | None

    __slots__ = (
        "cluster_scoped_reference",
        "explicit_namespaced_reference",
        "implicit_namespaced_reference",
        "referring_resource",
        "type",
    )

    def __init__(
        self,
        referring_resource: ExactResource,
        type: str,
        implicit_namespaced_reference: ImplicitNamespacedReference | None = None,
        explicit_namespaced_reference: ExplicitNamespacedReference | None = None,
        cluster_scoped_reference: ClusterScopedReference | None = None,
    ) -> None:
        object.__setattr__(self, "referring_resource", referring_resource)
        object.__setattr__(self, "type", type)
        object.__setattr__(self, "implicit_namespaced_reference", implicit_namespaced_reference)
        object.__setattr__(self, "explicit_namespaced_reference", explicit_namespaced_reference)
        object.__setattr__(self, "cluster_scoped_reference", cluster_scoped_reference)

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
            _jsonpath(text)
        except ValueError as exc:
            reader.add(field_path(path, key), f"Invalid value: {quote(text)}: {exc}")
    return text


def _read_implicit(reader: WireReader, value: Any, path: str) -> ImplicitNamespacedReference | None:
    if value is None:
        return None
    doc = reader.mapping(value, path, (*TYPE_FIELDS, "namespace", "nameJSONPath"))
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
    doc = reader.mapping(value, path, (*TYPE_FIELDS, "namespaceJSONPath", "nameJSONPath"))
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
    doc = reader.mapping(value, path, (*TYPE_FIELDS, "nameJSONPath"))
    if doc is None:
        return None
    group, version, resource = _read_target_type(reader, doc, path)
    return ClusterScopedReference(group, version, resource, _read_path(reader, doc, "nameJSONPath", path))
