"""Input completeness of any operator executable, found by running it twice.

Owns: :func:`check_pruned_run`. The operator's ``input-resources`` are gathered from the
must-gather into a pruned input directory (:func:`mom.inputs.prune_must_gather`); then
``apply-configuration`` runs on the whole must-gather, on the pruned inputs, and on the whole
must-gather again, with the same ``--now`` and controller selection. An operator whose
declaration is complete gives the same answers on the pruned inputs, so the check reports:

* controllers that fail on the pruned inputs with errors neither whole run gave, with those
  new errors;
* the objects those errors say were not found (:func:`mom.manager.inputcheck.not_found.objects_not_found`)
  unless the declaration covers them; when an error names no namespace, every namespace of the
  must-gather holding an object of that name is reported (marked inferred);
* how the mutations differ, per controller (:func:`mom.mutationdir.equivalence.compare_requests`,
  the whole run as expected, events ignored), leaving out every difference the second whole run
  shows too: an operator that generates keys or reads a clock is not thereby missing inputs.

The work directory keeps ``pruned-input/``, ``full-output/``, ``pruned-output/`` and
``full-output-again/``.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from mom.api.errors import MomError
from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource, ObjectRef, name_of, namespace_of
from mom.api.results import ControllerResults, ControllerStatus
from mom.inputs import TreeSource, prune_must_gather
from mom.inputs.coverage import holds, is_declared
from mom.inputs.gather import Identity, identity_of
from mom.manager.inputcheck.not_found import objects_not_found
from mom.manager.inputcheck.report import (
    CompletenessReport,
    ControllerFailure,
    Evidence,
    Method,
    UndeclaredInput,
)
from mom.manager.operators import OperatorRun
from mom.manager.subprocesses import SubprocessRunner
from mom.mutationdir.equivalence import Difference, compare_requests
from mom.mutationdir.output import CLUSTER_TYPE_DIRS, read_mutation_dirs

PRUNED_INPUT_DIR = "pruned-input"
FULL_OUTPUT_DIR = "full-output"
PRUNED_OUTPUT_DIR = "pruned-output"
CONTROL_OUTPUT_DIR = "full-output-again"

Progress = Callable[[str], None]
_FAILED = (ControllerStatus.FAILED, ControllerStatus.PANICKED)


@dataclass(frozen=True)
class PrunedRunOptions:
    must_gather_dir: Path
    work_dir: Path
    now: datetime


def check_pruned_run(
    runner: SubprocessRunner, options: PrunedRunOptions, progress: Progress = lambda _: None
) -> CompletenessReport:
    """Run ``runner``'s operator on the whole must-gather and on its pruned inputs; compare."""
    name = runner.spec.name
    source = TreeSource(options.must_gather_dir)
    progress(f"{name}: reading input-resources")
    try:
        spec = runner.declared_inputs()
    except subprocess.TimeoutExpired as exc:
        raise MomError(f"operator {name}: `input-resources` did not finish within {exc.timeout:g}s") from exc
    progress(f"{name}: pruning {source.root} to the declared inputs")
    pruned_dir = options.work_dir / PRUNED_INPUT_DIR
    gathered = {identity_of(ref) for ref in prune_must_gather(source.root, spec, pruned_dir).refs()}
    work = options.work_dir
    runs = [
        ("the whole must-gather", source.root, work / FULL_OUTPUT_DIR),
        ("the pruned inputs", pruned_dir, work / PRUNED_OUTPUT_DIR),
        ("the whole must-gather again", source.root, work / CONTROL_OUTPUT_DIR),
    ]
    results = []
    for inputs, input_dir, output_dir in runs:
        progress(f"{name}: apply-configuration on {inputs}")
        results.append(_results(runner.apply_configuration(input_dir, output_dir, options.now), name, inputs))
    full, pruned, control = results
    failures = _new_failures((full, control), pruned)
    undeclared = _undeclared(failures, source, spec, gathered)
    unstable = _mutation_differences(work / FULL_OUTPUT_DIR, work / CONTROL_OUTPUT_DIR)
    changed = _mutation_differences(work / FULL_OUTPUT_DIR, work / PRUNED_OUTPUT_DIR)
    differences = [difference for key, difference in changed.items() if key not in unstable]
    return CompletenessReport(
        name,
        Method.PRUNED_RUN,
        undeclared,
        failures,
        tuple(differences),
    )


