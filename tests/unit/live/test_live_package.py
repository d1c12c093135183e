"""The live package exports exactly the loader, transport, source, watch cache and target it names.

Covers: ``mom.live.__all__`` is the list a user imports from (nothing more, nothing missing),
and each exported name is defined in a module of ``mom.live``, not re-exported from another
package. (That its docstring names only what exists, and names every module, is checked for every
package by tests/unit/docs/test_package_docstrings.py.)
"""

from __future__ import annotations

import mom.live


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
