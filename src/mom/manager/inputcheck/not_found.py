"""Objects named in Kubernetes-style "not found" error messages.

Owns: :func:`objects_not_found`. Controllers report a missing object in a few shapes, all read
here and resolved against a discovery (plural, singular, kind or short name, optionally
qualified by group, as kubectl accepts them):

* the apiserver's and the listers' ``<resource> "<name>" not found``
  (``authentication.config.openshift.io "cluster" not found``, ``secret "x" not found``), also
  with escaped quotes when the message was quoted again, and ``"<namespace>/<name>"`` quoted;
* ``<resource> <namespace>/<name> not found`` (``configmap openshift-etcd/etcd-endpoints not found``);
* ``<resource>/<name>``, optionally followed by ``in the <namespace> namespace``, in a message
  that also says "not found" (``getting authentications.config.openshift.io/cluster: ...``).

Most shapes carry no namespace (``None``); the caller looks for it in the must-gather. Text that
does not resolve to a served resource is not an object name and is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mom.api.resources import GroupVersionResource
from mom.mustgather.discovery import Discovery

_NAME = r"[a-z0-9](?:[a-z0-9.:-]*[a-z0-9])?"
_RESOURCE = r"(?<![\w./-])(?P<resource>[A-Za-z][\w.-]*)"
_QUOTED = re.compile(_RESOURCE + r'\s+\\*"(?P<name>[^"\\\s]+)\\*"\s+not found')
_NAMESPACED = re.compile(_RESOURCE + rf"\s+(?P<namespace>{_NAME})/(?P<name>{_NAME})\s+not found")
_SLASHED = re.compile(
    _RESOURCE + rf"/(?P<name>{_NAME})(?![\w/])(?:\s+in the (?P<namespace>{_NAME}) namespace)?"
)


@dataclass(frozen=True, slots=True)
class MissingObject:
    """A resource (at its preferred version), namespace and name a message says were not found."""

    gvr: GroupVersionResource
    name: str
    namespace: str | None = None
    """``None`` when the message does not say (cluster-scoped resources: always ``""``)."""


def objects_not_found(message: str, discovery: Discovery) -> list[MissingObject]:
    """The objects ``message`` says were not found, in order of appearance, each once."""
    if "not found" not in message:
        return []
    found: dict[MissingObject, None] = {}
    matches = sorted(
        (match for pattern in (_QUOTED, _NAMESPACED, _SLASHED) for match in pattern.finditer(message)),
        key=lambda match: match.start(),
    )
    for match in matches:
        info = discovery.resolve(match["resource"])
        if info is None:
            continue
        namespace, _, name = match["name"].rpartition("/")
        namespace = namespace or match.groupdict().get("namespace")
        if "/" in (namespace or "") or not name:
            continue
        found.setdefault(MissingObject(info.gvr, name, namespace if info.namespaced else ""))
    placed = {(m.gvr, m.name) for m in found if m.namespace is not None}
    return [m for m in found if m.namespace is not None or (m.gvr, m.name) not in placed]


__all__ = ["MissingObject", "objects_not_found"]
