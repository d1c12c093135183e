"""Terminal progress for a golden-test suite, fed by the harness' reporter callbacks.

On a terminal one line is rewritten in place (``[3/12] dir/name ...``); anywhere else (CI logs,
pipes) each finished test prints one plain line (``PASS [3/12] dir/name (testName) 0.21s``).
The caller decides which by passing ``interactive``; this module never inspects the environment.
"""

from __future__ import annotations

from typing import TextIO

from mom.testing.cases import Case
from mom.testing.report import CaseResult

_LABELS = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}


class TerminalProgress:
    """A :class:`mom.testing.harness.SuiteReporter` that writes to ``stream``."""

    def __init__(self, stream: TextIO, *, interactive: bool) -> None:
        self._stream = stream
        self._interactive = interactive
        self._line_width = 0

    def suite_started(self, total: int) -> None:
        if not self._interactive:
            self._stream.write(f"running {total} test{'s' if total != 1 else ''}\n")
            self._stream.flush()

    def case_started(self, position: int, total: int, case: Case) -> None:
        if self._interactive:
            self._rewrite(f"[{position}/{total}] {case.relative_name} ...")

    def case_finished(self, position: int, total: int, result: CaseResult) -> None:
        label = _LABELS[result.outcome.value]
        line = f"{label} [{position}/{total}] {result.case.display_name} {result.duration:.2f}s"
        if result.replaced:
            line += " (expected-output replaced)"
        if self._interactive:
            if result.passed:
                return
            self._clear()
        self._stream.write(line + "\n")
        self._stream.flush()

    def finish(self) -> None:
        """Remove the progress line before the summary is printed."""
        if self._interactive:
            self._clear()

    def _rewrite(self, text: str) -> None:
        import shutil  # on a terminal only

        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        if len(text) > width:
            text = text[: width - 3] + "..."
        padding = " " * max(0, self._line_width - len(text))
        self._stream.write("\r" + text + padding)
        self._stream.flush()
        self._line_width = len(text)

    def _clear(self) -> None:
        if self._line_width:
            self._stream.write("\r" + " " * self._line_width + "\r")
            self._stream.flush()
            self._line_width = 0
