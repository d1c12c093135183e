"""``mom run`` on what users actually hand it: relative commands, must-gather top directories.

Covers: an operator command relative to the configuration file (``command: [./operator]``) runs
when the configuration is given by a relative path, from the configuration's directory and from
any other working directory; a cluster whose ``manifestDir`` is a must-gather's top directory
gathers the objects one level down; a cluster where none of an operator's declared inputs exists
is a failed run, journaled with the reason, and the operator is not started; an operator that
reads only what it writes itself still starts from nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from tests.unit.mustgather.test_resource_root import must_gather

from mom.cli.main import main
from mom.journal.journal import Journal
from mom.journal.records import RunStatus
from mom.manager.assembly import build_runners
from mom.manager.config import load_config

OPERATOR = """#!/bin/sh
case "$1" in
input-resources) cat <<'EOF'
applyConfigurationResources:
  exactResources:
  - {group: "", version: v1, resource: configmaps, namespace: openshift-config, name: admin-kubeconfig-client-ca}
EOF
;;
output-resources) echo '{}' ;;
apply-configuration) grep -rq admin-kubeconfig-client-ca "$3" ;;  # $3: --input-dir; exit 0 only if gathered
*) exit 2 ;;
esac
"""


WRITES_WHAT_IT_READS = OPERATOR.replace(
    'apply-configuration) grep -rq admin-kubeconfig-client-ca "$3" ;;', "apply-configuration) exit 0 ;;"
).replace(
    "output-resources) echo '{}' ;;",
    """output-resources) cat <<'EOF'
userWorkloadResources:
  exactResources:
  - {group: "", version: v1, resource: configmaps, namespace: openshift-config, name: admin-kubeconfig-client-ca}
EOF
;;""",
)


def setup(directory: Path, manifest_dir: str, operator: str = OPERATOR) -> Path:
    """``directory/mom.yaml`` running ``./operator`` on the cluster at ``manifest_dir``."""
    script = directory / "operator"
    script.write_text(operator)
    script.chmod(0o755)
    config = {
        "journal": "state/journal.sqlite",
        "operators": [{"name": "reader", "command": ["./operator"]}],
        "clusters": [{"name": "cluster", "manifestDir": manifest_dir}],
        "instances": [{"name": "cluster", "topology": "Standalone", "cluster": "cluster"}],
    }
    (directory / "mom.yaml").write_text(yaml.safe_dump(config))
    return directory / "mom.yaml"


def test_a_relative_command_runs_from_any_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    must_gather(tmp_path / "must-gather")
    setup(tmp_path, "must-gather")
    monkeypatch.chdir(tmp_path)
    runner = build_runners(load_config(Path("mom.yaml")))["reader"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    (exact,) = runner.declared_inputs().apply_configuration_resources.exact_resources
    assert exact.name == "admin-kubeconfig-client-ca"


def test_run_gathers_a_must_gather_given_at_its_top_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    must_gather(tmp_path / "must-gather")
    setup(tmp_path, "must-gather")
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--config", "mom.yaml", "--once"]) == 0
    journal = Journal(tmp_path / "state" / "journal.sqlite")
    (run,) = journal.runs()
    assert run.status is RunStatus.SUCCEEDED and run.input_digest
    journal.close()


def test_no_declared_input_anywhere_is_a_failed_run_not_a_run_on_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty-cluster").mkdir()
    setup(tmp_path, "empty-cluster")
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--config", str(tmp_path / "mom.yaml"), "--once"]) == 1
    journal = Journal(tmp_path / "state" / "journal.sqlite")
    (run,) = journal.runs()
    assert run.status is RunStatus.FAILED
    record = journal.run(run.run_id)
    assert run.exit_code == -1, "the operator was started on an empty world (it would exit 1 there)"
    assert record.error == (
        "no declared input of operator reader exists on instance cluster (cluster cluster): "
        "not run on an empty world"
    )
    journal.close()
    assert "Traceback" not in capsys.readouterr().err
    assert os.listdir(tmp_path / "empty-cluster") in ([], [".mom"])


def test_an_operator_reading_only_its_own_outputs_starts_from_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "empty-cluster").mkdir()
    setup(tmp_path, "empty-cluster", WRITES_WHAT_IT_READS)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--config", "mom.yaml", "--once"]) == 0
