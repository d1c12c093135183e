"""The ``mom`` command's log lines, whether :mod:`logging` was loaded before or after it configured them.

Covers: in a fresh interpreter, where nothing has loaded :mod:`logging` yet, a record logged by
the first module that imports it afterwards is written to stderr as ``LEVEL logger: message`` at
the level ``-v`` chose (INFO with one, DEBUG with two), and nothing below it; the real loader
still answers for the module's source; where :mod:`logging` is loaded already it is configured
at once, the same way.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from mom.api.logs import log_level

SCRIPT = """
import sys
assert "logging" not in sys.modules, "logging was loaded before the command configured it"
from mom.api.logs import configure_logging
configure_logging({verbose})
assert "logging" not in sys.modules, "configuring loaded logging"
import logging
import linecache
assert logging.__spec__.loader.get_source("logging").startswith(linecache.getline(logging.__file__, 1))
log = logging.getLogger("mom.example")
log.debug("debug %s", 1)
log.info("info %s", 2)
log.warning("warning %s", 3)
logging.getLogger("other").error("error")
"""


def run_script(verbose: int) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(verbose=verbose)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stderr.splitlines()


@pytest.mark.parametrize(
    ("verbose", "expected"),
    [
        (0, ["WARNING mom.example: warning 3", "ERROR other: error"]),
        (1, ["INFO mom.example: info 2", "WARNING mom.example: warning 3", "ERROR other: error"]),
        (
            3,
            [
                "DEBUG mom.example: debug 1",
                "INFO mom.example: info 2",
                "WARNING mom.example: warning 3",
                "ERROR other: error",
            ],
        ),
    ],
)
def test_records_logged_after_logging_is_first_imported_keep_their_level_and_format(
    verbose: int, expected: list[str]
) -> None:
    assert run_script(verbose) == expected


def test_logging_loaded_already_is_configured_at_once() -> None:
    script = (
        "import logging, sys\n"
        "from mom.api.logs import configure_logging\n"
        "configure_logging(1)\n"
        "assert not any(type(f).__name__ == '_ConfigureOnImport' for f in sys.meta_path)\n"
        "logging.getLogger('mom.x').info('now')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["INFO mom.x: now"]


def test_levels_step_by_ten_from_warning_to_debug() -> None:
    assert [log_level(v) for v in (0, 1, 2, 5)] == [30, 20, 10, 10]
