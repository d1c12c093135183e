"""The manager loop: gather, decide, run, validate, journal, apply — for every operator and instance.

One tick reads every physical cluster once, gathers each operator's declared inputs through the
instance's topology, and runs only the pairs whose inputs changed or whose resync is due (never
more than once per debounce window, with backoff after failures). Runs go through a bounded pool.
Every mutation is re-routed against the operator's pinned outputs, mapped by topology, journaled,
and only then applied; a restart first rolls forward whatever a crash left pending.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from mom.apply.target import ApplyResult, Outcome, Target
from mom.inputs.digest import input_digest
from mom.inputs.gather import GatheredInputs, InputSource, gather_inputs
from mom.inputs.writer import write_input_dir
from mom.journal.archive import pack_dir, unpack_dir
from mom.journal.journal import Journal
from mom.journal.records import MutationState, PlannedMutation
from mom.manager.config import InstanceSpec, ManagerConfig
from mom.manager.operators import OperatorRun, OperatorRunner
from mom.manager.pins import Pin
from mom.manager.schedule import Key, Schedule
from mom.manager.planning import plan_mutations
from mom.manager.topology import Topology
from mom.manifest.loader import load_must_gather
from mom.manifest.store import Snapshot

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class PairReport:
    """One operator on one instance in one tick."""

    operator: str
    instance: str
    trigger: str
    run_id: int | None = None
    exit_code: int | None = None
    applied: int = 0
    unchanged: int = 0
    refused: int = 0
    failed: int = 0
    error: str = ""

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
    def ok(self) -> bool:
        return all(p.exit_code in (None, 0) and not p.failed and not p.error for p in self.pairs)


@dataclass(frozen=True)
class _Work:
    key: Key
    runner: OperatorRunner
    pin: Pin
    topology: Topology
    gathered: GatheredInputs
    digest: str
    trigger: str
    snapshot: Snapshot


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
        self.schedule = Schedule(debounce=config.debounce, max_backoff=config.max_backoff)
        self._writers: dict[tuple[str, str, str, str, str], list[str]] = {}
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
        stored ``now`` (so it produces what the lost run would have) and then finished and
        applied; a run of an operator or instance no longer configured is abandoned. Pending
        mutations of finished runs are applied; targets remember applied mutation ids, so a
        mutation applied just before the crash is not applied twice.
        """
        report = report if report is not None else TickReport()
        pending: dict[int, list[PlannedMutation]] = {}
        for mutation in self.journal.pending_mutations():
            pending.setdefault(_run_of(mutation.mutation_id), []).append(mutation)
        unfinished = set(self.journal.unfinished_runs())
        completed = 0
        for run_id in sorted(unfinished | set(pending)):  # the order the lost tick would have used
            if run_id in unfinished:
                completed += self._rerun(run_id, report)
            for mutation in pending.get(run_id, []):
                self._apply(mutation)
                completed += 1
        return completed

    def _rerun(self, run_id: int, report: TickReport) -> bool:
        record = self.journal.run(run_id)
        summary = record.summary
        runner = self.runners.get(summary.operator)
        instance = next((i for i in self.config.instances if i.name == summary.instance), None)
        if runner is None or instance is None:
            reason = f"operator {summary.operator} or instance {summary.instance} is no longer configured"
            self.journal.abandon_run(run_id, at=self.clock(), reason=reason)
            return False
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
            summary.trigger,
            snapshot,
        )
        report.pairs.append(self._finish(item, run_id, summary.started_at, outcome, report))
        return True

    # One tick

    def tick(self, *, force: bool = False) -> TickReport:
        report = TickReport()
        report.rolled_forward = self.recover(report)
        snapshots = {name: target.read() for name, target in self.targets.items()}
        work = self._plan(snapshots, report, force=force)
        if not work:
            return report
        self.progress(f"running {len(work)} operator run(s)")
        with ThreadPoolExecutor(max_workers=self.config.concurrency, thread_name_prefix="mom-run") as pool:
            started = [(item, self._begin(item)) for item in work]
            futures: list[tuple[_Work, int, datetime, Future[OperatorRun]]] = [
                (item, run_id, now, pool.submit(self._run, item, run_id, now))
                for item, (run_id, now) in started
            ]
            for index, (item, run_id, now, future) in enumerate(futures, 1):
                try:
                    outcome = future.result()
                except Exception as exc:  # a runner bug must not stop the other runs
                    outcome = OperatorRun(-1, None, (), error=f"{type(exc).__name__}: {exc}")
                report.pairs.append(self._finish(item, run_id, now, outcome, report))
                self.progress(f"[{index}/{len(futures)}] {item.key[0]} on {item.key[1]}")
        return report

    def _plan(self, snapshots: Mapping[str, Snapshot], report: TickReport, *, force: bool) -> list[_Work]:
        now = self.clock()
        work: list[_Work] = []
        for instance in self.config.instances:
            topology = Topology(instance)
            source: InputSource = topology.input_source(snapshots)
            for spec in self.config.operators_for(instance):
                key = (spec.name, instance.name)
                pin = self.pins[spec.name]
                gathered = gather_inputs(source, pin.inputs)
                digest = input_digest(gathered)
                trigger = self.schedule.trigger(key, digest, spec.resync, now, force=force)
                if not trigger:
                    report.pairs.append(PairReport(spec.name, instance.name, "unchanged"))
                    continue
                snapshot = Snapshot.from_objects(gathered.objects)
                work.append(
                    _Work(key, self.runners[spec.name], pin, topology, gathered, digest, trigger, snapshot)
                )
        return work

    def _begin(self, item: _Work) -> tuple[int, datetime]:
        now = self.clock()
        with _scratch() as scratch:
            write_input_dir(item.gathered, scratch / "input")
            packed = pack_dir(scratch / "input")
        run_id = self.journal.begin_run(
            operator=item.key[0],
            instance=item.key[1],
            trigger=item.trigger,
            input_digest=item.digest,
            inputs=packed,
            started_at=now,
            now=now,
            seed=None,
            outputs_digest=item.pin.digest,
        )
        return run_id, now

    def _run(self, item: _Work, run_id: int, now: datetime) -> OperatorRun:
        with _scratch() as scratch:
            input_dir = scratch / "input"
            if not item.runner.spec.in_process:
                write_input_dir(item.gathered, input_dir)
            return item.runner.run(item.snapshot, input_dir, scratch / "output", now)

    def _finish(
        self, item: _Work, run_id: int, started: datetime, outcome: OperatorRun, report: TickReport
    ) -> PairReport:
        planned = plan_mutations(outcome.requests, item.pin, item.topology, item.snapshot.discovery)
        self.journal.finish_run(
            run_id,
            finished_at=self.clock(),
            exit_code=outcome.exit_code,
            results=outcome.results,
            mutations=planned,
            stdout=outcome.stdout,
            stderr=outcome.stderr,
            error=outcome.error,
        )
        stored = self.journal.mutations_of(run_id)
        results = [self._apply(m) for m in stored if m.state is MutationState.PENDING]
        changed = [
            r for r in results if r.outcome not in (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED) and r.ok
        ]
        self._watch_for_trouble(item, stored, results, report)
        failed_run = outcome.exit_code != 0 or bool(outcome.error)
        self.schedule.ran(item.key, item.digest, started, failed=failed_run)
        return PairReport(
            operator=item.key[0],
            instance=item.key[1],
            trigger=item.trigger,
            run_id=run_id,
            exit_code=outcome.exit_code,
            applied=len(changed),
            unchanged=sum(1 for r in results if r.outcome in (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)),
            refused=sum(1 for m in stored if m.state is MutationState.REFUSED),
            failed=sum(1 for r in results if not r.ok),
            error=outcome.error,
        )

    def _apply(self, mutation: PlannedMutation) -> ApplyResult:
        target = self.targets[mutation.target]
        result = target.apply(mutation.mutation_id, mutation.request)
        state = MutationState.APPLIED if result.ok else MutationState.FAILED
        message = f"{result.outcome.value}: {result.message}" if result.message else result.outcome.value
        self.journal.mark_mutation(mutation.mutation_id, state, message, applied_at=self.clock())
        return result

    def _watch_for_trouble(
        self,
        item: _Work,
        stored: Sequence[PlannedMutation],
        results: Sequence[ApplyResult],
        report: TickReport,
    ) -> None:
        """Report operators that fight over one object, and operators that never converge.

        Two operators writing different fields of one object (server-side apply with their own
        field managers) cooperate; they fight when their changes alternate: A, then B, then A
        again, each changing the object. An operator does not converge when three runs in a row,
        each triggered by changed inputs or a resync, changed the cluster again.
        """
        operator, instance = item.key
        by_id = {r.mutation_id: r for r in results}
        changed_any = False
        for mutation in stored:
            result = by_id.get(mutation.mutation_id)
            if (
                result is None
                or not result.ok
                or result.outcome in (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)
            ):
                continue
            changed_any = True
            request = mutation.request
            where = (mutation.target, request.gvr.group, request.gvr.resource, request.namespace, request.name)
            writers = self._writers.setdefault(where, [])
            writers.append(operator)
            del writers[:-3]
            if len(writers) == 3 and writers[0] == writers[2] != writers[1]:
                place = f"{request.namespace}/{request.name}" if request.namespace else request.name
                report.warnings.append(
                    f"operators {writers[0]} and {writers[1]} fight over {request.gvr.group_resource} "
                    f"{place} on {mutation.target}: each keeps changing what the other wrote"
                )
        state = self.schedule.state(item.key)
        own_trigger = item.trigger in ("inputs changed", "resync")
        state.changing_runs = state.changing_runs + 1 if (changed_any and own_trigger) else 0
        if state.changing_runs >= 3:
            report.warnings.append(
                f"operator {operator} on {instance} does not converge: {state.changing_runs} runs in a row "
                "changed the cluster again"
            )

    def instance(self, name: str) -> InstanceSpec:
        return next(i for i in self.config.instances if i.name == name)


def _run_of(mutation_id: str) -> int:
    """The run a journaled mutation belongs to (the journal names mutations ``<run>-<index>``)."""
    return int(mutation_id.split("-", 1)[0])


@contextmanager
def _scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="mom-run-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
