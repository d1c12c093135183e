"""``mom run`` as Kubernetes objects, in the strategy's shapes.

* ``IndividualMOM`` — one manager per operator (a Deployment each, replacing that operator's own
  daemon Deployment), each with a Lease of its own.
* ``UnifiedStandaloneMOM`` — one manager for every operator of a standalone cluster.
* ``HyperMOM`` — one Deployment of sharing replicas for a fleet of hosted clusters: the Lease
  becomes a ring (``shards: true``, :mod:`mom.manager.scaleout.sharding`) and every replica runs
  its share.

Each manager gets: its configuration (and an in-cluster kubeconfig) as a ConfigMap, a
ServiceAccount, RBAC — reading and watching every resource type its operators read, the Lease,
and either ``impersonate`` on the operators' service accounts (whose least-privilege RBAC comes
from :func:`mom.apply.rbac.generate_rbac`) or, on a cluster that does not impersonate, the
operators' roles bound to the manager itself — and a Deployment with probes and a metrics port,
or a CronJob running ``mom run --once``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.api.wire_reader import quote
from mom.apply.rbac import RBAC_API_VERSION, RBAC_GROUP, ServiceAccountRef, generate_rbac
from mom.manager.pins import Pin
from mom.manager.specs import ManagerConfig
from mom.serialization import dump_json

CONFIG_DIR = "/etc/mom"
STATE_DIR = "/var/lib/mom"
IN_CLUSTER_KUBECONFIG = "in-cluster.kubeconfig"
PROBE_PORT = 8080
ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"
MANAGER_LABEL = "mom.openshift.io/manager"


class Shape(StrEnum):
    INDIVIDUAL = "IndividualMOM"
    UNIFIED = "UnifiedStandaloneMOM"
    HYPER = "HyperMOM"


@dataclass(frozen=True)
class DeployOptions:
    shape: Shape
    image: str
    namespace: str = "mom"
    replicas: int = 2
    schedule: str = ""
    """A cron schedule: a CronJob running ``mom run --once`` instead of a Deployment."""
    interval: float = 30.0


@dataclass(frozen=True)
class _Manager:
    name: str
    document: dict[str, Any]
    operators: tuple[str, ...]


def deployment_manifests(
    config: ManagerConfig, document: Mapping[str, Any], pins: Mapping[str, Pin], options: DeployOptions
) -> list[dict[str, Any]]:
    """Every object of the chosen shape, namespaces first; ``document`` is the configuration file
    as written (already validated as ``config``)."""
    problems = [
        f"clusters: {quote(c.name)}: only live clusters ('kubeconfig') can be reached from a pod"
        for c in config.clusters
        if not c.live
    ]
    if options.shape is Shape.HYPER and not any(i.topology == "HyperShift" for i in config.instances):
        problems.append("instances: HyperMOM needs at least one HyperShift instance")
    if problems:
        raise InvalidInput(str(config.source), problems)
    managers = _managers(config, document, options)
    accounts = sorted({c.service_account_namespace for c in config.clusters if c.impersonate})
    objects: list[dict[str, Any]] = [_namespace(n) for n in dict.fromkeys([options.namespace, *accounts])]
    operator_rbac: dict[str, list[dict[str, Any]]] = {}
    for cluster in config.clusters:
        for name, pin in pins.items():
            account = ServiceAccountRef(cluster.service_account_namespace, name)
            operator_rbac.setdefault(
                name, generate_rbac(name, pin.inputs, pin.outputs, service_account=account)
            )
    impersonating = any(c.impersonate for c in config.clusters)
    for manager in managers:
        account = ServiceAccountRef(options.namespace, manager.name)
        objects += _manager_objects(manager, account, options, config)
        objects += _reader_role(manager, account, [pins[o] for o in manager.operators])
        for operator in manager.operators:
            if impersonating:
                objects += _impersonation(manager, account, operator, config)
            else:
                objects += _bound_to_manager(operator_rbac[operator], manager, account)
    if impersonating:
        objects += [o for rbac in operator_rbac.values() for o in rbac]
    return _unique(objects)


def _managers(config: ManagerConfig, document: Mapping[str, Any], options: DeployOptions) -> list[_Manager]:
    operators = tuple(o.name for o in config.operators)
    if options.shape is Shape.UNIFIED:
        return [_Manager("mom", _in_pod(document, "mom", options.namespace), operators)]
    if options.shape is Shape.INDIVIDUAL:
        found = []
        for operator in operators:
            name = f"mom-{operator}"
            own = _in_pod(document, name, options.namespace)
            own["operators"] = [o for o in own["operators"] if o.get("name") == operator]
            for instance in own["instances"]:
                instance.pop("operators", None)
            found.append(_Manager(name, own, (operator,)))
        return found
    ring = _in_pod(document, "mom", options.namespace)
    ring["lease"]["shards"] = True
    return [_Manager("mom", ring, operators)]


def _in_pod(document: Mapping[str, Any], lease: str, namespace: str) -> dict[str, Any]:
    """The configuration as the pod reads it: journal on the pod's volume, live clusters through
    the in-cluster kubeconfig, a Lease of the manager's own."""
    own = copy.deepcopy(dict(document))
    own["journal"] = f"{STATE_DIR}/journal.sqlite"
    clusters = own.get("clusters") or []
    for cluster in clusters:
        cluster["kubeconfig"] = IN_CLUSTER_KUBECONFIG
        cluster.pop("context", None)
    first = str(clusters[0].get("name", "")) if clusters else ""
    configured = dict(document.get("lease") or {})
    own["lease"] = {
        **configured,
        "name": lease,
        "namespace": namespace,
        "cluster": configured.get("cluster") or first,
    }
    return own


