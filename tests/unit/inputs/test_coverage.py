"""What an input-resources declaration could gather, for objects a must-gather does not hold.

Covers: an exact resource covers its one object and no other name or namespace; a
generated-name resource covers names with its prefix in its namespace; a label-selected
resource covers any object of its resource in its namespace (any namespace when empty); an
implicit-namespaced reference covers objects of its target resource in its namespace, an
explicit one in any namespace; the version never matters; a LIST of a resource in a namespace
is covered by any of these that reaches there; a held object counts as declared only when
gathering found it.
"""

from __future__ import annotations

from mom.api.input_resources import (
    ExactResource,
    GeneratedNameResource,
    ImplicitNamespacedReference,
    InputResources,
    LabelSelectedResource,
    ResourceList,
    ResourceReference,
)
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.inputs.coverage import could_gather, could_gather_any, is_declared
from mom.inputs.gather import identity_of

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
PODS = GroupVersionResource("", "v1", "pods")
ROUTES = GroupVersionResource("route.openshift.io", "v1", "routes")
OAUTH = ExactResource.config("oauths")


def declaration(
    exact_resources: tuple[ExactResource, ...] = (),
    generated_name_resources: tuple[GeneratedNameResource, ...] = (),
    label_selected_resources: tuple[LabelSelectedResource, ...] = (),
    resource_references: tuple[ResourceReference, ...] = (),
) -> InputResources:
    resources = ResourceList(
        exact_resources, generated_name_resources, label_selected_resources, resource_references
    )
    return InputResources(apply_configuration_resources=resources)


def test_exact_resources_cover_only_their_object() -> None:
    spec = declaration(exact_resources=(ExactResource.configmap("demo", "settings"), OAUTH))
    assert could_gather(spec, ObjectRef(CONFIGMAPS, "demo", "settings"))
    assert could_gather(spec, ObjectRef(GroupVersionResource("", "v2", "configmaps"), "demo", "settings"))
    assert not could_gather(spec, ObjectRef(CONFIGMAPS, "demo", "other"))
    assert not could_gather(spec, ObjectRef(CONFIGMAPS, "elsewhere", "settings"))
    assert not could_gather(spec, ObjectRef(SECRETS, "demo", "settings"))
    assert could_gather(spec, ObjectRef(OAUTH.gvr, "", "cluster"))


def test_generated_names_cover_their_prefix() -> None:
    spec = declaration(
        generated_name_resources=(GeneratedNameResource("", "v1", "pods", "etcd", "etcd-guard-"),)
    )
    assert could_gather(spec, ObjectRef(PODS, "etcd", "etcd-guard-master-0"))
    assert not could_gather(spec, ObjectRef(PODS, "etcd", "etcd-master-0"))
    assert not could_gather(spec, ObjectRef(PODS, "other", "etcd-guard-master-0"))


def test_label_selected_and_referenced_resources_may_cover_unseen_objects() -> None:
    selected = LabelSelectedResource("", "v1", "secrets", "", {"matchLabels": {"app": "x"}})
    reference = ResourceReference.implicit(
        ExactResource("route.openshift.io", "v1", "routes", "demo", "main"),
        ImplicitNamespacedReference("", "v1", "configmaps", "demo", ".spec.name"),
    )
    spec = declaration(label_selected_resources=(selected,), resource_references=(reference,))
    assert could_gather(spec, ObjectRef(SECRETS, "anywhere", "any"))
    assert could_gather(spec, ObjectRef(CONFIGMAPS, "demo", "whatever"))
    assert not could_gather(spec, ObjectRef(CONFIGMAPS, "elsewhere", "whatever"))
    assert not could_gather(spec, ObjectRef(ROUTES, "demo", "other"))


def test_lists_are_covered_by_whatever_reaches_their_namespace() -> None:
    spec = declaration(exact_resources=(ExactResource.configmap("demo", "settings"),))
    assert could_gather_any(spec, CONFIGMAPS, "demo")
    assert could_gather_any(spec, CONFIGMAPS, "")
    assert not could_gather_any(spec, CONFIGMAPS, "elsewhere")
    assert not could_gather_any(spec, SECRETS, "demo")


def test_held_objects_count_only_when_gathered() -> None:
    spec = declaration(label_selected_resources=(LabelSelectedResource("", "v1", "secrets", "demo", {}),))
    held = ObjectRef(SECRETS, "demo", "unlabelled")
    assert not is_declared(spec, set(), held, exists=True)
    assert is_declared(spec, {identity_of(held)}, held, exists=True)
    assert is_declared(spec, set(), held, exists=False)
