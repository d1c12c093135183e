"""The benchmark's operators: one generic "operand operator", instantiated N times.

Each operator owns one Deployment in its own operand namespace. It reads that Deployment, the
ConfigMap or Secret the Deployment mounts, the cluster Ingress config and its own
ClusterOperator; it server-side applies an annotation on the Deployment carrying a hash of its
configuration, and reports Available/Progressing/Degraded on a ClusterOperator of its own name.
Runs converge: a second run on the same inputs writes nothing new.

Operators are module attributes, so the manager loads them like any in-process operator:
``benchmarks.operands:OPERAND_7`` (a standalone operand ``operand-7`` in
``openshift-operand-7``) and ``benchmarks.operands:HCP_kube_scheduler`` (a slice of the hosted
control plane, see :data:`HCP_COMPONENTS`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator, RunContext, SyncError
from mom.serialization import dump_json

DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
CLUSTER_OPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
HASH_ANNOTATION = "operator.openshift.io/spec-hash"


@dataclass(frozen=True)
class OperandSpec:
    """What one operator manages: its Deployment and the ConfigMap or Secret it mounts."""

    name: str
    namespace: str
    deployment: str
    reference_resource: str  # "configmaps" or "secrets"
    reference: str

    @property
    def reference_gvr(self) -> GroupVersionResource:
        return GroupVersionResource("", "v1", self.reference_resource)


HCP_COMPONENTS: tuple[tuple[str, str, str], ...] = (
    ("kube-apiserver", "configmaps", "kas-config"),
    ("kube-controller-manager", "configmaps", "kcm-config"),
    ("kube-scheduler", "configmaps", "kube-scheduler"),
    ("oauth-openshift", "configmaps", "oauth-openshift"),
    ("openshift-apiserver", "configmaps", "openshift-apiserver"),
    ("openshift-controller-manager", "configmaps", "openshift-controller-manager-config"),
    ("openshift-route-controller-manager", "configmaps", "openshift-route-controller-manager-config"),
    ("openshift-oauth-apiserver", "configmaps", "openshift-oauth-apiserver-audit"),
    ("cluster-policy-controller", "configmaps", "cluster-policy-controller-config"),
    ("cluster-storage-operator", "configmaps", "cluster-storage-operator-config"),
    ("csi-snapshot-controller-operator", "configmaps", "csi-snapshot-controller-operator-config"),
    ("cluster-image-registry-operator", "configmaps", "image-registry-controller-config"),
    ("machine-approver", "configmaps", "machine-approver-config"),
    ("control-plane-pki-operator", "configmaps", "control-plane-pki-operator-config"),
    ("cloud-credential-operator", "secrets", "cloud-credential-operator-service-account-kubeconfig"),
    ("dns-operator", "secrets", "dns-operator-service-account-kubeconfig"),
    ("hosted-cluster-config-operator", "secrets", "hcco-kubeconfig"),
)
"""17 hosted-control-plane Deployments (component = Deployment name) and the object each mounts."""


def hcp_spec(component: str) -> OperandSpec:
    for name, resource, reference in HCP_COMPONENTS:
        if name == component:
            namespace = name if name.startswith("openshift-") else f"openshift-{name}"
            return OperandSpec(name, namespace, name, resource, reference)
    raise KeyError(component)


def standalone_spec(index: int) -> OperandSpec:
    name = f"operand-{index}"
    return OperandSpec(name, f"openshift-{name}", name, "configmaps", f"{name}-config")


def operand_operator(spec: OperandSpec) -> Operator:
    """The operator managing ``spec``, with its inputs and outputs declared exactly."""
    deployment = ExactResource("apps", "v1", "deployments", spec.namespace, spec.deployment)
    reference = ExactResource("", "v1", spec.reference_resource, spec.namespace, spec.reference)
    cluster_operator = ExactResource.config("clusteroperators", spec.name)
    return Operator(
        name=spec.name,
        inputs=InputResources(
            apply_configuration_resources=ResourceList(
                exact_resources=(deployment, reference, ExactResource.config("ingresses"), cluster_operator)
            )
        ),
        outputs=OutputResources(
            configuration_resources=OutputResourceList(exact_resources=(cluster_operator,)),
            management_resources=OutputResourceList(exact_resources=(deployment,)),
        ),
        controllers=(
            Controller(f"{spec.name}-Deployment", lambda ctx: sync_deployment(ctx, spec)),
            Controller(f"{spec.name}-Status", lambda ctx: report_status(ctx, spec)),
        ),
        event_source=spec.name,
        involved_object={"kind": "Deployment", "name": spec.name, "namespace": spec.namespace},
    )


def _configuration_hash(ctx: RunContext, spec: OperandSpec) -> str:
    referenced = ctx.client.get_or_none(spec.reference_gvr, spec.reference, spec.namespace)
    if referenced is None:
        raise SyncError(f"{spec.reference_resource} {spec.namespace}/{spec.reference} does not exist")
    ingress = ctx.client.get_or_none(INGRESSES, "cluster") or {}
    domain = str((ingress.get("spec") or {}).get("domain") or "")
    document = {"data": referenced.get("data") or {}, "domain": domain}
    return hashlib.sha256(dump_json(document, sort_keys=True)).hexdigest()[:16]


def sync_deployment(ctx: RunContext, spec: OperandSpec) -> None:
    """Deployment controller: stamp the configuration hash on the operand (server-side apply)."""
    if ctx.client.get_or_none(DEPLOYMENTS, spec.deployment, spec.namespace) is None:
        raise SyncError(f"deployment {spec.namespace}/{spec.deployment} does not exist")
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": spec.deployment,
            "namespace": spec.namespace,
            "annotations": {HASH_ANNOTATION: _configuration_hash(ctx, spec)},
        },
    }
    ctx.client.apply(DEPLOYMENTS, body, field_manager=ctx.controller_name, force=True)


def _condition(
    previous: list[dict[str, Any]], kind: str, status: str, reason: str, now: str
) -> dict[str, Any]:
    old = next((c for c in previous if c.get("type") == kind), None)
    since = old.get("lastTransitionTime", now) if old and old.get("status") == status else now
    return {"type": kind, "status": status, "reason": reason, "lastTransitionTime": since}


def report_status(ctx: RunContext, spec: OperandSpec) -> None:
    """Status controller: the operand's rollout as conditions on the ClusterOperator ``spec.name``."""
    deployment = ctx.client.get_or_none(DEPLOYMENTS, spec.deployment, spec.namespace) or {}
    wanted = int((deployment.get("spec") or {}).get("replicas") or 0)
    status = deployment.get("status") or {}
    available = int(status.get("availableReplicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    current = ctx.client.get_or_none(CLUSTER_OPERATORS, spec.name) or {}
    previous = list((current.get("status") or {}).get("conditions") or [])
    now = ctx.now_rfc3339
    values = (
        ("Available", "True" if available > 0 else "False", "AsExpected" if available else "NoReplicas"),
        (
            "Progressing",
            "True" if updated < wanted else "False",
            "RollingOut" if updated < wanted else "AsExpected",
        ),
        ("Degraded", "False" if deployment else "True", "AsExpected" if deployment else "NoDeployment"),
    )
    ctx.client.apply(
        CLUSTER_OPERATORS,
        {
            "apiVersion": "config.openshift.io/v1",
            "kind": "ClusterOperator",
            "metadata": {"name": spec.name},
            "status": {
                "conditions": [_condition(previous, *value, now) for value in values],
                "relatedObjects": [
                    {"group": "", "resource": "namespaces", "name": spec.namespace},
                    {
                        "group": "apps",
                        "resource": "deployments",
                        "name": spec.deployment,
                        "namespace": spec.namespace,
                    },
                ],
            },
        },
        field_manager=ctx.controller_name,
        force=True,
        status=True,
    )


_BUILT: dict[str, Operator] = {}


def __getattr__(attribute: str) -> Operator:
    """``OPERAND_<i>`` and ``HCP_<component with _ for ->``, built on first use."""
    if attribute in _BUILT:
        return _BUILT[attribute]
    if attribute.startswith("OPERAND_") and attribute[8:].isdigit():
        spec = standalone_spec(int(attribute[8:]))
    elif attribute.startswith("HCP_"):
        try:
            spec = hcp_spec(attribute[4:].replace("_", "-"))
        except KeyError:
            raise AttributeError(attribute) from None
    else:
        raise AttributeError(attribute)
    _BUILT[attribute] = operand_operator(spec)
    return _BUILT[attribute]


def reference_of(spec: OperandSpec) -> str:
    """The ``module:attribute`` the manager configuration names this operator by."""
    if spec.name.startswith("operand-"):
        return f"benchmarks.operands:OPERAND_{spec.name[8:]}"
    return f"benchmarks.operands:HCP_{spec.name.replace('-', '_')}"
