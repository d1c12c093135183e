"""Operators that never settle: fights between operators, and what keeps changing when one does
not converge (fields, field managers, controllers).

Owns: :class:`TroubleWatch` — after every run, the warnings it calls for. Two operators writing
different fields of one object (server-side apply with their own field managers) cooperate;
they fight when their changes alternate: A, then B, then A again, each changing the object. An
operator does not converge when three runs in a row, each triggered by changed inputs or a
resync, changed the cluster again; the warning names what :class:`ConvergenceWatch` found.

:class:`ConvergenceWatch` — per (operator, instance) pair, the last state of every object
its last run's writes left and the inputs that run read. :meth:`ConvergenceWatch.observe` takes
one run's changing writes in order and describes every field each of them changed, compared with
the object as the write before it left it (in this run or the previous one), else as the run
read it: so a field two controllers flip within every run is named although every run ends in
the same state. Each object is described with the field managers owning the changed fields
(from ``metadata.managedFields`` before and after) and the controllers whose mutations changed
it; objects created anew are counted by kind and namespace (an operator that creates new Events
or CertificateSigningRequests every run never converges either). Inputs the operator did not
write itself are compared with the previous run's (what changes underneath it). Server-set metadata (resourceVersion, generation, managedFields, ...) is not a
field that "keeps changing".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from mom.api.resources import ObjectRef, name_of
from mom.apply.target import ApplyResult, Outcome
from mom.inputs.gather import Identity
from mom.journal.records import PlannedMutation
from mom.manager.changes import changed_fields, field_managers, input_objects
from mom.manager.schedule import PairKey, Trigger
from mom.mustgather.reader import Object

Written = tuple[str, str, str, str, str]
"""target, group, resource, namespace, name: one object a run wrote."""

CHANGING_RUNS = 3
"""Runs in a row that changed the cluster again, on their own inputs or a resync, before a warning."""
MAX_PATHS = 6
"""Paths named per object; more are counted, not listed."""


@dataclass(frozen=True)
class Write:
    """One write that changed an object: the object as it left it, the controller that sent it,
    and whether it created the object."""

    where: Written
    object: Object
    controller: str
    created: bool = False


@dataclass
class _Changed:
    paths: list[str] = field(default_factory=list)
    managers: set[str] = field(default_factory=set)
    controllers: set[str] = field(default_factory=set)

    def add(self, paths: Sequence[str], before: Object, write: Write) -> None:
        """``write`` changed ``paths`` of the object as it was ``before``."""
        self.paths += [p for p in paths if p not in self.paths]
        self.managers |= {
            m for path in paths for obj in (before, write.object) for m in field_managers(obj, path)
        }
        if write.controller:
            self.controllers.add(write.controller)


@dataclass
class _PairMemory:
    objects: dict[Written, Object] = field(default_factory=dict)
    inputs: dict[Identity, Object] = field(default_factory=dict)


@dataclass
class ConvergenceWatch:
    pairs: dict[tuple[str, str], _PairMemory] = field(default_factory=dict)

    def observe(
        self, key: tuple[str, str], inputs: Iterable[tuple[ObjectRef, Object]], writes: Sequence[Write]
    ) -> list[str]:
        """Remember this run; describe the fields its writes changed and the inputs that changed."""
        memory = self.pairs.setdefault(key, _PairMemory())
        current_inputs = input_objects(inputs)
        changed: dict[Written, _Changed] = {}
        created: dict[tuple[str, str, str, str], int] = {}
        last_run, memory.objects = memory.objects, {}
        for write in writes:
            before = (
                memory.objects.get(write.where)
                or last_run.get(write.where)
                or current_inputs.get(write.where[1:])
            )
            memory.objects[write.where] = write.object
            if before is None:
                if write.created:
                    group = write.where[:4]
                    created[group] = created.get(group, 0) + 1
                continue
            paths = changed_fields(before, write.object)
            if not paths:
                continue
            changed.setdefault(write.where, _Changed()).add(paths, before, write)
        described = [_describe_output(where, found) for where, found in sorted(changed.items())]
        described += [
            f"{count} new {_kind(group, resource)}"
            + (f" in {namespace}" if namespace else "")
            + f" on {target}"
            for (target, group, resource, namespace), count in sorted(created.items())
        ]
        own = {where[1:] for where in (*memory.objects, *last_run)}
        described += _changed_inputs(memory.inputs, current_inputs, own)
        memory.inputs = current_inputs
        return described


def _changed_inputs(
    previous: dict[Identity, Object], current: dict[Identity, Object], own: set[Identity]
) -> list[str]:
    """The inputs, other than the operator's own writes, that changed since the previous run."""
    described = []
    for identity, obj in sorted(current.items()):
        before = previous.get(identity)
        if identity in own or before is None:
            continue
        paths = changed_fields(before, obj)
        if paths:
            described.append(f"input {_place(*identity)}: {_listed(paths)}")
    return described


