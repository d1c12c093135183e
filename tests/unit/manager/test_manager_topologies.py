"""The same operators under standalone and HyperShift topologies, through the whole loop.

Covers: a first tick runs every operator on every instance, journals each run and applies
its mutations; standalone puts everything on one cluster; HyperShift routes namespaced
Management objects into each hosted cluster's control-plane namespace on the management
cluster (marked with their operand namespace), and UserWorkload, Configuration and
cluster-scoped objects to each guest; each hosted cluster only sees its own objects; an
invalid configuration on one hosted cluster degrades that one only; a replayed run gives
the recorded output.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.unit.manager.conftest import FakeClock, with_sample_demo

from mom.api.resources import GroupVersionResource
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.replay import replay_run
from mom.manager.topology import ORIGIN_ANNOTATION
from mom.mustgather.loader import load_must_gather

DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
EVENTS = GroupVersionResource("", "v1", "events")
AUTHENTICATIONS = GroupVersionResource("operator.openshift.io", "v1", "authentications")
CLUSTER_OPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")


def conditions(obj: dict) -> dict[str, str]:
    return {c["type"]: c["status"] for c in obj.get("status", {}).get("conditions", [])}


def test_standalone_everything_on_one_cluster(standalone: Path, clock: FakeClock) -> None:
    manager, _ = open_manager(load_config(with_sample_demo(standalone)), clock=clock)
    report = manager.tick()

    assert report.ok and report.runs == 2
    cluster = load_must_gather(standalone.parent / "cluster")
    deployment = cluster.get(DEPLOYMENTS, namespace="openshift-authentication", name="oauth-openshift")
    assert deployment["spec"]["template"]["spec"]["containers"][0]["args"][-1] == "--v=2"
    assert cluster.get(CONFIGMAPS, namespace="openshift-authentication", name="foo")["data"] == {
        "counter": "1"
    }
    auth = cluster.get(AUTHENTICATIONS, name="cluster")
    assert conditions(auth) == {
        "OAuthServerAvailable": "False",
        "OAuthServerProgressing": "True",
        "OAuthServerDegraded": "False",
        "ResourceSyncControllerDegraded": "False",
    }, "two operators' conditions merged by server-side apply"
    assert ORIGIN_ANNOTATION not in deployment["metadata"].get("annotations", {})
    runs = manager.journal.runs()
    assert {(r.operator, r.instance, r.trigger) for r in runs} == {
        ("oauth-operator", "standalone", "first run"),
        ("sample-operator", "standalone", "first run"),
    }
    manager.journal.close()


def test_hypershift_routes_per_cluster_type(hypershift: Path, clock: FakeClock) -> None:
    manager, _ = open_manager(load_config(with_sample_demo(hypershift)), clock=clock)
    report = manager.tick()
    assert report.runs == 6
    root = hypershift.parent
    management = load_must_gather(root / "management")

    for name in ("alpha", "beta", "gamma"):
        guest = load_must_gather(root / "guests" / name)
        hcp = f"clusters-{name}"
        # UserWorkload: the guest's own namespace, never the management cluster.
        assert guest.get(CONFIGMAPS, namespace="openshift-authentication", name="foo")["data"] == {
            "counter": "1"
        }
        assert not [c for c in management.list(CONFIGMAPS, namespace=hcp) if c["metadata"]["name"] == "foo"]
        # Cluster-scoped Management and Configuration objects stay with the hosted cluster.
        assert "ResourceSyncControllerDegraded" in conditions(guest.get(AUTHENTICATIONS, name="cluster"))
        assert conditions(guest.get(CLUSTER_OPERATORS, name="authentication"))
        # Events of the operator namespace land in the hosted control plane namespace.
        events = management.list(EVENTS, namespace=hcp)
        assert events and all(e["metadata"]["namespace"] == hcp for e in events)
        assert all(e["involvedObject"]["namespace"] == hcp for e in events)
        assert not guest.list(EVENTS, namespace="openshift-example-operator")

    # Namespaced Management objects: the operand, in each hosted control plane namespace.
    for name in ("alpha", "beta"):
        deployment = management.get(DEPLOYMENTS, namespace=f"clusters-{name}", name="oauth-openshift")
        assert deployment["metadata"]["annotations"][ORIGIN_ANNOTATION] == "openshift-authentication"
        config = management.get(CONFIGMAPS, namespace=f"clusters-{name}", name="v4-0-config-system-cliconfig")
        assert f"apps.{name}.example.com" in config["data"]["v4-0-config-system-cliconfig"]
    # gamma's identity provider is unsupported: degraded there, and no operand rolled out.
    assert not management.list(DEPLOYMENTS, namespace="clusters-gamma")
    gamma = load_must_gather(root / "guests" / "gamma")
    assert conditions(gamma.get(CLUSTER_OPERATORS, name="authentication"))["Degraded"] == "True"
    alpha = load_must_gather(root / "guests" / "alpha")
    assert conditions(alpha.get(CLUSTER_OPERATORS, name="authentication"))["Degraded"] == "False"
    manager.journal.close()


def test_hosted_cluster_sees_a_standalone_world(hypershift: Path, clock: FakeClock) -> None:
    manager, _ = open_manager(load_config(hypershift), clock=clock)
    manager.tick()
    clock.advance(60)
    manager.tick()
    # The oauth operator's second run read its Deployment back through the inverse mapping:
    (second,) = [r for r in manager.journal.runs(operator="oauth-operator", instance="alpha") if r.run_id > 6]
    with tempfile.TemporaryDirectory() as scratch:
        from mom.journal.archive import unpack_dir

        unpack_dir(manager.journal.inputs_of(second.run_id), Path(scratch))
        inputs = load_must_gather(Path(scratch))
        deployment = inputs.get(DEPLOYMENTS, namespace="openshift-authentication", name="oauth-openshift")
        assert deployment["metadata"]["namespace"] == "openshift-authentication"
        assert ORIGIN_ANNOTATION not in deployment["metadata"].get("annotations", {})
    manager.journal.close()


def test_replay_reproduces_a_run(hypershift: Path, clock: FakeClock, tmp_path: Path) -> None:
    config = load_config(hypershift)
    manager, _ = open_manager(config, clock=clock)
    manager.tick()
    (run,) = manager.journal.runs(operator="oauth-operator", instance="alpha")
    replay = replay_run(
        config, manager.journal, dict(manager.runners), dict(manager.pins), run.run_id, tmp_path
    )
    assert replay.differences == ()
    manager.journal.close()
