"""Gathering an operator's declared inputs from a source (a must-gather snapshot or a live cluster).

Owns: :class:`GatheredInputs` and :func:`gather_inputs`, which reads any
:class:`~mom.mustgather.reader.ClusterReader`.

Semantics (only ``applyConfigurationResources`` are gathered; operand resources are not inputs):

* exact resources: one GET each;
* generated-name resources: every object of the resource in the namespace whose name starts
  with the declared prefix (empty namespace: every namespace);
* label-selected resources: a LIST with the selector (``matchLabels`` and
  ``matchExpressions``); empty namespace means every namespace and cluster scope;
* references, in declaration order: the referring object is gathered, then the names (and, for
  explicit references, namespaces) its JSONPath expressions select are fetched. Explicit
  references pair namespaces and names element by element; a single namespace applies to every
  name; any other count mismatch is reported. References are then followed to a fixed point:
  every gathered referenced object is itself scanned by each reference that names it as
  ``referringResource``; a visited set stops cycles.

Only what is declared is gathered: a Namespace object is an input when it is declared, never
because an object of its namespace was gathered.

A source that cannot be read (a tree file mom refuses: :class:`InvalidInput`) fails the whole
gathering. Nothing missing is an error: declared objects that are not there, unknown resources, objects
stored in another version, and references whose JSONPath finds nothing usable are described in
:attr:`GatheredInputs.missing`. A JSONPath that selects null or ``""`` names nothing and is not
reported. Objects are de-duplicated by group, resource, namespace and name (first one wins) and
keep the order they were gathered in: exact, generated-name, label-selected, then referring and
referenced objects, each in declaration order (the order the Go pruner writes them in).
"""

from __future__ import annotations

import builtins
from collections import deque

from mom.api.errors import InvalidInput, MomError, NotFound
from mom.api.input_resources import (
    ClusterScopedReference,
    ExplicitNamespacedReference,
    ImplicitNamespacedReference,
    InputResources,
    ResourceReference,
)
from mom.api.jsonpath import JsonPath, JsonPathNoMatch
from mom.api.resources import GroupVersionResource, ObjectRef, name_of, namespace_of
from mom.api.values import Frozen
from mom.mustgather.reader import ClusterReader, Object, ResourceCatalog
from mom.mustgather.selectors import LabelSelector

Identity = tuple[str, str, str, str]
"""group, resource, namespace, name: what makes two gathered objects the same object."""


class GatheredInputs(Frozen):
    """The objects gathered, in gathering order, and what was declared but not found."""

    objects: tuple[tuple[ObjectRef, Object], ...]
    missing: tuple[str, ...]

    __slots__ = ("missing", "objects")

    def __init__(
        self, objects: tuple[tuple[ObjectRef, Object], ...] = (), missing: tuple[str, ...] = ()
    ) -> None:
        object.__setattr__(self, "objects", objects)
        object.__setattr__(self, "missing", missing)

    def refs(self) -> builtins.list[ObjectRef]:
        return [ref for ref, _ in self.objects]


def identity_of(ref: ObjectRef) -> Identity:
    return (ref.gvr.group, ref.gvr.resource, ref.namespace, ref.name)


class _Gatherer:
    def __init__(self, source: ClusterReader) -> None:
        self.source = source
        self.objects: dict[Identity, tuple[ObjectRef, Object]] = {}
        self.missing: builtins.list[str] = []

    def keep(self, ref: ObjectRef, obj: Object) -> bool:
        """Add ``obj`` unless already gathered; True when it is new."""
        key = identity_of(ref)
        if key in self.objects:
            return False
        self.objects[key] = (ref, _with_type(obj, ref.gvr, self.source.discovery))
        return True

    def fetch(self, ref: ObjectRef, origin: str) -> Object | None:
        key = identity_of(ref)
        if key in self.objects:
            return self.objects[key][1]
        try:
            obj = self.source.get(ref.gvr, namespace=ref.namespace, name=ref.name)
        except NotFound:
            self.missing.append(f"{_describe(ref)} ({origin}): not found")
            return None
        except InvalidInput:
            raise  # the source itself is bad (a file of the tree): nothing gathered from it is trusted
        except MomError as exc:
            self.missing.append(f"{_describe(ref)} ({origin}): {exc}")
            return None
        self.keep(ref, obj)
        return obj

    def select(
        self,
        gvr: GroupVersionResource,
        namespace: str,
        selector: LabelSelector | None,
        origin: str,
        name_prefix: str = "",
    ) -> None:
        try:
            found = self.source.list(gvr, namespace=namespace, label_selector=selector)
        except InvalidInput:
            raise
        except MomError as exc:
            self.missing.append(f"{gvr} ({origin}): {exc}")
            return
        info = self.source.discovery.resource_info(gvr)
        namespaced = info.namespaced if info is not None else bool(namespace)
        for obj in found:
            name = name_of(obj)
            if name and name.startswith(name_prefix):
                self.keep(ObjectRef(gvr, (namespace or namespace_of(obj)) if namespaced else "", name), obj)


