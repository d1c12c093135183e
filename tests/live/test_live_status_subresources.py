"""mom's table of resources without a status subresource, checked against a real kube-apiserver.

Covers: every stored resource the apiserver serves (one that accepts updates) has a
``<resource>/status`` in its discovery exactly when mom says it has one; every Kubernetes entry
of the table is a resource the apiserver serves without one (OpenShift's entries are not served
by a plain kube-apiserver and are left out).
"""

from __future__ import annotations

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.mustgather.builtin_discovery import WITHOUT_STATUS, has_status_subresource

pytestmark = pytest.mark.live


def _served(cluster: Cluster) -> dict[tuple[str, str], tuple[bool, bool]]:
    """(group, resource) -> (accepts updates, has /status), from every group version served."""
    paths = ["/api/v1"] + [
        f"/apis/{version['groupVersion']}"
        for group in cluster.request("GET", "/apis")["groups"]
        for version in group["versions"]
    ]
    served: dict[tuple[str, str], tuple[bool, bool]] = {}
    for path in paths:
        listed = cluster.request("GET", path)
        group = listed["groupVersion"].rpartition("/")[0]
        names = {entry["name"] for entry in listed["resources"]}
        for entry in listed["resources"]:
            if "/" not in entry["name"]:
                served[(group, entry["name"])] = (
                    "update" in entry["verbs"],
                    f"{entry['name']}/status" in names,
                )
    return served


def test_status_subresources_are_the_apiservers(kube_apiserver: Cluster) -> None:
    served = _served(kube_apiserver)
    wrong = [
        f"{group}/{resource}: served {'with' if status else 'without'} status"
        for (group, resource), (updatable, status) in sorted(served.items())
        if updatable
        and has_status_subresource(GroupVersionResource(group, "v1", resource)) != status
        and not group.endswith(".openshift.io")
    ]
    assert wrong == []
    unserved = [
        entry
        for entry in sorted(WITHOUT_STATUS)
        if not entry[0].endswith(".openshift.io") and served.get(entry, (False, True))[1]
    ]
    assert unserved == []
