"""What a non-convergence warning names: the fields that differ between runs, and who owns them.

Covers: JSON paths of differing fields (nested maps; keyed lists with the same items compared
item by item; added, removed or reordered items name the list; other lists and scalars as a
whole); field managers owning a path from ``managedFields`` the way kube-apiserver records
them (an atomic list owned whole, list-map items by key, a leaf holding the path); server-set
metadata never named; objects both runs wrote described with managers and controllers; inputs
the operator did not write itself described by field; the first run has nothing to compare.
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.manager.changes import differing_paths
from mom.manager.convergence import ConvergenceWatch, Write, field_managers

AUTH = ("local", "operator.openshift.io", "authentications", "", "cluster")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def condition(kind: str, status: str = "True") -> dict[str, str]:
    return {"type": kind, "status": status}


def authentication(conditions: list[Any], managed: list[Any], version: str = "1") -> dict[str, Any]:
    return {
        "apiVersion": "operator.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster", "resourceVersion": version, "managedFields": managed},
        "status": {"conditions": conditions},
    }


def test_differing_paths() -> None:
    before = {
        "spec": {"a": 1, "b": {"c": [1, 2]}},
        "status": {"conditions": [condition("A"), condition("B")]},
    }
    assert differing_paths(before, before) == []
    changed = {
        "spec": {"a": 2, "b": {"c": [2, 1]}, "new": True},
        "status": {"conditions": [condition("A"), condition("B", "False")]},
    }
    assert differing_paths(before, changed) == [
        ".spec.a", ".spec.b.c", ".spec.new", ".status.conditions[type=B].status",
    ]  # fmt: skip
    reordered = {**before, "status": {"conditions": [condition("B"), condition("A")]}}
    assert differing_paths(before, reordered) == [".status.conditions"]
    replaced = {**before, "status": {"conditions": [condition("C")]}}
    assert differing_paths(before, replaced) == [".status.conditions"]
    assert differing_paths(1, 2) == ["."]


def test_field_managers_as_the_apiserver_records_them() -> None:
    atomic = authentication(
        [condition("B")],
        [{"manager": "b", "operation": "Apply", "fieldsV1": {"f:status": {"f:conditions": {}}}}],
    )
    assert field_managers(atomic, ".status.conditions") == ["b"]
    assert field_managers(atomic, ".status.conditions[type=B].status") == ["b"], "the list is owned whole"
    keyed = authentication(
        [condition("Available"), condition("Degraded")],
        [
            {
                "manager": "available",
                "fieldsV1": {
                    "f:status": {"f:conditions": {'k:{"type":"Available"}': {".": {}, "f:status": {}}}}
                },
            },
            {
                "manager": "degraded",
                "fieldsV1": {
                    "f:status": {"f:conditions": {'k:{"type":"Degraded"}': {".": {}, "f:status": {}}}}
                },
            },
            {"manager": "spec-only", "fieldsV1": {"f:spec": {}}},
            {"manager": "broken", "fieldsV1": {"f:status": {"f:conditions": {"k:{not json": {}}}}},
        ],
    )
    assert field_managers(keyed, ".status.conditions") == ["available", "degraded", "broken"]
    assert field_managers(keyed, ".status.conditions[type=Degraded].status") == ["degraded"]
    assert field_managers(keyed, ".spec.x") == ["spec-only"]
    assert field_managers({"metadata": {}}, ".status") == []


def test_outputs_and_foreign_inputs_that_keep_changing_are_described() -> None:
    watch = ConvergenceWatch()
    key = ("auth-operator", "standalone")
    shared = ObjectRef(CONFIGMAPS, "ns", "shared")
    a_wins = authentication(
        [condition("A")], [{"manager": "a", "fieldsV1": {"f:status": {"f:conditions": {}}}}]
    )
    b_wins = authentication(
        [condition("B")], [{"manager": "b", "fieldsV1": {"f:status": {"f:conditions": {}}}}], "2"
    )
    first = watch.observe(key, [(shared, {"data": {"n": "1"}})], {AUTH: Write(a_wins, ("auth-A",))})
    assert first == [], "nothing to compare with"
    second = watch.observe(key, [(shared, {"data": {"n": "2"}})], {AUTH: Write(b_wins, ("auth-A", "auth-B"))})
    assert second == [
        "authentications.operator.openshift.io cluster on local: .status.conditions"
        " (field managers a, b; controllers auth-A, auth-B)",
        "input configmaps ns/shared: .data.n",
    ]
    only_version = authentication([condition("B")], b_wins["metadata"]["managedFields"], "3")
    assert watch.observe(key, [(shared, {"data": {"n": "2"}})], {AUTH: Write(only_version, ())}) == []
