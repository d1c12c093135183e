"""``python -m benchmarks all`` runs the suite and says which benchmark failed."""

from __future__ import annotations

import sys
import types

import pytest
from benchmarks.__main__ import available, main, run_all


def test_every_benchmark_is_listed_with_a_summary() -> None:
    listed = available()
    assert {"vs_go", "manager", "gather"} <= set(listed)
    assert all(summary for summary in listed.values())


def test_a_failed_benchmark_fails_the_suite_and_is_named(capfd: pytest.CaptureFixture[str]) -> None:
    assert run_all(["no-such-benchmark"]) == 1
    out, err = capfd.readouterr()
    assert "no-such-benchmark" in out and "FAILED (exit 2)" in out
    assert "unknown benchmark 'no-such-benchmark'" in err


@pytest.mark.parametrize("arguments", [["all", "extra"], ["all", "--except", "no-such-benchmark"]])
def test_the_suite_refuses_what_it_does_not_understand(
    arguments: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not understood" in err


def test_a_benchmark_whose_main_returns_a_failure_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    failing = types.ModuleType("benchmarks.failing")
    failing.main = lambda argv: 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "benchmarks.failing", failing)
    monkeypatch.setattr("benchmarks.__main__.available", lambda: {"failing": "fails"})
    assert main(["failing"]) == 3


def test_a_helper_without_main_is_not_listed() -> None:
    assert "own_usage" not in available()  # vs_go's helper: run with arguments, not on its own
