"""An example static-pod operator after the split: it decides the kube-scheduler's configuration.

It reads the KubeScheduler operator resource (``spec.logLevel``), the cluster Scheduler
configuration (``spec.profile``) and the scheduler's certificate, and writes the revision
inputs only: ConfigMap ``config`` (a KubeSchedulerConfiguration), ConfigMap
``kube-scheduler-pod`` (the pod template, key ``pod.yaml``) and Secret ``serving-cert``. It
writes no status and never names a revision or a node: the static pod controller
(``mom static-pods``) makes revisions of these inputs and rolls them out.

Run it as an operator executable (``python kube_scheduler_operator.py apply-configuration ...``), or import
``OPERATOR`` and run it under mom.
"""

from __future__ import annotations

import sys
from typing import Any

from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator, RunContext, SyncError
from mom.operator.command import run_command
from mom.serialization import dump_go_yaml

NAMESPACE = "openshift-kube-scheduler"
CERT_SOURCE = ("openshift-config-managed", "kube-scheduler-client-cert-key")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
KUBESCHEDULER = ExactResource.operator("kubeschedulers")
SCHEDULER = ExactResource.config("schedulers")
VERBOSITY = {"Normal": 2, "Debug": 4, "Trace": 6, "TraceAll": 8}
PROFILES = {
    "LowNodeUtilization": "NodeResourcesBalancedAllocation",
    "HighNodeUtilization": "NodeResourcesMostAllocated",
    "NoScoring": "",
}
IMAGE = "quay.io/openshift/origin-hyperkube:4.17"


def scheduler_configuration(profile: str) -> str:
    """The KubeSchedulerConfiguration for a cluster scheduling profile."""
    if profile not in PROFILES:
        raise SyncError(f"schedulers/cluster: spec.profile: Unsupported value: {profile!r}")
    plugins: dict[str, Any] = {}
    if PROFILES[profile]:
        plugins = {"score": {"enabled": [{"name": PROFILES[profile], "weight": 1}]}}
    elif profile == "NoScoring":
        plugins = {"score": {"disabled": [{"name": "*"}]}, "preScore": {"disabled": [{"name": "*"}]}}
    config = {
        "apiVersion": "kubescheduler.config.k8s.io/v1",
        "kind": "KubeSchedulerConfiguration",
        "clientConnection": {
            "kubeconfig": "/etc/kubernetes/static-pod-resources/configmaps/config/kubeconfig"
        },
        "leaderElection": {"leaderElect": True, "resourceNamespace": NAMESPACE},
        "profiles": [{"schedulerName": "default-scheduler", "plugins": plugins}],
    }
    return dump_go_yaml(config)


def pod_template(verbosity: int) -> str:
    """The scheduler pod; the installer points volume ``resource-dir`` at the revision's files."""
    files = "/etc/kubernetes/static-pod-resources"
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "kube-scheduler", "namespace": NAMESPACE, "labels": {"scheduler": "true"}},
        "spec": {
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "containers": [
                {
                    "name": "kube-scheduler",
                    "image": IMAGE,
                    "command": ["hyperkube", "kube-scheduler"],
                    "args": [
                        f"--config={files}/configmaps/config/config.yaml",
                        f"--tls-cert-file={files}/secrets/serving-cert/tls.crt",
                        f"--tls-private-key-file={files}/secrets/serving-cert/tls.key",
                        f"-v={verbosity}",
                    ],
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": 10259, "scheme": "HTTPS"}},
                    "volumeMounts": [{"name": "resource-dir", "mountPath": files}],
                }
            ],
            "volumes": [
                {"name": "resource-dir", "hostPath": {"path": "/etc/kubernetes/static-pod-resources"}}
            ],
        },
    }
    return dump_go_yaml(pod)


def write(ctx: RunContext, gvr: GroupVersionResource, body: dict[str, Any]) -> None:
    """Create ``body``, or update it where its content differs; an unchanged object is not written."""
    metadata = body["metadata"]
    current = ctx.client.get_or_none(gvr, metadata["name"], metadata["namespace"])
    if current is None:
        ctx.client.create(gvr, body)
        return
    content = ("data", "type")
    if any(current.get(k) != body.get(k) for k in content):
        version = (current.get("metadata") or {}).get("resourceVersion")
        ctx.client.update(gvr, {**body, "metadata": {**metadata, "resourceVersion": version}})


def sync_operand_configuration(ctx: RunContext) -> None:
    """Write the revision inputs from the operator and cluster configuration."""
    operator = ctx.client.get(KUBESCHEDULER.gvr, KUBESCHEDULER.name)
    scheduler = ctx.client.get_or_none(SCHEDULER.gvr, SCHEDULER.name) or {}
    log_level = (operator.get("spec") or {}).get("logLevel") or "Normal"
    if log_level not in VERBOSITY:
        raise SyncError(f"kubeschedulers/cluster: spec.logLevel: Unsupported value: {log_level!r}")
    profile = (scheduler.get("spec") or {}).get("profile") or "LowNodeUtilization"
    certificate = ctx.client.get_or_none(SECRETS, CERT_SOURCE[1], CERT_SOURCE[0])
    if certificate is None:
        raise SyncError(f"secrets/{CERT_SOURCE[1]} in {CERT_SOURCE[0]}: not found")
    meta = {"namespace": NAMESPACE}
    write(
        ctx,
        CONFIGMAPS,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {**meta, "name": "config"},
            "data": {"config.yaml": scheduler_configuration(profile)},
        },
    )
    write(
        ctx,
        CONFIGMAPS,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {**meta, "name": "kube-scheduler-pod"},
            "data": {"pod.yaml": pod_template(VERBOSITY[log_level])},
        },
    )
    write(
        ctx,
        SECRETS,
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {**meta, "name": "serving-cert"},
            "type": "kubernetes.io/tls",
            "data": dict(certificate.get("data") or {}),
        },
    )


INPUTS = (
    ExactResource.configmap(NAMESPACE, "config"),
    ExactResource.configmap(NAMESPACE, "kube-scheduler-pod"),
    ExactResource.secret(NAMESPACE, "serving-cert"),
)

OPERATOR = Operator(
    name="kube-scheduler-operator",
    inputs=InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(KUBESCHEDULER, SCHEDULER, ExactResource.secret(*CERT_SOURCE), *INPUTS)
        )
    ),
    outputs=OutputResources(management_resources=OutputResourceList(exact_resources=INPUTS)),
    controllers=(Controller("kube-scheduler-operator-OperandConfiguration", sync_operand_configuration),),
    event_source="kube-scheduler-operator",
    involved_object={"kind": "Deployment", "name": "kube-scheduler-operator", "namespace": NAMESPACE},
)

if __name__ == "__main__":
    sys.exit(run_command(OPERATOR))
