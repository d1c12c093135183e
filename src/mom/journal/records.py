"""What the journal hands back: planned mutations, run summaries and full run records.

All values are frozen; times are timezone-aware ``datetime`` values in UTC.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from mom.api.results import ControllerResults
from mom.api.values import Frozen, OrderedFrozen
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


class InputChange(OrderedFrozen):
    """One input object that is new, gone or different since the pair's previous run; compared,
    sorted and hashed by what and where it is, not by the details below."""

    change: InputChangeKind
    group: str
    resource: str
    namespace: str
    name: str
    fields: tuple[str, ...]
    """For a changed object: the JSON paths of the fields that changed (``.status.conditions``)."""
    managers: tuple[str, ...]
    """For a changed object: the field managers owning those fields (``metadata.managedFields``)."""
    writers: tuple[str, ...]
    """``operator/controller`` of the latest runs, of any operator on the instance, that wrote the object."""

    __slots__ = ("change", "fields", "group", "managers", "name", "namespace", "resource", "writers")
    _uncompared: ClassVar[tuple[str, ...]] = ("fields", "managers", "writers")

    def __init__(
        self,
        change: InputChangeKind,
        group: str,
        resource: str,
        namespace: str,
        name: str,
        fields: tuple[str, ...] = (),
        managers: tuple[str, ...] = (),
        writers: tuple[str, ...] = (),
    ) -> None:
        object.__setattr__(self, "change", change)
        object.__setattr__(self, "group", group)
        object.__setattr__(self, "resource", resource)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "fields", fields)
        object.__setattr__(self, "managers", managers)
        object.__setattr__(self, "writers", writers)

    @property
    def group_resource(self) -> str:
        return f"{self.resource}.{self.group}" if self.group else self.resource


class RunStatus(StrEnum):
    """Where one run stands: begun (``Running``), finished by exit code, or given up on."""

    RUNNING = "Running"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    ABANDONED = "Abandoned"


class PlannedMutation(Frozen):
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
    state: MutationState
    reason: str
    applied_at: datetime | None
    run_id: int
    position: int

    __slots__ = (
        "applied_at",
        "cluster_type",
        "mutation_id",
        "position",
        "reason",
        "request",
        "run_id",
        "state",
        "target",
    )

    def __init__(
        self,
        mutation_id: str,
        cluster_type: str,
        target: str,
        request: MutationRequest,
        state: MutationState = MutationState.PENDING,
        reason: str = "",
        applied_at: datetime | None = None,
        run_id: int = 0,
        position: int = 0,
    ) -> None:
        object.__setattr__(self, "mutation_id", mutation_id)
        object.__setattr__(self, "cluster_type", cluster_type)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "request", request)
        object.__setattr__(self, "state", state)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "applied_at", applied_at)
        object.__setattr__(self, "run_id", run_id)
        object.__setattr__(self, "position", position)


class RunSummary(Frozen):
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
    counts: dict[MutationState, int]

    __slots__ = (
        "counts",
        "exit_code",
        "finished_at",
        "input_digest",
        "instance",
        "operator",
        "run_id",
        "started_at",
        "status",
        "trigger",
    )

    def __init__(
        self,
        run_id: int,
        operator: str,
        instance: str,
        trigger: str,
        input_digest: str,
        started_at: datetime,
        finished_at: datetime | None,
        exit_code: int | None,
        status: RunStatus,
        counts: dict[MutationState, int] | None = None,
    ) -> None:
        object.__setattr__(self, "run_id", run_id)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "instance", instance)
        object.__setattr__(self, "trigger", trigger)
        object.__setattr__(self, "input_digest", input_digest)
        object.__setattr__(self, "started_at", started_at)
        object.__setattr__(self, "finished_at", finished_at)
        object.__setattr__(self, "exit_code", exit_code)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "counts", {} if counts is None else counts)

    def count(self, state: MutationState) -> int:
        return self.counts.get(state, 0)


class RunRecord(Frozen):
    """A whole run: its summary, what the operator reported and printed, and its context."""

    summary: RunSummary
    results: ControllerResults | None
    seed: int | None
    now: datetime
    outputs_digest: str
    stdout: str
    stderr: str
    error: str
    input_changes: tuple[InputChange, ...] | None
    """The inputs that differ from the pair's previous run; ``None`` when not known (a first
    run, or a journal written before they were recorded)."""

    __slots__ = (
        "error",
        "input_changes",
        "now",
        "outputs_digest",
        "results",
        "seed",
        "stderr",
        "stdout",
        "summary",
    )

    def __init__(
        self,
        summary: RunSummary,
        results: ControllerResults | None,
        seed: int | None,
        now: datetime,
        outputs_digest: str,
        stdout: str = "",
        stderr: str = "",
        error: str = "",
        input_changes: tuple[InputChange, ...] | None = None,
    ) -> None:
        object.__setattr__(self, "summary", summary)
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "seed", seed)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "outputs_digest", outputs_digest)
        object.__setattr__(self, "stdout", stdout)
        object.__setattr__(self, "stderr", stderr)
        object.__setattr__(self, "error", error)
        object.__setattr__(self, "input_changes", input_changes)

    @property
    def run_id(self) -> int:
        return self.summary.run_id
