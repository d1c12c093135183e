"""A Python operator of this interpreter runs in a forked child of the harness, isolated as a
subprocess is: its own process and session, its own logs and exit code; a crash, ``sys.exit``
or a hang ends that case only, and the harness goes on to the next.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mom.testing.runner import STDERR_LOG, STDOUT_LOG, run_operator

BEHAVIOURS = {
    "ok": "print('ran', os.getppid(), os.getsid(0), 'mom.testing.runner' in sys.modules, sys.argv[1:])",
    "raises": "raise RuntimeError('operator bug')",
    "exits": "print('leaving'); sys.exit(3)",
    "exits-with-text": "sys.exit('cannot go on')",
    "killed": "os.kill(os.getpid(), signal.SIGKILL)",
    "hangs": "time.sleep(60)",
}


def _script(directory: Path, behaviour: str, interpreter: str = sys.executable) -> Path:
    path = directory / f"{behaviour}-operator"
    path.write_text(
        f"#!{interpreter}\nimport os, signal, sys, time\n"
        f"if __name__ == '__main__':\n    {BEHAVIOURS[behaviour]}\n"
    )
    path.chmod(0o755)
    return path


def _log(output: Path, name: str) -> str:
    return (output / name).read_text()


def test_a_python_operator_runs_forked_from_the_harness(tmp_path: Path) -> None:
    outcome = run_operator([str(_script(tmp_path, "ok")), "apply-configuration"], tmp_path / "out", 30)
    assert outcome.exit_code == 0 and not outcome.timed_out
    words = _log(tmp_path / "out", STDOUT_LOG).split(maxsplit=4)
    assert words[0] == "ran"
    assert int(words[1]) == os.getpid(), "the harness is the operator's parent"
    assert int(words[2]) not in (os.getsid(0), 0), "the operator has a session of its own"
    assert words[3] == "True", "no new interpreter: the operator starts with the harness's modules imported"
    assert words[4].strip() == "['apply-configuration']"


@pytest.mark.parametrize(
    ("behaviour", "exit_code", "in_stdout", "in_stderr"),
    [
        ("raises", 1, "", "RuntimeError: operator bug"),
        ("exits", 3, "leaving", ""),
        ("exits-with-text", 1, "", "cannot go on"),
        ("killed", -9, "", ""),
    ],
)
def test_a_failing_operator_fails_its_case_only(
    behaviour: str, exit_code: int, in_stdout: str, in_stderr: str, tmp_path: Path
) -> None:
    failing = run_operator([str(_script(tmp_path, behaviour))], tmp_path / "failing", 30)
    assert (failing.exit_code, failing.timed_out) == (exit_code, False)
    assert in_stdout in _log(tmp_path / "failing", STDOUT_LOG)
    assert in_stderr in _log(tmp_path / "failing", STDERR_LOG)
    after = run_operator([str(_script(tmp_path, "ok"))], tmp_path / "after", 30)
    assert after.exit_code == 0, "the harness goes on after a failing case"
    assert _log(tmp_path / "after", STDOUT_LOG).startswith("ran")


def test_a_hanging_operator_is_killed_at_its_timeout(tmp_path: Path) -> None:
    outcome = run_operator([str(_script(tmp_path, "hangs"))], tmp_path / "out", 0.5)
    assert outcome.timed_out and outcome.exit_code is None
    assert run_operator([str(_script(tmp_path, "ok"))], tmp_path / "after", 30).exit_code == 0


@pytest.mark.parametrize("interpreter", [f"{sys.executable} -I", "/usr/bin/env python3"])
def test_a_script_for_another_interpreter_or_with_flags_is_spawned(interpreter: str, tmp_path: Path) -> None:
    outcome = run_operator([str(_script(tmp_path, "ok", interpreter))], tmp_path / "out", 30)
    assert outcome.exit_code == 0
    assert _log(tmp_path / "out", STDOUT_LOG).split()[3] == "False", "a new interpreter, spawned"


def test_forking_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOM_TEST_FORK", "0")
    outcome = run_operator([str(_script(tmp_path, "ok"))], tmp_path / "out", 30)
    assert outcome.exit_code == 0
    words = _log(tmp_path / "out", STDOUT_LOG).split()
    assert words[3] == "False", "a new interpreter, spawned"
