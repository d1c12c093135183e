"""Shared helpers for manager tests: a clock tests move by hand, and example copies."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


class FakeClock:
    """Time as an argument: starts at a fixed instant and moves only when told."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def standalone(tmp_path: Path) -> Path:
    """A private copy of examples/standalone; returns its config file."""
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    return tmp_path / "standalone" / "mom.yaml"


@pytest.fixture
def hypershift(tmp_path: Path) -> Path:
    """A private copy of examples/hypershift; returns its config file."""
    shutil.copytree(EXAMPLES / "hypershift", tmp_path / "hypershift")
    return tmp_path / "hypershift" / "mom.yaml"


def with_sample_demo(config_path: Path) -> Path:
    """Turn the sample operator's Demo controller back on in an example copy (the examples
    leave it off because it changes one of the operator's inputs on every run); tests that
    need an object the operator creates use it."""
    text = config_path.read_text()
    assert ", -sample-operator-Demo]" in text
    config_path.write_text(text.replace(", -sample-operator-Demo]", "]"))
    return config_path
