"""`mom envtest` refuses bad flags before building or starting anything.

Covers: a `--crds` that is not a directory and a `--kubeconfig-out` in a directory that does
not exist are each one `mom: error:` line with exit 1, and nothing is written. (Starting a
control plane is covered by tests/live/test_envtest.py.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

MOM = str(Path(sys.executable).parent / "mom")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--crds", "absent"], "absent: --crds: not a directory"),
        (
            ["--kubeconfig-out", "absent/kubeconfig"],
            "--kubeconfig-out: must be a file in an existing directory",
        ),
    ],
)
def test_bad_flags_are_one_line(tmp_path: Path, flags: list[str], message: str) -> None:
    done = subprocess.run([MOM, "envtest", *flags], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.startswith("mom: error: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr
    assert list(tmp_path.iterdir()) == []
