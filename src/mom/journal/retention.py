"""How long the journal keeps runs: a bounded journal that still says what went wrong.

Owns: :class:`RetentionPolicy` and :func:`expired_runs`. A run is kept while any of these holds:

- it is one of the newest ``runs_per_pair`` runs of its operator on its instance (the newest is
  what a restarted manager compares inputs with, and what the next run may share inputs with);
- it is not finished (a crash left it ``Running``: roll-forward runs it again on its inputs);
- one of its mutations is still ``Pending`` (roll-forward applies it);
- it failed, was abandoned, or had a mutation refused or failed, and it started less than
  ``problems_for`` before now: trouble stays visible for the window even when newer runs
  push it out of the per-pair count.

Everything else goes, with its stored inputs and mutations (the schema cascades). Run ids are
never reused (``AUTOINCREMENT``), so mutation ids stay unique after their runs are gone. Freed
pages are reused by later runs: the file stops growing once retention is in force.
``runs_per_pair = 0`` keeps every run.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.journal.records import MutationState, RunStatus
from mom.journal.rows import stamp

DEFAULT_RUNS_PER_PAIR = 100
DEFAULT_PROBLEMS_FOR = timedelta(days=7)


class RetentionPolicy(Frozen):
    runs_per_pair: int
    problems_for: timedelta

    __slots__ = ("problems_for", "runs_per_pair")

    def __init__(
        self, runs_per_pair: int = DEFAULT_RUNS_PER_PAIR, problems_for: timedelta = DEFAULT_PROBLEMS_FOR
    ) -> None:
        if runs_per_pair < 0:
            raise InvalidInput("retention.runsPerPair", [f"Invalid value: {runs_per_pair}: must be >= 0"])
        if problems_for < timedelta(0):
            raise InvalidInput("retention.keepProblemsFor", ["Invalid value: must be >= 0 seconds"])
        object.__setattr__(self, "runs_per_pair", runs_per_pair)
        object.__setattr__(self, "problems_for", problems_for)

    @property
    def keeps_everything(self) -> bool:
        return self.runs_per_pair == 0


def _listed(values: tuple[str, ...]) -> str:
    """An SQL list of constant names (enum values, not user input)."""
    return ", ".join(f"'{value}'" for value in values)


_FINISHED = _listed((RunStatus.SUCCEEDED.value, RunStatus.FAILED.value, RunStatus.ABANDONED.value))
_TROUBLE = _listed((RunStatus.FAILED.value, RunStatus.ABANDONED.value))
_BAD_MUTATIONS = _listed((MutationState.REFUSED.value, MutationState.FAILED.value))

_EXPIRED = f"""
WITH ranked AS (
    SELECT run_id, status, started_at,
           ROW_NUMBER() OVER (PARTITION BY operator, instance ORDER BY run_id DESC) AS newest
    FROM runs
)
SELECT run_id FROM ranked
WHERE newest > :keep
  AND status IN ({_FINISHED})
  AND NOT EXISTS (
      SELECT 1 FROM mutations WHERE mutations.run_id = ranked.run_id AND mutations.state = :pending)
  AND NOT (
      started_at >= :cutoff
      AND (status IN ({_TROUBLE}) OR EXISTS (
          SELECT 1 FROM mutations
          WHERE mutations.run_id = ranked.run_id AND mutations.state IN ({_BAD_MUTATIONS}))))
ORDER BY run_id
"""


def expired_runs(connection: sqlite3.Connection, policy: RetentionPolicy, now: datetime) -> list[int]:
    """The runs ``policy`` lets go of at ``now``, oldest first."""
    if policy.keeps_everything:
        return []
    values = {
        "keep": policy.runs_per_pair,
        "pending": MutationState.PENDING.value,
        "cutoff": stamp(now - policy.problems_for, "now"),
    }
    return [row[0] for row in connection.execute(_EXPIRED, values)]
