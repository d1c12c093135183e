"""The ``/version`` a served must-gather answers: the Kubernetes version of the gathered cluster.

Owns :func:`server_version`: the ``kube-apiserver`` operand version of the ``kube-apiserver``
ClusterOperator (OpenShift), else the kubelet version the nodes report, else ``None`` (the
caller answers with its own). ``kubectl version`` then shows what the cluster ran.
"""

from __future__ import annotations

import re
from typing import Any

from mom.api.errors import MomError
from mom.api.resources import GroupVersionResource
from mom.mustgather.store import Snapshot

CLUSTEROPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
NODES = GroupVersionResource("", "v1", "nodes")
_VERSION_RE = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)([-+.~A-Za-z0-9]*)$")


def _operand_version(snapshot: Snapshot) -> str | None:
    if snapshot.discovery.resource_info(CLUSTEROPERATORS) is None:
        return None
    try:
        operator = snapshot.get(CLUSTEROPERATORS, name="kube-apiserver")
    except MomError:
        return None
    status = operator.get("status")
    for entry in (status.get("versions") if isinstance(status, dict) else None) or []:
        if isinstance(entry, dict) and entry.get("name") == "kube-apiserver":
            value = entry.get("version")
            return value if isinstance(value, str) else None
    return None


def _kubelet_version(snapshot: Snapshot) -> str | None:
    if snapshot.discovery.resource_info(NODES) is None:
        return None
    for node in snapshot.list(NODES):
        info = (node.get("status") or {}).get("nodeInfo") if isinstance(node.get("status"), dict) else None
        value = info.get("kubeletVersion") if isinstance(info, dict) else None
        if isinstance(value, str):
            return value
    return None


def server_version(snapshot: Snapshot) -> dict[str, Any] | None:
    """The ``version.Info`` of the gathered cluster, or ``None`` when the snapshot does not say."""
    for found in (_operand_version(snapshot), _kubelet_version(snapshot)):
        match = _VERSION_RE.match(found or "")
        if match is None:
            continue
        major, minor, patch, rest = match.groups()
        return {
            "major": major,
            "minor": minor,
            "gitVersion": f"v{major}.{minor}.{patch}{rest}",
            "gitCommit": "",
            "gitTreeState": "",
            "buildDate": "",
            "goVersion": "",
            "compiler": "",
            "platform": "",
        }
    return None
