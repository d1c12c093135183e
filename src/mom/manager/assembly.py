"""Putting a manager together from its configuration: journal, targets, runners, pins."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import Target
from mom.journal.journal import Journal
from mom.manager.config import ManagerConfig
from mom.manager.loop import Manager, Progress
from mom.manager.operators import InProcessRunner, OperatorRunner, SubprocessRunner
from mom.manager.pins import Pin, PinStore, document_digest

log = logging.getLogger(__name__)


def build_runners(config: ManagerConfig) -> dict[str, OperatorRunner]:
    runners: dict[str, OperatorRunner] = {}
    for spec in config.operators:
        if spec.in_process:
            runners[spec.name] = InProcessRunner(spec)
        else:
            runners[spec.name] = SubprocessRunner(spec, config.source.parent)
    return runners


def pin_operators(
    config: ManagerConfig, runners: dict[str, OperatorRunner], *, repin: bool = False
) -> tuple[dict[str, Pin], list[str]]:
    """Each operator's pinned documents; the first registration pins what it declares now.

    Returns the pins and a notice per operator whose declaration changed since it was pinned.
    """
    store = PinStore(config.journal.with_suffix(".pins.json"))
    pins: dict[str, Pin] = {}
    notices: list[str] = []
    for name, runner in runners.items():
        inputs, outputs = runner.declared_inputs(), runner.declared_outputs()
        pinned = store.get(name)
        if pinned is None or repin:
            pins[name] = store.pin(name, inputs, outputs)
            continue
        if document_digest(inputs, outputs) != pinned.digest:
            notices.append(
                f"operator {name} now declares other inputs/outputs than when it was registered; "
                "the registered ones stay in force (run with --repin to accept the new ones)"
            )
        pins[name] = pinned
    return pins, notices


def open_manager(
    config: ManagerConfig,
    *,
    clock: Callable[[], datetime],
    repin: bool = False,
    progress: Progress | None = None,
) -> tuple[Manager, list[str]]:
    """A ready manager (journal open, pending work not yet rolled forward) and start-up notices."""
    runners = build_runners(config)
    pins, notices = pin_operators(config, runners, repin=repin)
    targets: dict[str, Target] = {
        cluster.name: ManifestTarget(
            cluster.manifest_dir, name=cluster.name, clock=clock, file_format=cluster.file_format
        )
        for cluster in config.clusters
    }
    config.journal.parent.mkdir(parents=True, exist_ok=True)
    journal = Journal(config.journal)
    manager = Manager(
        config, journal=journal, targets=targets, runners=runners, pins=pins, clock=clock, progress=progress
    )
    return manager, notices
