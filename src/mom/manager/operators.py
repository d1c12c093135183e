"""Running operators for the manager: in-process (Python) or as a subprocess (any language).

Owns the one seam every run goes through: :meth:`OperatorRunner.run` takes a run's inputs
(:class:`RunInputs`) and its ``now`` and gives back an :class:`OperatorRun`; each runner keeps
whatever scratch space it needs to itself. In-process runners call the SDK directly on the
snapshot of the inputs — many operators in one process, the reduced-footprint mode. Subprocess
runners lay the inputs out in a private directory and spawn the operator's executable (never
through a shell) with ``apply-configuration --input-dir --output-dir --now``, confined
(:mod:`mom.operator.sandbox`) and in a session of its own that is killed when the run ends, and
read its output directory back as untrusted data (:mod:`mom.mutationdir.output`). Neither
is trusted about its outputs: the manager re-routes every mutation itself against the outputs
pinned when the operator was registered.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Protocol

from mom.api.errors import InvalidInput, MomError
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.api.results import ControllerResults
from mom.manager.specs import OperatorSpec
from mom.mustgather.store import Snapshot
from mom.mutationdir.output import read_operator_output
from mom.mutationdir.requests import MutationRequest
from mom.operator import Operator
from mom.operator.command import format_now
from mom.operator.executables import find_executable
from mom.operator.process import TAIL_BYTES, ProcessOutcome, run_untrusted
from mom.operator.run import ControllerThreads, run_controllers
from mom.operator.sandbox import UNCONFINED, Sandbox
from mom.operator.selection import select_controllers
from mom.serialization import load_document

_LINE_CHARS = 500


@dataclass(frozen=True, kw_only=True)
class OperatorRun:
    """What one run of an operator gave back, before the manager validates any of it."""

    exit_code: int
    results: ControllerResults | None
    requests: tuple[MutationRequest, ...]
    seed: int | None = None
    stdout: str = ""
    stderr: str = ""
    error: str = ""

    @classmethod
    def not_run(cls, error: str) -> OperatorRun:
        """A run that never got an answer from the operator, and why (exit code -1)."""
        return cls(exit_code=-1, results=None, requests=(), error=error)


@dataclass(frozen=True)
class RunInputs:
    """What one run reads: ``snapshot`` for an operator run in-process, and ``lay_out``, which
    writes the same objects as a must-gather directory for an executable."""

    snapshot: Snapshot
    lay_out: Callable[[Path], None]


class OperatorRunner(Protocol):
    spec: OperatorSpec
    concurrent: ClassVar[bool]
    """Whether runs gain from running side by side on threads (a subprocess does; Python code
    in this process only contends for the interpreter)."""

    def declared_inputs(self) -> InputResources: ...

    def declared_outputs(self) -> OutputResources: ...

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun: ...


class InProcessRunner:
    """A Python :class:`Operator` run inside the manager process."""

    concurrent: ClassVar[bool] = False

    def __init__(self, spec: OperatorSpec, operator: Operator | None = None) -> None:
        self.spec = spec
        self.operator = operator if operator is not None else load_operator(spec.python)
        self.enabled = select_controllers(self.operator.controller_names, spec.controllers)
        self.threads = ControllerThreads()  # kept between this operator's runs

    def declared_inputs(self) -> InputResources:
        return self.operator.input_resources()

    def declared_outputs(self) -> OutputResources:
        return self.operator.outputs

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun:
        outcome = run_controllers(
            self.operator, inputs.snapshot, now=now, enabled=self.enabled, threads=self.threads
        )
        return OperatorRun(
            exit_code=1 if outcome.failed else 0,
            results=outcome.results,
            requests=outcome.requests,
            seed=outcome.seed,
        )


def load_operator(reference: str) -> Operator:
    """``package.module:ATTRIBUTE`` → the :class:`Operator` it names."""
    module_name, _, attribute = reference.partition(":")
    try:
        value = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise InvalidInput(reference, [f"cannot load the operator: {exc}"]) from exc
    if not isinstance(value, Operator):
        raise InvalidInput(reference, [f"is a {type(value).__name__}, not a mom.operator.Operator"])
    return value


class SubprocessRunner:
    """An executable honouring the operator contract, in any language, treated as untrusted:
    confined by ``sandbox``, its output read within ``spec.output_limits``."""

    concurrent: ClassVar[bool] = True

    def __init__(self, spec: OperatorSpec, working_dir: Path, sandbox: Sandbox = UNCONFINED) -> None:
        self.spec = spec
        self.command = (resolve_executable(spec.command[0], working_dir), *spec.command[1:])
        self.sandbox = sandbox
        self.limits = spec.output_limits

    def _document(self, command: str) -> object:
        done = self._call([command], [], keep=self.limits.file_bytes)
        what = f"operator {self.spec.name}: `{command}`"
        if done.timed_out:
            raise MomError(f"{what} timed out after {self.spec.timeout:g}s")
        if done.exit_code != 0:
            raise MomError(f"{what} exited {done.exit_code}: {_last_line(done.stderr.text())}")
        if done.stdout.truncated:
            raise MomError(
                f"{what} printed {done.stdout.total} bytes, more than the {self.limits.file_bytes} accepted"
            )
        return load_document(done.stdout.data, f"{self.spec.name} {command}")

    def declared_inputs(self) -> InputResources:
        return InputResources.from_wire(
            self._document("input-resources"), f"{self.spec.name} input-resources"
        )

    def declared_outputs(self) -> OutputResources:
        return OutputResources.from_wire(
            self._document("output-resources"), f"{self.spec.name} output-resources"
        )

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun:
        """``apply-configuration`` on ``inputs`` laid out in a scratch directory of its own."""
        scratch = Path(tempfile.mkdtemp(prefix="mom-run-"))
        try:
            inputs.lay_out(scratch / "input")
            return self.apply_configuration(scratch / "input", scratch / "output", now)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    def apply_configuration(self, input_dir: Path, output_dir: Path, now: datetime) -> OperatorRun:
        """``apply-configuration`` from ``input_dir`` into ``output_dir``, which it leaves behind."""
        arguments = [
            "apply-configuration",
            "--input-dir",
            str(input_dir),
            "--output-dir",
            str(output_dir),
            "--now",
            format_now(now),
            "--controllers",
            ",".join(self.spec.controllers),
        ]
        output_dir.mkdir(parents=True, exist_ok=True)
        done = self._call(arguments, [output_dir])
        stdout, stderr = done.stdout.text(), done.stderr.text()
        if done.timed_out or done.exit_code is None:
            return OperatorRun(
                exit_code=-1,
                results=None,
                requests=(),
                stdout=stdout,
                stderr=stderr,
                error=f"timed out after {self.spec.timeout:g}s",
            )
        try:
            output = read_operator_output(output_dir, self.limits)
        except MomError as exc:
            return OperatorRun(
                exit_code=done.exit_code,
                results=None,
                requests=(),
                stdout=stdout,
                stderr=stderr,
                error=f"unreadable output: {exc}",
            )
        return OperatorRun(
            exit_code=done.exit_code,
            results=output.results,
            requests=output.requests,
            stdout=stdout,
            stderr=stderr,
        )

    def _call(self, arguments: list[str], writable: list[Path], keep: int = TAIL_BYTES) -> ProcessOutcome:
        """Run the operator with ``arguments``, confined, with a private temporary directory."""
        with tempfile.TemporaryDirectory(prefix="mom-operator-", ignore_cleanup_errors=True) as temporary:
            argv = self.sandbox.command(
                [*self.command, *arguments], [*writable, Path(temporary)], network=self.spec.network
            )
            try:
                return run_untrusted(
                    argv, self.spec.timeout, keep=keep, env={**os.environ, "TMPDIR": temporary}
                )
            except OSError as exc:
                raise MomError(
                    f"operator {self.spec.name}: cannot start {self.command[0]}: {exc.strerror}"
                ) from exc


def resolve_executable(name: str, working_dir: Path) -> str:
    """The operator's executable: a path relative to the config file, or a name on PATH."""
    found = find_executable(name, working_dir)
    if found is None:
        raise InvalidInput(name, ["operator executable not found on PATH"])
    return found


def _last_line(text: str) -> str:
    """The last non-blank line of a log, shortened to one readable line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    last = lines[-1] if lines else "(nothing on stderr)"
    return last if len(last) <= _LINE_CHARS else f"{last[:_LINE_CHARS]}..."
