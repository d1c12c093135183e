"""Server-side apply on plain objects.

Covers: a first apply records the manager's fields in managedFields; conditions merge by type
with conditions others set; a field the same manager applied before and now omits is removed,
while another manager's field stays; a different value for a field another applier owns is a
conflict naming the manager and the field path, unless forced, which moves the ownership;
re-applying the same configuration changes nothing (same managedFields time); the live object
is left as it was by every kind of apply (merge, removal of dropped fields, forced takeover).
"""

from __future__ import annotations

import copy

import pytest

from mom.apply.ssa import ApplyConflict, from_fields_v1, server_side_apply

BASE = {"apiVersion": "v1", "kind": "Thing", "metadata": {"name": "x"}}


def apply(live: dict | None, config: dict, manager: str, *, force: bool = False, now: str = "t1") -> dict:  # type: ignore[type-arg]
    return server_side_apply(
        live, {**BASE, **config}, manager=manager, subresource="", force=force, now=now, without_status=False
    )


def owned(obj: dict, manager: str) -> set[tuple[str, ...]]:  # type: ignore[type-arg]
    (entry,) = [e for e in obj["metadata"]["managedFields"] if e["manager"] == manager]
    return from_fields_v1(entry["fieldsV1"])


def test_conditions_merge_by_type_and_ownership_is_recorded() -> None:
    first = apply(BASE, {"status": {"conditions": [{"type": "A", "status": "True"}]}}, "one")
    second = apply(first, {"status": {"conditions": [{"type": "B", "status": "False"}]}}, "two")

    assert second["status"]["conditions"] == [
        {"type": "A", "status": "True"},
        {"type": "B", "status": "False"},
    ]
    assert ("f:status", "f:conditions", 'k:{"type":"A"}', "f:status") in owned(second, "one")
    assert ("f:status", "f:conditions", 'k:{"type":"B"}') in owned(second, "two")


def test_omitted_fields_are_removed_unless_another_manager_owns_them() -> None:
    first = apply(
        BASE, {"spec": {"a": 1, "b": 2}, "status": {"conditions": [{"type": "A", "status": "x"}]}}, "one"
    )
    shared = apply(first, {"spec": {"b": 2}}, "two")

    result = apply(shared, {"spec": {"c": 3}}, "one")

    assert result["spec"] == {"b": 2, "c": 3}
    assert "status" not in result
    assert owned(result, "one") == {("f:spec", "f:c")}


def test_conflict_without_force_and_force_takes_ownership() -> None:
    first = apply(BASE, {"spec": {"replicas": 1, "image": "a"}}, "one")

    with pytest.raises(ApplyConflict, match=r'conflict with "one": \.spec\.replicas'):
        apply(first, {"spec": {"replicas": 3}}, "two")
    same_value = apply(first, {"spec": {"image": "a"}}, "two")
    forced = apply(first, {"spec": {"replicas": 3}}, "two", force=True)

    assert same_value["spec"] == {"replicas": 1, "image": "a"}
    assert forced["spec"] == {"replicas": 3, "image": "a"}
    assert owned(forced, "one") == {("f:spec", "f:image")}
    assert owned(forced, "two") == {("f:spec", "f:replicas")}


def test_reapplying_the_same_configuration_is_a_no_op() -> None:
    first = apply(BASE, {"spec": {"a": 1}}, "one", now="t1")
    assert apply(first, {"spec": {"a": 1}}, "one", now="t2") == first


def test_the_live_object_is_never_modified() -> None:
    config = {
        "metadata": {"labels": {"a": "1"}},
        "spec": {"replicas": 2, "template": {"image": "x"}},
        "status": {"conditions": [{"type": "A", "status": "True"}]},
    }
    live = apply(BASE, config, "one")
    live = apply(
        live, {"spec": {"paused": True}, "status": {"conditions": [{"type": "B", "status": "X"}]}}, "two"
    )
    frozen = copy.deepcopy(live)
    changes = [
        (
            {"spec": {"replicas": 3}, "status": {"conditions": [{"type": "A", "status": "False"}]}},
            "one",
            False,
        ),
        ({"metadata": {"labels": {"b": "2"}}}, "one", False),  # drops every other field "one" owned
        ({"spec": {"paused": False, "replicas": 9}}, "two", True),  # forced: takes over .spec.replicas
        (config, "one", False),  # unchanged
    ]
    for change, manager, force in changes:
        result = apply(live, change, manager, force=force)
        assert live == frozen, f"applying {change} as {manager} modified the live object"
        assert result is not live and result["metadata"] is not live["metadata"], "stamping edits these"
