"""The operator authoring SDK: an operator is a value, each controller a run-once function.

Modules and what each owns:

- ``operator`` — :class:`Operator` (declared inputs and outputs, named controllers),
  :class:`Controller` and :class:`SyncError`.
- ``context`` — the frozen :class:`RunContext` a controller receives (client, now, seeded
  random, logger, event recorder) and the :class:`EventRecorder`.
- ``run`` — running the enabled controllers once against a snapshot, each in isolation
  (:func:`mom.operator.run.run_controllers`); ``selection`` — which controllers the
  ``--controllers`` list enables.
- ``apply_configuration`` — input directory in, output directory out
  (:func:`mom.operator.apply_configuration.apply_configuration`, writing through
  :mod:`mom.mutationdir.output`).
- ``command`` — the generated three-command line (``input-resources``, ``output-resources``,
  ``apply-configuration``): :func:`mom.operator.command.run_command`.
- ``typed`` — lightkube's typed models over the run's own transport
  (:func:`mom.operator.typed.typed_client`).
- ``executables`` — finding an operator's executable as the operator contract names it;
  ``launcher`` — an executable for a Python operator bound to mom's interpreter
  (:func:`mom.operator.launcher.render_launcher`).
- ``process`` — running an executable as untrusted code: its own session, bounded streams;
  ``sandbox`` and ``landlock`` — confining it with Linux Landlock.
- ``sample`` — a port of the Go proof of concept's sample operator; ``oauth`` — a realistic
  example operator (the OAuth server's operand and status).

Must not import: ``mom.inputs``, ``mom.apply``, ``mom.journal``, ``mom.diagnostics`` (its
siblings) or any layer above them (``mom.live``, the manager, ``mom.testing``, ``mom.cli``...);
it uses ``mom.validation``, ``mom.client``, ``mom.mutationdir``, ``mom.mustgather``,
``mom.serialization`` and ``mom.api``.
Entry points: :class:`Operator`, :func:`mom.operator.command.run_command`,
:func:`mom.operator.apply_configuration.apply_configuration`,
:func:`mom.operator.typed.typed_client`, :func:`mom.operator.launcher.render_launcher`.

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
