"""Builders shared by the journal tests: requests with awkward bytes, times, a begun run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.journal import Journal, PlannedMutation
from mom.mutationdir.requests import MutationRequest

T0 = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def configmap_create(
    name: str, namespace: str = "openshift-authentication", trailer: bytes = b"# \xff\x00 not UTF-8\n"
) -> MutationRequest:
    """A Create whose body ends with ``trailer`` (by default bytes no text codec would keep)."""
    body = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"
    return MutationRequest(
        action=Action.CREATE,
        gvr=CONFIGMAPS,
        namespace=namespace,
        name=name,
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=body.encode() + trailer,
        options=b"fieldManager: x\n",
        field_manager="sample-operator-Demo",
        controller_instance_name="sample-operator-Demo",
    )


def status_patch(name: str) -> MutationRequest:
    return MutationRequest(
        action=Action.PATCH_STATUS,
        gvr=GroupVersionResource("operator.openshift.io", "v1", "authentications"),
        namespace="",
        name=name,
        generate_name="",
        kind=None,
        body=b'[{"op":"remove","path":"/status/conditions/0"}]',
        patch_type="application/json-patch+json",
        controller_instance_name="sample-operator-RemoveStaleConditions",
    )


def planned(requests: list[MutationRequest], cluster_type: str = "Management") -> list[PlannedMutation]:
    return [PlannedMutation("", cluster_type, "local", request) for request in requests]


def begin(
    journal: Journal, *, operator: str = "sample-operator", instance: str = "cluster", minute: int = 0
) -> int:
    return journal.begin_run(
        operator=operator,
        instance=instance,
        trigger="configmaps openshift-authentication/foo changed",
        input_digest="sha256:inputs",
        inputs=b"not-an-archive-but-opaque",
        started_at=T0 + timedelta(minutes=minute),
        now=T0 + timedelta(minutes=minute),
        seed=7,
        outputs_digest="sha256:outputs",
    )
