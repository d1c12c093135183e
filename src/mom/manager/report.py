"""What a tick did, pair by pair: :class:`PairReport` and :class:`TickReport`, and how a
finished run or a waiting pair is reported (:func:`ran_report`, :func:`waiting_report`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from mom.api.values import Frozen, Value
from mom.journal.records import MutationState
from mom.manager.schedule import Trigger

if TYPE_CHECKING:
    from mom.apply.target import ApplyResult
    from mom.manager.agenda import Waiting
    from mom.manager.execution import Finished


class PairReport(Frozen):
    """One operator on one instance in one tick."""

    operator: str
    instance: str
    trigger: Trigger
    run_id: int | None
    exit_code: int | None
    applied: int
    unchanged: int
    refused: int
    failed: int
    error: str
    problems: tuple[str, ...]
    """What failed controllers reported (``<controller> Failed: <message>``)."""
    deferred_for: Trigger | None
    """Of a deferred pair: the trigger it will run for, at ``deferred_until``."""
    deferred_until: datetime | None

    __slots__ = (
        "applied",
        "deferred_for",
        "deferred_until",
        "error",
        "exit_code",
        "failed",
        "instance",
        "operator",
        "problems",
        "refused",
        "run_id",
        "trigger",
        "unchanged",
    )

    def __init__(
        self,
        operator: str,
        instance: str,
        trigger: Trigger,
        run_id: int | None = None,
        exit_code: int | None = None,
        applied: int = 0,
        unchanged: int = 0,
        refused: int = 0,
        failed: int = 0,
        error: str = "",
        problems: tuple[str, ...] = (),
        deferred_for: Trigger | None = None,
        deferred_until: datetime | None = None,
    ) -> None:
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "instance", instance)
        object.__setattr__(self, "trigger", trigger)
        object.__setattr__(self, "run_id", run_id)
        object.__setattr__(self, "exit_code", exit_code)
        object.__setattr__(self, "applied", applied)
        object.__setattr__(self, "unchanged", unchanged)
        object.__setattr__(self, "refused", refused)
        object.__setattr__(self, "failed", failed)
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "problems", problems)
        object.__setattr__(self, "deferred_for", deferred_for)
        object.__setattr__(self, "deferred_until", deferred_until)

    @property
    def ran(self) -> bool:
        return self.run_id is not None


class TickReport(Value):
    """What one tick did: a report per pair, warnings, and how much it rolled forward first."""

    pairs: list[PairReport]
    warnings: list[str]
    rolled_forward: int

    __slots__ = ("pairs", "rolled_forward", "warnings")

    def __init__(
        self,
        pairs: list[PairReport] | None = None,
        warnings: list[str] | None = None,
        rolled_forward: int = 0,
    ) -> None:
        self.pairs = [] if pairs is None else pairs
        self.warnings = [] if warnings is None else warnings
        self.rolled_forward = rolled_forward

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
    from mom.apply.target import Outcome  # a run was applied: apply is loaded

    settled = (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)
    outcome = done.outcome
    return PairReport(
        operator=done.item.operator,
        instance=done.item.instance,
        trigger=done.item.trigger,
        run_id=done.run_id,
        exit_code=outcome.exit_code,
        applied=sum(1 for r in results if r.ok and r.outcome not in settled),
        unchanged=sum(1 for r in results if r.outcome in settled),
        refused=sum(1 for m in done.stored if m.state is MutationState.REFUSED),
        failed=sum(1 for r in results if not r.ok),
        error=outcome.error,
        problems=tuple(
            f"{r.controller_name} {r.status.value}: {'; '.join(r.errors)}"
            for r in (outcome.results.results if outcome.results else ())
            if r.errors
        ),
    )
