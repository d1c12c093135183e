"""Results of one apply-configuration run, per controller (controller-results.yaml)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mom.api.errors import InvalidInput


class ControllerStatus(StrEnum):
    UNKNOWN = "Unknown"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    PANICKED = "Panicked"
    SKIPPED = "Skipped"


@dataclass(frozen=True, slots=True)
class ControllerResult:
    controller_name: str
    status: ControllerStatus
    errors: tuple[str, ...] = ()
    panic_stack: str = ""

    def sort_key(self) -> tuple[str, str, str]:
        return (self.controller_name, self.status.value, self.panic_stack)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"controllerName": self.controller_name, "status": self.status.value}
        if self.errors:
            wire["errors"] = [{"message": message} for message in self.errors]
        if self.panic_stack:
            wire["panicStack"] = self.panic_stack
        return wire


@dataclass(frozen=True, slots=True)
class ControllerResults:
    """The whole ``controller-results.yaml``; results sorted as the Go code sorts them."""

    results: tuple[ControllerResult, ...] = field(default_factory=tuple)

    def sorted(self) -> ControllerResults:
        return ControllerResults(tuple(sorted(self.results, key=ControllerResult.sort_key)))

    def to_wire(self) -> dict[str, Any]:
        return {"controllerResults": [r.to_wire() for r in self.sorted().results]}

    @classmethod
    def from_wire(cls, wire: Any, source: str = "controller-results.yaml") -> ControllerResults | None:
        """Parse a decoded document; ``None`` stands for the Go ``null`` file."""
        if wire is None:
            return None
        problems: list[str] = []
        if not isinstance(wire, dict):
            raise InvalidInput(source, ["must be a map with controllerResults"])
        unknown = set(wire) - {"controllerResults"}
        problems += [f"{key}: Forbidden: unknown field" for key in sorted(unknown)]
        items = wire.get("controllerResults") or []
        results: list[ControllerResult] = []
        if not isinstance(items, list):
            raise InvalidInput(source, ["controllerResults: Invalid value: must be a list"])
        for i, item in enumerate(items):
            path = f"controllerResults[{i}]"
            if not isinstance(item, dict):
                problems.append(f"{path}: Invalid value: must be a map")
                continue
            try:
                status = ControllerStatus(item.get("status", ""))
            except ValueError:
                problems.append(f"{path}.status: Unsupported value: {item.get('status')!r}")
                continue
            errors = tuple(
                str(e.get("message", "")) if isinstance(e, dict) else str(e) for e in item.get("errors") or []
            )
            results.append(
                ControllerResult(
                    controller_name=str(item.get("controllerName", "")),
                    status=status,
                    errors=errors,
                    panic_stack=str(item.get("panicStack", "") or ""),
                )
            )
        if problems:
            raise InvalidInput(source, problems)
        return cls(tuple(results))
