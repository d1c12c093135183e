"""``mom.staticpod`` says what it owns, truthfully.

Covers: every module the package docstring names exists and is importable, and every module of
the package is named there; the node part imports nothing of the cluster part, so a node runs
without the rollout logic loaded.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys

import mom.staticpod

NODE_PART = ("installer", "files", "readiness", "node")
CLUSTER_PART = ("controller", "loop", "rollout", "revisions", "pruning", "mirror")


def test_the_docstring_names_every_module_and_only_modules_that_exist() -> None:
    named = set(re.findall(r"mom\.staticpod\.(\w+)", mom.staticpod.__doc__ or ""))
    present = {m.name for m in pkgutil.iter_modules(mom.staticpod.__path__)}
    assert named == present
    for name in named:
        importlib.import_module(f"mom.staticpod.{name}")


def test_the_node_part_loads_without_the_cluster_part() -> None:
    code = (
        "import sys\n"
        + "".join(f"import mom.staticpod.{name}\n" for name in NODE_PART)
        + f"print(sorted(m for m in sys.modules if m.split('.')[-1] in {CLUSTER_PART!r} and m.startswith('mom.staticpod')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
