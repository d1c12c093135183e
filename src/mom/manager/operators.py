"""Running operators for the manager: in-process (Python) or as a subprocess (any language).

Both runners speak the operator contract. In-process runners call the SDK directly on a
snapshot built from the gathered objects — many operators in one process, the reduced-footprint
mode. Subprocess runners spawn the operator's executable (never through a shell) with
``apply-configuration --input-dir --output-dir --now`` and read its output directory back.
Neither is trusted about its outputs: the manager re-routes every mutation itself against the
outputs pinned when the operator was registered.
"""

from __future__ import annotations

import importlib
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from mom.api.cluster import CLUSTER_TYPES, UNSPECIFIED_DIR
from mom.api.errors import InvalidInput, MomError
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.api.results import ControllerResults
from mom.manager.config import OperatorSpec
from mom.manifest.mutationdir import read_mutation_dir
from mom.manifest.requests import MutationRequest
from mom.manifest.store import Snapshot
from mom.operator import Operator
from mom.operator.command import format_now
from mom.operator.executables import find_executable
from mom.operator.run import run_controllers
from mom.operator.selection import select_controllers
from mom.serialization import load_document

OUTPUT_TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class OperatorRun:
    """What one run of an operator gave back, before the manager validates any of it."""

    exit_code: int
    results: ControllerResults | None
    requests: tuple[MutationRequest, ...]
    seed: int | None = None
    stdout: str = ""
    stderr: str = ""
    error: str = ""


class OperatorRunner(Protocol):
    spec: OperatorSpec

    def declared_inputs(self) -> InputResources: ...

    def declared_outputs(self) -> OutputResources: ...

    def run(self, snapshot: Snapshot, input_dir: Path, output_dir: Path, now: datetime) -> OperatorRun: ...


class InProcessRunner:
    """A Python :class:`Operator` run inside the manager process."""

    def __init__(self, spec: OperatorSpec, operator: Operator | None = None) -> None:
        self.spec = spec
        self.operator = operator if operator is not None else load_operator(spec.python)
        self.enabled = select_controllers(self.operator.controller_names, spec.controllers)

    def declared_inputs(self) -> InputResources:
        return self.operator.input_resources()

    def declared_outputs(self) -> OutputResources:
        return self.operator.outputs

    def run(self, snapshot: Snapshot, input_dir: Path, output_dir: Path, now: datetime) -> OperatorRun:
        outcome = run_controllers(self.operator, snapshot, now=now, enabled=self.enabled)
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
    """An executable honouring the operator contract, in any language."""

    def __init__(self, spec: OperatorSpec, working_dir: Path) -> None:
        self.spec = spec
        self.command = (resolve_executable(spec.command[0], working_dir), *spec.command[1:])

    def _document(self, command: str) -> object:
        done = self._call([command], self.spec.timeout)
        if done.returncode != 0:
            raise MomError(
                f"operator {self.spec.name}: `{command}` exited {done.returncode}: {_tail(done.stderr)}"
            )
        return load_document(done.stdout.encode(), f"{self.spec.name} {command}")

    def declared_inputs(self) -> InputResources:
        return InputResources.from_wire(
            self._document("input-resources"), f"{self.spec.name} input-resources"
        )

    def declared_outputs(self) -> OutputResources:
        return OutputResources.from_wire(
            self._document("output-resources"), f"{self.spec.name} output-resources"
        )

    def run(self, snapshot: Snapshot, input_dir: Path, output_dir: Path, now: datetime) -> OperatorRun:
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
        try:
            done = self._call(arguments, self.spec.timeout)
        except subprocess.TimeoutExpired as exc:
            return OperatorRun(
                exit_code=-1,
                results=None,
                requests=(),
                stdout=_text(exc.stdout),
                stderr=_text(exc.stderr),
                error=f"timed out after {self.spec.timeout:g}s",
            )
        try:
            results, requests = read_operator_output(output_dir)
        except MomError as exc:
            return OperatorRun(
                done.returncode, None, (), None, done.stdout, done.stderr, f"unreadable output: {exc}"
            )
        return OperatorRun(done.returncode, results, requests, None, _tail(done.stdout), _tail(done.stderr))

    def _call(self, arguments: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(
                [*self.command, *arguments],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise MomError(
                f"operator {self.spec.name}: cannot start {self.command[0]}: {exc.strerror}"
            ) from exc


def read_operator_output(output_dir: Path) -> tuple[ControllerResults | None, tuple[MutationRequest, ...]]:
    """Results and every distinct mutation of an apply-configuration output, however it was routed."""
    results_file = output_dir / "controller-results.yaml"
    results = None
    if results_file.is_file():
        results = ControllerResults.from_wire(load_document(results_file.read_bytes(), str(results_file)))
    seen: dict[tuple[object, ...], MutationRequest] = {}
    for directory in (*(str(ct) for ct in CLUSTER_TYPES), UNSPECIFIED_DIR):
        for request in read_mutation_dir(output_dir / directory):
            seen.setdefault(request.equality_key(), request)
    return results, tuple(seen.values())


def resolve_executable(name: str, working_dir: Path) -> str:
    """The operator's executable: a path relative to the config file, or a name on PATH."""
    found = find_executable(name, working_dir)
    if found is None:
        raise InvalidInput(name, ["operator executable not found on PATH"])
    return found


def _tail(text: str) -> str:
    return text[-OUTPUT_TAIL_BYTES:]


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
