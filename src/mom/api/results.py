"""Results of one apply-configuration run, per controller (controller-results.yaml)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.values import Frozen


class ControllerStatus(StrEnum):
    UNKNOWN = "Unknown"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    PANICKED = "Panicked"
    SKIPPED = "Skipped"


class ControllerResult(Frozen):
    """How one controller's run ended, as ``controller-results.yaml`` records it."""

    controller_name: str
    status: ControllerStatus
    errors: tuple[str, ...]
    panic_stack: str

    __slots__ = ("controller_name", "errors", "panic_stack", "status")

    def __init__(
        self,
        controller_name: str,
        status: ControllerStatus,
        errors: tuple[str, ...] = (),
        panic_stack: str = "",
    ) -> None:
        object.__setattr__(self, "controller_name", controller_name)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "errors", errors)
        object.__setattr__(self, "panic_stack", panic_stack)

    def sort_key(self) -> tuple[str, str, str]:
        return (self.controller_name, self.status.value, self.panic_stack)

    def to_wire(self) -> dict[str, Any]:
        wire: dict[str, Any] = {"controllerName": self.controller_name, "status": self.status.value}
        if self.errors:
            wire["errors"] = [{"message": message} for message in self.errors]
        if self.panic_stack:
            wire["panicStack"] = self.panic_stack
        return wire


class ControllerResults(Frozen):
    """The whole ``controller-results.yaml``; results sorted as the Go code sorts them."""

    results: tuple[ControllerResult, ...]

    __slots__ = ("results",)

    def __init__(self, results: tuple[ControllerResult, ...] = ()) -> None:
        object.__setattr__(self, "results", results)

    def sorted(self) -> ControllerResults:
        return ControllerResults(tuple(sorted(self.results, key=ControllerResult.sort_key)))

    def to_wire(self) -> dict[str, Any]:
        return {"controllerResults": [r.to_wire() for r in self.sorted().results]}

    @classmethod
    def from_wire(cls, wire: Any, source: str = "ControllerResults") -> ControllerResults | None:
        """Parse a decoded document; ``None`` stands for the Go ``null`` file."""
        if wire is None:
            return None
        problems: list[str] = []
        if not isinstance(wire, dict):
            raise InvalidInput(source, ["must be a map with controllerResults"])
        unknown = set(wire) - {"controllerResults"}
        problems += [f"{key}: Forbidden: unknown field" for key in sorted(map(str, unknown))]
        items = wire.get("controllerResults") or []
        results: list[ControllerResult] = []
        if not isinstance(items, list):
            raise InvalidInput(source, ["controllerResults: Invalid value: must be a list"])
        for i, item in enumerate(items):
            result = _result_from_wire(item, f"controllerResults[{i}]", problems)
            if result is not None:
                results.append(result)
        if problems:
            raise InvalidInput(source, problems)
        return cls(tuple(results))


def _text_field(item: dict[str, Any], key: str, path: str, problems: list[str]) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.append(f"{path}.{key}: Invalid value: {value!r}: must be a string")
        return ""
    return value


def _errors_from_wire(value: Any, path: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{path}: Invalid value: {value!r}: must be a list of {{message: ...}}")
        return ()
    messages: list[str] = []
    for i, error in enumerate(value):
        if isinstance(error, str):
            messages.append(error)
        elif isinstance(error, dict):
            messages.append(_text_field(error, "message", f"{path}[{i}]", problems))
        else:
            problems.append(f"{path}[{i}]: Invalid value: {error!r}: must be a map with a message")
    return tuple(messages)


def _result_from_wire(item: Any, path: str, problems: list[str]) -> ControllerResult | None:
    if not isinstance(item, dict):
        problems.append(f"{path}: Invalid value: must be a map")
        return None
    status = item.get("status", "")
    if not isinstance(status, str) or status not in {known.value for known in ControllerStatus}:
        problems.append(f"{path}.status: Unsupported value: {status!r}")
        return None
    return ControllerResult(
        controller_name=_text_field(item, "controllerName", path, problems),
        status=ControllerStatus(status),
        errors=_errors_from_wire(item.get("errors"), f"{path}.errors", problems),
        panic_stack=_text_field(item, "panicStack", path, problems),
    )
