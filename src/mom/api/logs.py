"""A console command's log output: every record at the chosen level, to stderr, one line each.

The library logs through ``logging.getLogger(__name__)`` and never configures handlers; a
command (``mom``, or an operator's contract command) configures the root logger
(``LEVEL logger: message``; warnings, or more with ``-v``). Loading :mod:`logging` costs a
command more than most of them spend on anything else when nothing is logged (a
``mom run --once`` that finds nothing to run, an operator run whose controllers log nothing),
so when it is not loaded yet, the configuration waits for the first import of :mod:`logging`,
by mom or by any library: no record can be made before that import, so none is lost or
formatted otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

FORMAT = "%(levelname)s %(name)s: %(message)s"
WARNING = 30
"""``logging.WARNING``; each ``-v`` lowers the level by one step of 10, to ``DEBUG`` at most."""


def log_level(verbose: int) -> int:
    """The root logger's level for ``verbose`` (the count of ``-v``): WARNING, INFO, DEBUG."""
    return WARNING - 10 * min(verbose, 2)


def configure_logging(verbose: int) -> None:
    """Send log records at ``verbose``'s level to stderr: now, when :mod:`logging` is loaded,
    else as soon as something imports it."""
    loaded = sys.modules.get("logging")
    if loaded is not None:
        _configure(loaded, log_level(verbose))
    else:
        sys.meta_path.insert(0, _ConfigureOnImport(log_level(verbose)))


def _configure(logging: Any, level: int) -> None:
    logging.basicConfig(level=level, format=FORMAT, stream=sys.stderr)


class _ConfigureOnImport:
    """A finder that answers only for :mod:`logging`, once: the spec the other finders give,
    loaded by a loader that configures the module as soon as it has run."""

    def __init__(self, level: int) -> None:
        self.level = level

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if name != "logging":
            return None
        sys.meta_path.remove(self)
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec: ModuleSpec | None = find(name, path, target) if find is not None else None
            if spec is not None and spec.loader is not None:
                spec.loader = cast("Loader", _ConfiguringLoader(spec.loader, self.level))
                return spec
        return None


class _ConfiguringLoader:
    """The real loader of :mod:`logging`, which configures the module once it has run."""

    def __init__(self, loader: Any, level: int) -> None:
        self._loader = loader
        self._level = level

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        created: ModuleType | None = self._loader.create_module(spec)
        return created

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        _configure(module, self._level)

    def __getattr__(self, name: str) -> Any:  # get_source, get_code...: the real loader's
        return getattr(self._loader, name)
