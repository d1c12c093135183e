"""Committing runs: journal them, then apply what they planned, then journal how that went.

Owns :class:`Ledger` — begins every run of a tick in one journal transaction, finishes them in
one (planning each run's mutations: :func:`~mom.manager.planning.plan_mutations`), applies the
pending ones with one commit per target (and per operator on a target that impersonates), and
marks their outcomes in one transaction; crash safety comes from that order — and
:class:`Write`, a pending mutation as the manager applies it: the run that planned it, its
position in that run's plan and the operator whose write it is, built in one place
(:func:`writes_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from mom.api.errors import Fenced, MomError
from mom.apply.target import ActingTarget, ApplyResult, Target
from mom.journal.journal import Journal
from mom.journal.records import MutationState, PlannedMutation
from mom.manager.agenda import Work
from mom.manager.execution import Begun, Finished
from mom.manager.history import InputHistory
from mom.manager.planning import plan_mutations
from mom.manager.specs import ManagerConfig
from mom.manager.topology import Claims

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Write:
    """One pending mutation of a journaled run, as the manager applies it."""

    run_id: int
    position: int
    operator: str
    mutation: PlannedMutation

    @property
    def mutation_id(self) -> str:
        return self.mutation.mutation_id


def writes_of(operator: str, stored: Sequence[PlannedMutation]) -> list[Write]:
    """The pending ones of one run's mutations as the journal holds them, in planned order."""
    return [
        Write(run_id=m.run_id, position=m.position, operator=operator, mutation=m)
        for m in stored
        if m.state is MutationState.PENDING
    ]


class Ledger:
    """The journal and the targets, written in the order that keeps a crash recoverable."""

    def __init__(
        self,
        config: ManagerConfig,
        *,
        journal: Journal,
        targets: Mapping[str, Target],
        clock: Clock,
        write_budget: Callable[[], float] | None = None,
    ) -> None:
        self.config = config
        self.journal = journal
        self.targets = targets
        self.clock = clock
        self.write_budget = write_budget
        """Seconds this process may still write (leader election); checked before every batch."""
        self.history = InputHistory(config, journal)

    def begin_all(self, work: Sequence[Work]) -> list[Begun]:
        with self.journal.batch():
            return [self._begin(item) for item in work]

    def _begin(self, item: Work) -> Begun:
        now = self.clock()
        run_id = self.journal.begin_run(
            operator=item.operator,
            instance=item.instance,
            trigger=item.trigger,
            input_digest=item.digest,
            inputs=self.history.inputs_to_store(item),
            started_at=now,
            now=now,
            seed=None,
            outputs_digest=item.pin.digest,
            input_changes=self.history.changes(item),
        )
        self.history.stored(item, run_id)
        return Begun(run_id=run_id, started=now)

    def finish_all(self, finished: Sequence[Finished], claims: Claims) -> list[Finished]:
        """Journal how every run ended and what it plans to write; returns the runs with what
        the journal now holds of their mutations (keeping the decoded bodies in hand).
        ``claims`` keeps one writer's objects from being written by another (in run order)."""
        with self.journal.batch():
            return [self._finish(done, claims) for done in finished]

    def _finish(self, done: Finished, claims: Claims) -> Finished:
        item, outcome = done.item, done.outcome
        planned = plan_mutations(outcome.requests, item.pin, item.topology, item.snapshot.discovery, claims)
        ids = self.journal.finish_run(
            done.run_id,
            finished_at=self.clock(),
            exit_code=outcome.exit_code,
            results=outcome.results,
            mutations=planned,
            stdout=outcome.stdout,
            stderr=outcome.stderr,
            error=outcome.error,
        )
        stored = tuple(
            replace(m, mutation_id=mutation_id, run_id=done.run_id, position=position)
            for position, (m, mutation_id) in enumerate(zip(planned, ids, strict=True))
        )
        return replace(done, stored=stored)

    def apply_all(self, pending: Sequence[Write]) -> dict[str, ApplyResult]:
        """Apply pending mutations, one commit per target (and per operator on a target that
        impersonates), in order; then journal the outcomes. Results are by mutation id."""
        impersonating = {c.name for c in self.config.clusters if c.impersonate}
        groups: dict[tuple[str, str], list[PlannedMutation]] = {}
        for write in pending:
            target = write.mutation.target
            writer = write.operator if target in impersonating else ""
            groups.setdefault((target, writer), []).append(write.mutation)
        results: dict[str, ApplyResult] = {}
        for (name, writer), mutations in groups.items():
            if self.write_budget is not None and self.write_budget() <= 0:
                raise Fenced(f"not applying to {name}: this process no longer holds its lease")
            applied = self._target_for(name, writer).apply_batch(
                [(m.mutation_id, m.request) for m in mutations]
            )
            results.update((r.mutation_id, r) for r in applied)
        self._mark([results[write.mutation_id] for write in pending])
        return results

    def _mark(self, results: Sequence[ApplyResult]) -> None:
        at = self.clock()
        with self.journal.batch():
            for result in results:
                state = MutationState.APPLIED if result.ok else MutationState.FAILED
                message = (
                    f"{result.outcome.value}: {result.message}" if result.message else result.outcome.value
                )
                self.journal.mark_mutation(result.mutation_id, state, message, applied_at=at)

    def _target_for(self, name: str, operator: str) -> Target:
        """The target ``operator``'s writes to cluster ``name`` go through."""
        target = self.targets[name]
        account = self.config.cluster(name).writer(operator) if operator else None
        if account is None:
            return target
        if not isinstance(target, ActingTarget):
            raise MomError(f"cluster {name} is configured to impersonate, but its target cannot")
        return target.acting_as(account)

    def refuse(self, refused: Sequence[tuple[Write, str]]) -> None:
        """Journal ``refused`` writes as refused, each with why; they are never applied."""
        if not refused:
            return
        with self.journal.batch():
            for write, reason in refused:
                self.journal.mark_mutation(write.mutation_id, MutationState.REFUSED, reason)
