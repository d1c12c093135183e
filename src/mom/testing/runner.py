"""Running one case: the operator binary as a subprocess, its logs, its exit status.

The binary is spawned directly (no shell) as ``<bin> apply-configuration --input-dir …
--output-dir … [--now …] [--controllers a,b]`` in a new process group, with stdout and stderr
written to ``stdout.log`` / ``stderr.log`` in the output directory. When the operator exits or
its time is up the whole process group is killed, so helpers it started do not outlive the
test; its output directory is then read as untrusted data (:mod:`mom.manifest.operator_output`).
The harness learns of the exit at once (a pidfd on Linux), not on a polling tick.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.manifest.layout import find_resource_root
from mom.operator.executables import find_executable
from mom.operator.process import kill_group, wait_for_exit
from mom.testing.cases import Case

STDOUT_LOG = "stdout.log"
STDERR_LOG = "stderr.log"
LOG_FILES = (STDOUT_LOG, STDERR_LOG)
LOG_TAIL_BYTES = 512 * 1024
"""How much of each log a report keeps (the end, where the error usually is)."""

Clock = Callable[[], float]
"""A monotonic clock in seconds; only durations are measured, never the time of day."""


@dataclass(frozen=True, slots=True)
class ProcessOutcome:
    """How the operator process ended."""

    command: tuple[str, ...]
    exit_code: int | None
    """``None`` when the process could not be started or was killed on timeout."""
    duration: float
    timed_out: bool = False
    start_error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0


def resolve_binary(binary_name: str, working_dir: Path) -> str:
    """Resolve ``binaryName`` as Go's exec does: paths against the working dir, bare names on PATH
    (or beside this interpreter); an unresolved name is returned as is and fails to start."""
    return find_executable(binary_name, working_dir) or binary_name


def build_command(binary: str, case: Case, output_dir: Path) -> tuple[str, ...]:
    """The argv of one apply-configuration run of ``case``; an ``input-dir/`` holding a whole
    must-gather is passed on as its resource root, which operators expect."""
    description = case.description
    command = [
        binary,
        "apply-configuration",
        "--input-dir",
        str(_tree_of(case.input_dir)),
        "--output-dir",
        str(output_dir),
    ]
    if description.now:
        command += ["--now", description.now]
    if description.controllers:
        command += ["--controllers", ",".join(description.controllers)]
    return tuple(command)


def _tree_of(input_dir: Path) -> Path:
    """``input-dir/`` itself, or the must-gather tree one level down; an input directory with no
    tree (or two) goes to the operator as it is, to judge as the test expects."""
    try:
        return find_resource_root(input_dir)
    except InvalidInput:
        return input_dir


def run_operator(
    command: Sequence[str], output_dir: Path, timeout: float, clock: Clock = time.monotonic
) -> ProcessOutcome:
    """Run ``command`` with its logs in ``output_dir`` (created), killing it after ``timeout`` s."""
    output_dir.mkdir(parents=True, exist_ok=True)
    started = clock()
    with (output_dir / STDOUT_LOG).open("wb") as stdout, (output_dir / STDERR_LOG).open("wb") as stderr:
        try:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
                start_new_session=True,
            )
        except OSError as exc:
            reason = exc.strerror or str(exc)
            return ProcessOutcome(
                tuple(command), None, clock() - started, start_error=f"{command[0]}: {reason}"
            )
        exited = wait_for_exit(process.pid, timeout)
        kill_group(process)
        if not exited:
            return ProcessOutcome(tuple(command), None, clock() - started, timed_out=True)
    return ProcessOutcome(tuple(command), process.returncode, clock() - started)


def read_log_tail(output_dir: Path, name: str, limit: int = LOG_TAIL_BYTES) -> str:
    """The last ``limit`` bytes of a log file as text ("" when absent)."""
    path = output_dir / name
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - limit))
            data = handle.read()
    except OSError:
        return ""
    return data.decode("utf-8", errors="replace")
