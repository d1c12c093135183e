"""Running an operator's controllers once against a snapshot, each in isolation.

Each enabled controller runs on a thread of a :class:`ControllerThreads` pool (the caller's, kept
between its runs, or one made for the run) with its own recorder and a deadline. A controller that raises :class:`SyncError` is ``Failed``; one that raises
anything else is ``Panicked`` (with its traceback); one still running at its deadline is
``Failed`` and whatever it writes afterwards is discarded. The others run regardless. Controllers run one at
a time in an order shuffled by a recorded seed, so a run is reproducible.
"""

from __future__ import annotations

import queue
import random
import threading
from collections.abc import Callable, Mapping
from datetime import datetime

from mom.api.results import ControllerResult, ControllerResults, ControllerStatus
from mom.api.values import Frozen
from mom.client.client import Client
from mom.client.recorder import MutationRecorder
from mom.client.transport import CONTROLLER_HEADER, SnapshotTransport
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest
from mom.operator.context import LOGGER, ControllerLog, EventRecorder, RunContext
from mom.operator.operator import Controller, Operator, SyncError


class RunOutcome(Frozen):
    """What one run produced: mutations in recording order, per-controller results, the seed."""

    requests: tuple[MutationRequest, ...]
    results: ControllerResults
    seed: int
    order: tuple[str, ...]

    __slots__ = ("order", "requests", "results", "seed")

    def __init__(
        self,
        requests: tuple[MutationRequest, ...],
        results: ControllerResults,
        seed: int,
        order: tuple[str, ...],
    ) -> None:
        object.__setattr__(self, "requests", requests)
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "order", order)

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
    threads: ControllerThreads | None = None,
) -> RunOutcome:
    """Run every enabled controller of ``operator`` once against ``snapshot``, on ``threads``
    (a pool the caller keeps for many runs) or on a pool made for this run."""
    owned = threads is None
    threads = ControllerThreads() if threads is None else threads
    try:
        return _run_all(operator, snapshot, now, enabled, seed, threads)
    finally:
        if owned:
            threads.close()


def _run_all(
    operator: Operator,
    snapshot: Snapshot,
    now: datetime,
    enabled: Mapping[str, bool],
    seed: int | None,
    threads: ControllerThreads,
) -> RunOutcome:
    seed = seed_from_now(now) if seed is None else seed
    order = list(operator.controllers)
    random.Random(seed).shuffle(order)
    results: list[ControllerResult] = []
    requests: list[MutationRequest] = []
    for index, controller in enumerate(order):
        if not enabled.get(controller.name, False):
            results.append(ControllerResult(controller.name, ControllerStatus.SKIPPED))
            continue
        rng = random.Random(f"{seed}/{index}")
        result, recorded = _run_one(operator, controller, snapshot, now, rng, threads)
        results.append(result)
        requests.extend(recorded)
    return RunOutcome(
        requests=tuple(requests),
        results=ControllerResults(tuple(results)).sorted(),
        seed=seed,
        order=tuple(c.name for c in order),
    )


def _run_one(
    operator: Operator,
    controller: Controller,
    snapshot: Snapshot,
    now: datetime,
    rng: random.Random,
    threads: ControllerThreads,
) -> tuple[ControllerResult, list[MutationRequest]]:
    recorder = MutationRecorder()
    transport = SnapshotTransport(snapshot, recorder)
    context = RunContext(
        controller_name=controller.name,
        client=Client(transport, headers={CONTROLLER_HEADER: controller.name}),
        now=now,
        random=rng,
        log=ControllerLog(controller.name),
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
        except BaseException as exc:  # An operator bug (even sys.exit) must not take the others down.
            outcome.append(
                ControllerResult(
                    controller.name,
                    ControllerStatus.PANICKED,
                    (f"{type(exc).__name__}: {exc}",),
                    _traceback_text(),
                )
            )
        else:
            outcome.append(ControllerResult(controller.name, ControllerStatus.SUCCEEDED))

    if not threads.run(target, f"controller {controller.name}", controller.timeout):
        # The abandoned worker keeps its own recorder; nothing it writes from now on is read.
        message = f"did not finish within {controller.timeout:g}s; its mutations were discarded"
        import logging

        logging.getLogger(LOGGER).warning("controller %s %s", controller.name, message)
        return ControllerResult(controller.name, ControllerStatus.FAILED, (message,)), []
    return outcome[0], recorder.requests


def _traceback_text() -> str:
    """The traceback of the exception being handled (:mod:`traceback` is loaded for it only)."""
    import traceback

    return traceback.format_exc()


class _Worker:
    """A daemon thread that runs one job at a time and then waits for the next."""

    def __init__(self, pool: ControllerThreads) -> None:
        self._pool = pool
        self._jobs: queue.SimpleQueue[tuple[Callable[[], None], str, threading.Event] | None] = (
            queue.SimpleQueue()
        )
        self._thread = threading.Thread(target=self._serve, name="controller", daemon=True)
        self._thread.start()

    def submit(self, job: Callable[[], None], name: str, done: threading.Event) -> None:
        self._jobs.put((job, name, done))

    def stop(self) -> None:
        """End the thread once it is idle (at once when it already is)."""
        self._jobs.put(None)

    def _serve(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                return
            job, name, done = item
            self._thread.name = name
            job()  # never raises: the job reports every outcome itself
            kept = self._pool.release(self)  # before done: the next run can have this thread
            done.set()
            if not kept:
                return


class ControllerThreads:
    """Threads for controllers, kept between the runs of whoever owns the pool: starting a thread
    per controller cost more than many controllers' own work. A controller still past its deadline
    keeps its thread; the thread returns to the pool only when the controller finally returns.
    :meth:`close` ends the idle threads, and any thread that returns later."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._closed = False

    def close(self) -> None:
        """End every idle thread now; a thread still running a controller ends when it returns."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def run(self, job: Callable[[], None], name: str, timeout: float) -> bool:
        """Run ``job`` on an idle worker; whether it finished within ``timeout`` seconds."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self)
        done = threading.Event()
        worker.submit(job, name, done)
        return done.wait(timeout)

    def release(self, worker: _Worker) -> bool:
        """Keep ``worker`` for a later run, unless enough are idle already (then it ends)."""
        with self._lock:
            if not self._closed and len(self._idle) < IDLE_WORKERS:
                self._idle.append(worker)
                return True
        return False


IDLE_WORKERS = 16
"""Idle controller threads kept for later runs (one per concurrent run is enough)."""
