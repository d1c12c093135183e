"""Results of golden tests and the text a person reads about them.

The same rendering serves the ``mom test`` command (stderr), junit failure bodies and pytest's
failure representation, so a failing case reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from mom.api.values import Frozen
from mom.testing.cases import Case
from mom.testing.runner import ProcessOutcome

if TYPE_CHECKING:
    from mom.mutationdir.equivalence import Difference

REPORT_LOG_LINES = 20
"""Lines of stderr shown in a failure report (junit keeps a longer tail)."""


class CaseOutcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    ERROR = "error"
    """The case could not be judged: the operator did not start or ran out of time."""


class CaseResult(Frozen):
    """What happened to one test directory."""

    case: Case
    outcome: CaseOutcome
    reasons: tuple[str, ...]
    """Why it failed, one line each (exit status, undeclared mutations, topology...)."""
    differences: tuple[Difference, ...]
    """Expected vs actual output; reported after the reasons."""
    process: ProcessOutcome | None
    output_dir: Path | None
    """Where the actual output is kept (``None`` once deleted by the preserve policy)."""
    stdout_tail: str
    stderr_tail: str
    replaced: bool
    """The expected output was rewritten from this run."""

    __slots__ = (
        "case",
        "differences",
        "outcome",
        "output_dir",
        "process",
        "reasons",
        "replaced",
        "stderr_tail",
        "stdout_tail",
    )

    def __init__(
        self,
        case: Case,
        outcome: CaseOutcome,
        reasons: tuple[str, ...] = (),
        differences: tuple[Difference, ...] = (),
        process: ProcessOutcome | None = None,
        output_dir: Path | None = None,
        stdout_tail: str = "",
        stderr_tail: str = "",
        replaced: bool = False,
    ) -> None:
        object.__setattr__(self, "case", case)
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "reasons", reasons)
        object.__setattr__(self, "differences", differences)
        object.__setattr__(self, "process", process)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "stdout_tail", stdout_tail)
        object.__setattr__(self, "stderr_tail", stderr_tail)
        object.__setattr__(self, "replaced", replaced)

    @property
    def passed(self) -> bool:
        return self.outcome is CaseOutcome.PASSED

    @property
    def duration(self) -> float:
        return self.process.duration if self.process is not None else 0.0

    @property
    def message(self) -> str:
        """One line: the first reason, or what the output mismatch amounts to."""
        if self.reasons:
            return self.reasons[0]
        from mom.testing.mismatch import summarize_mismatch  # loaded by judging, as is equivalence

        return summarize_mismatch(self.differences)

    def failure_report(self) -> str:
        """Everything a person needs to see why this case failed."""
        description = self.case.description
        lines = [f"{self.outcome.value.upper()}: {self.case.relative_name} ({description.test_name})"]
        if self.process is not None:
            exit_text = "none" if self.process.exit_code is None else str(self.process.exit_code)
            import shlex  # only a failure shows the command line

            lines.append(f"  command: {shlex.join(self.process.command)}")
            lines.append(
                f"  exit code: {exit_text} (wanted: {'non-zero' if description.wants_non_zero_exit else '0'})"
            )
        lines.extend(f"  {reason}" for reason in self.reasons)
        if self.differences:
            from mom.mutationdir.equivalence import render_differences
            from mom.testing.mismatch import summarize_mismatch

            lines.append(f"  {summarize_mismatch(self.differences)}")
            lines.extend("  " + line for line in render_differences(self.differences).splitlines())
        if self.output_dir is not None:
            lines.append(f"  actual output: {self.output_dir}")
        stderr_lines = self.stderr_tail.splitlines()[-REPORT_LOG_LINES:]
        if stderr_lines:
            lines.append(f"  stderr (last {len(stderr_lines)} lines):")
            lines.extend(f"    | {line}" for line in stderr_lines)
        return "\n".join(lines) + "\n"


class SuiteResult(Frozen):
    """All cases of one run, in the order they ran."""

    results: tuple[CaseResult, ...]
    duration: float

    __slots__ = ("duration", "results")

    def __init__(self, results: tuple[CaseResult, ...] = (), duration: float = 0.0) -> None:
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "duration", duration)

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def summary_line(self) -> str:
        """``N passed, M failed``: the line CI reads."""
        return f"{self.passed} passed, {self.failed} failed"


def undeclared_mutations_reason(identities: Sequence[str]) -> str:
    count = len(identities)
    noun = "mutation was" if count == 1 else "mutations were"
    return f"{count} {noun} not declared in output-resources (written to Unspecified/): " + ", ".join(
        identities
    )
