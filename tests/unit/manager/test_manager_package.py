"""``mom.manager`` says what it owns, truthfully.

Covers: every module the package docstring names exists and is importable, and every module of
the package (and of :mod:`mom.manager.inputcheck`) is named there.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import mom.manager
import mom.manager.inputcheck


def test_the_docstring_names_every_module_and_only_modules_that_exist() -> None:
    doc = mom.manager.__doc__ or ""
    named = set(re.findall(r":mod:`\.([\w.]+)`", doc))
    present = {m.name for m in pkgutil.iter_modules(mom.manager.__path__)}
    present |= {f"inputcheck.{m.name}" for m in pkgutil.iter_modules(mom.manager.inputcheck.__path__)}
    assert named == present
    for name in named:
        importlib.import_module(f"mom.manager.{name}")