@dataclass
class TroubleWatch:
    """What the manager remembers across ticks to notice fights and non-converging operators."""

    writers: dict[Written, list[str]] = field(default_factory=dict)
    changing_runs: dict[PairKey, int] = field(default_factory=dict)
    convergence: ConvergenceWatch = field(default_factory=ConvergenceWatch)

    def after_run(
        self,
        key: PairKey,
        trigger: Trigger,
        inputs: Iterable[tuple[ObjectRef, Object]],
        stored: Sequence[PlannedMutation],
        results: Sequence[ApplyResult],
    ) -> list[str]:
        """The warnings one finished run calls for; ``results`` are those of its applied mutations."""
        operator, instance = key
        warnings: list[str] = []
        writes: list[Write] = []
        changing = _changing(stored, results)
        for mutation, result in changing:
            request = mutation.request
            name = request.name or (name_of(result.object) if result.object else "")
            where = (mutation.target, request.gvr.group, request.gvr.resource, request.namespace, name)
            if result.object is not None:
                writes.append(
                    Write(
                        where=where,
                        object=result.object,
                        controller=request.controller_instance_name,
                        created=result.outcome is Outcome.CREATED,
                    )
                )
            warnings += self._fight(where, operator)
        own = trigger in (Trigger.INPUTS_CHANGED, Trigger.RESYNC)
        runs = self.changing_runs[key] = self.changing_runs.get(key, 0) + 1 if changing and own else 0
        changed = self.convergence.observe(key, inputs, writes)
        if runs >= CHANGING_RUNS:
            warnings.append(
                f"operator {operator} on {instance} does not converge: {runs} runs in a row changed the cluster"
                " again" + (f"; changing since the previous run: {'; '.join(changed)}" if changed else "")
            )
        return warnings

    def _fight(self, where: Written, operator: str) -> list[str]:
        """``operator`` changed ``where``: the warning when that makes a fight."""
        writers = self.writers.setdefault(where, [])
        writers.append(operator)
        del writers[:-4]
        # A, B, A alone is how a first rollout settles (A's second write follows its own
        # progress); A, B, A, B, each changing the object, is a fight.
        if len(writers) == 4 and writers[0] == writers[2] != writers[1] == writers[3]:
            return [
                f"operators {writers[0]} and {writers[1]} fight over {_place(*where[1:])} on {where[0]}:"
                " each keeps changing what the other wrote"
            ]
        return []


def _changing(
    stored: Sequence[PlannedMutation], results: Sequence[ApplyResult]
) -> list[tuple[PlannedMutation, ApplyResult]]:
    """The run's mutations that were applied and changed something, with their results."""
    by_id = {r.mutation_id: r for r in results}
    settled = (Outcome.UNCHANGED, Outcome.ALREADY_APPLIED)
    found = [(mutation, by_id.get(mutation.mutation_id)) for mutation in stored]
    return [(m, r) for m, r in found if r is not None and r.ok and r.outcome not in settled]


def _describe_output(where: Written, found: _Changed) -> str:
    who = []
    if found.managers:
        who.append(f"field managers {', '.join(sorted(found.managers))}")
    if found.controllers:
        who.append(f"controllers {', '.join(sorted(found.controllers))}")
    suffix = f" ({'; '.join(who)})" if who else ""
    return f"{_place(*where[1:])} on {where[0]}: {_listed(found.paths)}{suffix}"


def _kind(group: str, resource: str) -> str:
    return f"{resource}.{group}" if group else resource


def _place(group: str, resource: str, namespace: str, name: str) -> str:
    kind = _kind(group, resource)
    return f"{kind} {namespace}/{name}" if namespace else f"{kind} {name}"


def _listed(paths: Sequence[str]) -> str:
    shown = ", ".join(paths[:MAX_PATHS])
    return shown if len(paths) <= MAX_PATHS else f"{shown} and {len(paths) - MAX_PATHS} more"
