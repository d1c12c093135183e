"""Rolling forward what a crash left: unfinished runs run again, pending mutations rechecked.

Owns :class:`Recovery`. A run that was begun but never finished is run again on its stored
inputs at its stored ``now`` (so it produces what the lost run would have); a run of an operator
or instance no longer configured is abandoned. Every pending mutation is checked again against
the pinned outputs (:func:`~mom.manager.planning.pinned_refusal`) before it is applied, because
the journal is a file someone else could have written into; one that fails is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import groupby

from mom.inputs.gather import GatheredInputs
from mom.manager.agenda import Work
from mom.manager.commit import Ledger, Write, writes_of
from mom.manager.execution import Finished
from mom.manager.operators import OperatorRunner
from mom.manager.pins import Pin
from mom.manager.planning import pinned_refusal
from mom.manager.schedule import Trigger
from mom.manager.specs import InstanceSpec
from mom.manager.stored import scratch, stored_inputs
from mom.manager.topology import Topology
from mom.mustgather.discovery import Discovery


class Recovery:
    """Reruns and rechecks through the ledger, with the configured runners and pins."""

    def __init__(
        self, ledger: Ledger, runners: Mapping[str, OperatorRunner], pins: Mapping[str, Pin]
    ) -> None:
        self.ledger = ledger
        self.journal = ledger.journal
        self.runners = runners
        self.pins = pins

    def rerun_unfinished(self) -> list[Finished]:
        """Every run begun and never finished, run again (not yet finished in the journal)."""
        reruns = (self._rerun(run_id) for run_id in self.journal.unfinished_runs())
        return [done for done in reruns if done is not None]

    def _rerun(self, run_id: int) -> Finished | None:
        record = self.journal.run(run_id)
        summary = record.summary
        runner = self.runners.get(summary.operator)
        instance = self._instance(summary.instance)
        if runner is None or instance is None:
            reason = f"operator {summary.operator} or instance {summary.instance} is no longer configured"
            self.journal.abandon_run(run_id, at=self.ledger.clock(), reason=reason)
            return None
        with scratch() as directory:
            inputs = stored_inputs(self.journal.inputs_of(run_id), directory / "input")
            outcome = runner.run(inputs, record.now)
        item = Work(
            key=(summary.operator, summary.instance),
            runner=runner,
            pin=self.pins[summary.operator],
            topology=Topology(instance),
            gathered=GatheredInputs(),
            digest=summary.input_digest,
            trigger=_trigger_of(summary.trigger),
            snapshot=inputs.snapshot,
        )
        return Finished(item=item, run_id=run_id, started=summary.started_at, outcome=outcome)

    def recheck(self) -> tuple[list[Write], list[tuple[Write, str]]]:
        """The journal's pending mutations in the order the lost tick would have applied them,
        split into those planning could have produced from today's pins and the others, with why."""
        allowed: list[Write] = []
        refused: list[tuple[Write, str]] = []
        discoveries: dict[str, Discovery] = {}
        for run_id, mutations in groupby(self.journal.pending_mutations(), lambda m: m.run_id):
            summary = self.journal.run(run_id).summary
            for write in writes_of(summary.operator, list(mutations)):
                reason = self._refusal(write, summary.instance, discoveries)
                if reason:
                    refused.append((write, reason))
                else:
                    allowed.append(write)
        return allowed, refused

    def _refusal(self, write: Write, instance_name: str, discoveries: dict[str, Discovery]) -> str:
        """Why ``write`` may not be applied (``""`` when it may)."""
        operator, mutation = write.operator, write.mutation
        pin = self.pins.get(operator)
        instance = self._instance(instance_name)
        target = self.ledger.targets.get(mutation.target)
        if pin is None or instance is None or target is None:
            return (
                f"operator {operator}, instance {instance_name} or cluster {mutation.target}"
                " is no longer configured"
            )
        if mutation.target not in discoveries:
            discoveries[mutation.target] = target.read().discovery
        return pinned_refusal(mutation, pin, Topology(instance), discoveries[mutation.target])

    def _instance(self, name: str) -> InstanceSpec | None:
        return next((i for i in self.ledger.config.instances if i.name == name), None)


def _trigger_of(recorded: str) -> Trigger:
    """The trigger a journaled run recorded; a journal holds nothing else, but is read defensively."""
    try:
        return Trigger(recorded)
    except ValueError:
        return Trigger.RESYNC


def refusal_warnings(refused: Sequence[tuple[Write, str]]) -> list[str]:
    return [f"journaled mutation {w.mutation_id} refused at roll-forward: {reason}" for w, reason in refused]
