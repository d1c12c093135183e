"""The golden-test suite: run each case, judge it, optionally replace its expected output.

Judging one case (FORMATS.md §3.7, with the Go harness' bugs fixed):

* the operator could not start, or ran past its timeout → error, nothing compared;
* exit 0 but ``desiredError: NonZeroReturn`` → failure, output still compared;
* non-zero exit without ``NonZeroReturn`` → failure, output still compared;
* output that cannot be read → failure, except after a wanted non-zero exit (Go's rule);
* ``Unspecified/`` or any other unknown entry in the output → failure naming what it holds;
* expected vs actual compared with :func:`mom.manifest.equivalence.compare_outputs` (events
  ignored); a missing ``expected-output/`` means "expects no mutations";
* ``topologies`` in test.yaml → :func:`mom.testing.topology.check_topology` per topology.

Replace mode copies the actual output over ``expected-output/`` (never logs or
``Unspecified/``) unless the run itself went wrong (no start, timeout, wrong exit status,
unreadable output), in which case the old expected output is left alone.

The harness never writes to a terminal: progress goes to a :class:`SuiteReporter`.
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from mom.api.errors import InvalidInput, MomError
from mom.manifest.equivalence import Difference, compare_outputs
from mom.manifest.operator_output import read_results_document
from mom.testing.cases import Case, discover_cases, matches_filter
from mom.testing.golden import (
    differences_from_nothing,
    read_requests_by_cluster_type,
    replace_expected_output,
    undeclared_mutations,
    unexpected_entries,
)
from mom.testing.report import CaseResult, Outcome, SuiteResult, undeclared_mutations_reason
from mom.testing.runner import (
    STDERR_LOG,
    STDOUT_LOG,
    Clock,
    build_command,
    read_log_tail,
    resolve_binary,
    run_operator,
)
from mom.testing.topology import check_topology

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


@dataclass(frozen=True, slots=True)
class SuiteOptions:
    test_dir: Path
    output_dir: Path
    working_dir: Path
    """Against which ``binaryName`` paths are resolved (the harness' working directory)."""
    binary: str | None = None
    """Overrides every test's ``binaryName``."""
    timeout: float = DEFAULT_TIMEOUT
    replace_expected_output: bool = False
    preserve_policy: PreservePolicy = PreservePolicy.KEEP_ON_FAILURE
    name_filter: str = ""


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
    anything when a test.yaml, a test directory or the options are wrong."""
    started = clock()
    cases = select_cases(options)
    if reporter is not None:
        reporter.suite_started(len(cases))
    results: list[CaseResult] = []
    for position, case in enumerate(cases, start=1):
        if reporter is not None:
            reporter.case_started(position, len(cases), case)
        result = run_case(case, options, clock)
        results.append(result)
        if reporter is not None:
            reporter.case_finished(position, len(cases), result)
    return SuiteResult(tuple(results), clock() - started)


@dataclass(frozen=True, slots=True)
class _Verdict:
    outcome: Outcome
    reasons: tuple[str, ...] = ()
    differences: tuple[Difference, ...] = ()
    replaced: bool = False


def run_case(case: Case, options: SuiteOptions, clock: Clock = time.monotonic) -> CaseResult:
    """Run one case into ``<output-dir>/<case dir>`` and judge it."""
    output_dir = options.output_dir / case.relative_name
    if output_dir.exists():
        shutil.rmtree(output_dir)
    binary = options.binary or resolve_binary(case.description.binary_name, options.working_dir)
    timeout = case.description.timeout or options.timeout
    process = run_operator(build_command(binary, case, output_dir), output_dir, timeout, clock)
    logger.debug("case %s: %s", case.relative_name, process)
    if process.start_error:
        verdict = _Verdict(Outcome.ERROR, (f"could not start the operator: {process.start_error}",))
    elif process.timed_out or process.exit_code is None:
        verdict = _Verdict(Outcome.ERROR, (f"timed out after {timeout:g} s",))
    else:
        verdict = _judge(case, process.exit_code, output_dir, options.replace_expected_output)
    passed = verdict.outcome is Outcome.PASSED
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


def _judge(case: Case, exit_code: int, output_dir: Path, replace: bool) -> _Verdict:
    wants_failure = case.description.wants_non_zero_exit
    exit_reasons: list[str] = []
    if exit_code == 0 and wants_failure:
        exit_reasons.append(
            "test requires a non-zero exit code (desiredError: NonZeroReturn), but the operator exited 0"
        )
    elif exit_code != 0 and not wants_failure:
        exit_reasons.append(f"operator exited with code {exit_code}; the test wants exit code 0")
    reasons = list(exit_reasons)
    try:
        reasons += [
            f"unexpected entry in the output directory: {name}" for name in unexpected_entries(output_dir)
        ]
        undeclared = undeclared_mutations(output_dir)
        if undeclared:
            reasons.append(undeclared_mutations_reason(undeclared))
        if replace:
            if exit_reasons:
                return _Verdict(Outcome.FAILED, (*reasons, "expected-output/ left unchanged"))
            return _replace(case, output_dir, reasons)
        if case.expected_output_dir.is_dir():
            differences = compare_outputs(case.expected_output_dir, output_dir)
        else:
            differences = differences_from_nothing(output_dir)
        requests = read_requests_by_cluster_type(output_dir)
        for topology in case.description.topologies:
            reasons += [f"topology {problem}" for problem in check_topology(requests, topology)]
    except MomError as exc:
        if replace:
            return _Verdict(
                Outcome.FAILED,
                (*reasons, f"cannot read the outputs, expected-output/ left unchanged: {exc}"),
            )
        if exit_code != 0 and wants_failure and not reasons:
            return _Verdict(Outcome.PASSED)  # a wanted failure may leave an unreadable output
        return _Verdict(Outcome.FAILED, (*reasons, f"cannot read the outputs: {exc}"))
    outcome = Outcome.FAILED if reasons or differences else Outcome.PASSED
    return _Verdict(outcome, tuple(reasons), tuple(differences))


def _replace(case: Case, output_dir: Path, reasons: list[str]) -> _Verdict:
    # Refuse to store an output that cannot be read back (a link, a FIFO, a malformed file).
    read_results_document(output_dir)
    read_requests_by_cluster_type(output_dir)
    replace_expected_output(output_dir, case.expected_output_dir)
    if reasons:
        return _Verdict(
            Outcome.FAILED, (*reasons, "expected-output/ replaced, without Unspecified/"), replaced=True
        )
    return _Verdict(Outcome.PASSED, replaced=True)
