"""A stored run written out as a golden test directory (FORMATS.md §3.7).

The directory holds ``test.yaml``, ``input-dir/`` (the run's inputs, unpacked) and
``expected-output/`` (the run's output without ``Unspecified/``, which a passing test never
has), so ``mom test apply-configuration`` re-runs the operator on the same inputs and compares.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mom.api.errors import Conflict, InvalidInput
from mom.api.timestamps import rfc3339
from mom.journal.archive import unpack_dir
from mom.journal.journal import Journal
from mom.journal.records import RunStatus
from mom.serialization import dump_go_yaml

TEST_FILE = "test.yaml"
INPUT_DIR = "input-dir"
EXPECTED_OUTPUT_DIR = "expected-output"
APPLY_CONFIGURATION = "ApplyConfiguration"
NON_ZERO_RETURN = "NonZeroReturn"


def describe_test(
    journal: Journal, run_id: int, *, binary_name: str, test_name: str | None
) -> dict[str, Any]:
    """The ``test.yaml`` document of a stored run."""
    record = journal.run(run_id)
    summary = record.summary
    if summary.status not in (RunStatus.SUCCEEDED, RunStatus.FAILED):
        raise Conflict(f"run {run_id} is {summary.status}: only finished runs can be exported")
    document: dict[str, Any] = {
        "binaryName": binary_name,
        "testName": test_name or f"{summary.operator} on {summary.instance} run {run_id}",
        "description": (
            f"Run {run_id} of {summary.operator} on {summary.instance}, triggered by "
            f"{summary.trigger or 'an unnamed trigger'}; inputs {summary.input_digest}."
        ),
        "testType": APPLY_CONFIGURATION,
        "now": rfc3339(record.now, fractions=True),
    }
    if summary.exit_code:
        document["desiredError"] = NON_ZERO_RETURN
    return document


def export_test(
    journal: Journal, run_id: int, directory: Path, *, binary_name: str, test_name: str | None = None
) -> Path:
    """Write run ``run_id`` as a golden test directory at ``directory``; returns ``directory``."""
    if not binary_name:
        raise InvalidInput("binaryName", ["Required value: the operator executable to test"])
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InvalidInput(
            str(directory), ["already exists and is not an empty directory; not overwriting it"]
        )
    document = describe_test(journal, run_id, binary_name=binary_name, test_name=test_name)
    inputs = journal.inputs_of(run_id)
    directory.mkdir(parents=True, exist_ok=True)
    unpack_dir(inputs, directory / INPUT_DIR)
    (directory / INPUT_DIR).mkdir(exist_ok=True)
    journal.write_output_dir(run_id, directory / EXPECTED_OUTPUT_DIR, include_unspecified=False)
    (directory / TEST_FILE).write_text(dump_go_yaml(document), encoding="utf-8")
    return directory
