"""An operator as a value: its declared inputs and outputs, and its named controllers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from mom.api.errors import InvalidInput
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.api.values import Frozen

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


class Controller(Frozen):
    """One named controller. ``name`` is the instance name (``<operator>-<Controller>``)."""

    name: str
    sync: Sync
    timeout: float

    __slots__ = ("name", "sync", "timeout")

    def __init__(self, name: str, sync: Sync, timeout: float = DEFAULT_CONTROLLER_TIMEOUT) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sync", sync)
        object.__setattr__(self, "timeout", timeout)


class Operator(Frozen):
    """What mom needs to run an operator: identity, declared inputs and outputs, controllers.

    ``event_source`` is the component name on events; ``involved_object`` the object events are
    about (usually the operator's own Deployment).
    """

    name: str
    inputs: InputResources
    outputs: OutputResources
    controllers: tuple[Controller, ...]
    event_source: str
    involved_object: dict[str, str]

    __slots__ = ("controllers", "event_source", "inputs", "involved_object", "name", "outputs")

    def __init__(
        self,
        name: str,
        inputs: InputResources,
        outputs: OutputResources,
        controllers: tuple[Controller, ...],
        event_source: str = "",
        involved_object: dict[str, str] | None = None,
    ) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "outputs", outputs)
        object.__setattr__(self, "controllers", controllers)
        object.__setattr__(self, "event_source", event_source)
        object.__setattr__(self, "involved_object", {} if involved_object is None else involved_object)
        self.__post_init__()

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
