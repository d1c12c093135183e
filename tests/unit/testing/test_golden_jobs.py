"""``--jobs N``: up to N operators of a suite run at once, with the same results as one at a time.

Covers: with two jobs two operators are running at the same moment (each waits, bounded, for
the other to start), with one job the second starts only after the first has ended; results and progress stay in case order when a later
case's operator ends first; each operator is still killed when its own time is up while another
runs on; cases whose output directories nest never overlap; verdicts and kept outputs are the
same as with one job; ``--jobs 0`` is one clear error line and nothing runs.
"""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from golden_support import MakeCase, default_script
from test_golden_imports import mom_test
from test_golden_overlap import Recorder, in_case_order

from mom.api.errors import InvalidInput
from mom.testing.harness import PreservePolicy, SuiteOptions, run_suite
from mom.testing.report import CaseOutcome
from mom.testing.runner import LOG_FILES

RENDEZVOUS_OPERATOR = """#!/bin/sh
# apply-configuration --input-dir I --output-dir O: note that this run started, then wait (at
# most {limit} s) until another run has started too; print how many runs had started by then.
mkdir -p "$5"
touch "{rendezvous}/$$"
i=0
while [ "$(ls "{rendezvous}" | wc -l)" -lt 2 ] && [ "$i" -lt {ticks} ]; do
    sleep 0.05
    i=$((i + 1))
done
echo "runs seen: $(ls "{rendezvous}" | wc -l)"
"""


def options(
    tmp_path: Path,
    binary: Path,
    jobs: int,
    output: str = "out",
    preserve_policy: PreservePolicy = PreservePolicy.KEEP_ON_FAILURE,
) -> SuiteOptions:
    return SuiteOptions(
        tmp_path / "tests",
        tmp_path / output,
        tmp_path,
        binary=str(binary),
        preserve_policy=preserve_policy,
        jobs=jobs,
    )


def rendezvous_operator(tmp_path: Path, limit: float) -> Path:
    rendezvous = tmp_path / "rendezvous"
    rendezvous.mkdir()
    path = tmp_path / "rendezvous-operator"
    path.write_text(RENDEZVOUS_OPERATOR.format(rendezvous=rendezvous, limit=limit, ticks=int(limit / 0.05)))
    path.chmod(0o755)
    return path


def runs_seen(tmp_path: Path, binary: Path, jobs: int) -> list[str]:
    suite = run_suite(options(tmp_path, binary, jobs))
    assert [r.outcome for r in suite.results] == [CaseOutcome.PASSED] * 2, [
        r.failure_report() for r in suite.results
    ]
    return [r.stdout_tail.strip() for r in suite.results]


def test_two_jobs_run_two_operators_at_once(tmp_path: Path, make_case: MakeCase) -> None:
    for name in ("first", "second"):
        make_case(name, expected=None)
    binary = rendezvous_operator(tmp_path, limit=30)
    assert runs_seen(tmp_path, binary, jobs=2) == ["runs seen: 2", "runs seen: 2"]


def test_one_job_runs_one_operator_at_a_time(tmp_path: Path, make_case: MakeCase) -> None:
    for name in ("first", "second"):
        make_case(name, expected=None)
    binary = rendezvous_operator(tmp_path, limit=0.3)
    first, _ = runs_seen(tmp_path, binary, jobs=1)
    assert first == "runs seen: 1"  # the second run had not started while the first waited


def test_results_and_progress_stay_in_case_order_when_a_later_case_ends_first(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    names = ["first", "second", "third"]
    make_case("first", script={**default_script(), "sleep": 1})
    make_case("second")
    make_case("third")
    recorder = Recorder(tmp_path / "out", names)
    suite = run_suite(options(tmp_path, operator_binary, jobs=2), recorder)
    assert [r.case.relative_name for r in suite.results] == names
    assert [r.outcome for r in suite.results] == [CaseOutcome.PASSED] * 3
    assert recorder.calls == in_case_order(names)


def test_each_operator_is_killed_when_its_own_time_is_up(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("fast")
    make_case("slow", script={**default_script(), "sleep": 30}, timeout=0.5)
    make_case("steady", script={**default_script(), "sleep": 1})
    suite = run_suite(options(tmp_path, operator_binary, jobs=3))
    outcomes = {r.case.relative_name: (r.outcome, r.reasons) for r in suite.results}
    assert outcomes == {
        "fast": (CaseOutcome.PASSED, ()),
        "slow": (CaseOutcome.ERROR, ("timed out after 0.5 s",)),
        "steady": (CaseOutcome.PASSED, ()),
    }


def test_cases_whose_outputs_nest_never_overlap(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    names = ["other", "outer/inner", "outer"]  # directory order
    for name in names:
        make_case(name)
    recorder = Recorder(tmp_path / "out", names)
    suite = run_suite(options(tmp_path, operator_binary, jobs=3), recorder)
    assert [r.outcome for r in suite.results] == [CaseOutcome.PASSED] * 3
    assert recorder.next_started[1] is False  # "outer" had not started when "outer/inner" was judged


def test_verdicts_and_kept_outputs_are_those_of_one_job(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("passes")
    make_case("differs", expected={**default_script(), "mutations": {}})
    make_case("fails", script={**default_script(), "exitCode": 3})
    make_case("wants-failure", script={**default_script(), "exitCode": 1}, desiredError="NonZeroReturn")
    verdicts = {}
    for jobs in (1, 3):
        suite = run_suite(options(tmp_path, operator_binary, jobs, f"out-{jobs}", PreservePolicy.KEEP_ALWAYS))
        verdicts[jobs] = [(r.case.relative_name, r.outcome, r.reasons, r.differences) for r in suite.results]
    assert verdicts[1] == verdicts[3]
    assert [outcome for _, outcome, _, _ in verdicts[1]] == [
        CaseOutcome.FAILED,
        CaseOutcome.FAILED,
        CaseOutcome.PASSED,
        CaseOutcome.PASSED,
    ]
    comparison = filecmp.dircmp(tmp_path / "out-1", tmp_path / "out-3")
    pending = [comparison]
    while pending:
        current = pending.pop()
        assert not current.left_only and not current.right_only and not current.funny_files
        _, mismatch, errors = filecmp.cmpfiles(
            current.left,
            current.right,
            [n for n in current.common_files if n not in LOG_FILES],
            shallow=False,
        )
        assert not mismatch and not errors
        pending += current.subdirs.values()


def test_zero_jobs_is_refused_before_anything_runs(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("one")
    with pytest.raises(InvalidInput, match="--jobs: must be a positive number of operators, not 0"):
        run_suite(options(tmp_path, operator_binary, jobs=0))
    assert not (tmp_path / "out").exists()


def test_the_command_refuses_zero_jobs_in_one_line(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("one")
    code, stderr, _ = mom_test(tmp_path, operator_binary, "--jobs=0")
    assert code == 1
    assert [line for line in stderr.splitlines() if not line.startswith("import time:")] == [
        "mom: error: --jobs: must be a positive number of operators, not 0"
    ]
    assert not (tmp_path / "out").exists()
