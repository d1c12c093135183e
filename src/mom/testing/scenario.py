"""In-process operator tests: these objects in, these mutations and results out.

:func:`run_scenario` runs a Python :class:`~mom.operator.Operator` once, in the test's own
process, against a snapshot of the objects a test gives (plain Kubernetes dicts), and routes
the recorded mutations to cluster types exactly as ``apply-configuration`` does. No files, no
subprocess. The :class:`Scenario` it returns answers the questions a test asks — which
controllers failed, which objects were written where, what was refused — and
:meth:`Scenario.assert_matches` compares it with a golden ``expected-output/`` directory,
failing with the same one-line summary and diff ``mom test apply-configuration`` prints, or
rewrites that directory from the run when asked to.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mom.api.cluster import CLUSTER_TYPES, Action, ClusterType
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource, ObjectRef, gvk_of, name_of, namespace_of
from mom.api.results import ControllerResult, ControllerResults
from mom.mustgather.builtin_discovery import builtin_discovery
from mom.mustgather.reader import Object
from mom.mustgather.store import Snapshot
from mom.mutationdir.equivalence import compare_outputs, is_event, render_differences
from mom.mutationdir.requests import MutationRequest
from mom.operator.apply_configuration import write_output
from mom.operator.operator import Operator
from mom.operator.run import RunOutcome, run_controllers
from mom.operator.selection import select_controllers
from mom.testing.golden import differences_from_nothing, replace_expected_output
from mom.testing.mismatch import summarize_mismatch
from mom.validation.outputs import Refusal, route_mutations

Given = Object | tuple[GroupVersionResource, Object]
"""An input object: a dict of a built-in kind, or any object with the resource it is served as."""


def _located(given: Given, position: int) -> tuple[ObjectRef, Object]:
    if isinstance(given, tuple):
        gvr, obj = given
    else:
        obj = given
        info = builtin_discovery().for_kind(gvk_of(obj)) if isinstance(obj, dict) else None
        if info is None:
            raise InvalidInput(
                f"objects[{position}]",
                [
                    f"Invalid value: {gvk_of(obj) if isinstance(obj, dict) else type(obj).__name__}: "
                    "not a built-in kind; give it as (GroupVersionResource, object)"
                ],
            )
        gvr = info.gvr
    if not isinstance(obj, dict) or not name_of(obj):
        raise InvalidInput(f"objects[{position}].metadata.name", ["Required value"])
    return ObjectRef(gvr, namespace_of(obj), name_of(obj)), obj


@dataclass(frozen=True)
class Scenario:
    """One in-process run: controller results, routed mutations, refused mutations."""

    outcome: RunOutcome
    mutations: Mapping[ClusterType, tuple[MutationRequest, ...]]
    refused: tuple[Refusal, ...]

    @property
    def results(self) -> ControllerResults:
        return self.outcome.results

    def result(self, controller_name: str) -> ControllerResult:
        """The result of one controller; :class:`KeyError` names the controllers there are."""
        for result in self.outcome.results.results:
            if result.controller_name == controller_name:
                return result
        names = ", ".join(r.controller_name for r in self.outcome.results.results)
        raise KeyError(f"no controller {controller_name!r}; the operator has {names}")

    @property
    def succeeded(self) -> bool:
        """No controller failed or panicked and nothing was refused."""
        return not self.outcome.failed and not self.refused

    def written(
        self, cluster_type: ClusterType = ClusterType.USER_WORKLOAD, action: Action | None = None
    ) -> list[Object]:
        """The bodies written to ``cluster_type`` (events left out), optionally of one action."""
        return [
            request.body_document()
            for request in self.mutations.get(cluster_type, ())
            if not is_event(request) and (action is None or request.action == action)
        ]

    def write(self, output_dir: Path) -> None:
        """Write the run as ``apply-configuration`` would: results and mutation directories."""
        write_output(output_dir, self.outcome, self.mutations, self.refused)

    def differences_from(self, expected_output_dir: Path) -> str:
        """Empty when the run matches the golden directory, else the harness's summary and diff."""
        with tempfile.TemporaryDirectory(prefix="mom-scenario-") as scratch:
            actual = Path(scratch)
            self.write(actual)
            if expected_output_dir.is_dir():
                differences = compare_outputs(expected_output_dir, actual)
            else:
                differences = differences_from_nothing(actual)
        if not differences and not self.refused:
            return ""
        lines = [
            f"{len(self.refused)} mutation(s) not declared in output-resources: {r}" for r in self.refused
        ]
        if differences:
            lines += [summarize_mismatch(differences), render_differences(differences).rstrip("\n")]
        return "\n".join(lines)

    def assert_matches(self, expected_output_dir: Path, *, replace: bool = False) -> None:
        """Fail (``AssertionError``) with the readable diff unless the run matches the golden output.

        With ``replace``, the golden output is rewritten from this run instead (as
        ``--replace-expected-output`` does; refused mutations still fail and are not stored).
        """
        if replace:
            with tempfile.TemporaryDirectory(prefix="mom-scenario-") as scratch:
                self.write(Path(scratch))
                expected_output_dir.parent.mkdir(parents=True, exist_ok=True)
                replace_expected_output(Path(scratch), expected_output_dir)
        report = self.differences_from(expected_output_dir)
        if report:
            raise AssertionError(f"output differs from {expected_output_dir}:\n{report}")


def run_scenario(
    operator: Operator,
    objects: Iterable[Given],
    *,
    now: datetime,
    controllers: Iterable[str] = ("*",),
    seed: int | None = None,
) -> Scenario:
    """Run ``operator`` once on ``objects``, as ``apply-configuration`` runs it on an input dir."""
    pairs = [_located(given, position) for position, given in enumerate(objects)]
    snapshot = Snapshot.from_objects(pairs)
    enabled = select_controllers(operator.controller_names, tuple(controllers))
    outcome = run_controllers(operator, snapshot, now=now, enabled=enabled, seed=seed)
    routed = route_mutations(outcome.requests, operator.outputs, snapshot.discovery)
    mutations = {ct: routed.allowed.get(ct, ()) for ct in CLUSTER_TYPES}
    return Scenario(outcome, mutations, routed.refused)
