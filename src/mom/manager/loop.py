"""The manager loop: gather, decide, run, validate, journal, apply — for every operator and instance.

One tick reads every physical cluster once, gathers each operator's declared inputs through the
instance's topology, and runs only the pairs whose inputs changed or whose resync is due (never
more than once per debounce window, with backoff after failures). Runs go through a bounded pool.
Every mutation is re-routed against the operator's pinned outputs, mapped by topology, journaled,
and only then applied; a restart first rolls forward whatever a crash left pending. On a cluster
configured to impersonate, each operator's writes are sent as that operator's service account.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from operator import is_
from pathlib import Path

from mom.api.errors import Fenced, MomError
from mom.apply.target import ActingTarget, ApplyResult, Outcome, Target
from mom.inputs.digest import input_digest
from mom.inputs.gather import GatheredInputs, gather_inputs
from mom.inputs.writer import input_files, write_input_dir
from mom.journal.archive import pack_files, unpack_dir
from mom.journal.journal import Journal
from mom.journal.records import InputChange, MutationState, PlannedMutation
from mom.manager.changes import InputObjects, Writers, addressed_writes, input_changes, input_objects
from mom.manager.config import InstanceSpec, ManagerConfig
from mom.manager.convergence import TroubleWatch
from mom.manager.gathering import empty_world, reading_as
from mom.manager.operators import OperatorRun, OperatorRunner
from mom.manager.pins import Pin
from mom.manager.planning import pinned_refusal, plan_mutations
from mom.manager.schedule import Key, Schedule, Trigger
from mom.manager.topology import Claims, HostedView, Topology
from mom.mustgather.discovery import Discovery
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PairReport:
    """One operator on one instance in one tick."""

    operator: str
    instance: str
    trigger: Trigger
    run_id: int | None = None
    exit_code: int | None = None
    applied: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    error: str = ""
    problems: tuple[str, ...] = ()
    """What failed controllers reported (``<controller> Failed: <message>``)."""
    deferred_for: Trigger | None = None
    """Of a deferred pair: the trigger it will run for, at ``deferred_until``."""
    deferred_until: datetime | None = None

    @property
    def ran(self) -> bool:
        return self.run_id is not None


@dataclass
class TickReport:
    pairs: list[PairReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rolled_forward: int = 0

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


@dataclass
class _Finished:
    """A run that has ended; ``stored`` is what the journal holds of its mutations once finished."""

    item: _Work
    run_id: int
    started: datetime
    outcome: OperatorRun
    stored: list[PlannedMutation] = field(default_factory=list)


@dataclass
class _Gathered:
    """A pair's inputs as gathered from the cluster snapshots ``seen``: the same snapshots give
    the same inputs, and the snapshot its runs read is built once (runs only read it)."""

    seen: tuple[Snapshot, ...]
    inputs: GatheredInputs
    digest: str
    snapshot: Snapshot | None = None


@dataclass(frozen=True)
class _Work:
    key: Key
    runner: OperatorRunner
    pin: Pin
    topology: Topology
    gathered: GatheredInputs
    digest: str
    trigger: Trigger
    snapshot: Snapshot
    refusal: str = ""
    """Why the operator is not run on these inputs; the run is journaled as failed with it."""


Progress = Callable[[str], None]


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
    ) -> None:
        self.config = config
        self.journal = journal
        self.targets = targets
        self.runners = runners
        self.pins = pins
        self.clock = clock
        self.progress = progress or (lambda _message: None)
        self.write_budget: Callable[[], float] | None = None
        """Seconds this process may still write (leader election); checked before every batch."""
        self.schedule = Schedule(debounce=config.debounce, max_backoff=config.max_backoff)
        self._trouble = TroubleWatch()
        self._gathered: dict[Key, _Gathered] = {}
        """Per pair, the snapshots its inputs were last gathered from, the inputs and their digest:
        snapshots are immutable and a target returns the same one while its tree is unchanged."""
        self._stored_inputs: dict[Key, tuple[int, str]] = {}
        """Per pair, the last run journaled by this process and its input digest: a run on the
        same digest shares those stored inputs instead of packing them again."""
        self._ran_inputs: dict[Key, InputObjects] = {}
        """Per pair, the inputs its last run read, to tell the next run's changed inputs."""
        self._writers = Writers()
        """Per instance, who last wrote each object (as operators address it), to name the
        writers of a run's changed inputs in the journal."""
        self._restore_schedule()

    def _restore_schedule(self) -> None:
        """Digests of the last finished runs, so a restarted manager does not rerun everything."""
        for instance in self.config.instances:
            for spec in self.config.operators_for(instance):
                last = self.journal.last_run(spec.name, instance.name)
                if last is not None:
                    state = self.schedule.state((spec.name, instance.name))
                    state.last_digest = last.summary.input_digest
                    state.last_started = last.summary.started_at

    # Recovery

    def recover(self, report: TickReport | None = None) -> int:
        """Roll forward what a crash left; returns how many runs and mutations it completed.

        A run that was begun but never finished is run again on its stored inputs at its
        stored ``now`` (so it produces what the lost run would have) and then finished; a run
        of an operator or instance no longer configured is abandoned. Then every pending
        mutation is applied, in the order the lost tick would have applied them; targets
        remember applied mutation ids, so one applied just before the crash is not applied twice.
        Every pending mutation is first checked again against the pinned outputs
        (:func:`~mom.manager.planning.pinned_refusal`); one that fails is refused, not applied.
        Last, the journal lets go of the runs its retention policy no longer keeps (never one
        still pending or unfinished).
        """
        report = report if report is not None else TickReport()
        finished: list[_Finished] = []
        for run_id in self.journal.unfinished_runs():
            rerun = self._rerun(run_id)
            if rerun is not None:
                finished.append(rerun)
        if finished:
            self._finish_all(finished, Claims(self.config.instances, {}))
        pending = sorted(self.journal.pending_mutations(), key=lambda m: _position_of(m.mutation_id))
        allowed = self._recheck(pending, report)
        results = self._apply_all(allowed)
        report.pairs += [self._conclude(done, results, report) for done in finished]
        self.journal.compact(self.config.retention, self.clock())
        return len(finished) + len(pending)

    def _recheck(self, pending: Sequence[PlannedMutation], report: TickReport) -> list[PlannedMutation]:
        """The pending mutations planning could have produced from today's pins; the others are
        refused in the journal, with why, and never applied."""
        allowed: list[PlannedMutation] = []
        refused: list[tuple[PlannedMutation, str]] = []
        summaries: dict[int, tuple[str, str]] = {}
        discoveries: dict[str, Discovery] = {}
        for mutation in pending:
            run_id = _position_of(mutation.mutation_id)[0]
            if run_id not in summaries:
                summary = self.journal.run(run_id).summary
                summaries[run_id] = (summary.operator, summary.instance)
            operator, instance_name = summaries[run_id]
            pin = self.pins.get(operator)
            instance = next((i for i in self.config.instances if i.name == instance_name), None)
            target = self.targets.get(mutation.target)
            if pin is None or instance is None or target is None:
                reason = f"operator {operator}, instance {instance_name} or cluster {mutation.target} is no longer configured"
            else:
                if mutation.target not in discoveries:
                    discoveries[mutation.target] = target.read().discovery
                reason = pinned_refusal(mutation, pin, Topology(instance), discoveries[mutation.target])
            if reason:
                refused.append((mutation, reason))
            else:
                allowed.append(mutation)
        if refused:
            with self.journal.batch():
                for mutation, reason in refused:
                    self.journal.mark_mutation(mutation.mutation_id, MutationState.REFUSED, reason)
            report.warnings += [
                f"journaled mutation {m.mutation_id} refused at roll-forward: {reason}"
                for m, reason in refused
            ]
        return allowed

    def _rerun(self, run_id: int) -> _Finished | None:
        record = self.journal.run(run_id)
        summary = record.summary
        runner = self.runners.get(summary.operator)
        instance = next((i for i in self.config.instances if i.name == summary.instance), None)
        if runner is None or instance is None:
            reason = f"operator {summary.operator} or instance {summary.instance} is no longer configured"
            self.journal.abandon_run(run_id, at=self.clock(), reason=reason)
            return None
        with _scratch() as scratch:
            unpack_dir(self.journal.inputs_of(run_id), scratch / "input")
            snapshot = load_must_gather(scratch / "input")
            outcome = runner.run(snapshot, scratch / "input", scratch / "output", record.now)
        item = _Work(
            (summary.operator, summary.instance),
            runner,
            self.pins[summary.operator],
            Topology(instance),
            GatheredInputs(),
            summary.input_digest,
            _trigger_of(summary.trigger),
            snapshot,
        )
        return _Finished(item, run_id, summary.started_at, outcome)

    # One tick

    def tick(self, *, force: bool = False) -> TickReport:
        """Gather, decide, run, journal, apply: one pass over every operator and instance.

        Journal writes and target writes are batched: all runs begin in one transaction, all
        finish in one, each target applies the tick's mutations in one commit, and all
        outcomes are marked in one transaction — crash safety comes from their order.
        """
        report = TickReport()
        report.rolled_forward = self.recover(report)
        snapshots = {name: target.read() for name, target in self.targets.items()}
        work = self._plan(snapshots, report, force=force)
        if not work:
            return report
        self.progress(f"running {len(work)} operator run(s)")
        with self.journal.batch():
            begun = [self._begin(item) for item in work]
        finished = self._run_all(work, begun)
        pending = self._finish_all(finished, Claims(self.config.instances, snapshots))
        self.progress(f"applying {len(pending)} mutation(s)")
        results = self._apply_all(pending)
        report.pairs += [self._conclude(done, results, report) for done in finished]
        return report

    def _run_all(self, work: Sequence[_Work], begun: Sequence[tuple[int, datetime]]) -> list[_Finished]:
        """Every run, outcomes in the order of ``work``. Subprocess runs go ``concurrency`` at a
        time on a pool; in-process runs take turns on this thread meanwhile: Python threads do
        not run Python code in parallel, and several at once only cost CPU in contention (each
        controller still gets a thread of its own, for its deadline)."""
        outcomes: dict[int, OperatorRun] = {}

        def record(index: int, run: Callable[[], OperatorRun]) -> None:
            try:
                outcomes[index] = run()
            except Exception as exc:  # a runner bug must not stop the other runs
                outcomes[index] = OperatorRun(-1, None, (), error=f"{type(exc).__name__}: {exc}")
            operator, instance = work[index].key
            self.progress(f"[{len(outcomes)}/{len(work)}] ran {operator} on {instance}")

        runs = list(enumerate(zip(work, begun, strict=True)))
        with ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="mom-run") as pool:
            futures = {
                index: pool.submit(self._run, item, now)
                for index, (item, (_, now)) in runs
                if not item.runner.spec.in_process
            }
            for index, (item, (_, now)) in runs:
                if index not in futures:
                    record(index, partial(self._run, item, now))
            for index, future in futures.items():
                record(index, future.result)
        return [_Finished(item, run_id, now, outcomes[index]) for index, (item, (run_id, now)) in runs]

    def _plan(self, snapshots: Mapping[str, Snapshot], report: TickReport, *, force: bool) -> list[_Work]:
        now = self.clock()
        work: list[_Work] = []
        for instance in self.config.instances:
            topology = Topology(instance)
            seen = tuple(snapshots[name] for name in topology.clusters)
            source: Snapshot | HostedView | None = None
            for spec in self.config.operators_for(instance):
                key = (spec.name, instance.name)
                pin = self.pins[spec.name]
                known = self._gathered.get(key)
                if known is None or len(known.seen) != len(seen) or not all(map(is_, known.seen, seen)):
                    source = source or topology.input_source(snapshots)
                    gathered = gather_inputs(reading_as(source, topology, pin), pin.inputs)
                    known = self._gathered[key] = _Gathered(seen, gathered, input_digest(gathered))
                decision = self.schedule.decide(key, known.digest, spec.resync, now, force=force)
                if not decision.trigger.runs:
                    report.pairs.append(
                        PairReport(
                            spec.name,
                            instance.name,
                            decision.trigger,
                            deferred_for=decision.reason,
                            deferred_until=decision.until,
                        )
                    )
                    continue
                if known.snapshot is None:
                    source = source or topology.input_source(snapshots)
                    known.snapshot = Snapshot.from_objects(known.inputs.objects, discovery=source.discovery)
                work.append(
                    _Work(
                        key,
                        self.runners[spec.name],
                        pin,
                        topology,
                        known.inputs,
                        known.digest,
                        decision.trigger,
                        known.snapshot,
                        empty_world(spec.name, topology, pin, known.inputs),
                    )
                )
        return work

    def _begin(self, item: _Work) -> tuple[int, datetime]:
        now = self.clock()
        previous = self._stored_inputs.get(item.key)
        same = previous is not None and previous[1] == item.digest
        read = input_objects(item.gathered.objects)
        before = self._ran_inputs.get(item.key)
        if before is None and item.trigger is not Trigger.FIRST_RUN:
            before = self._inputs_of_last_run(item.key)
        self._ran_inputs[item.key] = read
        run_id = self.journal.begin_run(
            operator=item.key[0],
            instance=item.key[1],
            trigger=item.trigger,
            input_digest=item.digest,
            inputs=previous[0] if same and previous else pack_files(input_files(item.gathered, as_json=True)),
            started_at=now,
            now=now,
            seed=None,
            outputs_digest=item.pin.digest,
            input_changes=None if before is None else self._changes_since(item, before, read),
        )
        self._stored_inputs[item.key] = (run_id, item.digest)
        return run_id, now

    def _changes_since(
        self, item: _Work, before: InputObjects, read: InputObjects
    ) -> tuple[InputChange, ...]:
        """The pair's changed inputs, each with who wrote it: every operator of the instance, as
        its latest run in this process wrote it, or as the journal says (a ``--once`` process)."""
        instance = item.key[1]
        for spec in self.config.operators_for(item.topology.instance):
            if not self._writers.knows(instance, spec.name):
                last = self.journal.last_run(spec.name, instance)
                mutations = self.journal.mutations_of(last.run_id) if last is not None else []
                self._writers.remember(instance, spec.name, addressed_writes(item.topology, mutations))
        return self._writers.name(instance, input_changes(before, read))

    def _inputs_of_last_run(self, key: Key) -> InputObjects | None:
        """What the pair's last journaled run read (after a restart, this process has not seen it)."""
        last = self.journal.last_run(*key)
        if last is None:
            return None
        with _scratch() as scratch:
            unpack_dir(self.journal.inputs_of(last.run_id), scratch / "input")
            return input_objects(load_must_gather(scratch / "input").objects())

    def _run(self, item: _Work, now: datetime) -> OperatorRun:
        if item.refusal:
            return OperatorRun(-1, None, (), error=item.refusal)
        if item.runner.spec.in_process:
            return item.runner.run(item.snapshot, Path(), Path(), now)
        with _scratch() as scratch:
            write_input_dir(item.gathered, scratch / "input")
            return item.runner.run(item.snapshot, scratch / "input", scratch / "output", now)

    def _finish_all(self, finished: Sequence[_Finished], claims: Claims) -> list[PlannedMutation]:
        """Journal how every run ended and what it plans to write; returns the pending writes.
        ``claims`` keeps one writer's objects from being written by another (in run order)."""
        with self.journal.batch():
            for done in finished:
                item, outcome = done.item, done.outcome
                planned = plan_mutations(
                    outcome.requests, item.pin, item.topology, item.snapshot.discovery, claims
                )
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
                # What the journal now holds, keeping the decoded bodies in hand.
                done.stored = [replace(m, mutation_id=i) for m, i in zip(planned, ids, strict=True)]
        return [m for done in finished for m in done.stored if m.state is MutationState.PENDING]

    def _apply_all(self, pending: Sequence[PlannedMutation]) -> dict[str, ApplyResult]:
        """Apply pending mutations, one commit per target (and per operator on a target that
        impersonates), in order; then journal the outcomes."""
        impersonating = {c.name for c in self.config.clusters if c.impersonate}
        operators: dict[int, str] = {}
        groups: dict[tuple[str, str], list[PlannedMutation]] = {}
        for mutation in pending:
            writer = ""
            if mutation.target in impersonating:
                run_id = _position_of(mutation.mutation_id)[0]
                if run_id not in operators:
                    operators[run_id] = self.journal.run(run_id).summary.operator
                writer = operators[run_id]
            groups.setdefault((mutation.target, writer), []).append(mutation)
        results: dict[str, ApplyResult] = {}
        for (name, writer), mutations in groups.items():
            if self.write_budget is not None and self.write_budget() <= 0:
                raise Fenced(f"not applying to {name}: this process no longer holds its lease")
            target = self._target_for(name, writer)
            applied = target.apply_batch([(m.mutation_id, m.request) for m in mutations])
            results.update((r.mutation_id, r) for r in applied)
        at = self.clock()
        with self.journal.batch():
            for mutation in pending:
                result = results[mutation.mutation_id]
                state = MutationState.APPLIED if result.ok else MutationState.FAILED
                message = (
                    f"{result.outcome.value}: {result.message}" if result.message else result.outcome.value
                )
                self.journal.mark_mutation(mutation.mutation_id, state, message, applied_at=at)
        return results

    def _target_for(self, name: str, operator: str) -> Target:
        """The target ``operator``'s writes to cluster ``name`` go through."""
        target = self.targets[name]
        account = self.config.cluster(name).writer(operator) if operator else None
        if account is None:
            return target
        if not isinstance(target, ActingTarget):
            raise MomError(f"cluster {name} is configured to impersonate, but its target cannot")
        return target.acting_as(account)

    def _conclude(
        self, done: _Finished, results: Mapping[str, ApplyResult], report: TickReport
    ) -> PairReport:
        item, outcome = done.item, done.outcome
        mine = [results[m.mutation_id] for m in done.stored if m.mutation_id in results]
        applied = [
            replace(m, state=MutationState.APPLIED)
            for m in done.stored
            if m.mutation_id in results and results[m.mutation_id].ok
        ]
        self._writers.remember(item.key[1], item.key[0], addressed_writes(item.topology, applied))
        settled = (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)
        report.warnings += self._trouble.after_run(
            item.key, item.trigger, item.gathered.objects, done.stored, mine
        )
        self.schedule.ran(
            item.key, item.digest, done.started, failed=outcome.exit_code != 0 or bool(outcome.error)
        )
        return PairReport(
            operator=item.key[0],
            instance=item.key[1],
            trigger=item.trigger,
            run_id=done.run_id,
            exit_code=outcome.exit_code,
            applied=sum(1 for r in mine if r.ok and r.outcome not in settled),
            unchanged=sum(1 for r in mine if r.outcome in settled),
            refused=sum(1 for m in done.stored if m.state is MutationState.REFUSED),
            failed=sum(1 for r in mine if not r.ok),
            error=outcome.error,
            problems=tuple(
                f"{r.controller_name} {r.status.value}: {'; '.join(r.errors)}"
                for r in (outcome.results.results if outcome.results else ())
                if r.errors
            ),
        )

    def instance(self, name: str) -> InstanceSpec:
        return next(i for i in self.config.instances if i.name == name)


def _trigger_of(recorded: str) -> Trigger:
    """The trigger a journaled run recorded; a journal holds nothing else, but is read defensively."""
    try:
        return Trigger(recorded)
    except ValueError:
        return Trigger.RESYNC


def _position_of(mutation_id: str) -> tuple[int, int]:
    """Run and index of a journaled mutation, named ``<run>-<index>@<journal>`` (``@`` and after
    absent in journals older than schema version 2)."""
    run, _, rest = mutation_id.partition("-")
    return int(run), int(rest.partition("@")[0] or 0)


@contextmanager
def _scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="mom-run-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
