"""docs/running-a-real-operator.md works as written, on the real operator and must-gather.

Covers: every ``$ command`` of the page's console blocks runs, in order, in one empty
directory, with ``MOM_SHARED`` naming the shared directory and this installation's ``mom``
first on PATH; each exits 0 and prints the lines the page shows under it, line for line, where
``…`` in a shown line stands for any text (durations, times, digests). So the page's claims —
the golden verdicts and their one-line reason, the undeclared inputs, four runs and then a quiet
tick standalone and on a hosted cluster, the journal's changed fields and writers, the flattened
names on the management cluster — are what a reader sees.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from tests.real_operators import operators_dir

pytestmark = pytest.mark.realdata

PAGE = Path(__file__).resolve().parents[2] / "docs" / "running-a-real-operator.md"
CONSOLE = re.compile(r"```console\n(.*?)```", re.S)


def commands() -> list[tuple[str, list[str]]]:
    """``$ cmd`` lines of every console block, each with the output lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for block in CONSOLE.findall(PAGE.read_text()):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            else:
                found[-1][1].append(line)
    return found


def matches(shown: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in shown.split("…"))
    return re.fullmatch(pattern, actual) is not None


def test_the_page_runs_as_written(
    tmp_path: Path, authentication_operator: Path, aws_must_gather: Path
) -> None:
    shared = operators_dir().parent
    if not (shared / "realdata" / "must-gather-clean").is_dir():
        pytest.fail(f"{shared} holds no realdata/ beside operators/ (set MOM_OPERATORS_DIR)")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])
    env = {**os.environ, "PATH": path, "MOM_SHARED": str(shared)}
    steps = commands()
    assert len(steps) > 15
    for command, shown in steps:
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"$ {command}\n{done.stdout}{done.stderr}"
        if not shown:
            continue
        actual = done.stdout.splitlines()
        assert len(actual) == len(shown) and all(map(matches, shown, actual)), (
            f"$ {command}\n--- the page shows\n" + "\n".join(shown) + "\n--- it printed\n" + done.stdout
        )
