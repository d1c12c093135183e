"""The OAuth server operator's controllers."""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource
from mom.operator import RunContext, SyncError
from mom.operator.oauth import render

OAUTHS = GroupVersionResource("config.openshift.io", "v1", "oauths")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
CLUSTER_OPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def _configuration(ctx: RunContext) -> tuple[dict[str, Any] | None, str, dict[str, Any]]:
    oauth = ctx.client.get_or_none(OAUTHS, "cluster")
    ingress = ctx.client.get_or_none(INGRESSES, "cluster") or {}
    domain = str((ingress.get("spec") or {}).get("domain") or "")
    operator = ctx.client.get_or_none(AUTHENTICATIONS, "cluster") or {}
    return oauth, domain, operator


def sync_operand(ctx: RunContext) -> None:
    """Deployment controller: render the server's configuration and Deployment, apply both."""
    oauth, domain, operator = _configuration(ctx)
    problems = render.config_problems(oauth, domain)
    if problems:
        raise SyncError("; ".join(problems))
    spec = operator.get("spec") or {}
    if spec.get("managementState", "Managed") != "Managed":
        ctx.log.info("managementState is %s: leaving the operand alone", spec.get("managementState"))
        return
    config = render.oauth_config(oauth, domain)
    ctx.client.apply(CONFIGMAPS, render.config_map(config), field_manager=ctx.controller_name, force=True)
    replicas = int(spec.get("replicas", 2))
    desired = render.deployment(config, str(spec.get("logLevel", "Normal")), replicas)
    ctx.client.apply(DEPLOYMENTS, desired, field_manager=ctx.controller_name, force=True)


def _condition(
    previous: list[dict[str, Any]], kind: str, status: str, reason: str, message: str, now: str
) -> dict[str, Any]:
    """A condition that keeps its lastTransitionTime while its status does not change (so runs converge)."""
    old = next((c for c in previous if c.get("type") == kind), None)
    since = old.get("lastTransitionTime", now) if old and old.get("status") == status else now
    return {"type": kind, "status": status, "reason": reason, "message": message, "lastTransitionTime": since}


def report_status(ctx: RunContext) -> None:
    """Status controller: Available/Progressing/Degraded on the operator and its ClusterOperator."""
    oauth, domain, operator = _configuration(ctx)
    problems = render.config_problems(oauth, domain)
    deployment = ctx.client.get_or_none(DEPLOYMENTS, render.DEPLOYMENT, render.NAMESPACE) or {}
    status = deployment.get("status") or {}
    wanted = int(((deployment.get("spec") or {}).get("replicas")) or 0)
    available = int(status.get("availableReplicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    now = ctx.now_rfc3339
    previous = list(((operator.get("status") or {}).get("conditions")) or [])
    if problems:
        degraded = ("True", "InvalidConfiguration", "; ".join(problems))
    else:
        degraded = ("False", "AsExpected", "")
    if not deployment:
        progressing = (
            "True",
            "Deploying",
            f"deployment {render.NAMESPACE}/{render.DEPLOYMENT} does not exist yet",
        )
        availability = ("False", "NoDeployment", "the OAuth server is not deployed")
    else:
        rolling = updated < wanted
        progressing = (
            ("True", "RollingOut", f"{updated} of {wanted} replicas updated")
            if rolling
            else ("False", "AsExpected", "")
        )
        availability = (
            ("True", "AsExpected", "")
            if available > 0
            else ("False", "NoReadyReplicas", "no OAuth server replica is available")
        )
    conditions = [
        _condition(previous, f"OAuthServer{kind}", *values, now)
        for kind, values in (
            ("Available", availability),
            ("Progressing", progressing),
            ("Degraded", degraded),
        )
    ]
    ctx.client.apply(
        AUTHENTICATIONS,
        {
            "apiVersion": "operator.openshift.io/v1",
            "kind": "Authentication",
            "metadata": {"name": "cluster"},
            "status": {"conditions": conditions},
        },
        field_manager=ctx.controller_name,
        force=True,
        status=True,
    )
    cluster_operator = ctx.client.get_or_none(CLUSTER_OPERATORS, "authentication") or {}
    co_previous = list(((cluster_operator.get("status") or {}).get("conditions")) or [])
    co_conditions = [
        _condition(co_previous, kind, *values, now)
        for kind, values in (
            ("Available", availability),
            ("Progressing", progressing),
            ("Degraded", degraded),
        )
    ]
    ctx.client.apply(
        CLUSTER_OPERATORS,
        {
            "apiVersion": "config.openshift.io/v1",
            "kind": "ClusterOperator",
            "metadata": {"name": "authentication"},
            "status": {
                "conditions": co_conditions,
                "relatedObjects": [
                    {"group": "operator.openshift.io", "resource": "authentications", "name": "cluster"},
                    {"group": "", "resource": "namespaces", "name": render.NAMESPACE},
                ],
            },
        },
        field_manager=ctx.controller_name,
        force=True,
        status=True,
    )
    if problems:
        ctx.events.warning("ConfigurationInvalid", "; ".join(problems))
