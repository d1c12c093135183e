"""A suite starts the next case's operator before judging the case that has just ended.

Covers: judging overlaps the next run (the next operator has started by the time a case is
reported) while progress is still reported in case order, one case at a time; a case nested in
another case's directory waits until that case is judged (their output directories nest).
"""

from __future__ import annotations

from pathlib import Path

from golden_support import MakeCase

from mom.testing.cases import Case
from mom.testing.harness import SuiteOptions, run_suite
from mom.testing.report import CaseOutcome, CaseResult
from mom.testing.runner import STDERR_LOG


class Recorder:
    """A reporter noting each call, and whether the next case's operator had started by then."""

    def __init__(self, output_dir: Path, names: list[str]) -> None:
        self.output_dir = output_dir
        self.names = names
        self.calls: list[str] = []
        self.next_started: list[bool] = []

    def suite_started(self, total: int) -> None:
        self.calls.append(f"suite {total}")

    def case_started(self, position: int, total: int, case: Case) -> None:
        self.calls.append(f"started {position} {case.relative_name}")

    def case_finished(self, position: int, total: int, result: CaseResult) -> None:
        self.calls.append(f"finished {position} {result.case.relative_name} {result.outcome.value}")
        if position < total:
            self.next_started.append((self.output_dir / self.names[position] / STDERR_LOG).exists())


def in_case_order(names: list[str]) -> list[str]:
    """The reporter calls of a passing suite of ``names``: each case started, then finished."""
    calls = [f"suite {len(names)}"]
    for position, name in enumerate(names, 1):
        calls += [f"started {position} {name}", f"finished {position} {name} passed"]
    return calls


def run(tmp_path: Path, operator_binary: Path, names: list[str]) -> Recorder:
    recorder = Recorder(tmp_path / "out", names)
    options = SuiteOptions(
        test_dir=tmp_path / "tests",
        output_dir=tmp_path / "out",
        working_dir=tmp_path,
        binary=str(operator_binary),
    )
    suite = run_suite(options, recorder)
    assert [r.outcome for r in suite.results] == [CaseOutcome.PASSED] * len(names), [
        r.failure_report() for r in suite.results
    ]
    return recorder


def test_the_next_operator_runs_while_a_case_is_judged_and_reported_in_order(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    names = ["first", "second", "third"]
    for name in names:
        make_case(name)
    recorder = run(tmp_path, operator_binary, names)
    assert recorder.calls == in_case_order(names)
    assert recorder.next_started == [True, True]


def test_a_case_inside_another_case_waits_for_it_to_be_judged(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    names = ["other", "outer/inner", "outer"]  # directory order
    for name in names:
        make_case(name)
    recorder = run(tmp_path, operator_binary, names)
    assert recorder.calls == in_case_order(names)
    assert recorder.next_started == [True, False]
