"""The seam between the manager and whatever it writes to: the :class:`Target` protocol.

Owns: :class:`Target` (apply one mutation under an id, idempotently; read the current state),
:class:`Outcome` (what a write did, in the Kubernetes vocabulary) and :class:`ApplyResult`.
A manifest directory (:class:`~mom.apply.manifest_target.ManifestTarget`) is the embedded
target; a live cluster implements the same protocol and also :class:`ActingTarget`: a view that
writes as an operator's service account, so the server enforces that operator's RBAC.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from mom.api.errors import Conflict, MomError, NotFound
from mom.api.values import Frozen
from mom.apply.rbac import ServiceAccountRef
from mom.mustgather.store import Snapshot
from mom.mutationdir.requests import MutationRequest


class Outcome(StrEnum):
    """What applying one mutation did."""

    CREATED = "Created"
    UPDATED = "Updated"
    PATCHED = "Patched"
    APPLIED = "Applied"
    DELETED = "Deleted"
    UNCHANGED = "Unchanged"
    """The target already held what the mutation asks for; nothing was written."""
    ALREADY_APPLIED = "AlreadyApplied"
    """This mutation id was applied before (the target remembers it); nothing was written."""
    CONFLICT = "Conflict"
    NOT_FOUND = "NotFound"
    INVALID = "Invalid"

    @property
    def ok(self) -> bool:
        return self not in (Outcome.CONFLICT, Outcome.NOT_FOUND, Outcome.INVALID)

    @classmethod
    def of_failure(cls, error: MomError) -> Outcome:
        """The outcome of a write refused with ``error``."""
        if isinstance(error, Conflict):
            return cls.CONFLICT
        if isinstance(error, NotFound):
            return cls.NOT_FOUND
        return cls.INVALID


_set_field = object.__setattr__
"""How ``ApplyResult`` sets its fields (its ``object`` field hides the builtin there)."""


class ApplyResult(Frozen):
    """The result of one mutation; ``object`` is the object after the write (``None`` for
    deletes, failures and already-applied ids)."""

    mutation_id: str
    outcome: Outcome
    message: str
    object: dict[str, Any] | None

    __slots__ = ("message", "mutation_id", "object", "outcome")

    def __init__(
        self, mutation_id: str, outcome: Outcome, message: str = "", object: dict[str, Any] | None = None
    ) -> None:
        _set_field(self, "mutation_id", mutation_id)
        _set_field(self, "outcome", outcome)
        _set_field(self, "message", message)
        _set_field(self, "object", object)

    @property
    def ok(self) -> bool:
        return self.outcome.ok


class Target(Protocol):
    """Somewhere mutations are applied with Kubernetes semantics.

    ``apply`` is idempotent per ``mutation_id``: once an id has been applied, applying it
    again returns :attr:`Outcome.ALREADY_APPLIED` and changes nothing. Failed mutations
    (conflict, not found, invalid) change nothing and are not remembered.
    """

    name: str

    def apply(self, mutation_id: str, request: MutationRequest, *, dry_run: bool = False) -> ApplyResult: ...

    def apply_batch(self, items: Sequence[tuple[str, MutationRequest]]) -> list[ApplyResult]:
        """Apply many mutations in order, committed together; the same rules as :meth:`apply`."""
        ...

    def read(self) -> Snapshot: ...

    def is_applied(self, mutation_id: str) -> bool: ...


@runtime_checkable
class ActingTarget(Protocol):
    """A target whose writes can be made as another identity (a live cluster impersonating)."""

    def acting_as(self, service_account: ServiceAccountRef) -> Target:
        """The same target (same state, same reads) sending every write as ``service_account``."""
        ...
