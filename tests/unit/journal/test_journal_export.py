"""A journaled run of the real sample operator, exported as a test, passes ``mom test``.

Covers: running the sample operator on the basic-call fixture, storing its inputs, results
and routed mutations, exporting the run gives test.yaml (name, description with trigger and
digest, testType, now), input-dir/ equal to the inputs, expected-output/ equal to what the
operator wrote; ``mom test apply-configuration`` on it exits 0; a failing run (forced error
fixture) exports with desiredError NonZeroReturn and also passes; a non-empty target directory
and an unfinished run are refused.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.api.cluster import CLUSTER_TYPES
from mom.api.errors import Conflict, InvalidInput
from mom.api.results import ControllerResults
from mom.cli.main import main
from mom.journal import Journal, PlannedMutation, export_test, pack_dir
from mom.mutationdir.directory import read_mutation_dir
from mom.operator.command import run_command
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import load_document

NOW = "2024-10-14T22:38:20Z"
SAMPLE_BINARY = Path(sys.executable).parent / "sample-operator"
pytestmark = pytest.mark.conformance


def _fixture(conformance_dir: Path, name: str) -> Path:
    return (
        conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration" / name / "input-dir"
    )


def _journal_a_run(journal: Journal, input_dir: Path, out: Path) -> int:
    """Run the sample operator for real and store the run as the manager would."""
    moment = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)
    run_id = journal.begin_run(
        operator="sample-operator",
        instance="cluster",
        trigger="configmaps kube-system/foo changed",
        input_digest="sha256:0123",
        inputs=pack_dir(input_dir),
        started_at=moment,
        now=moment,
        seed=None,
        outputs_digest="sha256:4567",
    )
    exit_code = run_command(
        SAMPLE_OPERATOR,
        ["apply-configuration", "--input-dir", str(input_dir), "--output-dir", str(out), "--now", NOW],
    )
    results_text = (out / "controller-results.yaml").read_bytes()
    results = ControllerResults.from_wire(load_document(results_text, "controller-results.yaml"))
    mutations = [
        PlannedMutation("", cluster_type.value, "local", request)
        for cluster_type in CLUSTER_TYPES
        for request in read_mutation_dir(out / cluster_type.value)
    ]
    assert mutations, "the sample operator always writes something"
    journal.finish_run(run_id, finished_at=moment, exit_code=exit_code, results=results, mutations=mutations)
    return run_id


def _harness_passes(test_dir: Path, output_dir: Path) -> int:
    return main(
        ["test", "apply-configuration", "--test-dir", str(test_dir), "--binary", str(SAMPLE_BINARY),
         "--output-dir", str(output_dir)]
    )  # fmt: skip


def test_exported_run_passes_the_harness(conformance_dir: Path, tmp_path: Path) -> None:
    input_dir = _fixture(conformance_dir, "test-basic-call")
    with Journal(tmp_path / "journal.sqlite") as journal:
        run_id = _journal_a_run(journal, input_dir, tmp_path / "run-output")
        test_dir = export_test(journal, run_id, tmp_path / "tests" / "basic", binary_name="sample-operator")
    description = load_document((test_dir / "test.yaml").read_bytes(), "test.yaml")
    assert description["testName"] == f"sample-operator on cluster run {run_id}"
    assert description["testType"] == "ApplyConfiguration"
    assert description["now"] == NOW
    assert "configmaps kube-system/foo changed" in description["description"]
    assert "sha256:0123" in description["description"]
    assert "desiredError" not in description
    assert pack_dir(test_dir / "input-dir") == pack_dir(input_dir)
    assert main(["mutations", "diff", str(tmp_path / "run-output"), str(test_dir / "expected-output")]) == 0
    assert _harness_passes(tmp_path / "tests", tmp_path / "harness") == 0


def test_failed_run_exports_as_non_zero_return(conformance_dir: Path, tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite") as journal:
        run_id = _journal_a_run(
            journal, _fixture(conformance_dir, "test-forced-error"), tmp_path / "run-output"
        )
        assert journal.run(run_id).summary.exit_code != 0
        test_dir = export_test(journal, run_id, tmp_path / "tests" / "forced", binary_name="sample-operator")
    description = load_document((test_dir / "test.yaml").read_bytes(), "test.yaml")
    assert description["desiredError"] == "NonZeroReturn"
    assert _harness_passes(tmp_path / "tests", tmp_path / "harness") == 0


def test_export_refuses_to_overwrite_or_export_unfinished(conformance_dir: Path, tmp_path: Path) -> None:
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    with Journal(tmp_path / "journal.sqlite") as journal:
        run_id = _journal_a_run(journal, _fixture(conformance_dir, "test-basic-call"), tmp_path / "out")
        with pytest.raises(InvalidInput, match="not overwriting"):
            export_test(journal, run_id, occupied, binary_name="sample-operator")
        assert [p.name for p in occupied.iterdir()] == ["keep.txt"]
        moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
        unfinished = journal.begin_run(
            operator="o", instance="i", trigger="t", input_digest="d", inputs=b"", started_at=moment,
            now=moment, seed=None, outputs_digest="",
        )  # fmt: skip
        with pytest.raises(Conflict, match="only finished runs"):
            export_test(journal, unfinished, tmp_path / "new", binary_name="sample-operator")
        assert not (tmp_path / "new").exists()
