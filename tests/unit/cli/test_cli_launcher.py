"""`mom launcher`: an operator executable bound to mom's interpreter.

Covers:
- the launcher of an operator in a plain module directory speaks the operator contract
  (`output-resources`) from another working directory, with a `python` first on PATH that is
  not mom's interpreter and no PYTHONPATH;
- an interpreter path that cannot be a `#!` line (spaces, length) goes through `/bin/sh`, and
  the launcher still runs;
- a malformed reference, a module that cannot be imported or raises on import, an attribute
  that is not an Operator and an output directory that does not exist are each one error line, exit 1, and
  no file written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mom.operator.launcher import render_launcher

MOM = str(Path(sys.executable).parent / "mom")
OPERATOR_MODULE = """
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.operator import Operator

OPERATOR = Operator(
    name="tiny",
    inputs=InputResources(),
    outputs=OutputResources(management_resources=OutputResourceList(eventing_namespaces=("tiny",))),
    controllers=(),
)
NOT_AN_OPERATOR = 42
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "tiny_operator.py").write_text(OPERATOR_MODULE)
    (tmp_path / "src" / "broken_operator.py").write_text("OPERATOR = 1 / 0\n")
    decoys = tmp_path / "decoys"
    decoys.mkdir()
    for name in ("python", "python3"):
        (decoys / name).write_text("#!/bin/sh\nexit 97\n")
        (decoys / name).chmod(0o755)
    return tmp_path


def _mom(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    return subprocess.run([MOM, *argv], cwd=project, env=env, capture_output=True, text=True, check=False)


def _run_elsewhere(project: Path, launcher: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": f"{project / 'decoys'}{os.pathsep}/usr/bin{os.pathsep}/bin"}
    elsewhere = project / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        [str(launcher), "output-resources"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_launcher_runs_the_operator_with_mom_interpreter(project: Path) -> None:
    done = _mom(project, "launcher", "tiny_operator:OPERATOR", "--output", "tiny-operator")
    assert done.returncode == 0, done.stderr
    launcher = project / "tiny-operator"
    interpreter = Path(launcher.read_text().splitlines()[0].removeprefix("#!"))
    assert interpreter.parent == Path(sys.executable).parent  # mom's virtual environment
    ran = _run_elsewhere(project, launcher)
    assert ran.returncode == 0, ran.stderr
    assert "eventingNamespaces:\n  - tiny" in ran.stdout


def test_interpreter_path_with_spaces_goes_through_sh(project: Path) -> None:
    odd = project / ("an interpreter directory " + "x" * 120)
    odd.mkdir()
    python = odd / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    python.chmod(0o755)
    launcher = project / "tiny-operator"
    launcher.write_text(render_launcher("tiny_operator:OPERATOR", python, project / "src"))
    launcher.chmod(0o755)
    assert launcher.read_text().startswith("#!/bin/sh\n")
    ran = _run_elsewhere(project, launcher)
    assert ran.returncode == 0, ran.stderr
    assert "eventingNamespaces:\n  - tiny" in ran.stdout


@pytest.mark.parametrize(
    ("reference", "output", "message"),
    [
        ("tiny_operator", "op", "expected MODULE:ATTRIBUTE"),
        ("tiny-operator:OPERATOR", "op", "expected MODULE:ATTRIBUTE"),
        ("absent_module:OPERATOR", "op", "cannot load the operator"),
        ("tiny_operator:NOT_AN_OPERATOR", "op", "is a int, not a mom.operator.Operator"),
        ("tiny_operator:OPERATOR", "no-such-dir/op", "is not a directory"),
        ("broken_operator:OPERATOR", "op", "cannot load the operator: ZeroDivisionError: division by zero"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    project: Path, reference: str, output: str, message: str
) -> None:
    before = sorted(project.rglob("*"))
    done = _mom(project, "launcher", reference, "--output", output)
    assert done.returncode == 1
    assert done.stderr.startswith("mom: error: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert sorted(p for p in project.rglob("*") if "__pycache__" not in p.parts) == [
        p for p in before if "__pycache__" not in p.parts
    ]
