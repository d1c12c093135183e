"""mom's harness and the Go proof of concept's harness, each driving the other's operators.

Covers, from operator repositories laid out as OpenShift CI sees them:
- mom's harness drives the Go sample operator through the Go project's own apply-configuration
  cases: all four pass, as they do under the Go harness;
- the Go harness cannot read the metadata files mom writes (``name:``; its vendored library
  reads only the old ``mame:`` key): driving mom's Python sample operator, it reads every
  request's name as empty and fails all four cases that mom passes; comparing two outputs both
  written with ``name:`` it passes even when an expected request names another object, which
  mom reports.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harnesses import go_verdicts, mom_verdicts, run_harness
from tests.real_operators import operator_repository

pytestmark = pytest.mark.conformance

CASES = ["eventing-01", "test-basic-call", "test-controller-name", "test-forced-error"]


@pytest.fixture
def go_cases(conformance_dir: Path) -> Path:
    return conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration"


def test_mom_harness_passes_the_go_cases_driving_the_go_sample_operator(
    tmp_path: Path, mom_executable: Path, go_harness: Path, go_sample_operator: Path, go_cases: Path
) -> None:
    mom_repo = operator_repository(tmp_path / "mom-repo", go_cases, go_sample_operator, "sample-operator")
    go_repo = operator_repository(tmp_path / "go-repo", go_cases, go_sample_operator, "sample-operator")
    mom = run_harness(
        mom_executable, mom_repo, f"--output-dir={tmp_path / 'mom-out'}", "--preserve-policy=KeepAlways"
    )
    go = run_harness(
        go_harness, go_repo, f"--output-dir={tmp_path / 'go-out'}", "--preserve-policy=KeepAlways"
    )

    assert mom.returncode == 0, mom.stderr
    assert mom.stdout.splitlines()[-1] == "4 passed, 0 failed"
    assert go.returncode == 0, go.stderr
    every_case_passes = dict.fromkeys(CASES, True)
    assert mom_verdicts(tmp_path / "mom-out" / "junit.xml") == every_case_passes
    assert go_verdicts(tmp_path / "go-out" / "junit.xml") == every_case_passes


def test_go_harness_reads_names_in_mom_metadata_files_as_empty(
    tmp_path: Path, mom_executable: Path, go_harness: Path, python_sample_operator: Path, go_cases: Path
) -> None:
    repo = operator_repository(tmp_path / "repo", go_cases, python_sample_operator, "sample-operator")
    mom = run_harness(mom_executable, repo, f"--output-dir={tmp_path / 'mom-out'}")
    go = run_harness(go_harness, repo, f"--output-dir={tmp_path / 'go-out'}")
    assert mom.returncode == 0, mom.stderr
    assert go.returncode == 1
    assert go_verdicts(tmp_path / "go-out" / "junit.xml") == dict.fromkeys(CASES, False)
    # the expected files (Go-written, ``mame:``) name the ConfigMap; mom's output (``name:``) reads as nameless
    assert "rhs is missing: Create-ConfigMap.v1./foo[openshift-authentication]" in go.stderr
    assert "lhs is missing: Create-ConfigMap.v1./[openshift-authentication]" in go.stderr

    replaced = run_harness(
        mom_executable, repo, f"--output-dir={tmp_path / 'out'}", "--replace-expected-output"
    )
    assert replaced.returncode == 0, replaced.stderr
    metadata = sorted((repo / "test-data" / "apply-configuration").rglob("*-metadata-*.yaml"))
    assert metadata and all(m.read_text().count("\nname: ") == 1 for m in metadata)
    assert not any("mame:" in m.read_text() for m in metadata)

    (foo,) = (repo / "test-data" / "apply-configuration" / "test-basic-call").rglob("*-metadata-foo.yaml")
    foo.write_text(foo.read_text().replace("\nname: foo\n", "\nname: renamed\n"))
    go = run_harness(go_harness, repo, f"--output-dir={tmp_path / 'go-out-2'}")
    mom = run_harness(mom_executable, repo, f"--output-dir={tmp_path / 'mom-out-2'}")
    assert go.returncode == 0, go.stderr  # blind to the name it cannot read
    assert mom.returncode == 1
    assert mom.stdout.splitlines()[-1] == "3 passed, 1 failed"
    assert "missing Create-ConfigMap.v1./renamed[openshift-authentication]" in mom.stderr
