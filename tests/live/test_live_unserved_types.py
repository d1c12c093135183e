"""A declared input type the server does not serve, against a real kube-apiserver.

Covers: a LiveTarget watching ``route.openshift.io/v1 routes`` before the Route CRD exists
reads at once (no wait for a watch that cannot list), with no Route objects and every other
type's objects; it warns once, not at every read or retry; once the CRD is created, its
objects appear in later reads. A manager tick with an operator reading a Route runs it (no
Route found) and applies its writes; when the Route appears the operator runs again on it, and
the journal records the Route as an added input.
"""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cluster import Cluster

from mom.api.resources import GroupVersionResource
from mom.client.client import Client
from mom.envtest.crds import CRD_PATH, install_crds
from mom.journal import InputChange, InputChangeKind
from mom.live import watches
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.mustgather.store import Snapshot
from mom.serialization import dump_json

pytestmark = pytest.mark.live

OPERATOR = """
from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.operator import Controller, Operator

NS = {namespace!r}
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
ROUTES = GroupVersionResource("route.openshift.io", "v1", "routes")


def report(ctx):
    route = ctx.client.get_or_none(ROUTES, "oauth", NS)
    host = route["spec"]["host"] if route else "none"
    body = {{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {{"name": "route-host", "namespace": NS}}}}
    ctx.client.apply(CONFIGMAPS, {{**body, "data": {{"host": host}}}}, field_manager="reporter", force=True)


REPORTER = Operator(
    name="reporter",
    inputs=InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(
                ExactResource("", "v1", "namespaces", "", NS),
                ExactResource("route.openshift.io", "v1", "routes", NS, "oauth"),
            )
        )
    ),
    outputs=OutputResources(
        user_workload_resources=OutputResourceList(exact_resources=(ExactResource.configmap(NS, "route-host"),))
    ),
    controllers=(Controller("reporter-Report", report),),
)
"""

NAMESPACES = GroupVersionResource("", "v1", "namespaces")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
ROUTES = GroupVersionResource("route.openshift.io", "v1", "routes")
ROUTE_CRD = "routes.route.openshift.io"
WAIT_SECONDS = 30.0
_names = itertools.count()


def clock() -> datetime:
    return datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)


def _route_crd() -> dict[str, Any]:
    open_object = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": ROUTE_CRD},
        "spec": {
            "group": "route.openshift.io",
            "scope": "Namespaced",
            "names": {"plural": "routes", "singular": "route", "kind": "Route", "listKind": "RouteList"},
            "versions": [
                {
                    "name": "v1",
                    "served": True,
                    "storage": True,
                    "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": open_object}}},
                }
            ],
        },
    }


@pytest.fixture
def routes_crd_absent(kube_apiserver: Cluster, tmp_path: Path) -> Iterator[Path]:
    """The server without the Route CRD; a file to install it from; the CRD removed afterwards."""
    assert not _installed(kube_apiserver), "the Route CRD must not be installed yet"
    path = tmp_path / "routes.yaml"
    path.write_text(json.dumps(_route_crd()))
    yield path
    if _installed(kube_apiserver):
        kube_apiserver.request("DELETE", f"{CRD_PATH}/{ROUTE_CRD}")
        deadline = time.monotonic() + WAIT_SECONDS
        while _installed(kube_apiserver) and time.monotonic() < deadline:
            time.sleep(0.2)


def _installed(cluster: Cluster) -> bool:
    return ROUTE_CRD in {item["metadata"]["name"] for item in cluster.request("GET", CRD_PATH)["items"]}


@pytest.fixture
def live(kube_apiserver: Cluster) -> Iterator[tuple[Client, LiveTransport]]:
    transport = LiveTransport(kube_apiserver.kubeconfig)
    yield Client(transport), transport
    transport.close()


def _until(read: Any, check: Any) -> Snapshot:
    deadline = time.monotonic() + WAIT_SECONDS
    snapshot = read()
    while not check(snapshot) and time.monotonic() < deadline:
        time.sleep(0.2)
        snapshot = read()
    return snapshot


