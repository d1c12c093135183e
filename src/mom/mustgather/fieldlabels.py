"""The field labels each resource can be selected on, as the kube-apiserver supports them.

Owns :func:`field_labels` (every resource has ``metadata.name`` and, when namespaced,
``metadata.namespace``; a few built-in kinds add their own, such as a pod's ``spec.nodeName``
or an event's ``involvedObject.uid``) and :func:`field_value`, the text a field selector
compares for one object — a boolean as ``true``/``false``, a missing field as the empty string.
"""

from __future__ import annotations

from typing import Any

from mom.api.resources import GroupVersionResource, name_of, namespace_of

METADATA_LABELS = ("metadata.name", "metadata.namespace")

_EVENT_LABELS = (
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
)

_RESOURCE_LABELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("", "pods"): (
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.schedulerName",
        "spec.serviceAccountName",
        "spec.hostNetwork",
        "status.phase",
        "status.podIP",
        "status.nominatedNodeName",
    ),
    ("", "events"): _EVENT_LABELS,
    ("", "nodes"): ("spec.unschedulable",),
    ("", "namespaces"): ("status.phase",),
    ("", "secrets"): ("type",),
    ("", "replicationcontrollers"): ("status.replicas",),
    ("apps", "replicasets"): ("status.replicas",),
    ("batch", "jobs"): ("status.successful",),
    ("certificates.k8s.io", "certificatesigningrequests"): ("spec.signerName",),
}

_ALIASES = {("", "events", "source"): "source.component"}
"""Field labels whose value lives under another path."""


def field_labels(gvr: GroupVersionResource) -> tuple[str, ...]:
    """The field labels ``gvr`` can be selected on."""
    return METADATA_LABELS + _RESOURCE_LABELS.get((gvr.group, gvr.resource), ())


def field_value(obj: dict[str, Any], field: str, resource: tuple[str, str] = ("", "")) -> str:
    """The value of ``field`` in ``obj`` as a field selector compares it."""
    if field == "metadata.name":
        return name_of(obj)
    if field == "metadata.namespace":
        return namespace_of(obj)
    path = _ALIASES.get((*resource, field), field)
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value)
