"""Helpers for tests that run real operators under both harnesses, as an operator repository's CI does.

OpenShift's operator CI runs a harness from the repository root with the test data in
``./test-data/apply-configuration`` and the operator built as ``./<binary>``; each test here lays
out such a repository in ``tmp_path`` (:func:`tests.real_operators.operator_repository`) and runs
the harness there with exactly the command line CI uses.
"""

from __future__ import annotations

import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.real_operators import OPERATOR_TEST_DIR as TEST_DIR

_GO_DIRECTORY = re.compile(r'\[Directory:"([^"]*)"\]')


def run_harness(harness: Path, repository: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """``<harness> test apply-configuration --test-dir=./test-data/apply-configuration FLAGS`` in ``repository``."""
    return subprocess.run(
        [str(harness), "test", "apply-configuration", f"--test-dir={TEST_DIR}", *flags],
        cwd=repository,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def mom_verdicts(junit: Path) -> dict[str, bool]:
    """Test directory (relative to the test dir) -> passed, from mom's junit.xml."""
    return {
        case.get("classname", ""): case.find("failure") is None and case.find("error") is None
        for case in ET.parse(junit).getroot().iter("testcase")
    }


def go_verdicts(junit: Path) -> dict[str, bool]:
    """The same from the Go harness' junit.xml, whose test names end in ``[Directory:"..."]``."""
    verdicts = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        match = _GO_DIRECTORY.search(case.get("name", ""))
        if match is not None:
            directory = os.path.relpath(match.group(1), TEST_DIR)
            verdicts[directory] = case.find("failure") is None
    return verdicts
