"""The real cluster-authentication-operator under the manager, on the aws must-gather's objects.

Covers, with the operator's declared inputs gathered from the must-gather as the cluster: its
second run journals which inputs changed (the operands its first run created, the Authentication
it wrote), and ``mom journal show`` lists them; a tick inside the debounce window defers it, with
when it runs; its UpdateStatus of the ClusterOperator, sent without resourceVersion, is refused
as kube-apiserver refuses it; it does not converge, and the warning says why (it creates new
Events and a new CertificateSigningRequest every run).
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mom.api.input_resources import InputResources
from mom.cli.main import main
from mom.inputs.gather import gather_inputs
from mom.inputs.writer import write_input_dir
from mom.journal import InputChange, InputChangeKind
from mom.journal.records import MutationState
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.schedule import Trigger
from mom.mustgather.loader import load_must_gather
from mom.serialization import dump_json, load_document


def test_the_authentication_operator_explained(
    authentication_operator: Path, aws_must_gather: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (resources,) = [p for p in aws_must_gather.iterdir() if (p / "cluster-scoped-resources").is_dir()]
    declared_output = subprocess.run(
        [authentication_operator, "input-resources"], capture_output=True, check=True
    ).stdout
    declared = InputResources.from_wire(load_document(declared_output, "input-resources"), "input-resources")
    write_input_dir(gather_inputs(load_must_gather(resources), declared), tmp_path / "cluster")
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 5,
        "operators": [{"name": "authentication", "command": [str(authentication_operator)], "timeout": 120}],
        "clusters": [{"name": "standalone", "manifestDir": "cluster"}],
        "instances": [{"name": "standalone", "topology": "Standalone", "cluster": "standalone"}],
    }
    (tmp_path / "mom.yaml").write_bytes(dump_json(config))
    now = [datetime(2021, 8, 3, 12, 0, 0, tzinfo=UTC)]
    manager, _ = open_manager(load_config(tmp_path / "mom.yaml"), clock=lambda: now[0])
    try:
        [first] = manager.tick().pairs
        assert first.trigger is Trigger.FIRST_RUN and first.applied > 10

        now[0] += timedelta(seconds=1)
        [deferred] = manager.tick().pairs
        assert (deferred.trigger, deferred.deferred_for) == (Trigger.DEFERRED, Trigger.INPUTS_CHANGED)
        assert deferred.deferred_until == now[0] + timedelta(seconds=4), "debounce: 5 s after the run began"

        now[0] += timedelta(seconds=60)
        [second] = manager.tick().pairs
        assert second.trigger is Trigger.INPUTS_CHANGED and second.run_id is not None
        changes = manager.journal.run(second.run_id).input_changes or ()
        assert (
            InputChange(InputChangeKind.CHANGED, "operator.openshift.io", "authentications", "", "cluster")
            in changes
        )
        created = InputChange(
            InputChangeKind.ADDED, "", "serviceaccounts", "openshift-authentication", "oauth-openshift"
        )
        assert created in changes, "an operand its first run created is an input of the second"

        refused = [
            m.reason
            for m in manager.journal.mutations_of(second.run_id)
            if m.request.action.value == "UpdateStatus" and m.request.gvr.resource == "clusteroperators"
        ]
        assert refused and all(
            r.endswith("metadata.resourceVersion: Invalid value: 0: must be specified for an update")
            for r in refused
        ), refused
        assert all(
            m.state is MutationState.FAILED
            for m in manager.journal.mutations_of(second.run_id)
            if m.request.gvr.resource == "clusteroperators" and m.request.action.value == "UpdateStatus"
        )

        warnings: list[str] = []
        for _ in range(3):
            now[0] += timedelta(seconds=60)
            warnings += manager.tick().warnings
    finally:
        manager.journal.close()
    [warning] = [w for w in warnings if "operator authentication on standalone does not converge" in w]
    assert re.search(r"\d+ new events in openshift-authentication-operator on standalone", warning), warning
    assert "1 new certificatesigningrequests.certificates.k8s.io on standalone" in warning, warning

    assert (
        main(
            [
                "journal",
                "show",
                str(second.run_id),
                "--journal",
                str(tmp_path / "state/journal.sqlite"),
                "-o",
                "json",
            ]
        )
        == 0
    )
    shown = json.loads(capsys.readouterr().out)["inputChanges"]
    (authentication,) = [
        c
        for c in shown
        if (c["change"], c["resource"], c["name"])
        == ("changed", "authentications.operator.openshift.io", "cluster")
    ]
    assert authentication["fields"], "the journal names the fields of its own status that changed"
