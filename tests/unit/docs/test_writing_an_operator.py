"""docs/writing-an-operator.md works as written.

Covers: every file the page shows (marked ``<!-- file: PATH -->``) is written into an empty
directory, and every ``$ command`` of its console blocks runs there in order, exits 0 and
prints exactly the output the page shows under it (when it shows any): the operator's
generated command line, one apply-configuration run, and a golden test that passes under
``mom test apply-configuration``. A ``python`` that is not mom's interpreter comes first on
PATH, as outside an activated virtual environment: the page's launcher does not use it.
Steps marked ``live`` (the envtest section) run only in the ``live`` test, against a real
kube-apiserver started by the ``envtest`` fixture.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[3] / "docs" / "writing-an-operator.md"
FENCE = re.compile(
    r"(?:<!-- (?:file: (?P<path>\S+)(?: mode=(?P<mode>\d+))?)? ?(?P<live>live)? ?-->\n)?"
    r"```(?P<lang>\w*)\n(?P<body>.*?)```",
    re.S,
)


@dataclass
class Step:
    path: str | None
    mode: str | None
    lang: str
    body: str
    live: bool
    """Marked ``live``: needs the real kube-apiserver (the envtest fixture)."""


def steps() -> list[Step]:
    return [
        Step(m["path"], m["mode"], m["lang"], m["body"], bool(m["live"]))
        for m in FENCE.finditer(DOC.read_text())
    ]


def commands(console: str) -> list[tuple[str, str]]:
    """``$ cmd`` lines with the output shown under each."""
    pairs: list[tuple[str, list[str]]] = []
    for line in console.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return [(cmd, "\n".join(out)) for cmd, out in pairs]


def decoy_python(directory: Path) -> Path:
    """A ``python`` and ``python3`` that are not mom's interpreter, to put first on PATH."""
    directory.mkdir()
    for name in ("python", "python3"):
        decoy = directory / name
        decoy.write_text("#!/bin/sh\necho 'not the interpreter mom is installed in' >&2\nexit 97\n")
        decoy.chmod(0o755)
    return directory


def run_page(tmp_path: Path, *, live: bool, bin_dir: Path | None = None) -> int:
    """Write the page's files and run its commands in order; the number of commands run.

    ``bin_dir`` holds the ``mom`` and ``pytest`` the page runs (default: this interpreter's).
    """
    decoys = decoy_python(tmp_path / "decoy-bin")
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    bin_dir = bin_dir or Path(sys.executable).parent
    path = os.pathsep.join([str(decoys), str(bin_dir), os.environ["PATH"]])
    env = {**os.environ, "PATH": path}
    env.pop("CI", None)  # the page shows what a user sees at a terminal-less shell, not CI output
    ran = 0
    for step in steps():
        if step.live and not live:
            continue
        if step.path:
            target = tmp_path / step.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.body)
            if step.mode:
                target.chmod(int(step.mode, 8))
        elif step.lang == "console":
            for command, expected in commands(step.body):
                done = subprocess.run(
                    ["bash", "-c", command],
                    cwd=tmp_path,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                assert done.returncode == 0, f"$ {command}\n{done.stdout}\n{done.stderr}"
                if expected:
                    assert done.stdout.strip() == expected.strip(), f"$ {command}"
                ran += 1
    assert (tmp_path / "tests" / "mirror" / "expected-output" / "controller-results.yaml").is_file()
    return ran


def test_page_runs_as_written(tmp_path: Path) -> None:
    assert run_page(tmp_path, live=False) >= 12, "the page's commands were found and run"


@pytest.mark.live
def test_live_steps_run_against_a_real_apiserver(envtest_binaries: object, tmp_path: Path) -> None:
    live_commands = sum(len(commands(s.body)) for s in steps() if s.live and s.lang == "console")
    assert live_commands >= 1
    assert run_page(tmp_path, live=True) >= 12 + live_commands
