"""The live package's exported names, and the package docstrings that say where things live.

Covers: ``mom.live`` exports the loader, transport, source, watch cache and target it names;
every ``mom.…`` module or object named in the docstrings of ``mom.live`` and of the packages
it was made from (``mom.client``, ``mom.apply``, ``mom.inputs``) and of ``mom.mustgather`` and ``mom.mutationdir``
exists, so a docstring cannot keep pointing at a module that moved.
"""

from __future__ import annotations

import importlib
import re

import pytest

import mom.live

PACKAGES = ["mom.apply", "mom.client", "mom.inputs", "mom.live", "mom.mustgather", "mom.mutationdir"]


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 1, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


@pytest.mark.parametrize("package", PACKAGES)
def test_every_name_a_package_docstring_gives_exists(package: str) -> None:
    doc = importlib.import_module(package).__doc__ or ""
    named = set(re.findall(r"\bmom(?:\.\w+)+", doc))
    assert named, f"{package} names none of its modules"
    assert sorted(name for name in named if not _resolves(name)) == []


def test_the_live_package_exports_what_it_names() -> None:
    assert sorted(mom.live.__all__) == [
        "Kubeconfig",
        "LiveSource",
        "LiveTarget",
        "LiveTransport",
        "WatchCache",
        "load_kubeconfig",
        "served_kinds",
    ]
    assert all(getattr(mom.live, name).__module__.startswith("mom.live.") for name in mom.live.__all__)
