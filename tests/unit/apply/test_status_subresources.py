"""One table of resources without a status subresource, consulted by every writer and by RBAC.

Covers: for every entry of the table, a manifest target answers an UpdateStatus NotFound and
the generated RBAC grants no ``<resource>/status`` rule; for resources outside it (a built-in
workload, a custom resource) the status write lands and the status rule is granted.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from apply_support import mutation

from mom.api.cluster import Action
from mom.api.input_resources import ExactResource, InputResources
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.apply import ManifestTarget, Outcome
from mom.apply.rbac import generate_rbac
from mom.mustgather.builtin_discovery import WITHOUT_STATUS, builtin_discovery

WITH_STATUS = [("apps", "deployments"), ("operator.openshift.io", "authentications")]


def _gvr(group: str, resource: str) -> GroupVersionResource:
    known = [
        info.gvr
        for info in builtin_discovery().resources()
        if (info.gvr.group, info.gvr.resource) == (group, resource)
    ]
    return known[0] if known else GroupVersionResource(group, "v1", resource)


def _status_write(target: ManifestTarget, gvr: GroupVersionResource) -> Outcome:
    info = builtin_discovery().resource_info(gvr)
    namespace = "ns" if info is None or info.namespaced else ""
    kind = info.kind if info is not None else "Thing"
    metadata = {"name": "one", **({"namespace": namespace} if namespace else {})}
    body = {"apiVersion": gvr.api_version, "kind": kind, "metadata": metadata}
    created = target.apply("create", mutation(Action.CREATE, gvr, body, namespace=namespace))
    assert created.ok, created.message
    assert created.object is not None
    status = {**created.object, "status": {"phase": "Seen"}}
    return target.apply("status", mutation(Action.UPDATE_STATUS, gvr, status, namespace=namespace)).outcome


def _status_rules(gvr: GroupVersionResource) -> list[str]:
    exact = ExactResource(gvr.group, gvr.version, gvr.resource, "", "one")
    outputs = OutputResources(management_resources=OutputResourceList(exact_resources=(exact,)))
    return [
        resource
        for obj in generate_rbac("op", InputResources(), outputs)
        for rule in obj.get("rules", [])
        for resource in rule["resources"]
        if resource.endswith("/status")
    ]


@pytest.mark.parametrize(("group", "resource"), sorted(WITHOUT_STATUS))
def test_resources_without_status(
    group: str, resource: str, open_target: Callable[..., ManifestTarget]
) -> None:
    gvr = _gvr(group, resource)
    assert _status_write(open_target(), gvr) is Outcome.NOT_FOUND
    assert _status_rules(gvr) == []


@pytest.mark.parametrize(("group", "resource"), WITH_STATUS)
def test_resources_with_status(group: str, resource: str, open_target: Callable[..., ManifestTarget]) -> None:
    gvr = _gvr(group, resource)
    assert _status_write(open_target(), gvr) is Outcome.UPDATED
    assert _status_rules(gvr) == [f"{resource}/status"]
