"""Planning a tick: which (operator, instance) pairs run, and why.

Owns :class:`Agenda` — per pair, the inputs gathered through the instance's topology (gathered
again only when a cluster snapshot they came from was replaced), their digest, and the
:class:`~mom.manager.schedule.Trigger` the schedule decides on — and :class:`Work`, one pair that
runs this tick with everything its run needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import cached_property, partial
from operator import is_

from mom.api.values import Frozen, Value
from mom.inputs.digest import input_digest
from mom.inputs.gather import GatheredInputs, gather_inputs
from mom.manager.gathering import empty_world, reading_as
from mom.manager.operators import OperatorRunner, RunInputs
from mom.manager.pins import Pin
from mom.manager.schedule import Decision, PairKey, Schedule, Trigger
from mom.manager.specs import InstanceSpec, ManagerConfig, OperatorSpec
from mom.manager.topology import HostedView, Topology
from mom.mustgather.store import Snapshot


class Work(Frozen):
    """One pair that runs: its runner and pinned outputs, its inputs, and why it runs."""

    key: PairKey
    runner: OperatorRunner
    pin: Pin
    topology: Topology
    gathered: GatheredInputs
    digest: str
    trigger: Trigger
    snapshot: Snapshot
    refusal: str
    """Why the operator is not run on these inputs; the run is journaled as failed with it."""

    __slots__ = ("digest", "gathered", "key", "pin", "refusal", "runner", "snapshot", "topology", "trigger")

    def __init__(
        self,
        key: PairKey,
        runner: OperatorRunner,
        pin: Pin,
        topology: Topology,
        gathered: GatheredInputs,
        digest: str,
        trigger: Trigger,
        snapshot: Snapshot,
        refusal: str = "",
    ) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "runner", runner)
        object.__setattr__(self, "pin", pin)
        object.__setattr__(self, "topology", topology)
        object.__setattr__(self, "gathered", gathered)
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "trigger", trigger)
        object.__setattr__(self, "snapshot", snapshot)
        object.__setattr__(self, "refusal", refusal)

    @property
    def operator(self) -> str:
        return self.key[0]

    @property
    def instance(self) -> str:
        return self.key[1]

    def inputs(self) -> RunInputs:
        from mom.inputs.writer import write_input_dir  # only an executable's run lays inputs out

        return RunInputs(snapshot=self.snapshot, lay_out=partial(write_input_dir, self.gathered))


class Waiting(Frozen):
    """A pair that does not run this tick: unchanged, or deferred (see ``decision``)."""

    key: PairKey
    decision: Decision

    __slots__ = ("decision", "key")

    def __init__(self, key: PairKey, decision: Decision) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "decision", decision)


class Plan(Frozen):
    work: tuple[Work, ...]
    waiting: tuple[Waiting, ...]

    __slots__ = ("waiting", "work")

    def __init__(self, work: tuple[Work, ...], waiting: tuple[Waiting, ...]) -> None:
        object.__setattr__(self, "work", work)
        object.__setattr__(self, "waiting", waiting)


class _Gathered(Value):
    """A pair's inputs as gathered from the cluster snapshots ``seen``: the same snapshots give
    the same inputs, and the snapshot its runs read is built once (runs only read it)."""

    seen: tuple[Snapshot, ...]
    inputs: GatheredInputs
    digest: str
    snapshot: Snapshot | None

    __slots__ = ("digest", "inputs", "seen", "snapshot")

    def __init__(
        self,
        seen: tuple[Snapshot, ...],
        inputs: GatheredInputs,
        digest: str,
        snapshot: Snapshot | None = None,
    ) -> None:
        self.seen = seen
        self.inputs = inputs
        self.digest = digest
        self.snapshot = snapshot


class _Sources:
    """One instance's view of this tick's cluster snapshots, built when first needed."""

    def __init__(self, topology: Topology, snapshots: Mapping[str, Snapshot]) -> None:
        self.topology = topology
        self.snapshots = snapshots

    @cached_property
    def seen(self) -> tuple[Snapshot, ...]:
        return tuple(self.snapshots[name] for name in self.topology.clusters)

    @cached_property
    def view(self) -> Snapshot | HostedView:
        return self.topology.input_source(self.snapshots)


class Agenda:
    """Decides, tick by tick, which pairs run; remembers what each pair's inputs were."""

    def __init__(
        self,
        config: ManagerConfig,
        runners: Mapping[str, OperatorRunner],
        pins: Mapping[str, Pin],
        schedule: Schedule,
    ) -> None:
        self.config = config
        self.runners = runners
        self.pins = pins
        self.schedule = schedule
        self._gathered: dict[PairKey, _Gathered] = {}
        """Per pair, the snapshots its inputs were last gathered from, the inputs and their digest:
        snapshots are immutable and a target returns the same one while its tree is unchanged."""

    def plan(self, snapshots: Mapping[str, Snapshot], now: datetime, *, force: bool) -> Plan:
        """Every configured pair, as work to run now or as waiting, in configuration order."""
        work: list[Work] = []
        waiting: list[Waiting] = []
        for instance in self.config.instances:
            sources = _Sources(Topology(instance), snapshots)
            for spec in self.config.operators_for(instance):
                key = (spec.name, instance.name)
                known = self._gather(key, sources)
                decision = self.schedule.decide(key, known.digest, spec.resync, now, force=force)
                if decision.trigger.runs:
                    work.append(self._work(spec, instance, known, decision.trigger, sources))
                else:
                    waiting.append(Waiting(key=key, decision=decision))
        return Plan(work=tuple(work), waiting=tuple(waiting))

    def _gather(self, key: PairKey, sources: _Sources) -> _Gathered:
        """The pair's inputs, gathered again only when a snapshot they came from changed."""
        known = self._gathered.get(key)
        seen = sources.seen
        if known is None or len(known.seen) != len(seen) or not all(map(is_, known.seen, seen)):
            reader = reading_as(sources.view, sources.topology, self.pins[key[0]])
            gathered = gather_inputs(reader, self.pins[key[0]].inputs)
            known = self._gathered[key] = _Gathered(seen=seen, inputs=gathered, digest=input_digest(gathered))
        return known

    def _work(
        self,
        spec: OperatorSpec,
        instance: InstanceSpec,
        known: _Gathered,
        trigger: Trigger,
        sources: _Sources,
    ) -> Work:
        if known.snapshot is None:
            known.snapshot = Snapshot.from_objects(known.inputs.objects, discovery=sources.view.discovery)
        pin = self.pins[spec.name]
        return Work(
            key=(spec.name, instance.name),
            runner=self.runners[spec.name],
            pin=pin,
            topology=sources.topology,
            gathered=known.inputs,
            digest=known.digest,
            trigger=trigger,
            snapshot=known.snapshot,
            refusal=empty_world(spec.name, sources.topology, pin, known.inputs),
        )
