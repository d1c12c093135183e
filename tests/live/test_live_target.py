"""LiveTarget against a real kube-apiserver: every mutation action, conflicts, dry-run, watches.

Covers: create (Created; repeated → Unchanged; different content → Conflict; generateName gets
a name stable per mutation id, so a repeated create does not duplicate); update guarded by
resourceVersion (Updated; stale but already holding the content → Unchanged; stale and
different → Conflict); update of status through the status subresource; JSON patch (a
repeated patch whose ``test`` op fails is Unchanged), merge and strategic-merge patch, patch of
status; server-side apply and apply of status as the request's field manager, a conflict
between field managers without force → Conflict, with force → Applied; delete with uid
preconditions (wrong uid → Conflict, right → Deleted, again → Unchanged); server-side dry-run
reports the outcome and changes nothing (deletes included);
read() returns the same snapshot while nothing changes, sees the target's own writes at once,
and a new snapshot after someone else's change, from one watch per resource type; a target
narrowed to namespaces holds nothing of a namespaced type elsewhere, does not wait for its own
write there, and still follows its namespaces.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.apply.target import Outcome
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.live.watches import SEEN_TIMEOUT
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest

pytestmark = pytest.mark.live

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
_names = itertools.count()


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def recorded(write: Callable[[Client], Any]) -> MutationRequest:
    """The mutation request a client write records (what an operator run produces)."""
    recorder = MutationRecorder()
    write(Client(SnapshotTransport(Snapshot.from_objects([]), recorder)))
    (request,) = recorder.requests
    return request


def configmap(namespace: str, name: str, **data: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": namespace},
        "data": data,
    }


@pytest.fixture
def live(kube_apiserver: Cluster) -> Iterator[tuple[Client, LiveTransport]]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport), transport
    transport.close()


@pytest.fixture
def namespace(live: tuple[Client, LiveTransport]) -> str:
    name = f"target-{next(_names)}-{time.monotonic_ns() % 100000}"
    live[0].create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return name


@pytest.fixture
def target(live: tuple[Client, LiveTransport]) -> LiveTarget:
    return LiveTarget("live", live[1], clock=clock)


def test_create_then_repeat_is_unchanged_and_different_content_conflicts(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    create = recorded(lambda c: c.create(CONFIGMAPS, configmap(namespace, "cm", key="v1")))
    first = target.apply("m1", create)
    assert first.outcome is Outcome.CREATED and first.object is not None
    assert client.get(CONFIGMAPS, "cm", namespace)["data"] == {"key": "v1"}
    assert target.apply("m1", create).outcome is Outcome.ALREADY_APPLIED
    fresh = LiveTarget("live", live[1], clock=clock)  # a restarted process: nothing remembered
    assert fresh.apply("m1", create).outcome is Outcome.UNCHANGED
    other = recorded(lambda c: c.create(CONFIGMAPS, configmap(namespace, "cm", key="other")))
    conflict = fresh.apply("m2", other)
    assert conflict.outcome is Outcome.CONFLICT and "already exists" in conflict.message


def test_generate_name_is_stable_per_mutation_id(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"generateName": "gen-", "namespace": namespace},
    }
    create = recorded(lambda c: c.create(CONFIGMAPS, body))
    assert target.apply("g1", create).outcome is Outcome.CREATED
    again = LiveTarget("live", live[1], clock=clock).apply("g1", create)
    assert again.outcome is Outcome.UNCHANGED
    assert target.apply("g2", create).outcome is Outcome.CREATED
    assert len(live[0].list(CONFIGMAPS, namespace=namespace)) == 2


def test_update_is_guarded_by_resource_version(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    original = client.create(CONFIGMAPS, configmap(namespace, "cm", round="0"))
    update = recorded(lambda c: c.update(CONFIGMAPS, {**original, "data": {"round": "1"}}))
    assert target.apply("u1", update).outcome is Outcome.UPDATED
    assert client.get(CONFIGMAPS, "cm", namespace)["data"] == {"round": "1"}
    repeated = LiveTarget("live", live[1], clock=clock).apply("u1", update)
    assert repeated.outcome is Outcome.UNCHANGED, repeated.message
    stale = recorded(lambda c: c.update(CONFIGMAPS, {**original, "data": {"round": "2"}}))
    conflict = target.apply("u2", stale)
    assert conflict.outcome is Outcome.CONFLICT and "modified" in conflict.message
    assert client.get(CONFIGMAPS, "cm", namespace)["data"] == {"round": "1"}


def _ingress(name: str, **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "config.openshift.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name},
        "spec": spec,
    }


def _unique(prefix: str) -> str:
    return f"{prefix}-{next(_names)}-{time.monotonic_ns() % 100000}"


def test_update_status_and_patch_status_use_the_status_subresource(
    live: tuple[Client, LiveTransport], target: LiveTarget
) -> None:
    client, name = live[0], _unique("status")
    created = client.create(INGRESSES, _ingress(name, domain="apps.example.test"))
    with_status = {**created, "status": {"defaultPlacement": "Workers"}, "spec": {"domain": "ignored.test"}}
    update = recorded(lambda c: c.update_status(INGRESSES, with_status))
    assert target.apply("s1", update).outcome is Outcome.UPDATED
    stored = client.get(INGRESSES, name)
    assert stored["status"] == {"defaultPlacement": "Workers"}
    assert stored["spec"] == {"domain": "apps.example.test"}, "a status write leaves spec alone"
    assert LiveTarget("live", live[1], clock=clock).apply("s1", update).outcome is Outcome.UNCHANGED
    patch = recorded(
        lambda c: c.patch(INGRESSES, name, {"status": {"defaultPlacement": "ControlPlane"}}, status=True)
    )
    assert target.apply("s2", patch).outcome is Outcome.PATCHED
    assert client.get(INGRESSES, name)["status"] == {"defaultPlacement": "ControlPlane"}
    client.delete(INGRESSES, name)


def test_json_merge_and_strategic_patches(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    client.create(CONFIGMAPS, configmap(namespace, "cm", a="1"))
    operations = [
        {"op": "test", "path": "/data/a", "value": "1"},
        {"op": "replace", "path": "/data/a", "value": "2"},
    ]
    json_patch = recorded(
        lambda c: c.patch(CONFIGMAPS, "cm", operations, namespace=namespace, patch_type="json")
    )
    assert target.apply("p1", json_patch).outcome is Outcome.PATCHED
    repeated = LiveTarget("live", live[1], clock=clock).apply("p1", json_patch)
    assert repeated.outcome is Outcome.UNCHANGED, repeated.message
    merge = recorded(lambda c: c.patch(CONFIGMAPS, "cm", {"data": {"b": "3"}}, namespace=namespace))
    assert target.apply("p2", merge).outcome is Outcome.PATCHED
    strategic = recorded(
        lambda c: c.patch(
            CONFIGMAPS,
            "cm",
            {"metadata": {"labels": {"x": "y"}}},
            namespace=namespace,
            patch_type="strategic",
        )
    )
    assert target.apply("p3", strategic).outcome is Outcome.PATCHED
    stored = client.get(CONFIGMAPS, "cm", namespace)
    assert (stored["data"], stored["metadata"]["labels"]) == ({"a": "2", "b": "3"}, {"x": "y"})
    missing = recorded(lambda c: c.patch(CONFIGMAPS, "nope", {"data": {}}, namespace=namespace))
    assert target.apply("p4", missing).outcome is Outcome.NOT_FOUND


def test_server_side_apply_with_field_managers_and_force(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    mine = recorded(
        lambda c: c.apply(CONFIGMAPS, configmap(namespace, "cm", owner="a"), field_manager="op-a")
    )
    applied = target.apply("a1", mine)
    assert applied.outcome is Outcome.APPLIED
    assert {e["manager"] for e in client.get(CONFIGMAPS, "cm", namespace)["metadata"]["managedFields"]} == {
        "op-a"
    }
    theirs = recorded(
        lambda c: c.apply(CONFIGMAPS, configmap(namespace, "cm", owner="b"), field_manager="op-b")
    )
    conflict = target.apply("a2", theirs)
    assert conflict.outcome is Outcome.CONFLICT and "conflict" in conflict.message.lower()
    forced = recorded(
        lambda c: c.apply(CONFIGMAPS, configmap(namespace, "cm", owner="b"), field_manager="op-b", force=True)
    )
    assert target.apply("a3", forced).outcome is Outcome.APPLIED
    assert client.get(CONFIGMAPS, "cm", namespace)["data"] == {"owner": "b"}

    name = _unique("ssa")
    client.create(INGRESSES, _ingress(name, domain="apps.example.test"))
    status = {**_ingress(name), "status": {"defaultPlacement": "Workers"}}
    status.pop("spec")
    status_apply = recorded(
        lambda c: c.apply(INGRESSES, status, field_manager="op-a", force=True, status=True)
    )
    assert target.apply("a4", status_apply).outcome is Outcome.APPLIED
    assert client.get(INGRESSES, name)["status"] == {"defaultPlacement": "Workers"}
    client.delete(INGRESSES, name)


def test_delete_with_preconditions(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    uid = client.create(CONFIGMAPS, configmap(namespace, "cm"))["metadata"]["uid"]
    wrong = recorded(lambda c: c.delete(CONFIGMAPS, "cm", namespace, preconditions={"uid": "not-the-uid"}))
    assert target.apply("d1", wrong).outcome is Outcome.CONFLICT
    right = recorded(lambda c: c.delete(CONFIGMAPS, "cm", namespace, preconditions={"uid": uid}))
    assert target.apply("d2", right).outcome is Outcome.DELETED
    assert client.get_or_none(CONFIGMAPS, "cm", namespace) is None
    again = LiveTarget("live", live[1], clock=clock).apply("d2", right)
    assert again.outcome is Outcome.UNCHANGED


def test_dry_run_reports_and_changes_nothing(
    live: tuple[Client, LiveTransport], target: LiveTarget, namespace: str
) -> None:
    client = live[0]
    create = recorded(lambda c: c.create(CONFIGMAPS, configmap(namespace, "dry", k="v")))
    result = target.apply("r1", create, dry_run=True)
    assert result.outcome is Outcome.CREATED and result.object is not None
    assert result.object["data"] == {"k": "v"}
    assert client.get_or_none(CONFIGMAPS, "dry", namespace) is None
    assert not target.is_applied("r1")
    client.create(CONFIGMAPS, configmap(namespace, "kept", k="v"))
    delete = recorded(lambda c: c.delete(CONFIGMAPS, "kept", namespace))
    assert target.apply("r2", delete, dry_run=True).outcome is Outcome.DELETED
    assert client.get_or_none(CONFIGMAPS, "kept", namespace) is not None


def test_read_is_kept_current_by_one_watch_per_resource_type(
    live: tuple[Client, LiveTransport], namespace: str
) -> None:
    client, transport = live
    target = LiveTarget("live", transport, clock=clock, resources=[CONFIGMAPS, INGRESSES, CONFIGMAPS])
    try:
        assert sorted(map(str, target.watched)) == sorted(map(str, [CONFIGMAPS, INGRESSES]))
        first = target.read()
        assert target.read() is first, "nothing changed: the same snapshot"
        create = recorded(lambda c: c.create(CONFIGMAPS, configmap(namespace, "mine", k="v")))
        target.apply("w1", create)
        own = target.read()
        assert own is not first
        assert own.get(CONFIGMAPS, namespace=namespace, name="mine")["data"] == {"k": "v"}, (
            "reads see the target's writes"
        )
        client.create(CONFIGMAPS, configmap(namespace, "theirs", k="v"))
        deadline = time.monotonic() + 10
        while target.read() is own and time.monotonic() < deadline:
            time.sleep(0.05)
        changed = target.read()
        assert changed.get(CONFIGMAPS, namespace=namespace, name="theirs")["kind"] == "ConfigMap"
        assert "managedFields" not in changed.get(CONFIGMAPS, namespace=namespace, name="theirs")["metadata"]
        assert target.read() is changed
    finally:
        target.close()


def holds(snapshot: Snapshot, namespace: str, name: str) -> bool:
    return any(
        ref.gvr == CONFIGMAPS and (ref.namespace, ref.name) == (namespace, name)
        for ref, _ in snapshot.objects()
    )


def test_a_target_narrowed_to_namespaces_holds_and_watches_only_those(
    live: tuple[Client, LiveTransport],
) -> None:
    client, transport = live
    mine, other = (f"narrow-{which}-{time.monotonic_ns() % 100000}" for which in ("mine", "other"))
    for namespace in (mine, other):
        client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        client.create(CONFIGMAPS, configmap(namespace, "before", k="v"))
    target = LiveTarget("live", transport, clock=clock, resources=[CONFIGMAPS, NAMESPACES], namespaces=[mine])
    try:
        first = target.read()
        held = {(ref.gvr.resource, ref.namespace, ref.name) for ref, _ in first.objects()}
        assert ("configmaps", mine, "before") in held
        assert not any(namespace == other for _, namespace, _ in held), "nothing of the other namespace"
        assert {("namespaces", "", mine), ("namespaces", "", other)} <= held, "Namespace objects: all"
        create = recorded(lambda c: c.create(CONFIGMAPS, configmap(mine, "written", k="v")))
        target.apply("w1", create)
        assert target.read().get(CONFIGMAPS, namespace=mine, name="written")["data"] == {"k": "v"}, (
            "own writes seen"
        )
        elsewhere = recorded(lambda c: c.create(CONFIGMAPS, configmap(other, "written", k="v")))
        assert target.apply("w2", elsewhere).outcome is Outcome.CREATED
        started = time.monotonic()
        after = target.read()
        assert time.monotonic() - started < SEEN_TIMEOUT, "a write outside the namespaces is not awaited"
        assert not holds(after, other, "written")
        client.create(CONFIGMAPS, configmap(mine, "theirs", k="v"))
        deadline = time.monotonic() + 10
        while not holds(target.read(), mine, "theirs") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert target.read().get(CONFIGMAPS, namespace=mine, name="theirs")["kind"] == "ConfigMap", (
            "others' changes seen"
        )
    finally:
        target.close()
