"""Per-hosted-cluster mode (``mom run --instance``) and ``mom deploy``'s refusals.

Covers: ``mom run --instance alpha`` on the three-hosted-cluster example runs only alpha's
operators, leaves the other guests' trees and their hosted control plane namespaces untouched,
and writes alpha's guest exactly as a run of the whole fleet does; a share of the fleet (a
replica's hosted clusters) holds nothing of the management cluster outside its hosted control
plane namespaces but their Namespace objects, and ticks to the same trees; an unknown instance is one
line naming the known ones, exit 1, nothing written. ``mom deploy`` refuses a manifest-directory
cluster (a pod cannot reach it) and a HyperMOM without hosted clusters in one line each.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.unit.manager.conftest import EXAMPLES, FakeClock

from mom.cli.main import main
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.scaleout.hosted import for_instances, for_one_instance
from mom.serialization import load_document


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def objects(root: Path) -> dict[str, Any]:
    """The tree's objects, without what the target assigns from its own run numbering (the uid,
    and the bookkeeping under .mom/) — a server assigns those too."""
    found: dict[str, Any] = {}
    for path in sorted(root.rglob("*.yaml")):
        name = str(path.relative_to(root))
        if not name.startswith(".mom/"):
            document = load_document(path.read_bytes(), name)
            for item in document.get("items") or [document]:
                item.get("metadata", {}).pop("uid", None)
            found[name] = document
    return found


def copy_fleet(tmp_path: Path, name: str) -> Path:
    shutil.copytree(EXAMPLES / "hypershift", tmp_path / name)
    return tmp_path / name


def test_one_hosted_cluster_of_a_fleet_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = copy_fleet(tmp_path, "one")
    before = tree(one)
    assert (
        main(["run", "--config", str(one / "mom.yaml"), "--instance", "alpha", "--once", "-o", "json"]) == 0
    )
    report = json.loads(capsys.readouterr().out)
    assert {p["instance"] for p in report["pairs"]} == {"alpha"}
    assert sum(p["applied"] for p in report["pairs"]) > 0
    after = tree(one)
    changed = {path for path in after if before.get(path) != after[path]}
    assert changed, "alpha's operators wrote"
    assert not any(p.startswith(("guests/beta", "guests/gamma")) for p in changed), changed
    assert not any("clusters-beta" in p or "clusters-gamma" in p for p in changed), changed


def test_one_hosted_cluster_writes_what_a_manager_of_the_fleet_writes(
    tmp_path: Path, clock: FakeClock
) -> None:
    one, everything = copy_fleet(tmp_path, "one"), copy_fleet(tmp_path, "all")
    for config in (
        for_one_instance(load_config(one / "mom.yaml"), "alpha"),
        load_config(everything / "mom.yaml"),
    ):
        manager, _ = open_manager(config, clock=clock)
        try:
            manager.tick()
        finally:
            manager.journal.close()
    for guest in ("guests/alpha", "management/namespaces/clusters-alpha"):
        alone, in_fleet = objects(one / guest), objects(everything / guest)
        assert alone and alone == in_fleet, f"{guest}: the same bytes as a manager of the whole fleet writes"


def test_a_share_of_the_fleet_reads_only_its_hosted_control_plane_namespaces(
    tmp_path: Path, clock: FakeClock
) -> None:
    share, everything = copy_fleet(tmp_path, "share"), copy_fleet(tmp_path, "all")
    for fleet in (share, everything):  # every hosted control plane namespace holds objects
        manager, _ = open_manager(load_config(fleet / "mom.yaml"), clock=clock)
        try:
            manager.tick()
        finally:
            manager.journal.close()
    held_by_gamma = share / "management/namespaces/clusters-gamma/core/configmaps/gamma-only.yaml"
    held_by_gamma.parent.mkdir(parents=True, exist_ok=True)
    held_by_gamma.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: gamma-only, namespace: clusters-gamma}\n"
    )
    whole = load_config(share / "mom.yaml")
    manager, _ = open_manager(whole, clock=clock)
    try:
        held = manager.targets["management"].read()
        assert {ref.namespace for ref, _ in held.objects()} >= {"clusters-gamma"}, "the fleet reads all"
    finally:
        manager.journal.close()
    manager, _ = open_manager(for_instances(whole, {"alpha", "beta"}), clock=clock)
    try:
        held = manager.targets["management"].read()
        places = {(ref.namespace, ref.gvr.resource) for ref, _ in held.objects()}
        assert {namespace for namespace, _ in places} == {"", "clusters-alpha", "clusters-beta"}
        assert {resource for namespace, resource in places if not namespace} == {"namespaces"}
        manager.tick()
    finally:
        manager.journal.close()
    manager, _ = open_manager(load_config(everything / "mom.yaml"), clock=clock)
    try:
        manager.tick()
    finally:
        manager.journal.close()
    for place in ("guests/alpha", "guests/beta", "management/namespaces/clusters-alpha"):
        assert objects(share / place) == objects(everything / place), f"{place}: as the whole fleet"


def test_an_unknown_instance_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fleet = copy_fleet(tmp_path, "fleet")
    before = tree(fleet)
    assert main(["run", "--config", str(fleet / "mom.yaml"), "--instance", "delta", "--once"]) == 1
    err = capsys.readouterr().err
    assert err == (
        f'mom: error: {fleet / "mom.yaml"}: instance "delta" is not configured (known: "alpha", "beta", "gamma")\n'
    )
    assert tree(fleet) == before


def test_deploy_refuses_what_a_pod_cannot_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fleet = copy_fleet(tmp_path, "fleet")
    before = tree(fleet)
    arguments = ["deploy", "--config", str(fleet / "mom.yaml"), "--image", "example.test/mom:1"]
    assert main([*arguments, "--shape", "HyperMOM"]) == 1
    assert tree(fleet) == before, "a refused deploy changes nothing, not even the manager's state"
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "clusters: \"management\": only live clusters ('kubeconfig') can be reached from a pod" in err
    assert main([*arguments, "--shape", "UnifiedStandaloneMOM", "--replicas", "0"]) == 1
    assert capsys.readouterr().err == "mom: error: --replicas: Invalid value: 0: must be at least 1\n"


def test_deploy_prints_without_registering_operators_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The deployed managers register their operators in their own state; printing the
    manifests writes nothing beside the configuration."""
    (tmp_path / "kube.yaml").write_text(
        "apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: 'https://127.0.0.1:6443'}}]\n"
        "users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "current-context: x\n"
    )
    (tmp_path / "mom.yaml").write_text(
        "journal: state/journal.sqlite\n"
        "operators: [{name: sample-operator, python: 'mom.operator.sample.operator:SAMPLE_OPERATOR'}]\n"
        "clusters: [{name: live, kubeconfig: kube.yaml}]\n"
        "instances: [{name: standalone, topology: Standalone, cluster: live}]\n"
    )
    before = tree(tmp_path)
    arguments = ["--config", str(tmp_path / "mom.yaml"), "--image", "example.test/mom:1"]
    assert main(["deploy", *arguments, "--shape", "UnifiedStandaloneMOM", "--schedule", "*/10 * * * *"]) == 0
    printed = capsys.readouterr().out
    assert "kind: CronJob" in printed and "sample-operator" in printed
    assert tree(tmp_path) == before
