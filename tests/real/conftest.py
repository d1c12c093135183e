"""mom's installed console scripts, for tests that run them the way an operator repository's CI does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def installed_script(name: str) -> Path:
    """The console script ``name`` beside this interpreter; skip (fail when ``CI=true``) without it."""
    path = Path(sys.executable).parent / name
    if not path.is_file():
        message = f"{path} not found: install the project (pip install -e .)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def mom_executable() -> Path:
    """The installed ``mom`` command."""
    return installed_script("mom")


@pytest.fixture(scope="session")
def python_sample_operator() -> Path:
    """The installed ``sample-operator`` (mom's Python port of the Go sample operator)."""
    return installed_script("sample-operator")
