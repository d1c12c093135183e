"""A Python operator of this interpreter runs in a forked child of the harness, isolated as a
subprocess is: its own process and session, its own logs and exit code; a crash, ``sys.exit``
or a hang ends that case only, and the harness goes on to the next. The harness here is a
fresh interpreter of its own (as ``mom test`` is), so no thread of the test run is forked.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from mom.testing.runner import STDERR_LOG, STDOUT_LOG

HARNESS = """
import json, os, sys, threading
from pathlib import Path
from mom.testing.runner import run_operator
if sys.argv[4] == "thread":
    threading.Thread(target=threading.Event().wait, daemon=True).start()
outcome = run_operator(json.loads(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3]))
print(json.dumps({"exit": outcome.exit_code, "timedOut": outcome.timed_out, "pid": os.getpid(),
                  "sid": os.getsid(0)}))
"""


@dataclass(frozen=True)
class CaseOutcome:
    exit_code: int | None
    timed_out: bool
    harness_pid: int
    harness_sid: int


def run_operator(command: list[str], output: Path, timeout: float, *, threads: bool = False) -> CaseOutcome:
    """``mom.testing.runner.run_operator`` in a harness process of its own."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            HARNESS,
            json.dumps(command),
            str(output),
            str(timeout),
            "thread" if threads else "",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    return CaseOutcome(found["exit"], found["timedOut"], found["pid"], found["sid"])


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
    assert int(words[1]) == outcome.harness_pid, "the harness is the operator's parent"
    assert int(words[2]) not in (outcome.harness_sid, 0), "the operator has a session of its own"
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


def test_a_harness_with_threads_spawns(tmp_path: Path) -> None:
    outcome = run_operator([str(_script(tmp_path, "ok"))], tmp_path / "out", 30, threads=True)
    assert outcome.exit_code == 0
    assert _log(tmp_path / "out", STDOUT_LOG).split()[3] == "False", "a lock held by a thread is never forked"
