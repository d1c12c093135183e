"""The five controllers of the sample operator, each a run-once function of its context.

Bodies carry the zero values a Go typed client sends (``creationTimestamp: null``,
``domain: ""``...), so the recorded mutations are byte-identical to the Go operator's.
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource
from mom.operator import RunContext, SyncError

INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")

AUTH_NAMESPACE = "openshift-authentication"
STALE_CONDITION = "WebhookAuthenticatorCertApprover_OpenShiftAuthenticatorDegraded"


def create_ingress(ctx: RunContext) -> None:
    """IngressCreator: create the cluster Ingress config, as an empty typed Go object."""
    ctx.client.create(
        INGRESSES,
        {
            "apiVersion": "config.openshift.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "cluster", "creationTimestamp": None},
            "spec": {"domain": "", "loadBalancer": {"platform": {"type": ""}}},
            "status": {"defaultPlacement": ""},
        },
    )


def generate_failure(ctx: RunContext) -> None:
    """FailureGenerator: emit an event; fail when the ``fail-check`` ConfigMap exists."""
    ctx.events.normal("must", "event")
    if ctx.client.get_or_none(CONFIGMAPS, "fail-check", AUTH_NAMESPACE) is not None:
        raise SyncError("fail the process")


def count_runs(ctx: RunContext) -> None:
    """Demo: create ConfigMap ``foo`` with ``counter: "1"``, or bump the counter of the existing one."""
    existing = ctx.client.get_or_none(CONFIGMAPS, "foo", AUTH_NAMESPACE)
    if existing is None:
        ctx.client.create(
            CONFIGMAPS,
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "foo", "namespace": AUTH_NAMESPACE, "creationTimestamp": None},
                "data": {"counter": "1"},
            },
        )
        return
    data: dict[str, Any] = dict(existing.get("data") or {})
    try:
        counter = int(data.get("counter", "0"))
    except ValueError as exc:
        raise SyncError(
            f"configmap {AUTH_NAMESPACE}/foo: counter {data.get('counter')!r} is not a number"
        ) from exc
    data["counter"] = str(counter + 1)
    ctx.client.update(CONFIGMAPS, {**existing, "data": data})


def remove_stale_conditions(ctx: RunContext) -> None:
    """RemoveStaleConditions: drop the obsolete webhook-approver condition from the operator status.

    One JSON patch removes every occurrence; each removal is guarded by a ``test`` of the
    condition type, with indexes shifted for the removals before it.
    """
    authentication = ctx.client.get_or_none(AUTHENTICATIONS, "cluster")
    if authentication is None:
        return
    conditions = (authentication.get("status") or {}).get("conditions") or []
    operations: list[dict[str, Any]] = []
    removed = 0
    for index, condition in enumerate(conditions):
        if condition.get("type") != STALE_CONDITION:
            continue
        path = f"/status/conditions/{index - removed}"
        operations.append({"op": "test", "path": f"{path}/type", "value": STALE_CONDITION})
        operations.append({"op": "remove", "path": path})
        removed += 1
    if operations:
        ctx.client.patch(AUTHENTICATIONS, "cluster", operations, patch_type="json", status=True)


def sync_resources(ctx: RunContext) -> None:
    """example-ResourceSync: report itself healthy on the operator status via server-side apply."""
    ctx.client.apply(
        AUTHENTICATIONS,
        {
            "apiVersion": "operator.openshift.io/v1",
            "kind": "Authentication",
            "metadata": {"name": "cluster"},
            "status": {
                "conditions": [
                    {
                        "type": "ResourceSyncControllerDegraded",
                        "status": "False",
                        "lastTransitionTime": ctx.now_rfc3339,
                    }
                ]
            },
        },
        field_manager=ctx.controller_name,
        force=True,
        status=True,
    )
