"""The golden-test suite: run each case, judge it, optionally replace its expected output.

The rules a case is judged by are :mod:`mom.testing.judge`'s. The judging modules are imported
when the first case has been run, so they load while the next case's operator runs.

The harness never writes to a terminal: progress goes to a :class:`SuiteReporter`.
"""

from __future__ import annotations

import logging
import shutil
import time
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
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
)

logger = logging.getLogger(__name__)

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

    __slots__ = (
        "binary",
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
    ) -> None:
        object.__setattr__(self, "test_dir", test_dir)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "working_dir", working_dir)
        object.__setattr__(self, "binary", binary)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "replace_expected_output", replace_expected_output)
        object.__setattr__(self, "preserve_policy", preserve_policy)
        object.__setattr__(self, "name_filter", name_filter)


class SuiteReporter(Protocol):
    """Receives progress; the CLI renders it, the library never prints."""

    def suite_started(self, total: int) -> None: ...

    def case_started(self, position: int, total: int, case: Case) -> None: ...

    def case_finished(self, position: int, total: int, result: CaseResult) -> None: ...


def select_cases(options: SuiteOptions) -> list[Case]:
    """Discover and validate every case, apply the name filter, check the output directory."""
    cases = [c for c in discover_cases(options.test_dir) if matches_filter(c, options.name_filter)]
    check_output_dir(options.output_dir, options.test_dir, cases)
    if options.binary is not None and shutil.which(options.binary) is None:
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

    One operator runs at a time; once it has exited, the next case's operator is started before
    this one is judged, so judging overlaps the next run. Progress is reported in case order."""
    started = clock()
    cases = select_cases(options)
    total = len(cases)
    if reporter is not None:
        reporter.suite_started(total)
    results: list[CaseResult] = []
    exited: _Exited | None = None
    running: _Started | None = None

    def conclude(previous: _Exited) -> None:
        results.append(_conclude(previous, options))
        if reporter is not None:
            reporter.case_finished(len(results), total, results[-1])

    try:
        for position, case in enumerate(cases, start=1):
            output_dir = options.output_dir / case.relative_name
            if exited is not None and _nested(exited.output_dir, output_dir):
                conclude(exited)  # one output directory holds the other: no overlap
                exited = None
            if exited is None and reporter is not None:
                reporter.case_started(position, total, case)
            running = _start_case(case, output_dir, options, clock)
            if exited is not None:
                conclude(exited)
                if reporter is not None:
                    reporter.case_started(position, total, case)
            exited, running = running.wait(), None
        if exited is not None:
            conclude(exited)
    finally:
        if running is not None:
            running.abandon()
    return SuiteResult(tuple(results), clock() - started)


def _nested(first: Path, second: Path) -> bool:
    return first == second or first in second.parents or second in first.parents


def run_case(case: Case, options: SuiteOptions, clock: Clock = time.monotonic) -> CaseResult:
    """Run one case into ``<output-dir>/<case dir>`` and judge it."""
    return _conclude(
        _start_case(case, options.output_dir / case.relative_name, options, clock).wait(), options
    )


class _Exited(Frozen):
    """A case whose operator has ended (or never started), not yet judged."""

    case: Case
    output_dir: Path
    timeout: float
    process: ProcessOutcome

    __slots__ = ("case", "output_dir", "process", "timeout")

    def __init__(self, case: Case, output_dir: Path, timeout: float, process: ProcessOutcome) -> None:
        object.__setattr__(self, "case", case)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "process", process)


class _Started(Frozen):
    """A case whose operator may still be running."""

    case: Case
    output_dir: Path
    timeout: float
    operator: StartedOperator | ProcessOutcome

    __slots__ = ("case", "operator", "output_dir", "timeout")

    def __init__(
        self, case: Case, output_dir: Path, timeout: float, operator: StartedOperator | ProcessOutcome
    ) -> None:
        object.__setattr__(self, "case", case)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "operator", operator)

    def wait(self) -> _Exited:
        operator = self.operator
        process = operator if isinstance(operator, ProcessOutcome) else operator.finish(self.timeout)
        return _Exited(self.case, self.output_dir, self.timeout, process)

    def abandon(self) -> None:
        if isinstance(self.operator, StartedOperator):
            self.operator.abandon()


def _start_case(case: Case, output_dir: Path, options: SuiteOptions, clock: Clock) -> _Started:
    """Clear ``output_dir`` and start the case's operator into it."""
    if output_dir.exists():
        shutil.rmtree(output_dir)
    binary = options.binary or resolve_binary(case.description.binary_name, options.working_dir)
    timeout = case.description.timeout or options.timeout
    operator = start_operator(build_command(binary, case, output_dir), output_dir, clock)
    return _Started(case, output_dir, timeout, operator)


def _conclude(exited: _Exited, options: SuiteOptions) -> CaseResult:
    """Judge a case whose operator has ended; keep or remove its output as the policy says."""
    from mom.testing.judge import judge  # the comparison stack, see the module docstring

    case, output_dir, process = exited.case, exited.output_dir, exited.process
    logger.debug("case %s: %s", case.relative_name, process)
    verdict = judge(case, process, exited.timeout, output_dir, options.replace_expected_output)
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
        shutil.rmtree(output_dir, ignore_errors=True)
    return result
