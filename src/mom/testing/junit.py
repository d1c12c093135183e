"""junit.xml for a golden-test suite: one ``<testsuite>`` root, one testcase per test directory.

``name`` is the test's ``testName`` and ``classname`` its directory relative to the test root,
so tests sharing a name stay distinct. Failures carry the one-line message as the attribute and
the full report (reasons and rendered differences) as text; ``system-out``/``system-err`` hold
the tail of the operator's logs. Characters XML cannot carry are replaced.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from mom.testing.report import CaseOutcome, CaseResult, SuiteResult

SUITE_NAME = "mom test apply-configuration"
JUNIT_LOG_CHARS = 64 * 1024
"""How much of each operator log a testcase carries."""

_NOT_XML = "[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
"""The characters XML 1.0 cannot carry; compiled (by :func:`re.sub`) only for non-ASCII text."""
_NOT_XML_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The same among ASCII characters: a pattern that compiles at once, unlike the full one."""


def _xml_text(text: str) -> str:
    if text.isascii():
        return _NOT_XML_ASCII.sub("\ufffd", text)
    return re.sub(_NOT_XML, "\ufffd", text)


def _seconds(value: float) -> str:
    return f"{value:.3f}"


def build_junit(suite: SuiteResult) -> ET.ElementTree[ET.Element]:
    """The junit document for ``suite``."""
    failures = sum(1 for r in suite.results if r.outcome is CaseOutcome.FAILED)
    errors = sum(1 for r in suite.results if r.outcome is CaseOutcome.ERROR)
    element = ET.Element(
        "testsuite",
        {
            "name": SUITE_NAME,
            "tests": str(len(suite.results)),
            "failures": str(failures),
            "errors": str(errors),
            "skipped": "0",
            "time": _seconds(suite.duration),
        },
    )
    for result in suite.results:
        element.append(_testcase(result))
    return ET.ElementTree(element)


def _testcase(result: CaseResult) -> ET.Element:
    case = ET.Element(
        "testcase",
        {
            "name": _xml_text(result.case.description.test_name),
            "classname": _xml_text(result.case.relative_name),
            "time": _seconds(result.duration),
        },
    )
    if not result.passed:
        tag = "error" if result.outcome is CaseOutcome.ERROR else "failure"
        problem = ET.SubElement(case, tag, {"message": _xml_text(result.message)})
        problem.text = _xml_text(result.failure_report())
    if result.stdout_tail:
        ET.SubElement(case, "system-out").text = _xml_text(result.stdout_tail[-JUNIT_LOG_CHARS:])
    if result.stderr_tail:
        ET.SubElement(case, "system-err").text = _xml_text(result.stderr_tail[-JUNIT_LOG_CHARS:])
    return case


def write_junit(suite: SuiteResult, path: Path) -> None:
    """Write ``suite`` as junit XML to ``path`` (parent directories created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tree = build_junit(suite)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
