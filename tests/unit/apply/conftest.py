"""The apply tests' fixture: targets on a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from apply_support import fixed_clock

from mom.apply import ManifestTarget


@pytest.fixture
def open_target(tmp_path: Path) -> Callable[..., ManifestTarget]:
    """Opens a ManifestTarget on ``tmp_path/tree`` (or a given root) with the fixed clock."""

    def opener(root: Path | None = None, **kwargs: Any) -> ManifestTarget:
        root = root or tmp_path / "tree"
        root.mkdir(parents=True, exist_ok=True)
        return ManifestTarget(root, clock=fixed_clock, **kwargs)

    return opener
