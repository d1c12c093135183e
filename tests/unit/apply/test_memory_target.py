"""The in-memory target: a snapshot with writes applied on top, by the rules of every target.

Covers: an id applied twice is AlreadyApplied and changes nothing; a dry run decides without
storing; reads and :meth:`read` see creates, updates and deletes over the snapshot's objects;
resource versions count on from the snapshot's highest; with re-runs tolerated (a target's
default) a repeated create is Unchanged, without (as ``mom serve`` answers) it is a Conflict,
and so is an update with a stale resourceVersion that would change nothing; each stored change
is told to the listener with the object before and after; a patch (dry run or not) leaves the
object it was made from as it was.
"""

from __future__ import annotations

import copy
from typing import Any

from apply_support import CONFIGMAPS, configmap, fixed_clock, mutation

from mom.api.cluster import Action
from mom.api.resources import ObjectRef
from mom.apply.memory_target import MemoryTarget
from mom.apply.target import Outcome
from mom.mustgather.store import Snapshot


def _base() -> Snapshot:
    stored = {
        **configmap("old", k="0"),
        "metadata": {"name": "old", "namespace": "ns", "resourceVersion": "41"},
    }
    return Snapshot.from_objects([(ObjectRef(CONFIGMAPS, "ns", "old"), stored)])


def _create(name: str, **data: str) -> Any:
    return mutation(Action.CREATE, CONFIGMAPS, configmap(name, **data), namespace="ns")


def test_writes_land_over_the_snapshot_once_per_id() -> None:
    changes: list[tuple[str, Any, Any]] = []
    target = MemoryTarget(
        _base(), clock=fixed_clock, on_change=lambda gvr, ns, old, new: changes.append((ns, old, new))
    )
    created = target.apply("1", _create("new", k="1"))
    assert created.outcome is Outcome.CREATED and created.object is not None
    assert created.object["metadata"]["resourceVersion"] == "42"
    assert target.apply("1", _create("new", k="1")).outcome is Outcome.ALREADY_APPLIED
    assert target.apply("dry", _create("other"), dry_run=True).outcome is Outcome.CREATED
    deleted = target.apply("2", mutation(Action.DELETE, CONFIGMAPS, None, namespace="ns", name="old"))
    assert deleted.outcome is Outcome.DELETED
    assert [o["metadata"]["name"] for o in target.list(CONFIGMAPS, namespace="ns")] == ["new"]
    assert [o["metadata"]["name"] for o in target.read().list(CONFIGMAPS, namespace="ns")] == ["new"]
    assert target.resource_version == "43" and target.is_applied("2") and not target.is_applied("dry")
    assert [(ns, old is None, new is None) for ns, old, new in changes] == [
        ("ns", True, False),
        ("ns", False, True),
    ]


def test_reruns_are_tolerated_by_default_and_refused_as_an_apiserver_would() -> None:
    for tolerant, outcome in ((True, Outcome.UNCHANGED), (False, Outcome.CONFLICT)):
        target = MemoryTarget(_base(), clock=fixed_clock, tolerate_reruns=tolerant)
        first = target.apply("1", _create("new", k="1")).object
        assert first is not None
        assert target.apply("2", _create("new", k="1")).outcome is outcome
        stale = {**first, "metadata": {**first["metadata"], "resourceVersion": "1"}}
        update = mutation(Action.UPDATE, CONFIGMAPS, stale, namespace="ns")
        assert target.apply("3", update).outcome is outcome


def test_a_patch_leaves_the_stored_object_and_the_snapshot_as_they_were() -> None:
    base = _base()
    target = MemoryTarget(base, clock=fixed_clock)
    before = copy.deepcopy(target.get(CONFIGMAPS, namespace="ns", name="old"))
    patch = mutation(
        Action.PATCH,
        CONFIGMAPS,
        {"data": {"k": "1"}},
        namespace="ns",
        name="old",
        patch_type="application/merge-patch+json",
    )
    assert target.apply("dry", patch, dry_run=True).outcome is Outcome.PATCHED
    assert target.get(CONFIGMAPS, namespace="ns", name="old") == before
    patched = target.apply("1", patch).object
    assert patched is not None and patched["metadata"]["resourceVersion"] == "42"
    assert base.get(CONFIGMAPS, namespace="ns", name="old") == before
