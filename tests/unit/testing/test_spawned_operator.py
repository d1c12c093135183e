"""An operator that is not a Python script of the harness's interpreter (a Go binary, a shell
script) is spawned as :class:`subprocess.Popen` would start it with ``start_new_session``: a
session of its own, stdin from ``/dev/null``, SIGPIPE and SIGXFSZ at their defaults (Python
ignores both, and an ignored signal stays ignored across exec), no descriptor of the harness
but its two logs, a bare name looked up on PATH, and one clear error when it cannot start.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from mom.testing.runner import STDOUT_LOG

HARNESS = """
import json, os, sys
from pathlib import Path
from mom.testing.runner import run_operator
fd = os.open(sys.argv[3], os.O_RDONLY)
os.set_inheritable(fd, True)  # as a descriptor left open by whoever started the harness
os.environ["INHERITED_FD"] = str(fd)
outcome = run_operator(json.loads(sys.argv[1]), Path(sys.argv[2]), 30)
print(json.dumps({"exit": outcome.exit_code, "sid": os.getsid(0), "start_error": outcome.start_error}))
"""

OPERATOR = """#!/bin/sh
echo "sid $(cut -d' ' -f6 /proc/$$/stat)"
echo "ignored $(grep SigIgn /proc/$$/status | cut -f2)"
echo "stdin $(readlink /proc/$$/fd/0)"
if [ -e "/proc/$$/fd/$INHERITED_FD" ]; then echo "inherited open"; else echo "inherited closed"; fi
echo "args $*"
"""

SIGPIPE, SIGXFSZ = 13, 25


def run(command: list[str], tmp_path: Path, path: str = "/usr/bin:/bin") -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, json.dumps(command), str(tmp_path / "out"), __file__],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PATH": path},
    )
    found: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return found


def operator(tmp_path: Path) -> Path:
    script = tmp_path / "bin" / "shell-operator"
    script.parent.mkdir()
    script.write_text(OPERATOR)
    script.chmod(0o755)
    return script


def test_a_spawned_operator_is_isolated_as_popen_would_start_it(tmp_path: Path) -> None:
    found = run([str(operator(tmp_path)), "apply-configuration", "--now", "x"], tmp_path)
    assert found["exit"] == 0
    report = dict(line.split(" ", 1) for line in (tmp_path / "out" / STDOUT_LOG).read_text().splitlines())
    assert int(report["sid"]) != found["sid"], "a session of its own"
    ignored = int(report["ignored"], 16)
    assert not ignored & (1 << (SIGPIPE - 1)), "SIGPIPE at its default"
    assert not ignored & (1 << (SIGXFSZ - 1)), "SIGXFSZ at its default"
    assert report["stdin"] == "/dev/null"
    assert report["inherited"] == "closed", "no descriptor of the harness but its logs"
    assert report["args"] == "apply-configuration --now x"


def test_a_bare_name_is_looked_up_on_path(tmp_path: Path) -> None:
    script = operator(tmp_path)
    found = run([script.name, "apply-configuration"], tmp_path, path=f"{script.parent}:/usr/bin:/bin")
    assert found["exit"] == 0
    assert "args apply-configuration" in (tmp_path / "out" / STDOUT_LOG).read_text()


def test_an_operator_that_cannot_start_is_one_clear_error(tmp_path: Path) -> None:
    missing = run([str(tmp_path / "nowhere"), "apply-configuration"], tmp_path)
    assert (missing["exit"], missing["start_error"]) == (
        None,
        f"{tmp_path / 'nowhere'}: No such file or directory",
    )
    script = operator(tmp_path)
    script.chmod(0o644)
    refused = run([str(script)], tmp_path)
    assert refused["start_error"] == f"{script}: Permission denied"
