"""Which modules a command loads: ``python -X importtime -m MODULE ARGS`` in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def imported_modules(
    module: str, argv: list[str], cwd: Path | None = None
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """The finished process and every module it imported (read from its ``-X importtime`` lines)."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", module, *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in completed.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return completed, modules - {"imported package"}


def denied_in(modules: set[str], denied: Mapping[str, str]) -> list[str]:
    """Each of ``modules`` that is, or is inside, a module ``denied`` names, with why it is denied."""
    return sorted(
        f"{module} ({denied[name]})"
        for module in modules
        for name in denied
        if module == name or module.startswith(name + ".")
    )
