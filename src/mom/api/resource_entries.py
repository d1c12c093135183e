"""Entries of resource lists: exact, generated-name and label-selected resources.

Owns: the frozen value types shared by the ``input-resources`` and ``output-resources``
documents, and their strict reading from the wire (every problem collected with its field
path by :class:`~mom.api.wire_reader.WireReader`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.api.values import Frozen
from mom.api.wire_reader import WireReader, field_path, quote

_SELECTOR_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")
TYPE_FIELDS = ("group", "version", "resource")


class TypedResource(Frozen):
    """What every entry names first: a resource, by group, version and plural name."""

    group: str
    version: str
    resource: str

    __slots__ = ("group", "resource", "version")

    def __init__(self, group: str, version: str, resource: str) -> None:
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "version", version)
        object.__setattr__(self, "resource", resource)

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.resource)

    def type_wire(self) -> dict[str, Any]:
        return {"group": self.group, "version": self.version, "resource": self.resource}


class _NamedResource(TypedResource):
    """Objects of a resource named in one namespace (empty for cluster-scoped objects)."""

    namespace: str
    name: str

    __slots__ = ("name", "namespace")

    def __init__(self, group: str, version: str, resource: str, namespace: str, name: str) -> None:
        super().__init__(group, version, resource)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)

    def to_wire(self) -> dict[str, Any]:
        return _identity_wire(self.group, self.version, self.resource, self.namespace, "name", self.name)


class ExactResource(_NamedResource):
    """One object by name; ``namespace`` is empty for cluster-scoped objects."""

    __slots__ = ()

    WIRE_FIELDS: ClassVar[tuple[str, ...]] = (*TYPE_FIELDS, "namespace", "name")

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
    def ref(self) -> ObjectRef:
        return ObjectRef(self.gvr, self.namespace, self.name)


class GeneratedNameResource(_NamedResource):
    """Objects created with ``generateName``: ``name`` holds that prefix."""

    __slots__ = ()


class LabelSelectedResource(TypedResource):
    """Objects of a resource whose labels match; empty ``namespace`` means every namespace.

    ``label_selector`` is the wire ``metav1.LabelSelector`` (``matchLabels``, ``matchExpressions``).
    """

    namespace: str
    label_selector: Mapping[str, Any]

    _unhashed = ("label_selector",)
    __slots__ = ("label_selector", "namespace")

    def __init__(
        self,
        group: str,
        version: str,
        resource: str,
        namespace: str,
        label_selector: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(group, version, resource)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "label_selector", {} if label_selector is None else label_selector)

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


def _identity_wire(
    group: str, version: str, resource: str, namespace: str, name_key: str, name: str
) -> dict[str, Any]:
    wire: dict[str, Any] = {"group": group, "version": version, "resource": resource}
    if namespace:
        wire["namespace"] = namespace
    if name_key:
        wire[name_key] = name
    return wire


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
    doc = reader.mapping(value, path, (*TYPE_FIELDS, "namespace", "labelSelector"))
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
