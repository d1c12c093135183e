"""`mom mutations diff` and `mom mutations show`.

Covers:
- diff of two apply-configuration outputs: the need-useful-diff report and exit 1; an output
  against itself: exit 0;
- diff of two plain mutation directories (the library-go fixtures), equal and different;
- show lists one request per line with cluster type, controller and field manager;
- a missing directory or one of another shape is one `mom: error:` line and exit 1.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.cli.main import main

MOM = "multi-operator-manager"
NEED_USEFUL_DIFF = f"{MOM}/pkg/library/libraryapplyconfiguration/testdata/need-useful-diff"
BASIC_CALL = f"{MOM}/test-data/apply-configuration/test-basic-call/expected-output"
MUTATION_TESTS = "library-go/pkg/manifestclienttest/testdata/mutation-tests"


@pytest.mark.conformance
def test_diff_of_outputs_reports_and_exits_one(
    conformance_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = conformance_dir / NEED_USEFUL_DIFF
    assert main(["mutations", "diff", str(root / "lhs"), str(root / "rhs")]) == 1
    out = capsys.readouterr().out
    assert out.startswith("3 differences:\n")
    assert "OAuthConfigDegraded" in out
    assert main(["mutations", "diff", str(root / "lhs"), str(root / "lhs")]) == 0
    assert capsys.readouterr().out == "equivalent: no differences\n"


@pytest.mark.conformance
def test_diff_of_plain_mutation_dirs(conformance_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    create = conformance_dir / MUTATION_TESTS / "CREATE-crd-in-dataset"
    update = conformance_dir / MUTATION_TESTS / "UPDATE-crd-in-dataset"
    assert main(["mutations", "diff", str(create), str(create)]) == 0
    assert main(["mutations", "diff", str(create), str(update)]) == 1
    out = capsys.readouterr().out
    assert "missing Create-FeatureGate.v1.config.openshift.io/new-item[]" in out
    assert "extra Update-FeatureGate.v1.config.openshift.io/new-item[]" in out


@pytest.mark.conformance
def test_show_lists_requests(conformance_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mutations", "show", str(conformance_dir / BASIC_CALL)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert (
        "[UserWorkload] Create-ConfigMap.v1./foo[openshift-authentication]"
        '  controller=sample-operator-Demo  fieldManager=""'
    ) in lines
    assert any("fieldManager=sample-operator-example-ResourceSync" in line for line in lines)


def test_bad_directories_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("hello")
    assert main(["mutations", "diff", str(tmp_path / "absent"), str(tmp_path)]) == 1
    assert capsys.readouterr().err == f"mom: error: {tmp_path / 'absent'}: not a directory\n"
    assert main(["mutations", "show", str(tmp_path / "other")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "neither an apply-configuration output" in err
