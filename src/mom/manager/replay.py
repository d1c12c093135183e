"""Replaying a journaled run: the same operator on the same stored inputs, at the same ``now``.

Reproduces a field problem offline: the replayed output is planned exactly as the manager
planned the original (pinned outputs, topology mapping) and compared with what the journal
recorded, by the rules golden tests use.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.journal.journal import Journal, output_directories
from mom.manager.operators import OperatorRunner
from mom.manager.pins import Pin
from mom.manager.planning import plan_mutations
from mom.manager.specs import ManagerConfig
from mom.manager.stored import stored_inputs
from mom.manager.topology import Topology
from mom.mutationdir.equivalence import Difference, compare_outputs
from mom.mutationdir.output import write_operator_output


@dataclass(frozen=True)
class Replay:
    run_id: int
    recorded_dir: Path
    replayed_dir: Path
    differences: tuple[Difference, ...]
    exit_code: int


def replay_run(
    config: ManagerConfig,
    journal: Journal,
    runners: dict[str, OperatorRunner],
    pins: dict[str, Pin],
    run_id: int,
    workdir: Path,
) -> Replay:
    """Re-run journaled run ``run_id`` in ``workdir`` and compare with what was recorded."""
    record = journal.run(run_id)
    summary = record.summary
    runner = runners.get(summary.operator)
    if runner is None:
        raise InvalidInput(
            str(config.source), [f"run {run_id} is of operator {summary.operator!r}, not configured"]
        )
    instance = next((i for i in config.instances if i.name == summary.instance), None)
    if instance is None:
        raise InvalidInput(
            str(config.source), [f"run {run_id} is of instance {summary.instance!r}, not configured"]
        )
    inputs = stored_inputs(journal.inputs_of(run_id), workdir / "input-dir")
    recorded_dir, replayed_dir = workdir / "recorded", workdir / "replayed"
    journal.write_output_dir(run_id, recorded_dir)
    outcome = runner.run(inputs, record.now)
    planned = plan_mutations(
        outcome.requests, pins[summary.operator], Topology(instance), inputs.snapshot.discovery
    )
    with_results = outcome.results is not None
    write_operator_output(
        replayed_dir, output_directories(planned), outcome.results, with_results=with_results
    )
    differences = compare_outputs(recorded_dir, replayed_dir)
    return Replay(run_id, recorded_dir, replayed_dir, tuple(differences), outcome.exit_code)
