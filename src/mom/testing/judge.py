"""Judging one golden case from its operator's exit status and output directory.

One case is judged (FORMATS.md §3.7, with the Go harness' bugs fixed):

* the operator could not start, or ran past its timeout → error, nothing compared;
* exit 0 but ``desiredError: NonZeroReturn`` → failure, output still compared;
* non-zero exit without ``NonZeroReturn`` → failure, output still compared;
* output that cannot be read → failure, except after a wanted non-zero exit (Go's rule);
* ``Unspecified/`` or any other unknown entry in the output → failure naming what it holds;
* expected vs actual compared with :func:`mom.mutationdir.equivalence.compare_outputs` (events
  ignored); a missing ``expected-output/`` means "expects no mutations". When the golden files
  of both are the same bytes (:func:`mom.testing.golden.same_golden_content`) only the actual
  output is decoded, to check it is readable, and nothing differs;
* ``topologies`` in test.yaml → :func:`mom.testing.topology.check_topology` per topology.

Replace mode copies the actual output over ``expected-output/`` (never logs or
``Unspecified/``) unless the run itself went wrong (no start, timeout, wrong exit status,
unreadable output), in which case the old expected output is left alone.
"""

from __future__ import annotations

from pathlib import Path

from mom.api.errors import MomError
from mom.api.values import Frozen
from mom.mutationdir.equivalence import Difference, compare_outputs
from mom.mutationdir.output import read_results_document
from mom.testing.cases import Case
from mom.testing.golden import (
    differences_from_nothing,
    read_requests_by_cluster_type,
    replace_expected_output,
    same_golden_content,
    undeclared_mutations,
    unexpected_entries,
)
from mom.testing.report import CaseOutcome, undeclared_mutations_reason
from mom.testing.runner import ProcessOutcome
from mom.testing.topology import check_topology


class Verdict(Frozen):
    """A judged case: its outcome, why, and whether its expected output was replaced."""

    outcome: CaseOutcome
    reasons: tuple[str, ...]
    differences: tuple[Difference, ...]
    replaced: bool

    __slots__ = ("differences", "outcome", "reasons", "replaced")

    def __init__(
        self,
        outcome: CaseOutcome,
        reasons: tuple[str, ...] = (),
        differences: tuple[Difference, ...] = (),
        replaced: bool = False,
    ) -> None:
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "differences", differences)
        object.__setattr__(self, "replaced", replaced)


def judge(case: Case, process: ProcessOutcome, timeout: float, output_dir: Path, replace: bool) -> Verdict:
    """The verdict on ``case`` whose operator ended as ``process`` (allowed ``timeout`` seconds),
    writing ``output_dir``; with ``replace``, its output becomes the expected output when the run
    went right."""
    if process.start_error:
        return Verdict(CaseOutcome.ERROR, (f"could not start the operator: {process.start_error}",))
    if process.timed_out or process.exit_code is None:
        return Verdict(CaseOutcome.ERROR, (f"timed out after {timeout:g} s",))
    return _judge_output(case, process.exit_code, output_dir, replace)


def _judge_output(case: Case, exit_code: int, output_dir: Path, replace: bool) -> Verdict:
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
                return Verdict(CaseOutcome.FAILED, (*reasons, "expected-output/ left unchanged"))
            return _replace(case, output_dir, reasons)
        if case.expected_output_dir.is_dir():
            differences = _compare(case.expected_output_dir, output_dir)
        else:
            differences = differences_from_nothing(output_dir)
        if case.description.topologies:  # the comparison above has read these already
            requests = read_requests_by_cluster_type(output_dir)
            for topology in case.description.topologies:
                reasons += [f"topology {problem}" for problem in check_topology(requests, topology)]
    except MomError as exc:
        if replace:
            return Verdict(
                CaseOutcome.FAILED,
                (*reasons, f"cannot read the outputs, expected-output/ left unchanged: {exc}"),
            )
        if exit_code != 0 and wants_failure and not reasons:
            return Verdict(CaseOutcome.PASSED)  # a wanted failure may leave an unreadable output
        return Verdict(CaseOutcome.FAILED, (*reasons, f"cannot read the outputs: {exc}"))
    outcome = CaseOutcome.FAILED if reasons or differences else CaseOutcome.PASSED
    return Verdict(outcome, tuple(reasons), tuple(differences))


def _compare(expected_dir: Path, output_dir: Path) -> list[Difference]:
    """:func:`compare_outputs`; when the golden files are the same bytes, only the actual output
    is read (it must still be readable) and nothing differs."""
    if same_golden_content(expected_dir, output_dir):
        try:
            read_results_document(output_dir)
            read_requests_by_cluster_type(output_dir)
        except MomError:
            pass  # the full comparison fails on it as it always has, naming the same file
        else:
            return []
    return compare_outputs(expected_dir, output_dir)


def _replace(case: Case, output_dir: Path, reasons: list[str]) -> Verdict:
    # Refuse to store an output that cannot be read back (a link, a FIFO, a malformed file).
    read_results_document(output_dir)
    read_requests_by_cluster_type(output_dir)
    replace_expected_output(output_dir, case.expected_output_dir)
    if reasons:
        return Verdict(
            CaseOutcome.FAILED, (*reasons, "expected-output/ replaced, without Unspecified/"), replaced=True
        )
    return Verdict(CaseOutcome.PASSED, replaced=True)
