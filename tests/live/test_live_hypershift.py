"""HyperShift end to end on two real kube-apiservers: a management cluster and a guest cluster.

Covers: a configuration with live clusters ``management`` and ``guest`` and one HyperShift
instance (hosted control plane namespace ``clusters-e2e``) running the sample operator and the
OAuth operator in-process. After one tick on a guest seeded with its configuration objects:
namespaced Management writes (the OAuth Deployment and its ConfigMap, the sample operator's
events) are on the management apiserver in ``clusters-e2e``, carrying the origin annotation
(events point at the mapped namespace); UserWorkload writes (ConfigMap
``openshift-authentication/foo``) and cluster-scoped writes (the Authentication status, the
``authentication`` ClusterOperator) are on the guest apiserver; none of them is on the other
cluster; every mutation is journaled applied. Later ticks read back through the mapping: the
OAuth operator, whose own writes are among its inputs, settles (its status catches up with the
Deployment it wrote) and then a tick on its unchanged inputs does not run it; the sample
operator, which reads the ``foo`` counter it bumps, runs on every tick and its updates land on
the guest, its events on the management cluster, never the other way round.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.journal.records import MutationState
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.report import TickReport
from mom.manager.topology import ORIGIN_ANNOTATION
from mom.serialization import dump_json

pytestmark = pytest.mark.live

HCP = "clusters-e2e"
AUTH = "openshift-authentication"
EXAMPLE = "openshift-example-operator"
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
EVENTS = GroupVersionResource("", "v1", "events")
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
OAUTHS = GroupVersionResource("config.openshift.io", "v1", "oauths")
INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
CLUSTER_OPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
OPERAND_CONFIGMAP = "v4-0-config-system-cliconfig"


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def management(kube_apiserver: Cluster) -> Iterator[Client]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()


@pytest.fixture
def guest(second_kube_apiserver: Cluster) -> Iterator[Client]:
    transport = LiveTransport(second_kube_apiserver.kubeconfig)
    yield Client(transport)
    transport.close()


def _namespace(client: Client, name: str) -> None:
    body = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}
    client.apply(NAMESPACES, body, field_manager="mom-test", force=True)


def _seed_guest(guest: Client) -> None:
    """The hosted cluster's configuration, as an installer would leave it."""
    for name in (AUTH, EXAMPLE):
        _namespace(guest, name)
    config = "config.openshift.io/v1"
    seeds: list[tuple[GroupVersionResource, dict[str, Any]]] = [
        (INGRESSES, {"apiVersion": config, "kind": "Ingress", "spec": {"domain": "apps.e2e.test"}}),
        (
            OAUTHS,
            {
                "apiVersion": config,
                "kind": "OAuth",
                "spec": {"identityProviders": [{"name": "local", "type": "HTPasswd"}]},
            },
        ),
        (
            AUTHENTICATIONS,
            {
                "apiVersion": "operator.openshift.io/v1",
                "kind": "Authentication",
                "spec": {"managementState": "Managed"},
            },
        ),
    ]
    for gvr, body in seeds:
        guest.create(gvr, {**body, "metadata": {"name": "cluster"}})
    cluster_operator = {
        "apiVersion": config,
        "kind": "ClusterOperator",
        "metadata": {"name": "authentication"},
    }
    guest.create(CLUSTER_OPERATORS, cluster_operator)


def _write_config(directory: Path, management: Cluster, guest: Cluster) -> Path:
    directory.mkdir(parents=True)
    (directory / "management.kubeconfig").write_bytes(management.kubeconfig.read_bytes())
    (directory / "guest.kubeconfig").write_bytes(guest.kubeconfig.read_bytes())
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 0,
        "operators": [
            {
                "name": "sample-operator",
                "python": "mom.operator.sample.operator:SAMPLE_OPERATOR",
                "controllers": ["*", "-sample-operator-IngressCreator"],  # the guest has its Ingress
            },
            {"name": "oauth-operator", "python": "mom.operator.oauth.operator:OAUTH_OPERATOR"},
        ],
        "clusters": [
            {"name": "management", "kubeconfig": "management.kubeconfig"},
            {"name": "guest", "kubeconfig": "guest.kubeconfig"},
        ],
        "instances": [
            {
                "name": "e2e",
                "topology": "HyperShift",
                "management": "management",
                "guest": "guest",
                "hostedControlPlaneNamespace": HCP,
                "operandNamespaces": [AUTH, EXAMPLE],
            }
        ],
    }
    (directory / "mom.yaml").write_bytes(dump_json(config))
    return directory / "mom.yaml"


