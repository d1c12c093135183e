"""Which objects an ``input-resources`` declaration could gather, judged without a cluster.

Owns: :func:`could_gather` (one object) and :func:`could_gather_any` (a LIST of a resource in a
namespace). Objects that exist are better judged by gathering them (:func:`gather_inputs`) and
looking; these answer for objects a source does not hold, where labels and referring objects are
unknown, so they lean towards "yes":

* an exact resource gathers its one object; a generated-name resource every object whose name
  starts with its prefix;
* a label-selected resource may gather any object of its resource in its namespace (every
  namespace when empty), since the labels of an absent object are unknown;
* a reference may gather any object of its target resource (in the target's namespace for an
  implicit-namespaced one), since the referring object decides the name.

:func:`holds` tells which case applies; :func:`is_declared` combines both: an object the source holds is declared when gathering found
it, an absent one when :func:`could_gather` says so. Resources compare by group and plural name;
the version is not part of an object's identity.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from mom.api.errors import MomError
from mom.api.input_resources import ImplicitNamespacedReference, InputResources
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.inputs.gather import Identity, identity_of
from mom.mustgather.reader import ClusterReader


def holds(source: ClusterReader, ref: ObjectRef) -> bool:
    """Whether ``source`` has the object ``ref`` (an unreadable one counts as absent)."""
    try:
        source.get(ref.gvr, namespace=ref.namespace, name=ref.name)
    except MomError:
        return False
    return True


def is_declared(
    spec: InputResources, gathered: Collection[Identity], ref: ObjectRef, *, exists: bool
) -> bool:
    """Whether ``spec`` covers ``ref``: gathered when the source holds it, else possibly gathered."""
    return identity_of(ref) in gathered if exists else could_gather(spec, ref)


def could_gather(spec: InputResources, ref: ObjectRef) -> bool:
    """Whether ``spec`` declares ``ref`` or a set of objects ``ref`` may belong to."""
    resources = spec.apply_configuration_resources
    if any(
        _same(e.gvr, ref.gvr) and (e.namespace, e.name) == (ref.namespace, ref.name)
        for e in resources.exact_resources
    ):
        return True
    if any(
        _same(g.gvr, ref.gvr) and _in_namespace(g.namespace, ref.namespace) and ref.name.startswith(g.name)
        for g in resources.generated_name_resources
    ):
        return True
    return any(
        _same(gvr, ref.gvr) and _in_namespace(namespace, ref.namespace) for gvr, namespace in _open_sets(spec)
    )


def could_gather_any(spec: InputResources, gvr: GroupVersionResource, namespace: str) -> bool:
    """Whether ``spec`` may gather some object of ``gvr`` in ``namespace`` ("" is every namespace)."""
    resources = spec.apply_configuration_resources
    named = [(e.gvr, e.namespace) for e in resources.exact_resources]
    named += [(g.gvr, g.namespace) for g in resources.generated_name_resources]
    return any(
        _same(declared, gvr) and (not namespace or _in_namespace(declared_namespace, namespace))
        for declared, declared_namespace in (*named, *_open_sets(spec))
    )


def _open_sets(spec: InputResources) -> Iterator[tuple[GroupVersionResource, str]]:
    """Resource and namespace ("" for any) of the declarations whose members are not named."""
    resources = spec.apply_configuration_resources
    for selected in resources.label_selected_resources:
        yield selected.gvr, selected.namespace
    for reference in resources.resource_references:
        target = reference.target
        yield target.gvr, target.namespace if isinstance(target, ImplicitNamespacedReference) else ""


def _same(a: GroupVersionResource, b: GroupVersionResource) -> bool:
    return (a.group, a.resource) == (b.group, b.resource)


def _in_namespace(declared: str, actual: str) -> bool:
    return not declared or declared == actual


__all__ = ["could_gather", "could_gather_any", "holds", "is_declared"]
