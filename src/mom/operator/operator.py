"""An operator as a value: its declared inputs and outputs, and its named controllers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from mom.api.errors import InvalidInput
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources

if TYPE_CHECKING:
    from mom.operator.context import RunContext

Sync = Callable[["RunContext"], None]
"""A controller's run-once function: read through ``ctx.client``, write through it, return."""

DEFAULT_CONTROLLER_TIMEOUT = 10.0
"""Seconds a controller may run before it is failed (the Go library allows only 1 s)."""


class SyncError(Exception):
    """Raised by a controller to fail its run with a message (status ``Failed``).

    Any other exception is an unexpected crash: the controller is ``Panicked`` and its
    traceback recorded. Either way the other controllers still run.
    """


@dataclass(frozen=True)
class Controller:
    """One named controller. ``name`` is the instance name (``<operator>-<Controller>``)."""

    name: str
    sync: Sync
    timeout: float = DEFAULT_CONTROLLER_TIMEOUT


@dataclass(frozen=True)
class Operator:
    """What mom needs to run an operator: identity, declared inputs and outputs, controllers.

    ``event_source`` is the component name on events; ``involved_object`` the object events are
    about (usually the operator's own Deployment).
    """

    name: str
    inputs: InputResources
    outputs: OutputResources
    controllers: tuple[Controller, ...]
    event_source: str = ""
    involved_object: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = [c.name for c in self.controllers]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise InvalidInput(self.name, [f"duplicate controller names: {', '.join(duplicates)}"])

    @property
    def controller_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.controllers)

    def input_resources(self) -> InputResources:
        """Declared inputs plus the Configuration outputs (an operator reads what it configures)."""
        config = self.outputs.configuration_resources
        apply = self.inputs.apply_configuration_resources
        merged = type(apply)(
            exact_resources=_unique(apply.exact_resources + config.exact_resources),
            generated_name_resources=_unique(
                apply.generated_name_resources + config.generated_name_resources
            ),
            label_selected_resources=apply.label_selected_resources,
            resource_references=apply.resource_references,
        )
        return InputResources(
            apply_configuration_resources=merged, operand_resources=self.inputs.operand_resources
        )


T = TypeVar("T")


def _unique(items: Sequence[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))
