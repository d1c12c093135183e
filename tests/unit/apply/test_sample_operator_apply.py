"""Applying the sample operator's recorded output to a copy of its input, as a standalone cluster.

Covers: the Go fixture's expected mutations (all three cluster types, one target) create the
Ingress, the ConfigMap ``foo`` and the event, and set the authentication status condition in
place inside its List file; running the operator again on the updated tree and applying its
output converges: Demo bumps the counter to 2, everything else is unchanged; re-applying the
same mutation ids changes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from apply_support import AUTHENTICATIONS, CONFIGMAPS, fixed_clock

from mom.api.cluster import CLUSTER_TYPES
from mom.api.resources import GroupVersionResource
from mom.apply import ManifestTarget, Outcome
from mom.mutationdir.directory import read_mutation_dir
from mom.mutationdir.requests import MutationRequest
from mom.operator.command import run_command
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import load_document

INGRESSES = GroupVersionResource("config.openshift.io", "v1", "ingresses")
NOW = "2024-10-14T22:38:20Z"


def recorded(output: Path) -> list[tuple[str, MutationRequest]]:
    """Every request of an apply-configuration output with a stable mutation id."""
    return [
        (f"{output.name}/{cluster_type}/{index}-{request.identity}", request)
        for cluster_type in CLUSTER_TYPES
        for index, request in enumerate(read_mutation_dir(output / str(cluster_type)))
    ]


def run_operator(input_dir: Path, output: Path) -> None:
    argv = ["apply-configuration", "--input-dir", str(input_dir), "--output-dir", str(output), "--now", NOW]
    assert run_command(SAMPLE_OPERATOR, argv) == 0


def test_recorded_output_applies_and_rerun_converges(conformance_dir: Path, tmp_path: Path) -> None:
    case = conformance_dir / "multi-operator-manager/test-data/apply-configuration/test-basic-call"
    tree = tmp_path / "cluster"
    shutil.copytree(case / "input-dir", tree)
    target = ManifestTarget(tree, clock=fixed_clock)

    first = {mid: target.apply(mid, request) for mid, request in recorded(case / "expected-output")}

    assert all(result.ok for result in first.values()), first
    assert sorted(r.outcome for r in first.values()) == sorted(
        [Outcome.CREATED, Outcome.CREATED, Outcome.CREATED, Outcome.APPLIED]
    )
    snapshot = target.read()
    assert snapshot.get(CONFIGMAPS, namespace="openshift-authentication", name="foo")["data"] == {
        "counter": "1"
    }
    ingress = snapshot.get(INGRESSES, name="cluster")
    assert ingress["spec"] == {"domain": "", "loadBalancer": {"platform": {"type": ""}}}
    assert "status" not in ingress  # ingresses have a status subresource: Create ignores status
    conditions = snapshot.get(AUTHENTICATIONS, name="cluster")["status"]["conditions"]
    assert conditions == [
        {"lastTransitionTime": NOW, "status": "False", "type": "ResourceSyncControllerDegraded"}
    ]
    assert not (tree / "cluster-scoped-resources/operator.openshift.io/authentications").exists()
    auth_list = load_document(
        (tree / "cluster-scoped-resources/operator.openshift.io/authentications.yaml").read_bytes(), "list"
    )
    assert auth_list["kind"] == "AuthenticationList" and len(auth_list["items"]) == 1
    assert (tree / "cluster-scoped-resources/config.openshift.io/ingresses/cluster.yaml").is_file()

    run_operator(tree, tmp_path / "second")
    second = {
        (request.action.value, request.gvr.resource): target.apply(mid, request).outcome
        for mid, request in recorded(tmp_path / "second")
    }

    assert second == {
        ("Create", "ingresses"): Outcome.UNCHANGED,  # exists as asked
        ("Create", "events"): Outcome.UNCHANGED,  # same name and content: same `now`
        ("Update", "configmaps"): Outcome.UPDATED,  # Demo's counter
        ("ApplyStatus", "authentications"): Outcome.UNCHANGED,
    }
    assert target.read().get(CONFIGMAPS, namespace="openshift-authentication", name="foo")["data"] == {
        "counter": "2"
    }

    before = {p: p.read_bytes() for p in tree.rglob("*.yaml")}
    again = [target.apply(mid, request) for mid, request in recorded(tmp_path / "second")]
    assert {r.outcome for r in again} == {Outcome.ALREADY_APPLIED}
    assert {p: p.read_bytes() for p in tree.rglob("*.yaml")} == before
