"""``mom.server`` says what it owns and what it uses, truthfully.

Covers: every module the package docstring names exists and is importable, and every module of
the package is named there; every ``mom`` package its modules import is one the docstring says
it uses.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import mom.server

DOC = mom.server.__doc__ or ""


def test_the_docstring_names_every_module_and_only_modules_that_exist() -> None:
    named = set(re.findall(r"mom\.server\.(\w+)", DOC))
    present = {m.name for m in pkgutil.iter_modules(mom.server.__path__)}
    assert named == present
    for dotted in set(re.findall(r":mod:`~?(mom\.[\w.]+)`", DOC)):
        importlib.import_module(dotted)


def test_it_imports_only_the_packages_it_says_it_uses() -> None:
    found = re.search(r"uses only ([^)]*)\)", DOC.replace("\n", " "))
    assert found is not None
    used = set(found.group(1).replace(",", " ").split())
    imported: set[str] = set()
    for path in Path(mom.server.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mom."):
                imported.add(".".join(node.module.split(".")[:2]))
            elif isinstance(node, ast.Import):
                imported.update(
                    ".".join(a.name.split(".")[:2]) for a in node.names if a.name.startswith("mom.")
                )
    assert imported - {"mom.server"} <= used - {"and"}
