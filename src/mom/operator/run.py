"""Running an operator's controllers once against a snapshot, each in isolation.

Each enabled controller runs in its own thread with its own recorder and a deadline. A
controller that raises :class:`SyncError` is ``Failed``; one that raises anything else is
``Panicked`` (with its traceback); one still running at its deadline is ``Failed`` and
whatever it writes afterwards is discarded. The others run regardless. Controllers run one at
a time in an order shuffled by a recorded seed, so a run is reproducible.
"""

from __future__ import annotations

import logging
import random
import threading
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from mom.api.results import ControllerResult, ControllerResults, ControllerStatus
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import CONTROLLER_HEADER, SnapshotTransport
from mom.manifest.requests import MutationRequest
from mom.manifest.store import Snapshot
from mom.operator.context import EventRecorder, RunContext
from mom.operator.operator import Controller, Operator, SyncError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOutcome:
    """What one run produced: mutations in recording order, per-controller results, the seed."""

    requests: tuple[MutationRequest, ...]
    results: ControllerResults
    seed: int
    order: tuple[str, ...]

    @property
    def failed(self) -> bool:
        return any(
            r.status in (ControllerStatus.FAILED, ControllerStatus.PANICKED) for r in self.results.results
        )


def seed_from_now(now: datetime) -> int:
    """The default shuffle seed: the run's ``now`` in Unix seconds, so a fixed ``now`` fixes the order."""
    return int(now.timestamp())


def run_controllers(
    operator: Operator,
    snapshot: Snapshot,
    *,
    now: datetime,
    enabled: Mapping[str, bool],
    seed: int | None = None,
) -> RunOutcome:
    """Run every enabled controller of ``operator`` once against ``snapshot``."""
    seed = seed_from_now(now) if seed is None else seed
    order = list(operator.controllers)
    random.Random(seed).shuffle(order)
    results: list[ControllerResult] = []
    requests: list[MutationRequest] = []
    for index, controller in enumerate(order):
        if not enabled.get(controller.name, False):
            results.append(ControllerResult(controller.name, ControllerStatus.SKIPPED))
            continue
        result, recorded = _run_one(operator, controller, snapshot, now, random.Random(f"{seed}/{index}"))
        results.append(result)
        requests.extend(recorded)
    return RunOutcome(
        requests=tuple(requests),
        results=ControllerResults(tuple(results)).sorted(),
        seed=seed,
        order=tuple(c.name for c in order),
    )


def _run_one(
    operator: Operator, controller: Controller, snapshot: Snapshot, now: datetime, rng: random.Random
) -> tuple[ControllerResult, list[MutationRequest]]:
    recorder = MutationRecorder()
    transport = SnapshotTransport(snapshot, recorder)
    context = RunContext(
        controller_name=controller.name,
        client=Client(transport, headers={CONTROLLER_HEADER: controller.name}),
        now=now,
        random=rng,
        log=logging.LoggerAdapter(log, {"controller": controller.name}),
        events=EventRecorder(
            client=Client(transport),
            now=now,
            component=operator.event_source or operator.name,
            involved_object=dict(operator.involved_object),
        ),
    )
    outcome: list[ControllerResult] = []

    def target() -> None:
        try:
            controller.sync(context)
        except SyncError as exc:
            outcome.append(ControllerResult(controller.name, ControllerStatus.FAILED, (str(exc),)))
        except Exception as exc:  # An operator bug must not take the other controllers down.
            outcome.append(
                ControllerResult(
                    controller.name,
                    ControllerStatus.PANICKED,
                    (f"{type(exc).__name__}: {exc}",),
                    traceback.format_exc(),
                )
            )
        else:
            outcome.append(ControllerResult(controller.name, ControllerStatus.SUCCEEDED))

    thread = threading.Thread(target=target, name=f"controller {controller.name}", daemon=True)
    thread.start()
    thread.join(controller.timeout)
    if thread.is_alive():
        # The abandoned thread keeps its own recorder; nothing it writes from now on is read.
        message = f"did not finish within {controller.timeout:g}s; its mutations were discarded"
        log.warning("controller %s %s", controller.name, message)
        return ControllerResult(controller.name, ControllerStatus.FAILED, (message,)), []
    return outcome[0], recorder.requests
