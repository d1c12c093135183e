"""The golden-test suite: run each case, judge it, optionally replace its expected output.

The rules a case is judged by are :mod:`mom.testing.judge`'s. The judging modules, and the junit
writer a command needs once every case has run, are imported when the first case has been run,
so they load while the next case's operator runs.

The harness never writes to a terminal: progress goes to a :class:`SuiteReporter`.
"""

from __future__ import annotations

import time
from collections import deque
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.operator.executables import which
from mom.testing.cases import Case, discover_cases, matches_filter
from mom.testing.report import CaseOutcome, CaseResult, SuiteResult
from mom.testing.runner import (
    STDERR_LOG,
    STDOUT_LOG,
    Clock,
    ProcessOutcome,
    StartedOperator,
    build_command,
    read_log_tail,
    resolve_binary,
    start_operator,
    wait_for_first,
)

DEFAULT_TIMEOUT = 30.0
"""Seconds one operator run may take unless test.yaml or the caller says otherwise."""


class PreservePolicy(StrEnum):
    """Which per-test output directories survive the run."""

    KEEP_ALWAYS = "KeepAlways"
    KEEP_ON_FAILURE = "KeepOnFailure"
    NEVER = "Never"

    @classmethod
    def from_flag(cls, value: str) -> PreservePolicy:
        """Read ``--preserve-policy`` as the Go harness does, keeping mom's three names.

        Go keeps a passing test's output for any non-empty value and deletes it for an empty
        one; so ``""`` is :attr:`KEEP_ON_FAILURE`, the three names mean what they say, and any
        other value (``Keep``, ``true``...) is :attr:`KEEP_ALWAYS`.
        """
        if not value:
            return cls.KEEP_ON_FAILURE
        try:
            return cls(value)
        except ValueError:
            return cls.KEEP_ALWAYS


class SuiteOptions(Frozen):
    test_dir: Path
    output_dir: Path
    working_dir: Path
    """Against which ``binaryName`` paths are resolved (the harness' working directory)."""
    binary: str | None
    """Overrides every test's ``binaryName``."""
    timeout: float
    replace_expected_output: bool
    preserve_policy: PreservePolicy
    name_filter: str
    jobs: int
    """How many operators may run at once (1: one case after another)."""

    __slots__ = (
        "binary",
        "jobs",
        "name_filter",
        "output_dir",
        "preserve_policy",
        "replace_expected_output",
        "test_dir",
        "timeout",
        "working_dir",
    )

    def __init__(
        self,
        test_dir: Path,
        output_dir: Path,
        working_dir: Path,
        binary: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        replace_expected_output: bool = False,
        preserve_policy: PreservePolicy = PreservePolicy.KEEP_ON_FAILURE,
        name_filter: str = "",
        jobs: int = 1,
    ) -> None:
        object.__setattr__(self, "test_dir", test_dir)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "working_dir", working_dir)
        object.__setattr__(self, "binary", binary)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "replace_expected_output", replace_expected_output)
        object.__setattr__(self, "preserve_policy", preserve_policy)
        object.__setattr__(self, "name_filter", name_filter)
        object.__setattr__(self, "jobs", jobs)


class SuiteReporter(Protocol):
    """Receives progress; the CLI renders it, the library never prints."""

    def suite_started(self, total: int) -> None: ...

    def case_started(self, position: int, total: int, case: Case) -> None: ...

    def case_finished(self, position: int, total: int, result: CaseResult) -> None: ...


def select_cases(options: SuiteOptions) -> list[Case]:
    """Discover and validate every case, apply the name filter, check the output directory."""
    cases = [c for c in discover_cases(options.test_dir) if matches_filter(c, options.name_filter)]
    check_output_dir(options.output_dir, options.test_dir, cases)
    if options.jobs < 1:
        raise InvalidInput("--jobs", [f"must be a positive number of operators, not {options.jobs}"])
    if options.binary is not None and which(options.binary) is None:
        raise InvalidInput("--binary", [f"{options.binary!r} is not an executable file"])
    return cases


def check_output_dir(output_dir: Path, test_dir: Path, cases: list[Case]) -> None:
    """Refuse an output directory whose clean-up could delete test data."""
    output = output_dir.resolve()
    tests = test_dir.resolve()
    if output == tests or output in tests.parents:
        raise InvalidInput(str(output_dir), ["output directory must not contain the test directory"])
    for case in cases:
        directory = case.directory.resolve()
        if output == directory or directory in output.parents:
            raise InvalidInput(
                str(output_dir), [f"output directory must not be inside test {case.relative_name}"]
            )


