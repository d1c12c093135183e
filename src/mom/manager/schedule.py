"""When an (operator, instance) pair must run: input digest, resync, debounce, backoff.

Pure bookkeeping over times passed in; the loop asks :meth:`Schedule.trigger` and reports back
with :meth:`Schedule.ran`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

Key = tuple[str, str]
"""(operator, instance)."""


@dataclass
class PairState:
    last_digest: str = ""
    last_started: datetime | None = None
    failures: int = 0
    backoff_until: datetime | None = None
    changing_runs: int = 0
    """Consecutive runs whose mutations changed something although triggered by the operator's own writes."""
    changing_controllers: frozenset[str] = frozenset()
    """The controllers whose writes changed the cluster in every one of those runs."""


@dataclass
class Schedule:
    debounce: float
    max_backoff: float
    base_backoff: float = 5.0
    states: dict[Key, PairState] = field(default_factory=dict)

    def state(self, key: Key) -> PairState:
        return self.states.setdefault(key, PairState())

    def trigger(self, key: Key, digest: str, resync: float, now: datetime, *, force: bool = False) -> str:
        """Why the pair must run now, or ``""`` when it need not (or may not yet)."""
        state = self.state(key)
        if state.last_started is None:
            return "first run"
        if not force:
            if state.backoff_until is not None and now < state.backoff_until:
                return ""
            if now - state.last_started < timedelta(seconds=self.debounce):
                return ""
        if digest != state.last_digest:
            return "inputs changed"
        if force or now - state.last_started >= timedelta(seconds=resync):
            return "resync"
        return ""

    def ran(self, key: Key, digest: str, started: datetime, *, failed: bool) -> None:
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
