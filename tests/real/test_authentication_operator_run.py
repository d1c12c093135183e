"""The real cluster-authentication-operator under ``mom run --once`` on the real aws must-gather.

Covers, with the must-gather given at its top directory (the tree one level down, as
``oc adm must-gather`` writes it) and the operator command relative to the configuration file:
standalone, the operator runs on the must-gather's objects and its writes land there; HyperShift
(a management cluster holding only the hosted control plane namespace, the must-gather without
its operand namespaces as the guest, ``namespaceMapping: Flatten``), over two runs: no write is
refused as a mapping collision or as another writer's object, both ``default-deny-all``
NetworkPolicies land in the hosted control plane namespace, Management objects of
``openshift-config-managed`` land on the guest, and every object the second run both read and
wrote was read from the cluster its write went to.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.real.worlds import HCP, OPERANDS, hosted, standalone

from mom.api.resources import GroupVersionResource
from mom.cli.main import main
from mom.journal.archive import unpack_dir
from mom.journal.journal import Journal
from mom.journal.records import MutationState, PlannedMutation
from mom.mustgather.loader import load_must_gather

pytestmark = pytest.mark.realdata

NETWORK_POLICIES = GroupVersionResource("networking.k8s.io", "v1", "networkpolicies")
ROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "roles")


def run_once(directory: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``mom run --config mom.yaml --once`` from the configuration's directory. The operator's
    controllers report failures of their own on a 4.8 must-gather (exit 1): what is asserted is
    what mom did with its writes."""
    monkeypatch.chdir(directory)
    assert main(["run", "--config", "mom.yaml", "--once"]) in (0, 1)


def mutations(directory: Path) -> tuple[list[int], dict[int, list[PlannedMutation]]]:
    journal = Journal(directory / "state" / "journal.sqlite")
    runs = sorted(r.run_id for r in journal.runs())
    found = {run: journal.mutations_of(run) for run in runs}
    journal.close()
    return runs, found


def refused_as_collisions(planned: list[PlannedMutation]) -> list[str]:
    return [
        m.reason
        for m in planned
        if m.state is MutationState.REFUSED and ("collision" in m.reason or "belongs to" in m.reason)
    ]


def test_standalone_on_a_must_gather_top_directory(
    tmp_path: Path, aws_must_gather: Path, authentication_operator: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    standalone(tmp_path, aws_must_gather, authentication_operator)
    run_once(tmp_path, monkeypatch)
    (run,), planned = mutations(tmp_path)
    journal = Journal(tmp_path / "state" / "journal.sqlite")
    record = journal.run(run)
    journal.close()
    assert "empty world" not in record.error
    applied = [m for m in planned[run] if m.state is MutationState.APPLIED]
    assert len(applied) > 20, "the operator ran on the must-gather's objects and its writes landed"
    assert refused_as_collisions(planned[run]) == []
    (root,) = [p for p in (tmp_path / "cluster").iterdir() if (p / "namespaces").is_dir()]
    cluster = load_must_gather(root)
    assert cluster.get(NETWORK_POLICIES, namespace="openshift-authentication", name="default-deny-all")
    assert cluster.get(NETWORK_POLICIES, namespace="openshift-oauth-apiserver", name="default-deny-all")


def original(mutation: PlannedMutation) -> tuple[str, str, str, str]:
    """(group, resource, namespace, name) the operator addressed: flattened names split back."""
    request = mutation.request
    namespace, name = request.namespace, request.name
    if mutation.target == "management":
        assert namespace == HCP
        namespace, _, name = name.partition("--")
        assert namespace in OPERANDS
    return request.gvr.group, request.gvr.resource, namespace, name


def test_hypershift_reads_and_writes_each_object_on_one_cluster(
    tmp_path: Path, aws_must_gather: Path, authentication_operator: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hosted(tmp_path, aws_must_gather, authentication_operator, debounce=0, maxBackoff=0)
    run_once(tmp_path, monkeypatch)
    run_once(tmp_path, monkeypatch)
    runs, planned = mutations(tmp_path)
    assert len(runs) == 2, "the first run's writes changed the inputs: the operator ran again"
    for run in runs:
        assert refused_as_collisions(planned[run]) == []

    management = load_must_gather(tmp_path / "management")
    assert management.get(NETWORK_POLICIES, namespace=HCP, name="openshift-authentication--default-deny-all")
    assert management.get(NETWORK_POLICIES, namespace=HCP, name="openshift-oauth-apiserver--default-deny-all")
    guest = load_must_gather(tmp_path / "guest")
    assert guest.get(
        ROLES, namespace="openshift-config-managed", name="system:openshift:oauth-servercert-trust"
    )

    # Where the second run read each of its inputs: the management cluster's hosted control
    # plane namespace (flattened), or the guest. Each object it wrote must have been read there.
    second = runs[-1]
    journal = Journal(tmp_path / "state" / "journal.sqlite")
    unpack_dir(journal.inputs_of(second), tmp_path / "second-inputs")
    journal.close()
    inputs = load_must_gather(tmp_path / "second-inputs")
    written = {
        original(m): m.target
        for m in planned[second]
        if m.state is not MutationState.REFUSED and m.request.name and m.request.gvr.resource != "events"
    }
    checked = []
    for (group, resource, namespace, name), target in written.items():
        gvr = GroupVersionResource(group, "v1", resource)
        try:
            inputs.get(gvr, namespace=namespace, name=name)
        except Exception:
            continue  # not read: nothing to compare
        on_management = _exists(management, gvr, HCP, f"{namespace}--{name}") if namespace else False
        read_from = "management" if on_management else "guest"
        assert read_from == target, (
            f"{resource} {namespace}/{name} read from {read_from}, written to {target}"
        )
        checked.append(f"{resource} {namespace}/{name} on {target}")
    # at least authentications/cluster (guest) and the branding Secret the first run created (management)
    assert {
        "authentications /cluster on guest",
        f"secrets {OPERANDS[0]}/v4-0-config-system-ocp-branding-template on management",
    } <= set(checked)


def _exists(snapshot: Any, gvr: GroupVersionResource, namespace: str, name: str) -> bool:
    try:
        snapshot.get(gvr, namespace=namespace, name=name)
    except Exception:
        return False
    return True
