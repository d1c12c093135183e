"""The manager loop: gather, decide, run, validate, journal, apply — for every operator and instance.

One tick reads every physical cluster once; the agenda (:mod:`.agenda`) gathers each operator's
declared inputs through the instance's topology and picks the pairs whose inputs changed or
whose resync is due (never more than once per debounce window, with backoff after failures).
Runs go through a bounded pool (:mod:`.execution`). The ledger (:mod:`.commit`) journals every
run, re-routes every mutation against the operator's pinned outputs, maps it by topology, and
only then applies it; a restart first rolls forward whatever a crash left pending
(:mod:`.recovery`). After every run the trouble watch (:mod:`.convergence`) says whether
operators fight or never converge. A tick that finds nothing to roll forward and nothing to run
imports none of running, committing, applying or watching: a quiet ``mom run --once`` is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.manager.agenda import Agenda
from mom.manager.operators import OperatorRunner
from mom.manager.pins import Pin
from mom.manager.report import TickReport, ran_report, waiting_report
from mom.manager.schedule import Schedule
from mom.manager.specs import InstanceSpec, ManagerConfig
from mom.manager.topology import Claims

if TYPE_CHECKING:
    from mom.apply.target import ApplyResult, Target
    from mom.manager.commit import Clock, Ledger
    from mom.manager.convergence import TroubleWatch
    from mom.manager.execution import Finished, Progress
    from mom.manager.recovery import Recovery
    from mom.manager.report import PairReport


class Manager:
    """Runs the configured operators on the configured instances, one tick at a time."""

    def __init__(
        self,
        config: ManagerConfig,
        *,
        journal: Journal,
        targets: Mapping[str, Target],
        runners: Mapping[str, OperatorRunner],
        pins: Mapping[str, Pin],
        clock: Clock,
        progress: Progress | None = None,
        write_budget: Callable[[], float] | None = None,
    ) -> None:
        self.config = config
        self.journal = journal
        self.runners = runners
        self.pins = pins
        self.clock = clock
        self.progress = progress or (lambda _message: None)
        self.schedule = Schedule(debounce=config.debounce, max_backoff=config.max_backoff)
        self._agenda = Agenda(config, runners, pins, self.schedule)
        self._targets = targets
        self._write_budget = write_budget
        for instance in config.instances:
            for spec in config.operators_for(instance):
                last = journal.last_run(spec.name, instance.name)
                if last is not None:  # a restarted manager does not rerun everything
                    key = (spec.name, instance.name)
                    self.schedule.restore(key, last.summary.input_digest, last.summary.started_at)

    @property
    def targets(self) -> Mapping[str, Target]:
        """The targets, by cluster name, that this manager reads and applies to."""
        return self._targets

    @targets.setter
    def targets(self, targets: Mapping[str, Target]) -> None:
        self._targets = targets
        if "_ledger" in self.__dict__:
            self._ledger.targets = targets

    @cached_property
    def _ledger(self) -> Ledger:
        """Journal and targets written in a crash-safe order; made when first written through."""
        from mom.manager.commit import Ledger

        return Ledger(
            self.config,
            journal=self.journal,
            targets=self._targets,
            clock=self.clock,
            write_budget=self._write_budget,
        )

    @cached_property
    def _recovery(self) -> Recovery:
        from mom.manager.recovery import Recovery

        return Recovery(self._ledger, self.runners, self.pins)

    @cached_property
    def _trouble(self) -> TroubleWatch:
        from mom.manager.convergence import TroubleWatch

        return TroubleWatch()

    def recover(self, report: TickReport | None = None) -> int:
        """Roll forward what a crash left (:mod:`.recovery`); returns how many runs and mutations
        it completed. Pending mutations are applied in the order the lost tick would have applied
        them; targets remember applied mutation ids, so one applied just before the crash is not
        applied twice. Last, the journal lets go of the runs its retention policy no longer keeps
        (never one still pending or unfinished).
        """
        report = report if report is not None else TickReport()
        if not self.journal.unfinished_runs() and not self.journal.pending_mutations():
            self.journal.compact(self.config.retention, self.clock())
            return 0  # nothing was left: rolling forward is not even imported
        from mom.manager.recovery import refusal_warnings

        finished = self._recovery.rerun_unfinished()
        if finished:
            finished = self._ledger.finish_all(finished, Claims(self.config.instances, {}))
        allowed, refused = self._recovery.recheck()
        self._ledger.refuse(refused)
        report.warnings += refusal_warnings(refused)
        results = self._ledger.apply_all(allowed)
        report.pairs += [self._conclude(done, results, report) for done in finished]
        self.journal.compact(self.config.retention, self.clock())
        return len(finished) + len(allowed) + len(refused)

    def tick(self, *, force: bool = False) -> TickReport:
        """Gather, decide, run, journal, apply: one pass over every operator and instance.

        Journal writes and target writes are batched: all runs begin in one transaction, all
        finish in one, each target applies the tick's mutations in one commit, and all
        outcomes are marked in one transaction — crash safety comes from their order.
        """
        report = TickReport()
        report.rolled_forward = self.recover(report)
        snapshots = {name: target.read() for name, target in self.targets.items()}
        plan = self._agenda.plan(snapshots, self.clock(), force=force)
        report.pairs += [waiting_report(waiting) for waiting in plan.waiting]
        if not plan.work:
            return report
        from mom.manager.commit import writes_of  # running and applying, only when something runs
        from mom.manager.execution import run_all

        self.progress(f"running {len(plan.work)} operator run(s)")
        begun = self._ledger.begin_all(plan.work)
        ran = run_all(plan.work, begun, concurrency=self.config.concurrency, progress=self.progress)
        finished = self._ledger.finish_all(ran, Claims(self.config.instances, snapshots))
        pending = [w for done in finished for w in writes_of(done.item.operator, done.stored)]
        self.progress(f"applying {len(pending)} mutation(s)")
        results = self._ledger.apply_all(pending)
        report.pairs += [self._conclude(done, results, report) for done in finished]
        return report

    def _conclude(self, done: Finished, results: Mapping[str, ApplyResult], report: TickReport) -> PairReport:
        """Remember what the run wrote, watch for trouble, and tell the schedule it ran."""
        from dataclasses import replace

        item = done.item
        mine = [results[m.mutation_id] for m in done.stored if m.mutation_id in results]
        applied = [
            replace(m, state=MutationState.APPLIED)
            for m in done.stored
            if m.mutation_id in results and results[m.mutation_id].ok
        ]
        self._ledger.history.remember_writes(item, applied)
        report.warnings += self._trouble.after_run(
            item.key, item.trigger, item.gathered.objects, done.stored, mine
        )
        self.schedule.ran(item.key, item.digest, done.started, failed=done.failed)
        return ran_report(done, mine)

    def instance(self, name: str) -> InstanceSpec:
        return next(i for i in self.config.instances if i.name == name)
