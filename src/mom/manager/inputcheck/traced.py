"""Input completeness of a Python operator, found by tracing what its controllers read.

Owns: :func:`check_traced_reads`. Every controller runs once, in process, on the whole
must-gather; each GET and LIST it makes goes through a :class:`ReadTracingTransport` layered
over the run's own transport (writes are recorded as in any run, then dropped). The declared
inputs are gathered from the same must-gather, and each read is judged:

* a GET of an object the must-gather holds is covered when gathering found that object;
* a GET of an object it does not hold (of any subresource, too) is covered when the declaration could gather the object
  (:func:`mom.inputs.coverage.could_gather`);
* a LIST is covered when every object it returned was gathered; an empty LIST when the
  declaration could gather some object of that resource there.

What is not covered is reported once per object, with every controller that read it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from mom.api.errors import MomError
from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource, ObjectRef, name_of, namespace_of
from mom.client.client import Client
from mom.client.reads import Read, ReadLog, ReadTracingTransport
from mom.client.transport import CONTROLLER_HEADER
from mom.inputs.coverage import could_gather_any, holds, is_declared
from mom.inputs.gather import Identity, gather_inputs, identity_of
from mom.manager.inputcheck.report import CompletenessReport, Evidence, Method, UndeclaredInput
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.operator import Controller, Operator, RunContext
from mom.operator.operator import Sync
from mom.operator.run import run_controllers
from mom.operator.selection import select_controllers


def check_traced_reads(
    operator: Operator, snapshot: Snapshot, *, now: datetime, controllers: Sequence[str] = ("*",)
) -> CompletenessReport:
    """Run ``operator``'s enabled controllers on ``snapshot`` and report their undeclared reads."""
    log = ReadLog()
    traced = replace(operator, controllers=tuple(_traced(c, log) for c in operator.controllers))
    enabled = select_controllers(operator.controller_names, controllers)
    run_controllers(traced, snapshot, now=now, enabled=enabled)
    spec = operator.input_resources()
    gathered = {identity_of(ref) for ref in gather_inputs(snapshot, spec).refs()}
    found: dict[Identity, _Finding] = {}
    for read in log.reads:
        for ref, exists in _uncovered(read, snapshot, spec, gathered):
            finding = found.setdefault(identity_of(ref), _Finding(ref, exists))
            finding.controllers.setdefault(read.controller or operator.name)
    undeclared = tuple(
        UndeclaredInput(f.ref, tuple(sorted(f.controllers)), Evidence.READ, f.exists)
        for _, f in sorted(found.items())
    )
    return CompletenessReport(operator.name, Method.TRACED_READS, undeclared)


@dataclass
class _Finding:
    ref: ObjectRef
    exists: bool
    controllers: dict[str, None] = field(default_factory=dict)


def _traced(controller: Controller, log: ReadLog) -> Controller:
    inner: Sync = controller.sync

    def sync(context: RunContext) -> None:
        transport = ReadTracingTransport(context.client.transport, log)
        client = Client(transport, headers={CONTROLLER_HEADER: context.controller_name})
        inner(replace(context, client=client))

    return replace(controller, sync=sync)


def _uncovered(
    read: Read, snapshot: Snapshot, spec: InputResources, gathered: set[Identity]
) -> Iterator[tuple[ObjectRef, bool]]:
    """The objects ``read`` needed that the declaration does not cover, and whether each exists."""
    target = read.target
    if not read.is_list:
        ref = ObjectRef(target.gvr, "" if target.gvr.is_namespaces else target.namespace, target.name)
        exists = holds(snapshot, ref)  # not the answer's status: a subresource may be unserved
        if not is_declared(spec, gathered, ref, exists=exists):
            yield ref, exists
        return
    try:
        items = snapshot.list(
            target.gvr,
            namespace=target.namespace,
            label_selector=LabelSelector.parse(read.label_selector) if read.label_selector else None,
            field_selector=FieldSelector.parse(read.field_selector) if read.field_selector else None,
        )
    except MomError:  # the operator saw the same error; nothing was returned, nothing is needed
        return
    for item in items:
        ref = ObjectRef(target.gvr, _namespace(snapshot, target.gvr, target.namespace, item), name_of(item))
        if not is_declared(spec, gathered, ref, exists=True):
            yield ref, True
    if not items and not could_gather_any(spec, target.gvr, target.namespace):
        yield ObjectRef(target.gvr, target.namespace, ""), False


def _namespace(snapshot: Snapshot, gvr: GroupVersionResource, listed_in: str, item: dict[str, object]) -> str:
    info = snapshot.discovery.resource_info(gvr)
    if info is not None and not info.namespaced:
        return ""
    return listed_in or namespace_of(item)


__all__ = ["check_traced_reads"]
