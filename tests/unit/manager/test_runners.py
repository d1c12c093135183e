"""The runner seam: a run's inputs and its ``now`` in, what the operator gave back out.

Covers: a subprocess runner lays the run's inputs out in a directory of its own, hands it to the
executable as ``--input-dir``, and leaves no scratch directory behind; a run the operator fails
is reported with its exit code, and cleaned up all the same.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.manager.operators import RunInputs
from mom.manager.specs import OperatorSpec
from mom.manager.subprocesses import SubprocessRunner
from mom.mustgather.store import Snapshot

NOW = datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)

OPERATOR = """#!/bin/sh
case "$1" in
apply-configuration) test "$(cat "$3/marker")" = laid-out ;;  # $3: --input-dir
*) exit 2 ;;
esac
"""


def _lay_out(directory: Path) -> None:
    directory.mkdir(parents=True)
    (directory / "marker").write_text("laid-out")


@pytest.mark.parametrize(("lay_out", "exit_code"), [(_lay_out, 0), (lambda d: d.mkdir(parents=True), 1)])
def test_a_subprocess_run_reads_its_laid_out_inputs_and_leaves_no_scratch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lay_out: Callable[[Path], None], exit_code: int
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    script = tmp_path / "operator"
    script.write_text(OPERATOR)
    script.chmod(0o755)
    runner = SubprocessRunner(OperatorSpec(name="reader", command=(str(script),)), tmp_path)

    run = runner.run(RunInputs(snapshot=Snapshot.from_objects(()), lay_out=lay_out), NOW)

    assert (run.exit_code, run.error) == (exit_code, "")
    assert list(scratch.iterdir()) == []