def run_suite(
    options: SuiteOptions, reporter: SuiteReporter | None = None, clock: Clock = time.monotonic
) -> SuiteResult:
    """Run every selected case in directory order; raises :class:`InvalidInput` before running
    anything when a test.yaml, a test directory or the options are wrong.

    Up to ``options.jobs`` operators run at a time, started in case order; each is killed when
    its own time is up. When an operator exits, the next case's operator is started before the
    ended case is judged, so judging overlaps the next run. Two cases whose output directories
    nest never overlap: the later one starts once the earlier one is judged. Results and
    progress come in case order."""
    started = clock()
    cases = select_cases(options)
    total = len(cases)
    if reporter is not None:
        reporter.suite_started(total)
    results: list[CaseResult] = []
    pending: deque[_Pending] = deque()  # started cases not yet judged, in case order
    announced = 0

    def announce(position: int) -> None:
        nonlocal announced
        if reporter is not None and announced < position <= len(results) + 1:
            reporter.case_started(position, total, cases[position - 1])
            announced = position

    def wait() -> None:
        running = [(case.operator, case.timeout) for case in pending if case.operator is not None]
        for operator in wait_for_first(running):
            next(case for case in pending if case.operator is operator).finish()

    def conclude_ended() -> None:
        while pending and (process := pending[0].process) is not None:
            ended = pending.popleft()
            results.append(_conclude(ended.case, ended.output_dir, ended.timeout, process, options))
            if reporter is not None:
                reporter.case_finished(len(results), total, results[-1])
            if pending:  # the next case has started
                announce(len(results) + 1)

    def conclude_first() -> None:
        """Wait for the first pending case's operator to end, then judge every ended case."""
        if pending[0].process is None:
            wait()
        conclude_ended()

    try:
        for position, case in enumerate(cases, start=1):
            output_dir = options.output_dir / case.relative_name
            while any(_nested(other.output_dir, output_dir) for other in pending):
                conclude_first()  # one output directory holds the other: no overlap
            while sum(1 for other in pending if other.operator is not None) >= options.jobs:
                wait()
            announce(position)
            pending.append(_start_case(case, output_dir, options, clock))
            conclude_ended()
        while pending:
            conclude_first()
    finally:
        for abandoned in pending:
            abandoned.abandon()
    return SuiteResult(tuple(results), clock() - started)


def _nested(first: Path, second: Path) -> bool:
    return first == second or first in second.parents or second in first.parents


def run_case(case: Case, options: SuiteOptions, clock: Clock = time.monotonic) -> CaseResult:
    """Run one case into ``<output-dir>/<case dir>`` and judge it."""
    started = _start_case(case, options.output_dir / case.relative_name, options, clock)
    process = started.finish()
    return _conclude(case, started.output_dir, started.timeout, process, options)


class _Pending:
    """A started case, not yet judged: its operator until that has ended, then how it ended."""

    def __init__(
        self, case: Case, output_dir: Path, timeout: float, operator: StartedOperator | ProcessOutcome
    ) -> None:
        self.case = case
        self.output_dir = output_dir
        self.timeout = timeout
        self.operator = operator if isinstance(operator, StartedOperator) else None
        self.process = operator if isinstance(operator, ProcessOutcome) else None

    def finish(self) -> ProcessOutcome:
        """Wait for the operator to end (or its time to run out); how it ended."""
        process = self.process
        if process is None:
            if self.operator is None:
                raise RuntimeError(f"case {self.case.relative_name} was abandoned")
            process = self.process = self.operator.finish(self.timeout)
            self.operator = None
        return process

    def abandon(self) -> None:
        if self.operator is not None:
            self.operator.abandon()
            self.operator = None


def _start_case(case: Case, output_dir: Path, options: SuiteOptions, clock: Clock) -> _Pending:
    """Clear ``output_dir`` and start the case's operator into it."""
    if output_dir.exists():
        import shutil  # a fresh output directory needs no clearing, nor the module

        shutil.rmtree(output_dir)
    binary = options.binary or resolve_binary(case.description.binary_name, options.working_dir)
    timeout = case.description.timeout or options.timeout
    operator = start_operator(build_command(binary, case, output_dir), output_dir, clock)
    return _Pending(case, output_dir, timeout, operator)


def _conclude(
    case: Case, output_dir: Path, timeout: float, process: ProcessOutcome, options: SuiteOptions
) -> CaseResult:
    """Judge a case whose operator has ended; keep or remove its output as the policy says."""
    import logging

    from mom.testing import junit  # noqa: F401 - written after the last case: loaded while an operator runs
    from mom.testing.judge import judge  # the comparison stack, see the module docstring

    logging.getLogger(__name__).debug("case %s: %s", case.relative_name, process)
    verdict = judge(case, process, timeout, output_dir, options.replace_expected_output)
    passed = verdict.outcome is CaseOutcome.PASSED
    keep = options.preserve_policy is PreservePolicy.KEEP_ALWAYS or (
        options.preserve_policy is PreservePolicy.KEEP_ON_FAILURE and not passed
    )
    result = CaseResult(
        case=case,
        outcome=verdict.outcome,
        reasons=verdict.reasons,
        differences=verdict.differences,
        process=process,
        output_dir=output_dir if keep else None,
        stdout_tail=read_log_tail(output_dir, STDOUT_LOG),
        stderr_tail=read_log_tail(output_dir, STDERR_LOG),
        replaced=verdict.replaced,
    )
    if not keep:
        import shutil

        shutil.rmtree(output_dir, ignore_errors=True)
    return result