def in_cluster_kubeconfig() -> dict[str, Any]:
    """A kubeconfig for the pod's own service account (its token re-read as the kubelet rotates it)."""
    return {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {
                "name": "in-cluster",
                "cluster": {
                    "server": "https://kubernetes.default.svc",
                    "certificate-authority": f"{ACCOUNT_DIR}/ca.crt",
                },
            }
        ],
        "users": [{"name": "pod", "user": {"tokenFile": f"{ACCOUNT_DIR}/token"}}],
        "contexts": [{"name": "in-cluster", "context": {"cluster": "in-cluster", "user": "pod"}}],
        "current-context": "in-cluster",
    }


def _manager_objects(
    manager: _Manager, account: ServiceAccountRef, options: DeployOptions, config: ManagerConfig
) -> list[dict[str, Any]]:
    labels = {MANAGER_LABEL: manager.name}
    metadata = {"name": manager.name, "namespace": options.namespace, "labels": labels}
    config_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": metadata,
        "data": {
            "mom.yaml": dump_json(manager.document, indent=True).decode(),
            IN_CLUSTER_KUBECONFIG: dump_json(in_cluster_kubeconfig(), indent=True).decode(),
        },
    }
    service_account = {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata}
    leases = {"apiGroups": ["coordination.k8s.io"], "resources": ["leases"]}
    if manager.document["lease"].get("shards"):  # shard and assignment Leases: names not known ahead
        rules = [{**leases, "verbs": ["create", "get", "list", "update"]}]
    else:
        rules = [
            {**leases, "verbs": ["create"]},
            {**leases, "resourceNames": [manager.name], "verbs": ["get", "update"]},
        ]
    lease_role = _role(f"mom:{manager.name}:lease", options.namespace, rules, account, labels)
    return [service_account, config_map, *lease_role, _workload(metadata, options)]


def _workload(metadata: dict[str, Any], options: DeployOptions) -> dict[str, Any]:
    """A CronJob of ``mom run --once`` when a schedule is given, else a Deployment of ``mom run``."""
    container = _container(options.image)
    pod = _pod(metadata["name"], container)
    if options.schedule:
        return _cron_job(metadata, options.schedule, container, pod)
    return _deployment(metadata, options, container, pod)


def _container(image: str) -> dict[str, Any]:
    return {
        "name": "mom",
        "image": image,
        "command": ["mom"],
        "args": ["run", "--config", f"{CONFIG_DIR}/mom.yaml"],
        "env": [{"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
        "volumeMounts": [
            {"name": "config", "mountPath": CONFIG_DIR, "readOnly": True},
            {"name": "state", "mountPath": STATE_DIR},
        ],
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}},
    }


def _pod(name: str, container: dict[str, Any]) -> dict[str, Any]:
    return {
        "serviceAccountName": name,
        "containers": [container],
        "volumes": [
            {"name": "config", "configMap": {"name": name}},
            {"name": "state", "emptyDir": {}},
        ],
    }


def _cron_job(
    metadata: dict[str, Any], schedule: str, container: dict[str, Any], pod: dict[str, Any]
) -> dict[str, Any]:
    """One ``mom run --once`` per scheduled time, never two at once."""
    container["args"].append("--once")
    pod["restartPolicy"] = "Never"
    template = {"metadata": {"labels": metadata["labels"]}, "spec": pod}
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": metadata,
        "spec": {
            "schedule": schedule,
            "concurrencyPolicy": "Forbid",
            "jobTemplate": {"spec": {"backoffLimit": 0, "template": template}},
        },
    }


