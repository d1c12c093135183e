"""When an (operator, instance) pair must run: input digest, resync, debounce, backoff.

Pure bookkeeping over times passed in; the loop asks :meth:`Schedule.decide` and reports back
with :meth:`Schedule.ran`; a restarted manager starts from the journal's last runs with
:meth:`Schedule.restore`. A pair that has a reason to run (changed inputs, a resync due) while
its debounce window or its failure backoff is still open is *deferred*, not unchanged: the
decision says when it may run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from mom.api.values import Frozen, Value

PairKey = tuple[str, str]
"""(operator, instance)."""


class Trigger(StrEnum):
    """Why a pair runs (what the journal records), or why it does not run this tick."""

    FIRST_RUN = "first run"
    INPUTS_CHANGED = "inputs changed"
    RESYNC = "resync"
    UNCHANGED = "unchanged"
    """Nothing to do: same inputs, no resync due."""
    DEFERRED = "deferred"
    """A reason to run, held back by the debounce window or the failure backoff."""

    @property
    def runs(self) -> bool:
        return self in (Trigger.FIRST_RUN, Trigger.INPUTS_CHANGED, Trigger.RESYNC)


class Decision(Frozen):
    """What the schedule decided for a pair this tick.

    ``reason`` is the trigger a deferred pair will run for; ``until`` when it may run.
    """

    trigger: Trigger
    reason: Trigger | None
    until: datetime | None

    __slots__ = ("reason", "trigger", "until")

    def __init__(
        self, trigger: Trigger, reason: Trigger | None = None, until: datetime | None = None
    ) -> None:
        object.__setattr__(self, "trigger", trigger)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "until", until)


class PairState(Value):
    last_digest: str
    last_started: datetime | None
    failures: int
    backoff_until: datetime | None

    __slots__ = ("backoff_until", "failures", "last_digest", "last_started")

    def __init__(
        self,
        last_digest: str = "",
        last_started: datetime | None = None,
        failures: int = 0,
        backoff_until: datetime | None = None,
    ) -> None:
        self.last_digest = last_digest
        self.last_started = last_started
        self.failures = failures
        self.backoff_until = backoff_until


class Schedule(Value):
    debounce: float
    max_backoff: float
    base_backoff: float
    states: dict[PairKey, PairState]

    __slots__ = ("base_backoff", "debounce", "max_backoff", "states")

    def __init__(
        self,
        debounce: float,
        max_backoff: float,
        base_backoff: float = 5.0,
        states: dict[PairKey, PairState] | None = None,
    ) -> None:
        self.debounce = debounce
        self.max_backoff = max_backoff
        self.base_backoff = base_backoff
        self.states = {} if states is None else states

    def state(self, key: PairKey) -> PairState:
        return self.states.setdefault(key, PairState())

    def decide(
        self, key: PairKey, digest: str, resync: float, now: datetime, *, force: bool = False
    ) -> Decision:
        """Whether the pair runs now, and why; or why not, and until when when it is deferred."""
        state = self.state(key)
        if state.last_started is None:
            return Decision(Trigger.FIRST_RUN)
        if digest != state.last_digest:
            due = Trigger.INPUTS_CHANGED
        elif force or now - state.last_started >= timedelta(seconds=resync):
            due = Trigger.RESYNC
        else:
            return Decision(Trigger.UNCHANGED)
        if not force:
            held = [state.last_started + timedelta(seconds=self.debounce)]
            if state.backoff_until is not None:
                held.append(state.backoff_until)
            until = max(held)
            if now < until:
                return Decision(Trigger.DEFERRED, due, until)
        return Decision(due)

    def restore(self, key: PairKey, digest: str, started: datetime) -> None:
        """What a previous process last ran of the pair: its input digest and when it started."""
        state = self.state(key)
        state.last_digest = digest
        state.last_started = started

    def ran(self, key: PairKey, digest: str, started: datetime, *, failed: bool) -> None:
        state = self.state(key)
        state.last_digest = digest
        state.last_started = started
        if failed:
            state.failures += 1
            delay = min(self.max_backoff, self.base_backoff * 2 ** (state.failures - 1))
            state.backoff_until = started + timedelta(seconds=delay)
        else:
            state.failures = 0
            state.backoff_until = None