def gather_inputs(source: ClusterReader, spec: InputResources) -> GatheredInputs:
    """Everything ``spec.apply_configuration_resources`` declares, as found in ``source``."""
    gatherer = _Gatherer(source)
    resources = spec.apply_configuration_resources
    prefix = "applyConfigurationResources"
    for index, exact in enumerate(resources.exact_resources):
        gatherer.fetch(exact.ref, f"{prefix}.exactResources[{index}]")
    for index, generated in enumerate(resources.generated_name_resources):
        origin = f"{prefix}.generatedNameResources[{index}]"
        gatherer.select(generated.gvr, generated.namespace, None, origin, name_prefix=generated.name)
    for index, selected in enumerate(resources.label_selected_resources):
        origin = f"{prefix}.labelSelectedResources[{index}]"
        try:
            selector = LabelSelector.from_match(selected.match_labels, selected.match_expressions)
        except MomError as exc:
            gatherer.missing.append(f"{selected.gvr} ({origin}): {exc}")
            continue
        gatherer.select(selected.gvr, selected.namespace, selector, origin)
    _follow_references(gatherer, resources.resource_references, f"{prefix}.resourceReferences")
    return GatheredInputs(tuple(gatherer.objects.values()), tuple(gatherer.missing))


def _follow_references(gatherer: _Gatherer, references: tuple[ResourceReference, ...], prefix: str) -> None:
    """Each declared reference in order, then what the objects it reached refer to, to a fixed point."""
    by_referrer: dict[Identity, builtins.list[tuple[int, ResourceReference]]] = {}
    for index, reference in enumerate(references):
        by_referrer.setdefault(identity_of(reference.referring_resource.ref), []).append((index, reference))
    reached: deque[ObjectRef] = deque()
    for index, reference in enumerate(references):
        referrer = reference.referring_resource.ref
        obj = gatherer.fetch(referrer, f"{prefix}[{index}].referringResource")
        if obj is not None:
            reached.extend(_fetch_targets(gatherer, reference, obj, referrer, f"{prefix}[{index}]"))
    scanned = set(by_referrer)
    while reached:
        ref = reached.popleft()
        key = identity_of(ref)
        if key in scanned:
            continue
        scanned.add(key)
        obj = gatherer.objects[key][1]
        for index, reference in by_referrer.get(key, []):
            reached.extend(_fetch_targets(gatherer, reference, obj, ref, f"{prefix}[{index}]"))


def _fetch_targets(
    gatherer: _Gatherer, reference: ResourceReference, obj: Object, referrer: ObjectRef, origin: str
) -> builtins.list[ObjectRef]:
    """Fetch what ``reference`` selects in ``obj``; the refs that were found."""
    return [
        target
        for target in _targets(gatherer, reference, obj, origin)
        if gatherer.fetch(target, f"referenced by {referrer}") is not None
    ]


def _targets(
    gatherer: _Gatherer, reference: ResourceReference, obj: Object, origin: str
) -> builtins.list[ObjectRef]:
    target = reference.target
    gvr = target.gvr
    if isinstance(target, ImplicitNamespacedReference):
        names = _names(gatherer, target.name_path, obj, f"{origin}.implicitNamespacedReference.nameJSONPath")
        return [ObjectRef(gvr, target.namespace, name) for name in names]
    if isinstance(target, ClusterScopedReference):
        names = _names(gatherer, target.name_path, obj, f"{origin}.clusterScopedReference.nameJSONPath")
        return [ObjectRef(gvr, "", name) for name in names]
    return _explicit_targets(gatherer, target, obj, origin)


def _explicit_targets(
    gatherer: _Gatherer, target: ExplicitNamespacedReference, obj: Object, origin: str
) -> builtins.list[ObjectRef]:
    where = f"{origin}.explicitNamespacedReference"
    namespaces = _names(gatherer, target.namespace_path, obj, f"{where}.namespaceJSONPath", keep_empty=True)
    names = _names(gatherer, target.name_path, obj, f"{where}.nameJSONPath", keep_empty=True)
    if len(namespaces) == 1:
        namespaces = namespaces * len(names)
    if len(namespaces) != len(names):
        gatherer.missing.append(
            f"{where}: {len(namespaces)} namespaces for {len(names)} names in {name_of(obj)!r}:"
            " cannot pair them"
        )
        return []
    return [
        ObjectRef(target.gvr, namespace, name)
        for namespace, name in zip(namespaces, names, strict=True)
        if name
    ]


def _names(
    gatherer: _Gatherer, path: JsonPath, obj: Object, origin: str, *, keep_empty: bool = False
) -> builtins.list[str]:
    """Strings ``path`` selects in ``obj``; problems are reported, nulls and empty strings skipped."""
    try:
        values = path.evaluate(obj)
    except JsonPathNoMatch as exc:
        gatherer.missing.append(f"{origin} {path.text!r} in {name_of(obj)!r}: {exc}")
        return []
    if path.definite and values and isinstance(values[0], builtins.list):
        values = values[0]
    names: builtins.list[str] = []
    for value in values:
        if isinstance(value, str) and (value or keep_empty):
            names.append(value)
        elif value is None and keep_empty:
            names.append("")
        elif value is not None and not isinstance(value, str):
            gatherer.missing.append(
                f"{origin} {path.text!r} in {name_of(obj)!r}: selected a {type(value).__name__}, not a name"
            )
    return names


def _with_type(obj: Object, gvr: GroupVersionResource, discovery: ResourceCatalog) -> Object:
    """``obj`` with ``apiVersion`` and ``kind`` filled in from discovery when it lacks them."""
    if obj.get("apiVersion") and obj.get("kind"):
        return obj
    info = discovery.resource_info(gvr)
    typed = dict(obj)
    typed.setdefault("apiVersion", gvr.api_version)
    if info is not None and not typed.get("kind"):
        typed["kind"] = info.kind
    return typed


def _describe(ref: ObjectRef) -> str:
    return str(ref)


__all__ = ["GatheredInputs", "gather_inputs", "identity_of"]
