"""Fixtures for harness tests: an executable scripted operator and a builder of test directories."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from golden_support import SCRIPT, MakeCase, default_script, write_output

from mom.serialization import dump_go_yaml


@pytest.fixture(scope="session")
def operator_binary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An executable file running the scripted operator with this interpreter."""
    path = tmp_path_factory.mktemp("bin") / "scripted-operator"
    path.write_text(
        f"#!{sys.executable} -IS\nimport runpy, sys\nsys.argv[0] = {str(SCRIPT)!r}\n"
        f"runpy.run_path({str(SCRIPT)!r}, run_name='__main__')\n"
    )
    path.chmod(0o755)
    return path


@pytest.fixture
def make_case(tmp_path: Path) -> MakeCase:
    """``make_case(rel, script=..., expected=..., **test_yaml)`` writes a test dir under ``tmp_path/tests``.

    ``expected`` is a script whose output becomes ``expected-output/`` (default: ``script``);
    ``expected=None`` leaves ``expected-output/`` out.
    """
    unset: Any = object()

    def make(rel: str, script: dict[str, Any] | None = None, expected: Any = unset, **test_yaml: Any) -> Path:
        directory = tmp_path / "tests" / rel
        (directory / "input-dir").mkdir(parents=True)
        script = default_script() if script is None else script
        behaviour = {key: script[key] for key in ("argv", "sleep", "exitCode") if key in script}
        (directory / "input-dir" / "script.json").write_text(json.dumps(behaviour))
        write_output(directory / "input-dir" / "output", script)
        description = {
            "binaryName": "./scripted-operator",
            "testName": rel.rsplit("/", 1)[-1],
            "description": "a scripted case",
            "testType": "ApplyConfiguration",
            **test_yaml,
        }
        (directory / "test.yaml").write_text(dump_go_yaml(description))
        expected_script = script if expected is unset else expected
        if expected_script is not None:
            write_output(directory / "expected-output", expected_script)
        return directory

    return make
