"""Values written out on the :mod:`mom.api.values` bases behave as the dataclasses they replace."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from mom.api.cluster import Action
from mom.api.resource_entries import ExactResource, LabelSelectedResource, TypedResource
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.api.values import Frozen, OrderedFrozen
from mom.mustgather.layout import TreeScan
from mom.mutationdir.requests import MutationRequest

CONFIG_MAPS = GroupVersionResource("", "v1", "configmaps")


@dataclass(frozen=True, slots=True, order=True)
class _Kind:
    group: str
    version: str
    kind: str


@dataclass(frozen=True, slots=True)
class _Selected:
    group: str
    version: str
    resource: str
    namespace: str
    label_selector: dict[str, Any] = field(default_factory=dict, hash=False)


def test_equality_hash_and_repr_are_a_frozen_dataclass_s() -> None:
    kind = GroupVersionKind("apps", "v1", "Deployment")
    twin = _Kind("apps", "v1", "Deployment")
    assert kind == GroupVersionKind("apps", "v1", "Deployment")
    assert kind != GroupVersionKind("apps", "v1", "StatefulSet")
    assert kind != twin, "values of different classes are never equal"
    assert hash(kind) == hash(twin)
    assert repr(kind) == repr(twin).replace("_Kind", "GroupVersionKind")
    assert len({kind, GroupVersionKind("apps", "v1", "Deployment")}) == 1


def test_ordering_is_by_fields_in_declaration_order() -> None:
    kinds = [("b", "v1", "A"), ("a", "v2", "Z"), ("a", "v1", "Z"), ("a", "v1", "B")]
    assert [(k.group, k.version, k.kind) for k in sorted(GroupVersionKind(*k) for k in kinds)] == [
        (k.group, k.version, k.kind) for k in sorted(_Kind(*k) for k in kinds)
    ]
    assert GroupVersionKind("a", "v1", "A") <= GroupVersionKind("a", "v1", "A")
    with pytest.raises(TypeError):
        _ = GroupVersionKind("a", "v1", "A") < _Kind("a", "v1", "A")  # type: ignore[operator]


def test_unordered_values_do_not_sort() -> None:
    with pytest.raises(TypeError):
        _ = ExactResource("", "v1", "configmaps", "ns", "a") < ExactResource(
            "", "v1", "configmaps", "ns", "b"
        )  # type: ignore[operator]


def test_a_subclass_adds_its_fields_after_its_base_s() -> None:
    exact = ExactResource("", "v1", "configmaps", "ns", "a")
    assert (
        repr(exact)
        == "ExactResource(group='', version='v1', resource='configmaps', namespace='ns', name='a')"
    )
    assert exact != TypedResource("", "v1", "configmaps")


def test_an_unhashed_field_is_compared_but_not_hashed() -> None:
    one = LabelSelectedResource("", "v1", "pods", "ns", {"matchLabels": {"a": "b"}})
    other = LabelSelectedResource("", "v1", "pods", "ns", {"matchLabels": {"a": "c"}})
    assert one != other
    assert hash(one) == hash(other) == hash(_Selected("", "v1", "pods", "ns"))
    assert LabelSelectedResource("", "v1", "pods", "ns").label_selector == {}


def test_a_value_cannot_be_changed() -> None:
    kind = GroupVersionKind("apps", "v1", "Deployment")
    with pytest.raises(AttributeError, match="cannot assign to field 'kind'"):
        kind.kind = "StatefulSet"  # type: ignore[misc]
    with pytest.raises(AttributeError, match="cannot delete field 'kind'"):
        del kind.kind  # type: ignore[misc]
    with pytest.raises(AttributeError):
        kind.extra = 1  # type: ignore[attr-defined]


def test_slots_must_name_exactly_the_fields() -> None:
    with pytest.raises(TypeError, match="__slots__ must list exactly the annotated fields"):

        class _Wrong(OrderedFrozen):
            a: int
            __slots__ = ("b",)

    class _Right(Frozen):
        a: int
        __slots__ = ("a",)

        def __init__(self, a: int) -> None:
            object.__setattr__(self, "a", a)

    assert repr(_Right(1)) == "test_slots_must_name_exactly_the_fields.<locals>._Right(a=1)"


def test_dataclasses_replace_makes_a_changed_copy() -> None:
    gvr = GroupVersionResource("apps", "v1", "deployments")
    changed = replace(gvr, version="")
    assert changed == GroupVersionResource("apps", "", "deployments")
    assert gvr.version == "v1"
    with pytest.raises(TypeError):
        replace(gvr, kind="Deployment")


def test_uncompared_fields_are_neither_compared_hashed_nor_shown() -> None:
    recorded = MutationRequest(Action.CREATE, CONFIG_MAPS, "ns", "a", "", None, b"x", decoded_body={"a": 1})
    other = replace(recorded, decoded_body={"b": 2})
    assert recorded == other and hash(recorded) == hash(other)
    assert other.decoded_body == {"b": 2}
    assert "decoded_body" not in repr(recorded)


def test_a_mutable_value_compares_but_does_not_hash() -> None:
    scan = TreeScan([], [])
    assert scan == TreeScan([], [])
    scan.problems.append(("f", "bad"))
    assert scan != TreeScan([], [])
    with pytest.raises(TypeError):
        hash(scan)


def test_values_copy_deep_copy_and_pickle_like_dataclasses() -> None:
    import copy
    import pickle

    selected = LabelSelectedResource("", "v1", "pods", "ns", {"matchLabels": {"a": "b"}})
    for value in (GroupVersionKind("apps", "v1", "Deployment"), selected):
        for twin in (copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))):
            assert twin == value and type(twin) is type(value)
    deep = copy.deepcopy(selected)
    assert deep.label_selector is not selected.label_selector
    with pytest.raises(AttributeError):
        deep.name = "other"  # type: ignore[misc]
