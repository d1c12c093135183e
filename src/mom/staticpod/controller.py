"""The cluster part as an operator: one controller making revisions, rolling them out, pruning.

:func:`static_pod_operator` turns an operand definition into an ordinary mom
:class:`~mom.operator.Operator`, so the manager runs it like any other (digest-triggered runs,
declared outputs enforced, every run journaled), and :mod:`mom.staticpod.loop` runs the same
controller against a live cluster as a small standing loop. One controller, one status write
per run: the three decisions (:mod:`~mom.staticpod.revisions`, :mod:`~mom.staticpod.rollout`,
:mod:`~mom.staticpod.pruning`) read one snapshot and their result is written once.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from mom.api.errors import MomError
from mom.api.input_resources import InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resource_entries import ExactResource, GeneratedNameResource, LabelSelectedResource
from mom.api.resources import GroupVersionResource
from mom.client.client import Client, NotFoundError
from mom.operator import Controller, Operator, RunContext, SyncError
from mom.staticpod.mirror import mirror_pods
from mom.staticpod.operand import (
    APP_LABEL,
    CONFIGMAPS,
    NODES,
    PODS,
    REVISION_LABEL,
    REVISION_STATUS,
    SECRETS,
    StaticPodOperand,
    revision_name,
)
from mom.staticpod.pruning import protected_revisions, revisions_to_prune
from mom.staticpod.revisions import plan_revision, revision_of
from mom.staticpod.rollout import plan_rollout
from mom.staticpod.status import Condition, StaticPodStatus, read_status, with_status

REVISION_DEGRADED = "RevisionControllerDegraded"
CONTROLLER = "StaticPodController"
REVISIONED = {"matchExpressions": [{"key": REVISION_LABEL, "operator": "Exists"}]}
"""The label selector of revision copies."""


def static_pod_operator(operand: StaticPodOperand) -> Operator:
    """The operator that owns revisions, rollout, node statuses and pruning of ``operand``."""
    return Operator(
        name=f"{operand.name}-static-pods",
        inputs=InputResources(
            apply_configuration_resources=ResourceList(
                exact_resources=(
                    operand.operator,
                    *(
                        ExactResource(g.group, g.version, g.resource, operand.namespace, n)
                        for g, n in operand.revisioned()
                    ),
                ),
                label_selected_resources=(
                    _labelled(CONFIGMAPS.resource, operand.namespace, REVISIONED),
                    _labelled(SECRETS.resource, operand.namespace, REVISIONED),
                    _labelled(PODS.resource, operand.namespace, {"matchLabels": {APP_LABEL: operand.name}}),
                    _labelled(NODES.resource, "", {"matchLabels": dict(operand.node_selector)}),
                ),
            )
        ),
        outputs=OutputResources(
            management_resources=OutputResourceList(
                exact_resources=(operand.operator,),
                generated_name_resources=tuple(
                    GeneratedNameResource(g.group, g.version, g.resource, operand.namespace, f"{n}-")
                    for g, n in (*operand.revisioned(), (CONFIGMAPS, REVISION_STATUS))
                ),
                eventing_namespaces=(operand.namespace,),
            )
        ),
        controllers=(Controller(f"{operand.name}-{CONTROLLER}", partial(sync, operand)),),
        event_source=f"{operand.name}-static-pods",
        involved_object={"kind": "Namespace", "name": operand.namespace, "namespace": operand.namespace},
    )


def _labelled(resource: str, namespace: str, selector: dict[str, Any]) -> LabelSelectedResource:
    return LabelSelectedResource("", "v1", resource, namespace, selector)


def sync(operand: StaticPodOperand, ctx: RunContext) -> None:
    """One pass of the controller; see the module docstring."""
    ref, client = operand.operator, ctx.client
    try:
        obj = client.get(ref.gvr, ref.name)
        status = read_status(obj, f"{ref.resource}/{ref.name}")
    except NotFoundError as exc:
        raise SyncError(f"{ref.resource}/{ref.name}: not found") from exc
    except MomError as exc:
        raise SyncError(str(exc)) from exc
    copies = _revision_copies(operand, client)
    available = sorted(
        {revision_of(o) for (_, name), o in copies.items() if _is_pod_copy(operand, name)} - {0}
    )
    status, latest = _make_revision(operand, ctx, status, copies, max(available, default=0))
    nodes = [
        str((n.get("metadata") or {}).get("name"))
        for n in client.list(NODES, label_selector=operand.node_label_selector)
    ]
    pods = mirror_pods(client.list(PODS, operand.namespace, label_selector=f"{APP_LABEL}={operand.name}"))
    status = plan_rollout(status, nodes, pods, now=ctx.now, min_ready_seconds=operand.min_ready_seconds)
    doomed = revisions_to_prune(
        {*available, latest}, protected_revisions(status, pods), operand.revision_limit
    )
    for revision in doomed:
        for gvr, name in (*operand.revisioned(), (CONFIGMAPS, REVISION_STATUS)):
            if (gvr, revision_name(name, revision)) in copies:
                client.delete(gvr, revision_name(name, revision), operand.namespace)
    updated = with_status(obj, status)
    if updated != obj:
        client.update_status(ref.gvr, updated)


Copies = dict[tuple[GroupVersionResource, str], dict[str, Any]]


def _revision_copies(operand: StaticPodOperand, client: Client) -> Copies:
    """Every ConfigMap and Secret of the namespace labelled with a revision, by type and name."""
    return {
        (gvr, str((o.get("metadata") or {}).get("name"))): o
        for gvr in (CONFIGMAPS, SECRETS)
        for o in client.list(gvr, operand.namespace, label_selector=REVISION_LABEL)
    }


def _is_pod_copy(operand: StaticPodOperand, name: str) -> bool:
    number = name.removeprefix(f"{operand.pod_config_map}-")
    return number != name and number.isdigit()


def _make_revision(
    operand: StaticPodOperand, ctx: RunContext, status: StaticPodStatus, copies: Copies, newest: int
) -> tuple[StaticPodStatus, int]:
    """Create the next revision if the inputs changed; the status with the latest revision set."""
    client = ctx.client
    sources = {name: client.get_or_none(gvr, name, operand.namespace) for gvr, name in operand.revisioned()}
    newest_copies = {
        name: copies.get((gvr, revision_name(name, newest))) for gvr, name in operand.revisioned()
    }
    plan = plan_revision(operand, sources, newest, newest_copies)
    for gvr, body in plan.create:
        client.create(gvr, body)
    if plan.create:
        ctx.events.normal("RevisionCreate", f"Revision {plan.revision} created because {plan.reason}")
    if plan.missing:
        degraded = Condition(REVISION_DEGRADED, "True", "MissingInputs", f"missing {', '.join(plan.missing)}")
    else:
        degraded = Condition(REVISION_DEGRADED, "False", "AsExpected")
    status = status.with_condition(degraded, ctx.now_rfc3339)
    if plan.revision != status.latest_available_revision:
        reason = plan.reason or status.latest_available_revision_reason
        status = replace(
            status, latest_available_revision=plan.revision, latest_available_revision_reason=reason
        )
    return status, plan.revision
