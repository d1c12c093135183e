"""junit.xml written for a suite, read back with ElementTree.

Covers: one testsuite with filled counters (tests, failures, errors, time); one testcase per
test with name = testName and classname = directory, distinct for same-named tests; failure
message and rendered difference in the failure body; errors for timeouts; stdout/stderr tails;
characters XML cannot carry are replaced, in ASCII and other text alike, so the file stays parseable.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from pathlib import Path

from golden_support import CONFIGMAP_FOO, MakeCase, default_script

from mom.testing.cases import Case, CaseDescription
from mom.testing.harness import SuiteOptions, run_suite
from mom.testing.junit import SUITE_NAME, write_junit
from mom.testing.report import CaseOutcome, CaseResult, SuiteResult


def test_junit_lists_each_case_with_counters_and_failure_details(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    make_case("a/basic-call", testName="basic call")
    make_case("b/basic-call", testName="basic call")
    expected = default_script()
    changed = copy.deepcopy(CONFIGMAP_FOO)
    changed["body"]["data"]["counter"] = "7"
    expected["mutations"]["UserWorkload"] = [changed]
    make_case("c/wrong", testName="basic call", expected=expected)
    make_case("d/slow", script={**default_script(), "sleep": 30}, timeout=0.3)
    suite = run_suite(
        SuiteOptions(tmp_path / "tests", tmp_path / "out", tmp_path, binary=str(operator_binary))
    )
    write_junit(suite, tmp_path / "out" / "junit.xml")

    root = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    assert root.tag == "testsuite"
    assert root.get("name") == SUITE_NAME
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "1", "1")
    assert float(root.get("time", "0")) > 0
    cases = root.findall("testcase")
    assert [(c.get("name"), c.get("classname")) for c in cases] == [
        ("basic call", "a/basic-call"),
        ("basic call", "b/basic-call"),
        ("basic call", "c/wrong"),
        ("slow", "d/slow"),
    ]
    assert cases[0].find("failure") is None
    assert cases[0].findtext("system-err", "").startswith("argv: apply-configuration")
    failure = cases[2].find("failure")
    assert failure is not None
    assert failure.get("message") == (
        "expected output mismatch: [UserWorkload] Create-ConfigMap.v1./foo[openshift-authentication]"
        " differs only in body field data.counter"
    )
    assert "Create-ConfigMap.v1./foo[openshift-authentication]" in (failure.text or "")
    assert '+  counter: "1"' in (failure.text or "")
    error = cases[3].find("error")
    assert error is not None and error.get("message") == "timed out after 0.3 s"


def test_control_characters_do_not_break_the_xml(tmp_path: Path) -> None:
    case = Case(tmp_path, "odd\x01dir", CaseDescription("bin", "name\x07", "d"))
    result = CaseResult(case, CaseOutcome.FAILED, reasons=("bad \x1b[31mred\x1b[0m",), stderr_tail="\x00oops")
    write_junit(SuiteResult((result,), 1.0), tmp_path / "junit.xml")
    testcase = ET.parse(tmp_path / "junit.xml").getroot().find("testcase")
    assert testcase is not None
    assert testcase.get("classname") == "odd\ufffddir"
    assert testcase.findtext("system-err") == "\ufffdoops"


def test_characters_xml_cannot_carry_are_replaced_in_ascii_and_other_text(tmp_path: Path) -> None:
    case = Case(tmp_path, "dir", CaseDescription("bin", "naïve\ufffe", "d"))
    result = CaseResult(
        case,
        CaseOutcome.PASSED,
        stdout_tail="tab\tok\x0bvt\x7fdel",
        stderr_tail="é\ud800\uffff\U0001f600\x1f",
    )
    write_junit(SuiteResult((result,), 1.0), tmp_path / "junit.xml")
    testcase = ET.parse(tmp_path / "junit.xml").getroot().find("testcase")
    assert testcase is not None
    assert testcase.get("name") == "naïve\ufffd"
    assert testcase.findtext("system-out") == "tab\tok\ufffdvt\x7fdel"
    assert testcase.findtext("system-err") == "é\ufffd\ufffd\U0001f600\ufffd"
