"""Objects named in Kubernetes-style "not found" messages, resolved against discovery.

Covers: the apiserver's ``<resource>.<group> "<name>" not found`` with singular, plural, kind
and group-qualified resource names; listers' ``secret "x" not found``; quotes escaped by a
second quoting; ``<resource> <namespace>/<name> not found``; ``<resource>/<name> in the <ns>
namespace``; ``<resource> "<namespace>/<name>" not found``; ``getting <resource>/<name>:`` prefixes naming the same object only once; a
namespace found anywhere in the message wins over a bare mention of the same object;
cluster-scoped resources never get a namespace; words that resolve to no resource, namespaced
paths such as ``openshift-authentication/oauth-openshift`` and messages that do not say
"not found" name nothing.
"""

from __future__ import annotations

import pytest

from mom.api.resources import GroupVersionResource
from mom.manager.inputcheck.not_found import MissingObject, objects_not_found
from mom.mustgather.builtin_discovery import builtin_discovery

AUTHENTICATIONS = GroupVersionResource("config.openshift.io", "v1", "authentications")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
ENDPOINTS = GroupVersionResource("", "v1", "endpoints")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
ROUTES = GroupVersionResource("route.openshift.io", "v1", "routes")


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            'getting authentications.config.openshift.io/cluster: authentication.config.openshift.io "cluster" not found',
            [MissingObject(AUTHENTICATIONS, "cluster", "")],
        ),
        (
            'secret "v4-0-config-system-session" not found',
            [MissingObject(SECRETS, "v4-0-config-system-session")],
        ),
        ('sync failed: Secret \\"router-certs\\" not found', [MissingObject(SECRETS, "router-certs")]),
        ('configmaps "audit" not found', [MissingObject(CONFIGMAPS, "audit")]),
        (
            'route "openshift-authentication/oauth-openshift" not found in ingress.config/cluster',
            [MissingObject(ROUTES, "oauth-openshift", "openshift-authentication")],
        ),
        ('deployments.apps "oauth-openshift" not found', [MissingObject(DEPLOYMENTS, "oauth-openshift")]),
        (
            "configmap openshift-etcd/etcd-endpoints not found, and fallback observer failed\n"
            "endpoints/host-etcd-2 in the openshift-etcd namespace: not found",
            [
                MissingObject(CONFIGMAPS, "etcd-endpoints", "openshift-etcd"),
                MissingObject(ENDPOINTS, "host-etcd-2", "openshift-etcd"),
            ],
        ),
        (
            'configmap "trusted-ca" not found; configmaps/trusted-ca in the openshift-config namespace: not found',
            [MissingObject(CONFIGMAPS, "trusted-ca", "openshift-config")],
        ),
        (
            "authentications.config.openshift.io/cluster in the demo namespace not found",
            [MissingObject(AUTHENTICATIONS, "cluster", "")],
        ),
    ],
)
def test_named_objects_are_resolved(message: str, expected: list[MissingObject]) -> None:
    assert objects_not_found(message, builtin_discovery()) == expected


@pytest.mark.parametrize(
    "message",
    [
        'ingress.config/cluster does not yet have status for the "openshift-authentication/oauth-openshift" route',
        'widgets "w" not found',
        'secret "x" is invalid',
        "",
    ],
)
def test_text_naming_no_served_object_names_nothing(message: str) -> None:
    assert objects_not_found(message, builtin_discovery()) == []
