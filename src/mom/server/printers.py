"""The columns ``kubectl get`` shows for built-in kinds, as the kube-apiserver prints them.

Owns :data:`PRINTERS`: (group, resource) -> columns, Name first and the ``-o wide`` ones at
priority 1, for the kinds support engineers list most — pods, nodes, namespaces, events,
deployments, replica sets, daemon sets, stateful sets, services, persistent volume claims,
secrets, config maps and OpenShift routes. Kinds defined by CRDs take their columns from the
CRD (:mod:`mom.server.tables`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from mom.mustgather.reader import Object
from mom.server.columns import AGE, NAME, NONE, Column, age, field, items, number, section
from mom.server.podstatus import pod_reason, pod_restarts

ROLE_PREFIX = "node-role.kubernetes.io/"


def _pod_ready(obj: Object, now: datetime) -> Any:
    del now
    ready = sum(1 for s in items(section(obj, "status", "containerStatuses")) if s.get("ready"))
    return f"{ready}/{len(items(section(obj, 'spec', 'containers')))}"


def _readiness_gates(obj: Object, now: datetime) -> Any:
    del now
    gates = [g.get("conditionType") for g in items(section(obj, "spec", "readinessGates"))]
    if not gates:
        return NONE
    true = {c.get("type") for c in items(section(obj, "status", "conditions")) if c.get("status") == "True"}
    return f"{sum(1 for g in gates if g in true)}/{len(gates)}"


def _node_status(obj: Object, now: datetime) -> Any:
    del now
    ready = [c for c in items(section(obj, "status", "conditions")) if c.get("type") == "Ready"]
    shown = "Unknown"
    if ready:
        shown = {"True": "Ready", "False": "NotReady"}.get(str(ready[0].get("status")), "Unknown")
    if section(obj, "spec", "unschedulable") is True:
        shown += ",SchedulingDisabled"
    return shown


def _node_roles(obj: Object, now: datetime) -> Any:
    del now
    labels = section(obj, "metadata", "labels") or {}
    roles = {key.removeprefix(ROLE_PREFIX) for key in labels if key.startswith(ROLE_PREFIX)}
    if isinstance(labels.get("kubernetes.io/role"), str):
        roles.add(labels["kubernetes.io/role"])
    return ",".join(sorted(r for r in roles if r)) or NONE


def _address(kind: str) -> Any:
    def cell(obj: Object, now: datetime) -> Any:
        del now
        found = [
            a.get("address") for a in items(section(obj, "status", "addresses")) if a.get("type") == kind
        ]
        return found[0] if found and found[0] else NONE

    return cell


def _event_object(obj: Object, now: datetime) -> Any:
    del now
    involved = section(obj, "involvedObject") or {}
    return f"{str(involved.get('kind', '')).lower()}/{involved.get('name', '')}"


def _event_source(obj: Object, now: datetime) -> Any:
    del now
    component = section(obj, "source", "component") or section(obj, "reportingComponent") or ""
    host = section(obj, "source", "host")
    return f"{component}, {host}" if host else component or NONE


def _seen(timestamp: str) -> Any:
    """An event's age by ``timestamp`` (``lastTimestamp`` or ``firstTimestamp``), else by its
    ``eventTime``, else by its creation."""

    def cell(obj: Object, now: datetime) -> Any:
        for value in (
            obj.get(timestamp),
            obj.get("eventTime"),
            section(obj, "metadata", "creationTimestamp"),
        ):
            if isinstance(value, str) and value:
                return age(value, now)
        return "<unknown>"

    return cell


def _ratio(ready: str, total: str) -> Any:
    def cell(obj: Object, now: datetime) -> Any:
        return f"{number('status', ready)(obj, now)}/{number(*total.split('.'))(obj, now)}"

    return cell


def _containers(what: str) -> Any:
    def cell(obj: Object, now: datetime) -> Any:
        del now
        containers = items(section(obj, "spec", "template", "spec", "containers"))
        return ",".join(str(c.get(what, "")) for c in containers) or NONE

    return cell


def _selector(obj: Object, now: datetime) -> Any:
    del now
    selector = section(obj, "spec", "selector")
    labels = (
        section(selector, "matchLabels") if isinstance(section(selector, "matchLabels"), dict) else selector
    )
    if not isinstance(labels, dict) or not labels:
        return NONE
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items()) if isinstance(v, str)) or NONE


def _external_ips(obj: Object, now: datetime) -> Any:
    del now
    ingress = [
        i.get("ip") or i.get("hostname") for i in items(section(obj, "status", "loadBalancer", "ingress"))
    ]
    shown = [*(section(obj, "spec", "externalIPs") or []), *(i for i in ingress if i)]
    if shown:
        return ",".join(str(s) for s in shown)
    return "<pending>" if section(obj, "spec", "type") == "LoadBalancer" else NONE


def _ports(obj: Object, now: datetime) -> Any:
    del now
    shown = []
    for port in items(section(obj, "spec", "ports")):
        text = f"{port.get('port')}"
        if port.get("nodePort"):
            text += f":{port['nodePort']}"
        shown.append(f"{text}/{port.get('protocol', 'TCP')}")
    return ",".join(shown) or NONE


def _data_count(obj: Object, now: datetime) -> Any:
    del now
    return sum(len(v) for key in ("data", "binaryData", "stringData") if isinstance(v := obj.get(key), dict))


def _access_modes(obj: Object, now: datetime) -> Any:
    del now
    short = {
        "ReadWriteOnce": "RWO",
        "ReadOnlyMany": "ROX",
        "ReadWriteMany": "RWX",
        "ReadWriteOncePod": "RWOP",
    }
    modes = section(obj, "status", "accessModes") or []
    return ",".join(short.get(str(m), str(m)) for m in modes) if isinstance(modes, list) else ""


def _route_host(obj: Object, now: datetime) -> Any:
    del now
    host = section(obj, "spec", "host") or ""
    admitted = any(
        c.get("type") == "Admitted" and c.get("status") == "True"
        for ingress in items(section(obj, "status", "ingress"))
        for c in items(ingress.get("conditions"))
    )
    return (
        host
        if admitted or not host
        else f"{host} ... {len(items(section(obj, 'status', 'ingress')))} rejected"
    )


def _route_services(obj: Object, now: datetime) -> Any:
    del now
    backends = [section(obj, "spec", "to"), *items(section(obj, "spec", "alternateBackends"))]
    return ",".join(str(b.get("name")) for b in backends if isinstance(b, dict) and b.get("name")) or NONE


def _route_termination(obj: Object, now: datetime) -> Any:
    del now
    tls = section(obj, "spec", "tls")
    if not isinstance(tls, dict):
        return ""
    insecure = tls.get("insecureEdgeTerminationPolicy")
    return f"{tls.get('termination', '')}/{insecure}" if insecure else tls.get("termination", "")


def _wide(*columns: Column) -> list[Column]:
    return [Column(c.name, c.type, c.cell, c.format, 1) for c in columns]


def _string(title: str, *path: str, default: Any = NONE) -> Column:
    return Column(title, "string", field(*path, default=default))


def _integer(title: str, *path: str) -> Column:
    return Column(title, "integer", number(*path))


_WORKLOAD_WIDE = _wide(
    Column("Containers", "string", _containers("name")),
    Column("Images", "string", _containers("image")),
    Column("Selector", "string", _selector),
)

PRINTERS: dict[tuple[str, str], Sequence[Column]] = {
    ("", "pods"): [
        NAME,
        Column("Ready", "string", _pod_ready),
        Column("Status", "string", lambda obj, now: pod_reason(obj)),
        Column("Restarts", "string", pod_restarts),
        AGE,
        *_wide(
            _string("IP", "status", "podIP"),
            _string("Node", "spec", "nodeName"),
            _string("Nominated Node", "status", "nominatedNodeName"),
            Column("Readiness Gates", "string", _readiness_gates),
        ),
    ],
    ("", "nodes"): [
        NAME,
        Column("Status", "string", _node_status),
        Column("Roles", "string", _node_roles),
        AGE,
        _string("Version", "status", "nodeInfo", "kubeletVersion", default=""),
        *_wide(
            Column("Internal-IP", "string", _address("InternalIP")),
            Column("External-IP", "string", _address("ExternalIP")),
            _string("OS-Image", "status", "nodeInfo", "osImage", default="<unknown>"),
            _string("Kernel-Version", "status", "nodeInfo", "kernelVersion", default="<unknown>"),
            _string(
                "Container-Runtime", "status", "nodeInfo", "containerRuntimeVersion", default="<unknown>"
            ),
        ),
    ],
    ("", "namespaces"): [NAME, _string("Status", "status", "phase", default=""), AGE],
    ("", "events"): [
        Column("Last Seen", "string", _seen("lastTimestamp")),
        _string("Type", "type", default=""),
        _string("Reason", "reason", default=""),
        Column("Object", "string", _event_object),
        *_wide(
            _string("Subobject", "involvedObject", "fieldPath", default=""),
            Column("Source", "string", _event_source),
        ),
        _string("Message", "message", default=""),
        *_wide(
            Column("First Seen", "string", _seen("firstTimestamp")),
            _integer("Count", "count"),
            Column("Name", "string", NAME.cell, format="name"),
        ),
    ],
    ("apps", "deployments"): [
        NAME,
        Column("Ready", "string", _ratio("readyReplicas", "spec.replicas")),
        _integer("Up-to-date", "status", "updatedReplicas"),
        _integer("Available", "status", "availableReplicas"),
        AGE,
        *_WORKLOAD_WIDE,
    ],
    ("apps", "replicasets"): [
        NAME,
        _integer("Desired", "spec", "replicas"),
        _integer("Current", "status", "replicas"),
        _integer("Ready", "status", "readyReplicas"),
        AGE,
        *_WORKLOAD_WIDE,
    ],
    ("apps", "daemonsets"): [
        NAME,
        _integer("Desired", "status", "desiredNumberScheduled"),
        _integer("Current", "status", "currentNumberScheduled"),
        _integer("Ready", "status", "numberReady"),
        _integer("Up-to-date", "status", "updatedNumberScheduled"),
        _integer("Available", "status", "numberAvailable"),
        Column(
            "Node Selector",
            "string",
            lambda obj, now: (
                ",".join(
                    f"{k}={v}"
                    for k, v in sorted(
                        (section(obj, "spec", "template", "spec", "nodeSelector") or {}).items()
                    )
                )
                or NONE
            ),
        ),
        AGE,
        *_WORKLOAD_WIDE,
    ],
    ("apps", "statefulsets"): [
        NAME,
        Column("Ready", "string", _ratio("readyReplicas", "spec.replicas")),
        AGE,
        *_WORKLOAD_WIDE[:2],
    ],
    ("", "services"): [
        NAME,
        _string("Type", "spec", "type", default="ClusterIP"),
        _string("Cluster-IP", "spec", "clusterIP"),
        Column("External-IP", "string", _external_ips),
        Column("Port(s)", "string", _ports),
        AGE,
        *_wide(
            Column(
                "Selector",
                "string",
                lambda obj, now: (
                    ",".join(f"{k}={v}" for k, v in sorted((section(obj, "spec", "selector") or {}).items()))
                    or NONE
                ),
            )
        ),
    ],
    ("", "persistentvolumeclaims"): [
        NAME,
        _string("Status", "status", "phase", default=""),
        _string("Volume", "spec", "volumeName", default=""),
        _string("Capacity", "status", "capacity", "storage", default=""),
        Column("Access Modes", "string", _access_modes),
        _string("StorageClass", "spec", "storageClassName", default=""),
        AGE,
        *_wide(_string("VolumeMode", "spec", "volumeMode", default="Filesystem")),
    ],
    ("", "secrets"): [NAME, _string("Type", "type", default=""), Column("Data", "integer", _data_count), AGE],
    ("", "configmaps"): [NAME, Column("Data", "integer", _data_count), AGE],
    ("route.openshift.io", "routes"): [
        NAME,
        Column("Host/Port", "string", _route_host),
        _string("Path", "spec", "path", default=""),
        Column("Services", "string", _route_services),
        _string("Port", "spec", "port", "targetPort", default="<all>"),
        Column("Termination", "string", _route_termination),
        _string("Wildcard", "spec", "wildcardPolicy", default="None"),
    ],
}
