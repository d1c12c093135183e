"""Running operators for the manager: the one runner seam, and Python operators in-process.

Owns the one seam every run goes through: :meth:`OperatorRunner.run` takes a run's inputs
(:class:`RunInputs`) and its ``now`` and gives back an :class:`OperatorRun`; each runner keeps
whatever scratch space it needs to itself. In-process runners call the SDK directly on the
snapshot of the inputs — many operators in one process, the reduced-footprint mode. An
executable runs as a confined subprocess (:mod:`mom.manager.subprocesses`). Neither is trusted
about its outputs: the manager re-routes every mutation itself against the outputs pinned when
the operator was registered. The SDK's run machinery (controller threads, the recording client)
is imported by the first run, not by a tick that runs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Protocol

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.manager.specs import OperatorSpec
from mom.operator.operator import Operator
from mom.operator.selection import select_controllers

if TYPE_CHECKING:
    from mom.api.input_resources import InputResources
    from mom.api.output_resources import OutputResources
    from mom.api.results import ControllerResults
    from mom.mustgather.store import Snapshot
    from mom.mutationdir.requests import MutationRequest
    from mom.operator.run import ControllerThreads


class OperatorRun(Frozen):
    """What one run of an operator gave back, before the manager validates any of it."""

    exit_code: int
    results: ControllerResults | None
    requests: tuple[MutationRequest, ...]
    seed: int | None
    stdout: str
    stderr: str
    error: str

    __slots__ = ("error", "exit_code", "requests", "results", "seed", "stderr", "stdout")

    def __init__(
        self,
        *,
        exit_code: int,
        results: ControllerResults | None,
        requests: tuple[MutationRequest, ...],
        seed: int | None = None,
        stdout: str = "",
        stderr: str = "",
        error: str = "",
    ) -> None:
        object.__setattr__(self, "exit_code", exit_code)
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "requests", requests)
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "stdout", stdout)
        object.__setattr__(self, "stderr", stderr)
        object.__setattr__(self, "error", error)

    @classmethod
    def not_run(cls, error: str) -> OperatorRun:
        """A run that never got an answer from the operator, and why (exit code -1)."""
        return cls(exit_code=-1, results=None, requests=(), error=error)


class RunInputs(Frozen):
    """What one run reads: ``snapshot`` for an operator run in-process, and ``lay_out``, which
    writes the same objects as a must-gather directory for an executable."""

    snapshot: Snapshot
    lay_out: Callable[[Path], None]

    __slots__ = ("lay_out", "snapshot")

    def __init__(self, snapshot: Snapshot, lay_out: Callable[[Path], None]) -> None:
        object.__setattr__(self, "snapshot", snapshot)
        object.__setattr__(self, "lay_out", lay_out)


class OperatorRunner(Protocol):
    spec: OperatorSpec
    concurrent: ClassVar[bool]
    """Whether runs gain from running side by side on threads (a subprocess does; Python code
    in this process only contends for the interpreter)."""

    def declared_inputs(self) -> InputResources: ...

    def declared_outputs(self) -> OutputResources: ...

    def identity(self) -> str | None:
        """What the declarations come from (an executable file and its arguments), changing
        whenever they may have; ``None`` when they are cheap enough to ask every time."""
        ...

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun: ...


class InProcessRunner:
    """A Python :class:`Operator` run inside the manager process."""

    concurrent: ClassVar[bool] = False

    def __init__(self, spec: OperatorSpec, operator: Operator | None = None) -> None:
        self.spec = spec
        self.operator = operator if operator is not None else load_operator(spec.python)
        self.enabled = select_controllers(self.operator.controller_names, spec.controllers)
        self._threads: ControllerThreads | None = None
        """Controller threads kept between this operator's runs, made by the first run."""

    def declared_inputs(self) -> InputResources:
        return self.operator.input_resources()

    def declared_outputs(self) -> OutputResources:
        return self.operator.outputs

    def identity(self) -> None:
        return None  # asking costs nothing: no process starts

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun:
        from mom.operator.run import ControllerThreads, run_controllers

        if self._threads is None:
            self._threads = ControllerThreads()
        outcome = run_controllers(
            self.operator, inputs.snapshot, now=now, enabled=self.enabled, threads=self._threads
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
