"""``apply-configuration``: input directory in, mutation directories and results out.

The output directory (:mod:`mom.mutationdir.output`) holds the controllers' results and
one mutation directory per cluster type that received mutations (FORMATS.md §3.5). Mutations
no declared output allows are written under ``Unspecified/`` for inspection and make the run
fail — they are never routed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from mom.api.cluster import UNSPECIFIED_DIR, ClusterType
from mom.api.values import Frozen
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot
from mom.mutationdir.output import write_operator_output
from mom.mutationdir.requests import MutationRequest
from mom.operator.operator import Operator
from mom.operator.run import RunOutcome, run_controllers
from mom.operator.selection import select_controllers
from mom.validation.outputs import Refusal, route_mutations


class ApplyConfigurationOptions(Frozen):
    """What one ``apply-configuration`` run is given."""

    input_dir: Path
    output_dir: Path
    now: datetime
    controllers: tuple[str, ...]
    seed: int | None

    __slots__ = ("controllers", "input_dir", "now", "output_dir", "seed")

    def __init__(
        self,
        input_dir: Path,
        output_dir: Path,
        now: datetime,
        controllers: tuple[str, ...] = ("*",),
        seed: int | None = None,
    ) -> None:
        object.__setattr__(self, "input_dir", input_dir)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "controllers", controllers)
        object.__setattr__(self, "seed", seed)


class ApplyConfigurationResult(Frozen):
    """What one ``apply-configuration`` run produced, and what was refused."""

    outcome: RunOutcome
    refused: tuple[Refusal, ...]

    __slots__ = ("outcome", "refused")

    def __init__(self, outcome: RunOutcome, refused: tuple[Refusal, ...]) -> None:
        object.__setattr__(self, "outcome", outcome)
        object.__setattr__(self, "refused", refused)

    @property
    def succeeded(self) -> bool:
        return not self.outcome.failed and not self.refused

    def problems(self) -> list[str]:
        lines = [
            f"controller {r.controller_name} {r.status.value}: {'; '.join(r.errors) or r.panic_stack}"
            for r in self.outcome.results.results
            if r.errors or r.panic_stack
        ]
        if self.refused:
            lines.append(
                f"{len(self.refused)} mutation(s) not declared in output-resources, written to "
                f"{UNSPECIFIED_DIR}/: " + ", ".join(str(r) for r in self.refused)
            )
        return lines


def apply_configuration(
    operator: Operator, options: ApplyConfigurationOptions, snapshot: Snapshot | None = None
) -> ApplyConfigurationResult:
    """Run ``operator`` once on ``options.input_dir`` (or an already-loaded ``snapshot``)."""
    enabled = select_controllers(operator.controller_names, options.controllers)
    if snapshot is None:
        snapshot = load_must_gather(options.input_dir)
    outcome = run_controllers(operator, snapshot, now=options.now, enabled=enabled, seed=options.seed)
    routed = route_mutations(outcome.requests, operator.outputs, snapshot.discovery)
    write_output(options.output_dir, outcome, routed.allowed, routed.refused)
    return ApplyConfigurationResult(outcome, routed.refused)


def write_output(
    output_dir: Path,
    outcome: RunOutcome,
    allowed: Mapping[ClusterType, Sequence[MutationRequest]],
    refused: Sequence[Refusal],
) -> None:
    mutations: dict[str, Sequence[MutationRequest]] = {
        str(cluster_type): requests for cluster_type, requests in allowed.items()
    }
    if refused:
        mutations[UNSPECIFIED_DIR] = [r.request for r in refused]
    write_operator_output(output_dir, mutations, outcome.results)
