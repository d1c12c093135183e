"""The Python sample operator against the Go project's own apply-configuration test data.

Covers: every group D case of the conformance corpus passes by the Go comparison rules (events
ignored, bodies and options byte-equal, controller results equal); exit status is non-zero
exactly when the case wants it; non-event files are byte-identical to the Go operator's at the
same paths; the event name is derived from ``now``; the installed ``sample-operator`` command
behaves the same as a subprocess; the printed input/output documents declare what the
operator reads and writes, and are the Go sample operator's documents, entry for entry.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mom.mutationdir.equivalence import compare_outputs, render_differences
from mom.operator.command import run_command
from mom.operator.sample.operator import SAMPLE_OPERATOR
from mom.serialization import load_document

CASES = ("test-basic-call", "eventing-01", "test-controller-name", "test-forced-error")


def case_dir(conformance_dir: Path, name: str) -> Path:
    return conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration" / name


def argv_for(case: Path, output: Path) -> list[str]:
    spec = load_document((case / "test.yaml").read_bytes(), "test.yaml")
    argv = ["apply-configuration", "--input-dir", str(case / "input-dir"), "--output-dir", str(output)]
    argv += ["--now", str(spec["now"])]
    if spec.get("controllers"):
        argv += ["--controllers", ",".join(spec["controllers"])]
    return argv


@pytest.mark.parametrize("name", CASES)
def test_go_case_passes(conformance_dir: Path, tmp_path: Path, name: str) -> None:
    case = case_dir(conformance_dir, name)
    wants_failure = load_document((case / "test.yaml").read_bytes(), "test.yaml").get("desiredError") == (
        "NonZeroReturn"
    )

    code = run_command(SAMPLE_OPERATOR, argv_for(case, tmp_path / "out"))

    assert (code != 0) is wants_failure
    differences = compare_outputs(case / "expected-output", tmp_path / "out")
    assert not differences, render_differences(differences)
    assert not (tmp_path / "out" / "Unspecified").exists()


@pytest.mark.parametrize("name", CASES)
def test_files_are_byte_identical_to_go(conformance_dir: Path, tmp_path: Path, name: str) -> None:
    case = case_dir(conformance_dir, name)
    run_command(SAMPLE_OPERATOR, argv_for(case, tmp_path))
    expected_root = case / "expected-output"
    for expected in sorted(expected_root.rglob("*.yaml")):
        relative = expected.relative_to(expected_root)
        actual = tmp_path / relative
        assert actual.is_file(), f"missing {relative}"
        if "-metadata-" in expected.name:
            # Go fixtures spell the name key `mame:` (old library-go); mom writes `name:`.
            assert actual.read_bytes() == expected.read_bytes().replace(b"\nmame: ", b"\nname: ")
        else:
            assert actual.read_bytes() == expected.read_bytes(), relative


def test_event_name_comes_from_now(conformance_dir: Path, tmp_path: Path) -> None:
    case = case_dir(conformance_dir, "eventing-01")
    run_command(SAMPLE_OPERATOR, argv_for(case, tmp_path))
    events = sorted(p.name for p in (tmp_path / "Management" / "Create").rglob("*-body-*.yaml"))
    assert events == ["9a34-body-example-operator.17fe72c59b829800.5bfc8f45.yaml"]


def test_failure_is_reported_on_stderr(
    conformance_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_dir(conformance_dir, "test-forced-error")
    assert run_command(SAMPLE_OPERATOR, argv_for(case, tmp_path)) == 1
    err = capsys.readouterr().err
    assert "sample-operator-FailureGenerator Failed: fail the process" in err
    assert "Traceback" not in err


def test_installed_command_runs_as_a_subprocess(conformance_dir: Path, tmp_path: Path) -> None:
    command = shutil.which("sample-operator", path=str(Path(sys.executable).parent))
    assert command, "the sample-operator console script is installed with mom"
    case = case_dir(conformance_dir, "test-basic-call")
    done = subprocess.run([command, *argv_for(case, tmp_path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert not compare_outputs(case / "expected-output", tmp_path)


def test_counter_increments_when_configmap_exists(conformance_dir: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "input"
    shutil.copytree(case_dir(conformance_dir, "test-basic-call") / "input-dir", inputs)
    cm_dir = inputs / "namespaces" / "openshift-authentication" / "core" / "configmaps"
    cm_dir.mkdir(parents=True)
    (cm_dir / "foo.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: foo\n  namespace: openshift-authentication\n"
        "  resourceVersion: '7'\ndata:\n  counter: '41'\n"
    )
    out = tmp_path / "out"
    argv = ["apply-configuration", "--input-dir", str(inputs), "--output-dir", str(out)]
    assert run_command(SAMPLE_OPERATOR, [*argv, "--now", "2024-10-14T22:38:20Z"]) == 0
    (body,) = (out / "UserWorkload" / "Update").rglob("*-body-foo.yaml")
    updated = load_document(body.read_bytes(), str(body))
    assert updated["data"] == {"counter": "42"}
    assert updated["metadata"]["resourceVersion"] == "7", "the update is guarded by the read version"


def test_documents_declare_inputs_and_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_command(SAMPLE_OPERATOR, ["output-resources"]) == 0
    outputs = load_document(capsys.readouterr().out.encode(), "output-resources")
    assert outputs["managementResources"]["eventingNamespaces"] == ["openshift-example-operator"]
    assert {"group": "config.openshift.io", "version": "v1", "resource": "ingresses", "name": "cluster"} in (
        outputs["configurationResources"]["exactResources"]
    )
    assert run_command(SAMPLE_OPERATOR, ["input-resources"]) == 0
    inputs = load_document(capsys.readouterr().out.encode(), "input-resources")
    exact = inputs["applyConfigurationResources"]["exactResources"]
    # input-resources also lists the Configuration outputs: the operator reads what it configures.
    assert any(e["resource"] == "ingresses" for e in exact)
    assert any(e["resource"] == "authentications" for e in exact)


@pytest.mark.parametrize("document", ["input-resources", "output-resources"])
def test_documents_are_the_go_operators(
    go_sample_operator: Path, document: str, capsys: pytest.CaptureFixture[str]
) -> None:
    done = subprocess.run([str(go_sample_operator), document], capture_output=True, check=True, timeout=120)
    go = load_document(done.stdout, f"go {document}")
    assert run_command(SAMPLE_OPERATOR, [document]) == 0
    python = load_document(capsys.readouterr().out.encode(), f"python {document}")
    assert python == go
