"""The ``lease`` section of the manager configuration.

Covers: a lease on a live cluster loads with its timings; every problem of a bad section is
reported at once with its field path (unknown field, missing name, a manifest-directory cluster,
timings out of range or in the wrong order), and ``mom run`` prints them as one line, exit 1,
without touching the journal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.cli.main import main
from mom.manager.config import parse_config
from mom.manager.scaleout.lease import LeaseSpec
from mom.serialization import dump_json


def document(tmp_path: Path, lease: Any) -> dict[str, Any]:
    (tmp_path / "dir").mkdir(exist_ok=True)
    (tmp_path / "kube.yaml").write_text("{}")
    return {
        "journal": "state/j.sqlite",
        "operators": [{"name": "op", "python": "m:OP"}],
        "clusters": [{"name": "live", "kubeconfig": "kube.yaml"}, {"name": "dir", "manifestDir": "dir"}],
        "instances": [{"name": "i", "topology": "Standalone", "cluster": "live"}],
        "lease": lease,
    }


def test_a_lease_on_a_live_cluster(tmp_path: Path) -> None:
    lease = {"name": "mom", "namespace": "openshift-mom", "cluster": "live", "leaseDuration": 20}
    config = parse_config(document(tmp_path, lease), tmp_path / "mom.yaml")
    assert config.lease == LeaseSpec("mom", "openshift-mom", "live", 20.0, 10.0, 2.0)
    document_without = document(tmp_path, None)
    del document_without["lease"]
    assert parse_config(document_without, tmp_path / "mom.yaml").lease is None


def test_every_problem_of_a_lease_is_reported(tmp_path: Path) -> None:
    lease = {
        "namespace": "openshift-mom",
        "cluster": "dir",
        "leaseDuration": 5,
        "renewDeadline": 5,
        "retryPeriod": "2",
        "colour": "blue",
    }
    with pytest.raises(InvalidInput) as raised:
        parse_config(document(tmp_path, lease), tmp_path / "mom.yaml")
    problems = raised.value.problems
    assert any(p.startswith("lease.colour") for p in problems), problems
    assert any(p.startswith("lease.name: Required value") for p in problems), problems
    assert 'lease.cluster: Invalid value: "dir": must name a live cluster' in " ".join(problems)
    assert "lease.renewDeadline: Invalid value: must be shorter than leaseDuration" in problems
    assert any(p.startswith('lease.retryPeriod: Invalid value: "2"') for p in problems), problems
    with pytest.raises(InvalidInput) as raised:
        parse_config(
            document(tmp_path, {"name": "m", "namespace": "n", "cluster": "live", "leaseDuration": -1}),
            tmp_path / "mom.yaml",
        )
    assert any(p.startswith("lease.leaseDuration: Invalid value: -1") for p in raised.value.problems)


def test_mom_run_refuses_a_bad_lease_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lease = {"name": "mom", "namespace": "n", "cluster": "nowhere", "retryPeriod": 11}
    (tmp_path / "mom.yaml").write_bytes(dump_json(document(tmp_path, lease)))
    assert main(["run", "--config", str(tmp_path / "mom.yaml"), "--once"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mom: error: ") and "lease.cluster" in err
    assert "lease.retryPeriod: Invalid value: must be shorter than renewDeadline" in err
    assert not (tmp_path / "state").exists(), "nothing written"


def test_sharing_replicas_need_a_live_management_cluster(tmp_path: Path) -> None:
    hosted = document(tmp_path, {"name": "ring", "namespace": "n", "cluster": "live", "shards": True})
    (tmp_path / "guest").mkdir()
    hosted["clusters"].append({"name": "guest", "manifestDir": "guest"})
    instance = {"topology": "HyperShift", "guest": "guest", "operandNamespaces": ["openshift-example"]}
    hosted["instances"] = [
        {**instance, "name": "on-live", "management": "live", "hostedControlPlaneNamespace": "clusters-a"}
    ]
    assert parse_config(hosted, tmp_path / "mom.yaml").lease == LeaseSpec("ring", "n", "live", shards=True)
    hosted["instances"].append(
        {**instance, "name": "on-dir", "management": "dir", "hostedControlPlaneNamespace": "clusters-b"}
    )
    with pytest.raises(InvalidInput) as raised:
        parse_config(hosted, tmp_path / "mom.yaml")
    assert raised.value.problems == (
        'lease.shards: Invalid value: cluster "dir" is shared by hosted clusters of several replicas: '
        "it must be a live cluster ('kubeconfig'), not a manifest directory",
    )
