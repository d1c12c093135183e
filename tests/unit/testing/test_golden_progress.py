"""Terminal progress rendering (mom.testing.progress).

Covers: outside a terminal one plain line per finished test, no carriage returns; on a
terminal one line rewritten in place while running, failures printed on their own line, and
the line cleared at the end.
"""

from __future__ import annotations

import io
from pathlib import Path

from mom.testing.cases import Case, CaseDescription
from mom.testing.progress import TerminalProgress
from mom.testing.report import CaseOutcome, CaseResult


def feed(progress: TerminalProgress) -> None:
    cases = [
        Case(Path(name), name, CaseDescription("bin", f"{name} test", "d")) for name in ("a/one", "b/two")
    ]
    progress.suite_started(2)
    progress.case_started(1, 2, cases[0])
    progress.case_finished(1, 2, CaseResult(cases[0], CaseOutcome.PASSED))
    progress.case_started(2, 2, cases[1])
    progress.case_finished(2, 2, CaseResult(cases[1], CaseOutcome.FAILED, reasons=("boom",)))
    progress.finish()


def test_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    feed(TerminalProgress(stream, interactive=False))
    assert stream.getvalue() == (
        "running 2 tests\nPASS [1/2] a/one (a/one test) 0.00s\nFAIL [2/2] b/two (b/two test) 0.00s\n"
    )


def test_single_updating_line_on_a_terminal() -> None:
    stream = io.StringIO()
    feed(TerminalProgress(stream, interactive=True))
    text = stream.getvalue()
    assert "\r[1/2] a/one ..." in text and "\r[2/2] b/two ..." in text
    assert "PASS" not in text
    assert "FAIL [2/2] b/two (b/two test) 0.00s\n" in text
    assert text.count("\n") == 1
    assert text.endswith("\n")  # the failure line; the progress line was cleared before it
