"""`mom test apply-configuration` end to end through mom's CLI entry point.

Covers: a failing test's readable diff on stderr and the exact `N passed, M failed` summary
as the last stdout line, exit status 1, junit.xml in the output dir; --binary overriding
binaryName and -k filtering; an invalid test.yaml giving one `mom: error:` line and exit 1 with
nothing run; the four Go conformance apply-configuration cases passing against the Python
sample operator, with junit listing each by directory.
"""

from __future__ import annotations

import copy
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from golden_support import CONFIGMAP_FOO, MakeCase, default_script

from mom.cli.main import main

SAMPLE_OPERATOR = Path(sys.executable).parent / "sample-operator"


def test_failures_print_diff_summary_and_exit_non_zero(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case("good")
    expected = default_script()
    changed = copy.deepcopy(CONFIGMAP_FOO)
    changed["body"]["data"]["counter"] = "2"
    expected["mutations"]["UserWorkload"] = [changed]
    make_case("bad", expected=expected)
    argv = [
        "test",
        "apply-configuration",
        "--test-dir",
        str(tmp_path / "tests"),
        "--output-dir",
        str(tmp_path / "out"),
    ]
    code = main([*argv, "--binary", str(operator_binary)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines()[-1] == "1 passed, 1 failed"
    assert "FAILED: bad (bad)" in err
    assert "[UserWorkload] body Create-ConfigMap.v1./foo[openshift-authentication]" in err
    assert "data.counter" in err
    assert (tmp_path / "out" / "junit.xml").is_file()

    assert main([*argv, "--binary", str(operator_binary), "-k", "good"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 passed, 0 failed"


def test_invalid_test_yaml_is_one_error_line(
    tmp_path: Path, make_case: MakeCase, capsys: pytest.CaptureFixture[str]
) -> None:
    make_case("broken", testType="Unit")
    code = main(
        [
            "test",
            "apply-configuration",
            "--test-dir",
            str(tmp_path / "tests"),
            "--output-dir",
            str(tmp_path / "out"),
        ]
    )
    _, err = capsys.readouterr()
    assert code == 1
    assert err.count("\n") == 1
    assert err.startswith("mom: error: ")
    assert "broken/test.yaml: testType: Unsupported value: 'Unit'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.conformance
@pytest.mark.skipif(not SAMPLE_OPERATOR.exists(), reason="sample-operator console script not installed")
def test_go_conformance_cases_pass_against_sample_operator(
    conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    test_dir = conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration"
    code = main(
        [
            "test",
            "apply-configuration",
            "--test-dir",
            str(test_dir),
            "--output-dir",
            str(tmp_path / "out"),
            "--binary",
            str(SAMPLE_OPERATOR),
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.splitlines()[-1] == "4 passed, 0 failed"
    root = ET.parse(tmp_path / "out" / "junit.xml").getroot()
    assert root.get("tests") == "4" and root.get("failures") == "0" and root.get("errors") == "0"
    assert [(c.get("classname"), c.get("name")) for c in root.iter("testcase")] == [
        ("eventing-01", "basic call"),
        ("test-basic-call", "basic call"),
        ("test-controller-name", "test controller name"),
        ("test-forced-error", "basic call"),
    ]
