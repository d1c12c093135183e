"""The mom pytest plugin, driven through pytester.

Covers: test directories under --mom-test-dir collected as items named by their directory;
test.yaml files outside the configured roots, or inside a test's input-dir/, not collected;
the ini option mom_test_dirs; a failing case reported with the harness diff; an invalid
test.yaml reported as a collection error in one line; --mom-replace-expected-output updating
goldens so the next run passes.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from golden_support import CONFIGMAP_FOO, MakeCase, default_script

pytest_plugins = ["pytester"]


def wrong_expected() -> dict[str, object]:
    expected = default_script()
    changed = copy.deepcopy(CONFIGMAP_FOO)
    changed["body"]["data"]["counter"] = "5"
    expected["mutations"]["UserWorkload"] = [changed]
    return expected


@pytest.fixture
def suite(tmp_path: Path, make_case: MakeCase, pytester: pytest.Pytester) -> Path:
    make_case("sample-operator/test-basic-call")
    make_case("sample-operator/test-wrong", expected=wrong_expected())
    root = pytester.path / "golden"
    shutil.copytree(tmp_path / "tests", root)
    stray = pytester.path / "elsewhere"
    shutil.copytree(tmp_path / "tests" / "sample-operator" / "test-basic-call", stray)
    (root / "sample-operator" / "test-basic-call" / "input-dir" / "test.yaml").write_text("ignored: true\n")
    return root


def test_directories_become_items_and_failures_show_the_diff(
    suite: Path, pytester: pytest.Pytester, operator_binary: Path
) -> None:
    result = pytester.runpytest(
        "--mom-test-dir", "golden", "--mom-binary", str(operator_binary), "-v", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*golden/sample-operator/test-basic-call/test.yaml::sample-operator/test-basic-call PASSED*",
            "*golden/sample-operator/test-wrong/test.yaml::sample-operator/test-wrong FAILED*",
        ]
    )
    result.stdout.fnmatch_lines(
        ["*body Create-ConfigMap.v1./foo[[]openshift-authentication[]]*", "*data.counter*"]
    )
    assert "elsewhere" not in result.stdout.str()


def test_ini_option_collects_dirs(suite: Path, pytester: pytest.Pytester, operator_binary: Path) -> None:
    pytester.makeini("[pytest]\nmom_test_dirs = golden\n")
    # `--mom-binary=PATH` in one word: pytest looks for its ini file near path-like arguments
    result = pytester.runpytest(
        f"--mom-binary={operator_binary}", "-p", "no:cacheprovider", "--collect-only", "-q"
    )
    result.stdout.fnmatch_lines(
        ["*::sample-operator/test-basic-call", "*::sample-operator/test-wrong", "*2 tests collected*"]
    )


def test_invalid_test_yaml_is_a_collection_error(suite: Path, pytester: pytest.Pytester) -> None:
    (suite / "sample-operator" / "test-wrong" / "test.yaml").write_text("testName: x\n")
    result = pytester.runpytest("--mom-test-dir", "golden", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*invalid test directory: *test.yaml: 3 problems: binaryName: Required value*"]
    )


def test_replace_flag_updates_goldens(suite: Path, pytester: pytest.Pytester, operator_binary: Path) -> None:
    args = ["--mom-test-dir", "golden", "--mom-binary", str(operator_binary), "-p", "no:cacheprovider"]
    pytester.runpytest(*args, "--mom-replace-expected-output").assert_outcomes(passed=2)
    pytester.runpytest(*args).assert_outcomes(passed=2)