def _origin(obj: dict[str, Any]) -> str:
    return str((obj["metadata"].get("annotations") or {}).get(ORIGIN_ANNOTATION, ""))


def _condition_types(obj: dict[str, Any]) -> set[str]:
    return {c["type"] for c in (obj.get("status") or {}).get("conditions") or []}


def _ran(report: TickReport) -> list[str]:
    return sorted(p.operator for p in report.pairs if p.ran)


def test_one_hosted_cluster_across_a_management_and_a_guest_apiserver(
    kube_apiserver: Cluster,
    second_kube_apiserver: Cluster,
    management: Client,
    guest: Client,
    tmp_path: Path,
) -> None:
    _seed_guest(guest)
    _namespace(management, HCP)
    manager, _ = open_manager(
        load_config(_write_config(tmp_path / "manager", kube_apiserver, second_kube_apiserver)), clock=clock
    )
    try:
        first = manager.tick()
        assert _ran(first) == ["oauth-operator", "sample-operator"]
        assert all(p.exit_code == 0 and p.failed == 0 and p.refused == 0 for p in first.pairs), first.pairs
        for pair in first.pairs:
            assert pair.run_id is not None
            states = {m.state for m in manager.journal.mutations_of(pair.run_id)}
            assert states == {MutationState.APPLIED}, (pair.operator, states)

        # Management, namespaced: in the hosted control plane namespace of the management apiserver.
        deployment = management.get(DEPLOYMENTS, "oauth-openshift", HCP)
        assert _origin(deployment) == AUTH
        assert deployment["spec"]["template"]["spec"]["containers"][0]["name"] == "oauth-openshift"
        operand_config = management.get(CONFIGMAPS, OPERAND_CONFIGMAP, HCP)
        assert _origin(operand_config) == AUTH
        assert "https://oauth-openshift.apps.e2e.test" in str(operand_config["data"])
        events = [e for e in management.list(EVENTS, HCP) if _origin(e) == EXAMPLE]
        assert [e["reason"] for e in events] == ["must"]
        assert events[0]["involvedObject"]["namespace"] == HCP

        # UserWorkload and cluster-scoped: on the guest apiserver.
        assert guest.get(CONFIGMAPS, "foo", AUTH)["data"] == {"counter": "1"}
        authentication = guest.get(AUTHENTICATIONS, "cluster")
        assert {"ResourceSyncControllerDegraded", "OAuthServerAvailable"} <= _condition_types(authentication)
        assert {"Available", "Progressing", "Degraded"} <= _condition_types(
            guest.get(CLUSTER_OPERATORS, "authentication")
        )

        # Nothing of the instance on the other cluster.
        assert guest.get_or_none(NAMESPACES, HCP) is None
        assert guest.get_or_none(DEPLOYMENTS, "oauth-openshift", AUTH) is None
        assert guest.get_or_none(CONFIGMAPS, OPERAND_CONFIGMAP, AUTH) is None
        assert guest.list(EVENTS, EXAMPLE) == []
        assert management.get_or_none(CONFIGMAPS, "foo", HCP) is None
        assert management.get_or_none(CLUSTER_OPERATORS, "authentication") is None
        assert management.get_or_none(DEPLOYMENTS, "oauth-openshift", AUTH) is None

        # Reading back through the mapping: the OAuth operator's status catches up with the
        # Deployment it wrote, then it settles; the sample operator reads the counter it bumps.
        ticks = [manager.tick() for _ in range(3)]
        assert all(p.failed == 0 and p.refused == 0 for t in ticks for p in t.pairs)
        assert [_ran(t) for t in ticks][-1] == ["sample-operator"], [t.pairs for t in ticks]
        settled = manager.tick()
        assert _ran(settled) == ["sample-operator"], "the OAuth operator's inputs did not change"
        (sample,) = [p for p in settled.pairs if p.ran]
        assert sample.trigger == "inputs changed"
        assert guest.get(CONFIGMAPS, "foo", AUTH)["data"] == {"counter": "5"}
        assert management.get_or_none(CONFIGMAPS, "foo", HCP) is None
        events = [e for e in management.list(EVENTS, HCP) if _origin(e) == EXAMPLE]
        assert [e["reason"] for e in events] == ["must"], "named from the (fixed) clock: the same event"
        assert guest.list(EVENTS, EXAMPLE) == []
    finally:
        for target in manager.targets.values():
            assert isinstance(target, LiveTarget)
            target.close()
        manager.journal.close()
