"""What a tick did, pair by pair: :class:`PairReport` and :class:`TickReport`, and how a
finished run or a waiting pair is reported (:func:`ran_report`, :func:`waiting_report`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from mom.apply.target import ApplyResult, Outcome
from mom.journal.records import MutationState
from mom.manager.agenda import Waiting
from mom.manager.execution import Finished
from mom.manager.schedule import Trigger

_SETTLED = (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)


@dataclass(frozen=True)
class PairReport:
    """One operator on one instance in one tick."""

    operator: str
    instance: str
    trigger: Trigger
    run_id: int | None = None
    exit_code: int | None = None
    applied: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    error: str = ""
    problems: tuple[str, ...] = ()
    """What failed controllers reported (``<controller> Failed: <message>``)."""
    deferred_for: Trigger | None = None
    """Of a deferred pair: the trigger it will run for, at ``deferred_until``."""
    deferred_until: datetime | None = None

    @property
    def ran(self) -> bool:
        return self.run_id is not None


@dataclass
class TickReport:
    pairs: list[PairReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rolled_forward: int = 0

    @property
    def runs(self) -> int:
        return sum(1 for p in self.pairs if p.ran)

    @property
    def deferred(self) -> int:
        return sum(1 for p in self.pairs if p.trigger is Trigger.DEFERRED)

    @property
    def unchanged(self) -> int:
        return sum(1 for p in self.pairs if p.trigger is Trigger.UNCHANGED)

    @property
    def ok(self) -> bool:
        return all(p.exit_code in (None, 0) and not p.failed and not p.error for p in self.pairs)


def waiting_report(waiting: Waiting) -> PairReport:
    operator, instance = waiting.key
    decision = waiting.decision
    return PairReport(
        operator=operator,
        instance=instance,
        trigger=decision.trigger,
        deferred_for=decision.reason,
        deferred_until=decision.until,
    )


def ran_report(done: Finished, results: Sequence[ApplyResult]) -> PairReport:
    """A finished run; ``results`` are those of its applied mutations."""
    outcome = done.outcome
    return PairReport(
        operator=done.item.operator,
        instance=done.item.instance,
        trigger=done.item.trigger,
        run_id=done.run_id,
        exit_code=outcome.exit_code,
        applied=sum(1 for r in results if r.ok and r.outcome not in _SETTLED),
        unchanged=sum(1 for r in results if r.outcome in _SETTLED),
        refused=sum(1 for m in done.stored if m.state is MutationState.REFUSED),
        failed=sum(1 for r in results if not r.ok),
        error=outcome.error,
        problems=tuple(
            f"{r.controller_name} {r.status.value}: {'; '.join(r.errors)}"
            for r in (outcome.results.results if outcome.results else ())
            if r.errors
        ),
    )
