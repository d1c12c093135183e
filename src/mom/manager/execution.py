"""Running a tick's work: every run through the one runner seam, a bounded number at a time.

Owns :func:`run_all` and the values a run passes through on its way to the journal:
:class:`Begun` (journaled as begun) and :class:`Finished` (ended, with what the journal holds of
its mutations once finished). Runners that gain from threads (subprocesses) go
``concurrency`` at a time on a pool; the others take turns on the calling thread meanwhile:
Python threads do not run Python code in parallel, and several at once only cost CPU in
contention (each controller still gets a thread of its own, for its deadline).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial

from mom.api.values import Frozen
from mom.journal.records import PlannedMutation
from mom.manager.agenda import Work
from mom.manager.operators import OperatorRun

Progress = Callable[[str], None]


class Begun(Frozen):
    """A run the journal holds as begun: its id, and when it started (its ``now``)."""

    run_id: int
    started: datetime

    __slots__ = ("run_id", "started")

    def __init__(self, run_id: int, started: datetime) -> None:
        object.__setattr__(self, "run_id", run_id)
        object.__setattr__(self, "started", started)


class Finished(Frozen):
    """A run that has ended; ``stored`` is what the journal holds of its mutations once finished."""

    item: Work
    run_id: int
    started: datetime
    outcome: OperatorRun
    stored: tuple[PlannedMutation, ...]

    __slots__ = ("item", "outcome", "run_id", "started", "stored")

    def __init__(
        self,
        item: Work,
        run_id: int,
        started: datetime,
        outcome: OperatorRun,
        stored: tuple[PlannedMutation, ...] = (),
    ) -> None:
        object.__setattr__(self, "item", item)
        object.__setattr__(self, "run_id", run_id)
        object.__setattr__(self, "started", started)
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "stored", stored)

    @property
    def failed(self) -> bool:
        return self.outcome.exit_code != 0 or bool(self.outcome.error)


def run_one(item: Work, now: datetime) -> OperatorRun:
    """One run at ``now``; a refused pair is not run, and fails with why."""
    if item.refusal:
        return OperatorRun.not_run(item.refusal)
    return item.runner.run(item.inputs(), now)


def run_all(
    work: Sequence[Work], begun: Sequence[Begun], *, concurrency: int, progress: Progress
) -> list[Finished]:
    """Every run, outcomes in the order of ``work``."""
    outcomes: dict[int, OperatorRun] = {}

    def record(index: int, run: Callable[[], OperatorRun]) -> None:
        try:
            outcomes[index] = run()
        except Exception as exc:  # a runner bug must not stop the other runs
            outcomes[index] = OperatorRun.not_run(f"{type(exc).__name__}: {exc}")
        progress(f"[{len(outcomes)}/{len(work)}] ran {work[index].operator} on {work[index].instance}")

    runs = list(enumerate(zip(work, begun, strict=True)))
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="mom-run") as pool:
        futures = {
            index: pool.submit(run_one, item, started.started)
            for index, (item, started) in runs
            if item.runner.concurrent
        }
        for index, (item, started) in runs:
            if index not in futures:
                record(index, partial(run_one, item, started.started))
        for index, future in futures.items():
            record(index, future.result)
    return [
        Finished(item=item, run_id=started.run_id, started=started.started, outcome=outcomes[index])
        for index, (item, started) in runs
    ]
