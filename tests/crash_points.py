"""Killing a manager with SIGKILL at a chosen point of applying, for the crash-recovery tests.

Used by the scripts the kill -9 tests run in a child process (the repository root on
``PYTHONPATH``): wrap each of the manager's targets in :class:`CrashingTarget`, sharing one
:class:`Countdown`, and tick.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from typing import Any

POINTS = ("before-batch", "after-batch", "before-write")


class Countdown:
    """Lets ``count`` points pass, then kills this process at the next one."""

    def __init__(self, count: int) -> None:
        self._left = count

    def point(self, *_where: object) -> None:
        if self._left == 0:
            os.kill(os.getpid(), signal.SIGKILL)
        self._left -= 1


class CrashingTarget:
    """``inner`` with the countdown checked before each batch, after each (applied, not yet
    journaled), or before each write (mutations then go one at a time)."""

    def __init__(self, inner: Any, where: str, countdown: Countdown) -> None:
        if where not in POINTS:
            raise ValueError(f"{where!r}: expected one of {', '.join(POINTS)}")
        self.inner, self.name, self._where, self._countdown = inner, inner.name, where, countdown

    def read(self) -> Any:
        return self.inner.read()

    def is_applied(self, mutation_id: str) -> bool:
        return bool(self.inner.is_applied(mutation_id))

    def apply(self, mutation_id: str, request: Any, dry_run: bool = False) -> Any:
        return self.inner.apply(mutation_id, request, dry_run=dry_run)

    def apply_batch(self, items: Sequence[tuple[str, Any]]) -> list[Any]:
        if self._where == "before-write":
            results = []
            for mutation_id, request in items:
                self._countdown.point()
                results.append(self.inner.apply(mutation_id, request))
            return results
        if self._where == "before-batch":
            self._countdown.point()
        results = list(self.inner.apply_batch(items))
        if self._where == "after-batch":
            self._countdown.point()
        return results
