"""A console command that ran only mom's code ends with its code, its garbage finalized, its
``atexit`` handlers run and its output flushed, whether or not it settled its imports first
(what its work made after that is still collected)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mom.cli.main import COMMAND_MODULES, QUICK_EXIT_COMMANDS

SCRIPT = """
import atexit, sys
from mom.api.exits import exit_with, settle_imports
if sys.argv[1:] == ["settled"]:
    settle_imports()

class InACycle:
    def __del__(self):
        print("a collected object was finalized", flush=True)

garbage = InACycle()
garbage.itself = garbage  # only the garbage collector frees it
del garbage
atexit.register(lambda: print("atexit ran", flush=True))
print("stdout still buffered", end="; ")
exit_with(3)
"""


@pytest.mark.parametrize("settled", [[], ["settled"]])
def test_exit_with_ends_with_the_code_after_finalizing_garbage_and_running_atexit(settled: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *settled], capture_output=True, text=True, check=False
    )
    assert done.returncode == 3, done.stderr
    assert done.stdout == "stdout still buffered; a collected object was finalized\natexit ran\n"


def test_only_known_commands_end_quickly_and_never_one_that_runs_operator_code() -> None:
    assert QUICK_EXIT_COMMANDS.issubset(COMMAND_MODULES)
    assert not QUICK_EXIT_COMMANDS & {"run", "check-input-resources", "static-pods", "launcher", "serve"}
