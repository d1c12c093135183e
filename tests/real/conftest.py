"""The installed ``mom`` command, for tests that run it the way an operator repository's CI does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def mom_executable() -> Path:
    """The installed ``mom`` console script beside this interpreter."""
    path = Path(sys.executable).parent / "mom"
    if not path.is_file():
        message = f"{path} not found: install the project (pip install -e .)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path