def _undeclared(
    failures: Sequence[ControllerFailure], source: TreeSource, spec: InputResources, gathered: set[Identity]
) -> tuple[UndeclaredInput, ...]:
    """The objects the failures name that were not gathered, each with every controller naming it."""
    undeclared: dict[Identity, UndeclaredInput] = {}
    for failure in failures:
        for item in _named_objects(failure, source, spec, gathered):
            known = undeclared.get(identity_of(item.ref))
            if known is not None:
                item = replace(item, controllers=(*known.controllers, *item.controllers))
            undeclared[identity_of(item.ref)] = item
    return tuple(item for _, item in sorted(undeclared.items()))


def _mutation_differences(expected_dir: Path, actual_dir: Path) -> dict[tuple[str, str, str], Difference]:
    """Differences of two outputs' mutations (events ignored), by cluster type, controller and subject.

    Each controller's requests are compared on their own, so one controller's unstable writes
    do not hide another's changed writes of the same object.
    """
    found: dict[tuple[str, str, str], Difference] = {}
    expected_dirs = read_mutation_dirs(expected_dir, CLUSTER_TYPE_DIRS)
    actual_dirs = read_mutation_dirs(actual_dir, CLUSTER_TYPE_DIRS)
    for cluster_type in CLUSTER_TYPE_DIRS:
        expected, actual = expected_dirs[cluster_type], actual_dirs[cluster_type]
        for controller in sorted({r.controller_instance_name for r in (*expected, *actual)}):
            for difference in compare_requests(
                [r for r in expected if r.controller_instance_name == controller],
                [r for r in actual if r.controller_instance_name == controller],
                cluster_type=cluster_type,
            ):
                found.setdefault((cluster_type, controller, difference.subject), difference)
    return found


def _results(run: OperatorRun, name: str, inputs: str) -> ControllerResults:
    if run.error:
        raise MomError(f"operator {name} on {inputs}: {run.error}")
    if run.results is None:
        last = next((line for line in reversed(run.stderr.splitlines()) if line.strip()), "")
        raise MomError(
            f"operator {name} on {inputs}: apply-configuration exited {run.exit_code} without"
            f" controller results{': ' + last.strip() if last else ''}"
        )
    return run.results


def _new_failures(
    whole: tuple[ControllerResults, ...], pruned: ControllerResults
) -> tuple[ControllerFailure, ...]:
    """Controllers failing on the pruned inputs with errors no run on the whole must-gather gave."""
    seen: dict[str, set[str]] = {}
    for results in whole:
        for result in results.results:
            seen.setdefault(result.controller_name, set()).update(result.errors)
    failures: list[ControllerFailure] = []
    for result in pruned.sorted().results:
        if result.status not in _FAILED:
            continue
        earlier = seen.get(result.controller_name, set())
        new = tuple(message for message in result.errors if message not in earlier)
        if new or not result.errors:
            failures.append(ControllerFailure(result.controller_name, new))
    return tuple(failures)


def _named_objects(
    failure: ControllerFailure, source: TreeSource, spec: InputResources, gathered: set[Identity]
) -> Iterator[UndeclaredInput]:
    """The undeclared objects ``failure``'s errors say were not found."""
    for message in failure.errors:
        for missing in objects_not_found(message, source.discovery):
            inferred = missing.namespace is None
            if inferred:
                candidates = _in_namespaces(source, missing.gvr, missing.name)
                held = [(ref, True) for ref in candidates] or [
                    (ObjectRef(missing.gvr, "", missing.name), False)
                ]
            else:
                ref = ObjectRef(missing.gvr, missing.namespace or "", missing.name)
                held = [(ref, holds(source, ref))]
            for ref, exists in held:
                if not is_declared(spec, gathered, ref, exists=exists):
                    yield UndeclaredInput(
                        ref, (failure.controller,), Evidence.NOT_FOUND, exists, inferred and exists
                    )


def _in_namespaces(source: TreeSource, gvr: GroupVersionResource, name: str) -> list[ObjectRef]:
    """Every object of ``gvr`` called ``name`` in the must-gather, one per namespace."""
    try:
        found = source.list(gvr)
    except MomError:
        return []
    return sorted({ObjectRef(gvr, namespace_of(obj), name) for obj in found if name_of(obj) == name})


__all__ = ["PrunedRunOptions", "check_pruned_run"]
