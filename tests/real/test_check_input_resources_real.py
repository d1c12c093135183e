"""`mom check-input-resources` on the real cluster-authentication-operator and a real must-gather.

Covers: run on the aws must-gather (passed as the archive's top directory, the tree one level
down) the check exits 1 and names the undeclared objects the operator's controllers fail
without — ``authentications.config.openshift.io/cluster`` and the ConfigMap
``openshift-etcd/etcd-endpoints`` — each with controllers that fail only on the pruned inputs;
nothing it names is among the operator's declared inputs; the CertificateSigningRequest whose
key the operator generates afresh on every run is not reported as a difference. mom's own
OAuth operator, traced on the same must-gather, declares every object it reads.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from mom.api.input_resources import InputResources
from mom.cli.main import main
from mom.serialization import load_document

pytestmark = pytest.mark.realdata

NOW = "2024-10-14T22:38:20Z"


def test_authentication_operator_undeclared_inputs_are_named(
    authentication_operator: Path, aws_must_gather: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check-input-resources", "--binary", str(authentication_operator)]
    argv += ["--must-gather-dir", str(aws_must_gather), "--now", NOW, "-o", "json"]
    assert main([*argv, "--output-dir", str(tmp_path / "work")]) == 1
    report = json.loads(capsys.readouterr().out)
    named = {(u["group"], u["resource"], u["namespace"], u["name"]): u for u in report["undeclared"]}

    authentication = named[("config.openshift.io", "authentications", "", "cluster")]
    assert authentication["inMustGather"] is True
    assert authentication["evidence"] == "not-found"
    etcd_endpoints = named[("", "configmaps", "openshift-etcd", "etcd-endpoints")]
    assert etcd_endpoints["namespaceInferred"] is False

    failing = {f["controllerName"] for f in report["failedOnlyOnPrunedInputs"]}
    for item in (authentication, etcd_endpoints):
        assert item["controllers"]
        assert set(item["controllers"]) <= failing

    declared = InputResources.from_wire(
        load_document(
            subprocess.run(
                [str(authentication_operator), "input-resources"], capture_output=True, check=True
            ).stdout,
            "input-resources",
        ),
        "input-resources",
    )
    exact = {
        (e.group, e.resource, e.namespace, e.name)
        for e in declared.apply_configuration_resources.exact_resources
    }
    assert exact, "the operator declares exact inputs"
    assert not exact & set(named)

    subjects = [d["subject"] for d in report["outputDifferences"]]
    assert not any("CertificateSigningRequest" in subject for subject in subjects)


def test_oauth_operator_reads_only_what_it_declares(
    aws_must_gather: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check-input-resources", "--python", "mom.operator.oauth.operator:OAUTH_OPERATOR"]
    argv += ["--must-gather-dir", str(aws_must_gather), "--now", NOW, "-o", "json"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "operator": "oauth-operator",
        "method": "traced-reads",
        "complete": True,
        "undeclared": [],
        "failedOnlyOnPrunedInputs": [],
        "outputDifferences": [],
    }
