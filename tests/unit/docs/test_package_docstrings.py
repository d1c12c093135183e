"""Every package says truly what it holds: its public names resolve and its docstring names them.

For every package of mom:
- each name in ``__all__`` is an attribute of the package;
- each public name the package's ``__init__`` binds (an import not starting with ``_``) is in
  ``__all__`` — nothing is exported by accident;
- every ``:mod:``, ``:class:``, ``:func:`` or ``:data:`` reference in its docstring, and every
  dotted ``mom.…`` name in its text, resolves to a module or an attribute that exists (no
  docstring naming a module that was moved or deleted);
- every public module of the package (a file or subpackage not starting with ``_``) is named in
  the package docstring, so a newcomer reading ``__init__`` sees the whole package.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from types import ModuleType

import pytest

import mom

REFERENCE = re.compile(r":(?:mod|class|func|data|meth|attr):`~?([\w.]+)`")
DOTTED_NAME = re.compile(r"(?<![\w.])mom(?:\.\w+)+")


def _packages() -> list[str]:
    names = ["mom"]
    for info in pkgutil.walk_packages(mom.__path__, "mom."):
        if info.ispkg:
            names.append(info.name)
    return sorted(names)


def _resolves(dotted: str, package: ModuleType) -> bool:
    """Whether ``dotted`` (absolute, or relative to ``package`` when it starts with ``.``) exists."""
    if dotted.startswith("."):
        dotted = package.__name__ + dotted
    elif not dotted.startswith("mom"):
        dotted = f"{package.__name__}.{dotted}"
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


@pytest.mark.parametrize("name", _packages())
def test_exports_are_what_init_says(name: str) -> None:
    package = importlib.import_module(name)
    exported = getattr(package, "__all__", [])
    missing = [n for n in exported if not hasattr(package, n)]
    assert not missing, f"{name}.__all__ names what the package does not have: {missing}"
    bound = {
        attribute
        for attribute, value in vars(package).items()
        if not attribute.startswith("_")
        and not isinstance(value, ModuleType)
        and getattr(value, "__module__", name) != name
        and attribute != "annotations"
    }
    unlisted = sorted(bound - set(exported))
    assert not unlisted, f"{name} imports public names its __all__ does not list: {unlisted}"


@pytest.mark.parametrize("name", _packages())
def test_docstring_references_resolve(name: str) -> None:
    package = importlib.import_module(name)
    doc = package.__doc__ or ""
    assert doc.strip(), f"{name} has no docstring"
    named = REFERENCE.findall(doc) + DOTTED_NAME.findall(doc)
    broken = sorted({ref for ref in named if not _resolves(ref, package)})
    assert not broken, f"{name}'s docstring names what does not exist: {broken}"


@pytest.mark.parametrize("name", _packages())
def test_docstring_names_every_module(name: str) -> None:
    package = importlib.import_module(name)
    doc = package.__doc__ or ""
    modules = [info.name for info in pkgutil.iter_modules(package.__path__) if not info.name.startswith("_")]
    unnamed = [m for m in modules if not re.search(rf"(?<![\w]){re.escape(m)}(?![\w])", doc)]
    assert not unnamed, f"{name}'s docstring does not name its modules {unnamed}"
