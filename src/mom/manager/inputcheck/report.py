"""What an input-completeness check found: objects an operator needs but does not declare.

Owns: :class:`UndeclaredInput`, :class:`ControllerFailure` and :class:`CompletenessReport`,
with the text a person reads and the JSON document a machine reads (:meth:`to_wire`). The
checks that fill a report are :mod:`mom.manager.inputcheck.traced` (Python operators, in process)
and :mod:`mom.manager.inputcheck.pruned` (any executable).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mom.api.resources import ObjectRef
from mom.mutationdir.equivalence import Difference


class Evidence(StrEnum):
    """How the check knows an undeclared object is needed."""

    READ = "read"
    """A controller read it (GET) or listed its resource, and the declaration does not cover it."""
    NOT_FOUND = "not-found"
    """A controller failing only on the pruned inputs named it in a "not found" error."""


class Method(StrEnum):
    TRACED_READS = "traced-reads"
    PRUNED_RUN = "pruned-run"


@dataclass(frozen=True, slots=True)
class UndeclaredInput:
    """An object (``ref.name`` empty: a whole LIST) that controllers need and nobody declared."""

    ref: ObjectRef
    controllers: tuple[str, ...]
    evidence: Evidence
    in_must_gather: bool
    """Whether the must-gather holds it; an absent object is still read, so still needed."""
    namespace_inferred: bool = False
    """The error named no namespace; this is one the must-gather holds an object of that name in."""

    @property
    def name(self) -> str:
        """``resource.group/name`` (``resource.group`` for a LIST), as kubectl spells it."""
        resource = self.ref.gvr.group_resource
        return f"{resource}/{self.ref.name}" if self.ref.name else resource

    def describe(self) -> str:
        notes = []
        if self.ref.namespace:
            notes.append(
                f"namespace {self.ref.namespace}" + (" (inferred)" if self.namespace_inferred else "")
            )
        if not self.ref.name:
            notes.append("listed")
        if not self.in_must_gather:
            notes.append("not in the must-gather")
        verb = "read by" if self.evidence is Evidence.READ else "named in errors of"
        where = f" [{', '.join(notes)}]" if notes else ""
        return f"{self.name}{where}: {verb} {', '.join(self.controllers)}"

    def to_wire(self) -> dict[str, Any]:
        return {
            "group": self.ref.gvr.group,
            "version": self.ref.gvr.version,
            "resource": self.ref.gvr.resource,
            "namespace": self.ref.namespace,
            "name": self.ref.name,
            "controllers": list(self.controllers),
            "evidence": self.evidence.value,
            "inMustGather": self.in_must_gather,
            "namespaceInferred": self.namespace_inferred,
        }


@dataclass(frozen=True, slots=True)
class ControllerFailure:
    """A controller that succeeded on the whole must-gather and failed on the pruned inputs."""

    controller: str
    errors: tuple[str, ...]

    def to_wire(self) -> dict[str, Any]:
        return {"controllerName": self.controller, "errors": list(self.errors)}


@dataclass(frozen=True)
class CompletenessReport:
    """The outcome of one check of one operator against one must-gather."""

    operator: str
    method: Method
    undeclared: tuple[UndeclaredInput, ...] = ()
    failed_only_pruned: tuple[ControllerFailure, ...] = ()
    differences: tuple[Difference, ...] = ()
    """Where the mutations on the whole must-gather and on the pruned inputs differ, leaving out
    those that two runs on the whole must-gather differ in too (the operator's own randomness)."""

    @property
    def complete(self) -> bool:
        """Nothing shows that the operator needs more than it declares."""
        return not (self.undeclared or self.failed_only_pruned or self.differences)

    def render(self) -> str:
        if self.complete:
            how = (
                "every read is declared"
                if self.method is Method.TRACED_READS
                else "the pruned inputs give the same results and mutations as the whole must-gather"
            )
            return f"{self.operator}: declared inputs are complete ({how})\n"
        if self.undeclared:
            lines = [f"{self.operator}: {len(self.undeclared)} undeclared input(s) needed"]
        else:
            lines = [
                f"{self.operator}: the pruned inputs change what it does, but no error names what is missing"
            ]
        lines += [f"  {item.describe()}" for item in self.undeclared]
        if self.failed_only_pruned:
            lines.append(f"{len(self.failed_only_pruned)} controller(s) fail only on the pruned inputs:")
            for failure in self.failed_only_pruned:
                lines.append(f"  {failure.controller}: {'; '.join(failure.errors) or '(no message)'}")
        if self.differences:
            lines.append(
                f"{len(self.differences)} mutation(s) differ between the whole must-gather (expected)"
                " and the pruned inputs (actual):"
            )
            for difference in self.differences:
                first = difference.message.splitlines()[0] if difference.message else ""
                lines.append(f"  [{difference.cluster_type}] {difference.kind} {difference.subject}: {first}")
        return "\n".join(lines) + "\n"

    def to_wire(self) -> dict[str, Any]:
        return {
            "operator": self.operator,
            "method": self.method.value,
            "complete": self.complete,
            "undeclared": [item.to_wire() for item in self.undeclared],
            "failedOnlyOnPrunedInputs": [failure.to_wire() for failure in self.failed_only_pruned],
            "outputDifferences": [
                {
                    "clusterType": d.cluster_type,
                    "subject": d.subject,
                    "kind": d.kind,
                    "message": d.message,
                }
                for d in self.differences
            ],
        }


__all__ = ["CompletenessReport", "ControllerFailure", "Evidence", "Method", "UndeclaredInput"]
