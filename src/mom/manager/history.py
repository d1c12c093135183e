"""What a run's journal entry says about its inputs: stored once per digest, and how they
changed since the pair's previous run, each change with who wrote it.

Owns :class:`InputHistory` — per pair, the last run journaled by this process with its input
digest (a run on the same digest shares those stored inputs instead of packing them again) and
the inputs its last run read; per instance, who last wrote each object (:class:`Writers`), as
runs in this process applied it, else as the journal says (a ``--once`` process).
"""

from __future__ import annotations

from collections.abc import Sequence

from mom.inputs.writer import input_files
from mom.journal.archive import pack_files
from mom.journal.journal import Journal
from mom.journal.records import InputChange, PlannedMutation
from mom.manager.agenda import Work
from mom.manager.changes import InputObjects, Writers, addressed_writes, input_changes, input_objects
from mom.manager.schedule import PairKey, Trigger
from mom.manager.specs import ManagerConfig
from mom.manager.stored import scratch, stored_inputs


class InputHistory:
    """The inputs each pair's runs read and stored, and the writers of every instance's objects."""

    def __init__(self, config: ManagerConfig, journal: Journal) -> None:
        self.config = config
        self.journal = journal
        self._stored: dict[PairKey, tuple[int, str]] = {}
        self._read: dict[PairKey, InputObjects] = {}
        self._writers = Writers()

    def inputs_to_store(self, item: Work) -> int | bytes:
        """The run whose stored inputs ``item`` shares (same digest), else its inputs packed."""
        previous = self._stored.get(item.key)
        if previous is not None and previous[1] == item.digest:
            return previous[0]
        return pack_files(input_files(item.gathered, as_json=True))

    def stored(self, item: Work, run_id: int) -> None:
        """``item`` was journaled as ``run_id``, with its inputs."""
        self._stored[item.key] = (run_id, item.digest)

    def changes(self, item: Work) -> tuple[InputChange, ...] | None:
        """The inputs that differ from what the pair's previous run read, each with who wrote
        it (``None`` when the pair never ran); remembers what this run reads."""
        read = input_objects(item.gathered.objects)
        before = self._read.get(item.key)
        if before is None and item.trigger is not Trigger.FIRST_RUN:
            before = self._read_by_last_run(item.key)
        self._read[item.key] = read
        if before is None:
            return None
        for spec in self.config.operators_for(item.topology.instance):
            if not self._writers.knows(item.instance, spec.name):
                last = self.journal.last_run(spec.name, item.instance)
                mutations = self.journal.mutations_of(last.run_id) if last is not None else []
                self.remember_writes(item, mutations, operator=spec.name)
        return self._writers.name(item.instance, input_changes(before, read))

    def remember_writes(
        self, item: Work, applied: Sequence[PlannedMutation], *, operator: str | None = None
    ) -> None:
        """The applied mutations of the latest run of ``operator`` (of ``item``'s when not
        given) on ``item``'s instance: its writers from now on."""
        writes = addressed_writes(item.topology, applied)
        self._writers.remember(item.instance, operator or item.operator, writes)

    def _read_by_last_run(self, key: PairKey) -> InputObjects | None:
        """What the pair's last journaled run read (after a restart, this process has not seen it)."""
        last = self.journal.last_run(*key)
        if last is None:
            return None
        with scratch() as directory:
            inputs = stored_inputs(self.journal.inputs_of(last.run_id), directory / "input")
            return input_objects(inputs.snapshot.objects())