def test_an_unserved_type_has_no_objects_warns_once_and_is_picked_up_when_served(
    kube_apiserver: Cluster,
    live: tuple[Client, LiveTransport],
    routes_crd_absent: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(watches, "SYNC_TIMEOUT", 5.0)  # a read waiting for routes would fail, not stall
    monkeypatch.setattr(watches, "UNSERVED_RETRY_SECONDS", 0.2)
    client, transport = live
    namespace = f"unserved-{next(_names)}-{time.monotonic_ns() % 100000}"
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    client.create(
        CONFIGMAPS,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm", "namespace": namespace}},
    )
    caplog.set_level(logging.WARNING, logger="mom.live.watches")
    target = LiveTarget("live", transport, clock=clock, resources=[CONFIGMAPS, ROUTES])
    try:
        assert ROUTES in target.watched
        snapshot = target.read()
        assert snapshot.get(CONFIGMAPS, namespace=namespace, name="cm")["metadata"]["name"] == "cm"
        assert snapshot.list(ROUTES) == []
        time.sleep(1.0)  # several more LISTs of routes, each answered 404
        for _ in range(3):
            assert target.read().list(ROUTES) == []
        warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert warnings == [
            "route.openshift.io/v1 routes is not served by the cluster: inputs of that type have no objects until it is"
        ]

        install_crds(kube_apiserver, [routes_crd_absent])
        route = {
            "apiVersion": "route.openshift.io/v1",
            "kind": "Route",
            "metadata": {"name": "oauth", "namespace": namespace},
        }
        client.create(ROUTES, {**route, "spec": {"host": "oauth.example.com"}})
        seen = _until(target.read, lambda s: s.list(ROUTES, namespace=namespace))
        assert [r["spec"]["host"] for r in seen.list(ROUTES, namespace=namespace)] == ["oauth.example.com"]
    finally:
        target.close()


def test_a_manager_tick_runs_an_operator_reading_an_unserved_type(
    kube_apiserver: Cluster,
    live: tuple[Client, LiveTransport],
    routes_crd_absent: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(watches, "SYNC_TIMEOUT", 5.0)
    monkeypatch.setattr(watches, "UNSERVED_RETRY_SECONDS", 0.2)
    client = live[0]
    namespace = f"unserved-{next(_names)}-{time.monotonic_ns() % 100000}"
    client.create(NAMESPACES, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    directory = tmp_path / "manager"
    directory.mkdir()
    module = f"unserved_{namespace.replace('-', '_')}"
    (directory / f"{module}.py").write_text(OPERATOR.format(namespace=namespace))
    (directory / "kubeconfig.yaml").write_bytes(kube_apiserver.kubeconfig.read_bytes())
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 0,
        "operators": [{"name": "reporter", "python": f"{module}:REPORTER"}],
        "clusters": [{"name": "live", "kubeconfig": "kubeconfig.yaml"}],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (directory / "mom.yaml").write_bytes(dump_json(config))
    monkeypatch.syspath_prepend(str(directory))
    caplog.set_level(logging.WARNING, logger="mom.live.watches")
    manager, _ = open_manager(load_config(directory / "mom.yaml"), clock=clock)
    target = manager.targets["live"]
    assert isinstance(target, LiveTarget)
    try:
        first = manager.tick()
        assert [(p.operator, p.ran, p.applied) for p in first.pairs] == [("reporter", True, 1)], first.pairs
        assert first.ok and client.get(CONFIGMAPS, "route-host", namespace)["data"] == {"host": "none"}
        assert manager.tick().runs == 0
        assert len([r for r in caplog.records if "routes is not served" in r.getMessage()]) == 1

        install_crds(kube_apiserver, [routes_crd_absent])
        route = {
            "apiVersion": "route.openshift.io/v1",
            "kind": "Route",
            "metadata": {"name": "oauth", "namespace": namespace},
        }
        client.create(ROUTES, {**route, "spec": {"host": "oauth.example.com"}})
        _until(target.read, lambda s: s.list(ROUTES, namespace=namespace))
        third = manager.tick()
        [pair] = third.pairs
        assert (pair.trigger, pair.applied) == ("inputs changed", 1), pair
        assert client.get(CONFIGMAPS, "route-host", namespace)["data"] == {"host": "oauth.example.com"}
        assert pair.run_id is not None
        added = InputChange(InputChangeKind.ADDED, "route.openshift.io", "routes", namespace, "oauth")
        assert added in (manager.journal.run(pair.run_id).input_changes or ())
    finally:
        target.close()
        manager.journal.close()
