"""What a non-convergence warning names: the fields that differ between runs, and who owns them.

Covers: JSON paths of differing fields (nested maps; keyed lists with the same items compared
item by item; added, removed or reordered items name the list; other lists and scalars as a
whole); field managers owning a path from ``managedFields`` the way kube-apiserver records
them (an atomic list owned whole, list-map items by key, a leaf holding the path); server-set
metadata never named; each write compared with the state the write before it left (so a list two
controllers flip within every run is named although each run ends the same), with the field
managers and the controllers; a first write compared with the object as the run read it; objects
created anew counted by kind and namespace; inputs the operator did not write itself described by
field.
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.manager.changes import differing_paths
from mom.manager.convergence import ConvergenceWatch, Write, field_managers

AUTH = ("local", "operator.openshift.io", "authentications", "", "cluster")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")


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
    """Two controllers force-apply one condition each to an atomic conditions list, as on a CRD
    that does not declare it a map list: every run ends where it started, but each write flips it."""
    watch = ConvergenceWatch()
    key = ("auth-operator", "standalone")
    shared = ObjectRef(CONFIGMAPS, "ns", "shared")

    def owned_by(manager: str, version: str) -> dict[str, Any]:
        fields = {"manager": manager, "operation": "Apply", "fieldsV1": {"f:status": {"f:conditions": {}}}}
        return authentication([condition(manager.upper())], [fields], version)

    def run(n: str) -> list[str]:
        writes = [
            Write(AUTH, owned_by("a", f"{n}1"), "auth-A"),
            Write(AUTH, owned_by("b", f"{n}2"), "auth-B"),
        ]
        return watch.observe(key, [(shared, {"data": {"n": n}})], writes)

    assert run("1") == [
        "authentications.operator.openshift.io cluster on local: .status.conditions"
        " (field managers a, b; controllers auth-B)"
    ], "the first write has nothing to compare with; the second flips the list"
    assert run("2") == [
        "authentications.operator.openshift.io cluster on local: .status.conditions"
        " (field managers a, b; controllers auth-A, auth-B)",
        "input configmaps ns/shared: .data.n",
    ]
    same = owned_by("b", "9")
    assert watch.observe(key, [(shared, {"data": {"n": "2"}})], [Write(AUTH, same, "auth-B")]) == [], (
        "only server-set metadata differs"
    )


def test_objects_created_anew_are_counted_and_first_writes_compared_with_the_inputs() -> None:
    watch = ConvergenceWatch()
    key = ("auth-operator", "standalone")
    events = GroupVersionResource("", "v1", "events")

    def event(name: str) -> Write:
        obj = {"apiVersion": "v1", "kind": "Event", "metadata": {"name": name, "namespace": "ns"}}
        return Write(("local", "", "events", "ns", name), obj, "auth-Events", created=True)

    read = authentication([condition("Available", "False")], [])
    written = authentication([condition("Available")], [])
    inputs = [
        (ObjectRef(AUTHENTICATIONS, "", "cluster"), read),
        (ObjectRef(events, "ns", "old"), {"reason": "x"}),
    ]
    found = watch.observe(key, inputs, [event("a"), event("b"), Write(AUTH, written, "auth-Status")])
    assert found == [
        "authentications.operator.openshift.io cluster on local: .status.conditions[type=Available].status"
        " (controllers auth-Status)",
        "2 new events in ns on local",
    ]
