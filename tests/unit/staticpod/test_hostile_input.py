"""Bad input to the static pod controller: one clear line, a non-zero exit, nothing changed.

Covers: an operand definition with unknown fields, names that would escape a directory and
missing parts is refused by ``mom static-pods`` with every problem on one line; node flags out
of range are refused before any directory is made; a malformed ``StaticPodOperatorStatus``
read from the cluster fails the controller's run with the field path and writes nothing;
malformed mirror pods are not taken as node reports.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.staticpod.world import EXAMPLE, KUBESCHEDULERS, OPERAND, START, Cluster

from mom.api.errors import InvalidInput
from mom.operator.run import run_controllers
from mom.staticpod.controller import static_pod_operator
from mom.staticpod.mirror import mirror_pods
from mom.staticpod.status import read_status

MOM = [sys.executable, "-m", "mom.cli.main"]


def mom(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*MOM, *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_a_bad_operand_definition_is_one_line_listing_every_problem(tmp_path: Path) -> None:
    (tmp_path / "operand.yaml").write_text(
        "name: ../../etc\nnamespace: ns\nconfigMaps: [a, a]\nsecrets: [7]\nextra: 1\nminReadySeconds: -1\n"
    )
    done = mom("static-pods", "operator", "--operand", "operand.yaml", "input-resources", cwd=tmp_path)

    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mom: error: operand.yaml: 6 problems: ")
    for problem in (
        'name: Invalid value: "../../etc"',
        "extra: Forbidden: unknown field",
        "configMaps: Duplicate value",
        "secrets[0]: Invalid value: 7",
        "operator: Required value",
        "minReadySeconds: Invalid value: -1",
    ):
        assert problem in lines[0]


def test_node_flags_out_of_range_are_refused_before_anything_is_made(tmp_path: Path) -> None:
    done = mom(
        "static-pods", "node", "--operand", str(EXAMPLE / "operand.yaml"), "--node", "master-0",
        "--resources-dir", "resources", "--manifests-dir", "manifests", "--kubeconfig", "missing",
        "--ready-timeout", "0", "--keep", "0", "--probe-url", "file:///etc/passwd", "--once",
        cwd=tmp_path,
    )  # fmt: skip

    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "--ready-timeout: Invalid value: 0.0" in done.stderr and "--probe-url" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_malformed_status_fails_the_run_and_writes_nothing(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "cluster", lambda: START)

    def corrupt(client):  # type: ignore[no-untyped-def]
        obj = client.get(KUBESCHEDULERS, "cluster")
        status = {
            "latestAvailableRevision": "three",
            "nodeStatuses": [{"nodeName": "master-0", "currentRevision": -1}],
        }
        client.update_status(KUBESCHEDULERS, {**obj, "status": status})

    cluster.write(corrupt)
    operator = static_pod_operator(OPERAND)
    outcome = run_controllers(
        operator, cluster.target.read(), now=START, enabled={operator.controller_names[0]: True}
    )

    (result,) = outcome.results.results
    assert result.status.value == "Failed"
    assert result.errors == (
        'kubeschedulers/cluster: 2 problems: status.latestAvailableRevision: Invalid value: "three": must be a '
        "non-negative integer; status.nodeStatuses[0].currentRevision: Invalid value: -1: must be a non-negative integer",
    )
    assert outcome.requests == ()


def test_read_status_reports_the_field_path() -> None:
    with pytest.raises(InvalidInput, match=r"status.nodeStatuses\[0\]: Invalid value: \"x\": must be a map"):
        read_status({"status": {"nodeStatuses": ["x"]}}, "kubeschedulers/cluster")


def test_malformed_mirror_pods_are_not_node_reports() -> None:
    pods = [
        {"metadata": {"labels": {"revision": "2"}}, "spec": {}},  # no node
        {"metadata": {"labels": {"revision": "x"}}, "spec": {"nodeName": "master-0"}},
        {"metadata": "nonsense", "spec": {"nodeName": "master-1"}},
        {
            "metadata": {"labels": {"revision": "3"}},
            "spec": {"nodeName": "master-2"},
            "status": {
                "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": "yesterday"}]
            },
        },
    ]
    found = mirror_pods(pods)
    assert list(found) == ["master-2"]
    assert (found["master-2"].revision, found["master-2"].ready) == (3, False)
