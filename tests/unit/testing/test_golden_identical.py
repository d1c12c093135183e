"""Judging an output whose golden files are the same bytes as the expected output's.

Covers: byte-identical outputs pass without the full comparison (the expected output is not
decoded); every other output still gets exactly the full comparison's verdict: a body that
differs only in formatting (the same YAML, other bytes) fails as the Go harness would judge it,
a metadata file written differently but meaning the same (``mame:`` vs ``name:``, compared
parsed) passes, a file on one side only fails, an unreadable output that is byte-identical to an
unreadable expected output fails naming the same file as before, and a link in the expected
output is never followed. :func:`same_golden_content` itself: links, other file kinds and logs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from golden_support import MakeCase

import mom.testing.judge as judge_module
from mom.mutationdir.equivalence import Difference, compare_outputs
from mom.testing.cases import load_case
from mom.testing.golden import same_golden_content
from mom.testing.judge import Verdict, judge
from mom.testing.report import CaseOutcome
from mom.testing.runner import ProcessOutcome

CONFIGMAPS = Path("UserWorkload/Create/namespaces/openshift-authentication/core/configmaps")


@pytest.fixture
def full_comparisons(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The expected outputs the full comparison was run on."""
    calls: list[Path] = []

    def spy(expected_dir: Path, actual_dir: Path) -> list[Difference]:
        calls.append(expected_dir)
        return compare_outputs(expected_dir, actual_dir)

    monkeypatch.setattr(judge_module, "compare_outputs", spy)
    return calls


def judged(case_dir: Path, actual: Path) -> Verdict:
    case = load_case(case_dir, case_dir.parent)
    return judge(case, ProcessOutcome(("op",), 0, 0.1), 30.0, actual, replace=False)


def copy_of_expected(case_dir: Path, tmp_path: Path) -> Path:
    """An actual output with the expected output's bytes (and the logs the harness adds)."""
    actual = tmp_path / "actual"
    for path in sorted((case_dir / "expected-output").rglob("*")):
        target = actual / path.relative_to(case_dir / "expected-output")
        if path.is_dir():
            target.mkdir(parents=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (actual / "stdout.log").write_text("out\n")
    (actual / "stderr.log").write_text("err\n")
    return actual


def only_file(directory: Path, kind: str) -> Path:
    (found,) = directory.glob(f"*-{kind}-*.yaml")
    return found


def test_identical_outputs_pass_without_the_full_comparison(
    tmp_path: Path, make_case: MakeCase, full_comparisons: list[Path]
) -> None:
    case_dir = make_case("same")
    verdict = judged(case_dir, copy_of_expected(case_dir, tmp_path))
    assert verdict == Verdict(CaseOutcome.PASSED)
    assert full_comparisons == []


def test_a_body_differing_only_in_formatting_fails_as_before(
    tmp_path: Path, make_case: MakeCase, full_comparisons: list[Path]
) -> None:
    case_dir = make_case("formatting")
    actual = copy_of_expected(case_dir, tmp_path)
    body = only_file(actual / CONFIGMAPS, "body")
    body.write_bytes(body.read_bytes().replace(b'counter: "1"', b"counter: '1'"))
    verdict = judged(case_dir, actual)
    assert verdict.outcome is CaseOutcome.FAILED
    assert verdict.differences == tuple(compare_outputs(case_dir / "expected-output", actual))
    assert "(formatting only)" in verdict.differences[0].message
    assert full_comparisons == [case_dir / "expected-output"]


def test_metadata_meaning_the_same_in_other_bytes_passes(
    tmp_path: Path, make_case: MakeCase, full_comparisons: list[Path]
) -> None:
    case_dir = make_case("metadata")
    actual = copy_of_expected(case_dir, tmp_path)
    metadata = only_file(actual / CONFIGMAPS, "metadata")
    assert b"\nname: foo\n" in metadata.read_bytes()
    metadata.write_bytes(metadata.read_bytes().replace(b"\nname: foo\n", b"\nmame: foo\n"))
    assert judged(case_dir, actual) == Verdict(CaseOutcome.PASSED)
    assert full_comparisons == [case_dir / "expected-output"]


def test_a_file_on_one_side_only_fails_as_before(tmp_path: Path, make_case: MakeCase) -> None:
    case_dir = make_case("extra")
    actual = copy_of_expected(case_dir, tmp_path)
    (actual / "UserWorkload").rename(tmp_path / "moved")
    verdict = judged(case_dir, actual)
    assert verdict.outcome is CaseOutcome.FAILED
    assert verdict.differences == tuple(compare_outputs(case_dir / "expected-output", actual))
    assert [d.kind for d in verdict.differences] == ["missing"]


def test_an_unreadable_output_identical_to_the_expected_one_names_the_same_file(
    tmp_path: Path, make_case: MakeCase
) -> None:
    case_dir = make_case("unreadable")
    metadata = only_file(case_dir / "expected-output" / CONFIGMAPS, "metadata")
    metadata.write_bytes(b"- not a map\n")
    actual = copy_of_expected(case_dir, tmp_path)
    verdict = judged(case_dir, actual)
    assert verdict.outcome is CaseOutcome.FAILED
    (reason,) = verdict.reasons
    assert reason.startswith(f"cannot read the outputs: {metadata}")
    assert "must be a YAML map of request metadata" in reason


def test_a_link_in_the_expected_output_is_not_followed(
    tmp_path: Path, make_case: MakeCase, full_comparisons: list[Path]
) -> None:
    case_dir = make_case("linked")
    actual = copy_of_expected(case_dir, tmp_path)
    body = only_file(case_dir / "expected-output" / CONFIGMAPS, "body")
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(body.read_bytes())
    body.unlink()
    body.symlink_to(outside)
    assert not same_golden_content(case_dir / "expected-output", actual)
    verdict = judged(case_dir, actual)
    assert full_comparisons == [case_dir / "expected-output"]
    assert verdict.outcome is CaseOutcome.FAILED


def test_same_golden_content_compares_names_kinds_and_bytes_of_golden_entries_only(
    tmp_path: Path, make_case: MakeCase
) -> None:
    case_dir = make_case("content")
    expected = case_dir / "expected-output"
    actual = copy_of_expected(case_dir, tmp_path)
    assert same_golden_content(expected, actual)
    (actual / "stderr.log").write_text("other\n")  # logs are no golden content
    (actual / "Unspecified").mkdir()
    assert same_golden_content(expected, actual)
    results = actual / "controller-results.yaml"
    results.write_bytes(results.read_bytes() + b"\n")
    assert not same_golden_content(expected, actual)
    results.write_bytes(results.read_bytes()[:-1])
    os.mkfifo(actual / CONFIGMAPS / "fifo")
    assert not same_golden_content(expected, actual)
    (actual / CONFIGMAPS / "fifo").unlink()
    (actual / "Management").mkdir()
    assert not same_golden_content(expected, actual)
    assert not same_golden_content(expected, tmp_path / "missing")
