"""The operator authoring SDK: an operator is a value, each controller a run-once function.

Owns: :class:`Operator` and :class:`Controller`, the frozen :class:`RunContext` a controller
receives (client, now, seeded random, logger, event recorder), running the controllers once
in isolation, and the generated three-command line (``input-resources``, ``output-resources``,
``apply-configuration``); running an operator executable as untrusted code — its own session,
bounded streams (:mod:`mom.operator.process`), confined by Landlock (:mod:`mom.operator.sandbox`,
:mod:`mom.operator.landlock`). Must not import: ``mom.inputs``, ``mom.testing``, ``mom.cli``.
Entry points: :class:`Operator`, :func:`mom.operator.command.run_command`,
:func:`mom.operator.apply_configuration.apply_configuration`,
:func:`mom.operator.typed.typed_client` (lightkube's typed models over the run's transport),
:func:`mom.operator.launcher.render_launcher`.

The names below are loaded on first use, so a module of this package that only starts or finds
operator executables (:mod:`mom.operator.executables`, :mod:`mom.operator.process`) does not
load the SDK with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mom.operator.context import EventRecorder, RunContext
    from mom.operator.operator import Controller, Operator, SyncError

__all__ = ["Controller", "EventRecorder", "Operator", "RunContext", "SyncError"]

_HOMES = {
    "Controller": "mom.operator.operator",
    "EventRecorder": "mom.operator.context",
    "Operator": "mom.operator.operator",
    "RunContext": "mom.operator.context",
    "SyncError": "mom.operator.operator",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