def _deployment(
    metadata: dict[str, Any], options: DeployOptions, container: dict[str, Any], pod: dict[str, Any]
) -> dict[str, Any]:
    """``replicas`` standing managers ticking every ``interval``, probed on their metrics port."""
    container["args"] += ["--interval", f"{options.interval:g}", "--probe-address", f"0.0.0.0:{PROBE_PORT}"]
    container["ports"] = [{"name": "metrics", "containerPort": PROBE_PORT, "protocol": "TCP"}]
    container["livenessProbe"] = {
        "httpGet": {"path": "/healthz", "port": "metrics"},
        "periodSeconds": 10,
        "failureThreshold": 6,
    }
    container["readinessProbe"] = {"httpGet": {"path": "/readyz", "port": "metrics"}, "periodSeconds": 10}
    labels = metadata["labels"]
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata,
        "spec": {
            "replicas": options.replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": pod},
        },
    }


def _reader_role(manager: _Manager, account: ServiceAccountRef, pins: Sequence[Pin]) -> list[dict[str, Any]]:
    """Get, list and watch on every resource type the manager's operators read: it gathers their
    inputs itself, through one cluster-wide watch per type."""
    from mom.manager.assembly import watched_resources

    resources: set[GroupVersionResource] = watched_resources(pins)
    by_group: dict[str, list[str]] = {}
    for gvr in sorted(resources, key=str):
        by_group.setdefault(gvr.group, []).append(gvr.resource)
    rules = [
        {"apiGroups": [group], "resources": sorted(set(names)), "verbs": ["get", "list", "watch"]}
        for group, names in sorted(by_group.items())
    ]
    return _role(f"mom:{manager.name}:reads", "", rules, account, {MANAGER_LABEL: manager.name})


def _impersonation(
    manager: _Manager, account: ServiceAccountRef, operator: str, config: ManagerConfig
) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for cluster in config.clusters:
        if cluster.impersonate:
            rule = {
                "apiGroups": [""],
                "resources": ["serviceaccounts"],
                "resourceNames": [operator],
                "verbs": ["impersonate"],
            }
            name = f"mom:{manager.name}:impersonate:{operator}"
            objects += _role(
                name, cluster.service_account_namespace, [rule], account, {MANAGER_LABEL: manager.name}
            )
    return objects


def _bound_to_manager(
    rbac: Iterable[dict[str, Any]], manager: _Manager, account: ServiceAccountRef
) -> list[dict[str, Any]]:
    """The operator's roles, bound to the manager (which then writes as itself)."""
    objects: list[dict[str, Any]] = []
    for item in rbac:
        if item["kind"] in ("Role", "ClusterRole"):
            objects.append(item)
        elif item["kind"] in ("RoleBinding", "ClusterRoleBinding"):
            binding = copy.deepcopy(item)
            binding["metadata"]["name"] = f"{item['metadata']['name']}:{manager.name}"
            binding["subjects"] = [_subject(account)]
            objects.append(binding)
    return objects


def _role(
    name: str, namespace: str, rules: list[dict[str, Any]], account: ServiceAccountRef, labels: dict[str, str]
) -> list[dict[str, Any]]:
    kind = "Role" if namespace else "ClusterRole"
    metadata: dict[str, Any] = {"name": name, "labels": labels}
    if namespace:
        metadata["namespace"] = namespace
    return [
        {"apiVersion": RBAC_API_VERSION, "kind": kind, "metadata": metadata, "rules": rules},
        {
            "apiVersion": RBAC_API_VERSION,
            "kind": f"{kind}Binding",
            "metadata": metadata,
            "roleRef": {"apiGroup": RBAC_GROUP, "kind": kind, "name": name},
            "subjects": [_subject(account)],
        },
    ]


def _subject(account: ServiceAccountRef) -> dict[str, str]:
    return {"kind": "ServiceAccount", "name": account.name, "namespace": account.namespace}


def _namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _unique(objects: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each object once (by kind, namespace and name), namespaces first, in first-seen order."""
    seen: dict[tuple[str, str, str], dict[str, Any]] = {}
    for item in objects:
        metadata = item["metadata"]
        seen.setdefault((item["kind"], metadata.get("namespace", ""), metadata["name"]), item)
    found = list(seen.values())
    return [o for o in found if o["kind"] == "Namespace"] + [o for o in found if o["kind"] != "Namespace"]
