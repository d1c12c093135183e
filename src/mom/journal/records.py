"""What the journal hands back: planned mutations, run summaries and full run records.

All values are frozen; times are timezone-aware ``datetime`` values in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from mom.api.results import ControllerResults
from mom.mutationdir.requests import MutationRequest


class MutationState(StrEnum):
    """Where one planned mutation stands. ``PENDING`` is the only state a restart rolls forward."""

    PENDING = "Pending"
    APPLIED = "Applied"
    REFUSED = "Refused"
    FAILED = "Failed"
    SKIPPED = "Skipped"


FINAL_STATES: frozenset[MutationState] = frozenset(
    {MutationState.APPLIED, MutationState.REFUSED, MutationState.SKIPPED}
)
"""States a mutation never leaves: an applied write is never applied again."""


class InputChangeKind(StrEnum):
    """How one declared input differs from what the pair's previous run read."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True, slots=True, order=True)
class InputChange:
    """One input object that is new, gone or different since the pair's previous run."""

    change: InputChangeKind
    group: str
    resource: str
    namespace: str
    name: str
    fields: tuple[str, ...] = field(default=(), compare=False)
    """For a changed object: the JSON paths of the fields that changed (``.status.conditions``)."""
    managers: tuple[str, ...] = field(default=(), compare=False)
    """For a changed object: the field managers owning those fields (``metadata.managedFields``)."""
    writers: tuple[str, ...] = field(default=(), compare=False)
    """``operator/controller`` of the latest runs, of any operator on the instance, that wrote the object."""

    @property
    def group_resource(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource


class RunStatus(StrEnum):
    """Where one run stands: begun (``Running``), finished by exit code, or given up on."""

    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    ABANDONED = "Abandoned"


@dataclass(frozen=True, slots=True)
class PlannedMutation:
    """One write a run produced, routed to a cluster type and a physical target, as the journal
    stores and returns it.

    ``mutation_id`` is empty until the journal stores it, ``run_id`` and ``position`` (the run
    that planned it and its place in that run's plan) are 0 until then; ``reason`` says why a
    mutation was refused, failed or skipped; ``applied_at`` is set when it was marked applied.
    """

    mutation_id: str
    cluster_type: str
    target: str
    request: MutationRequest
    state: MutationState = MutationState.PENDING
    reason: str = ""
    applied_at: datetime | None = None
    run_id: int = 0
    position: int = 0


@dataclass(frozen=True)
class RunSummary:
    """One line of ``mom journal list``: who ran, why, on what, and how it ended."""

    run_id: int
    operator: str
    instance: str
    trigger: str
    input_digest: str
    started_at: datetime
    finished_at: datetime | None
    exit_code: int | None
    status: RunStatus
    counts: dict[MutationState, int] = field(default_factory=dict)

    def count(self, state: MutationState) -> int:
        return self.counts.get(state, 0)


@dataclass(frozen=True)
class RunRecord:
    """A whole run: its summary, what the operator reported and printed, and its context."""

    summary: RunSummary
    results: ControllerResults | None
    seed: int | None
    now: datetime
    outputs_digest: str
    stdout: str = ""
    stderr: str = ""
    error: str = ""
    input_changes: tuple[InputChange, ...] | None = None
    """The inputs that differ from the pair's previous run; ``None`` when not known (a first
    run, or a journal written before they were recorded)."""

    @property
    def run_id(self) -> int:
        return self.summary.run_id
