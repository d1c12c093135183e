"""What the manager says when an operator's declarations change after it was registered.

Covers: the first registration pins what each operator declares and says nothing; a later start
whose operators declare the same documents (equal values) says nothing either; one whose
operator declares other outputs keeps the pinned ones in force and names that operator in a
notice; ``repin`` pins the new declaration without a notice.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import ClassVar

from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resource_entries import ExactResource
from mom.manager.assembly import pin_operators
from mom.manager.operators import OperatorRun, OperatorRunner, RunInputs
from mom.manager.specs import ManagerConfig, OperatorSpec

CONFIG_MAP = ExactResource("", "v1", "configmaps", "ns", "config")
SECRET = ExactResource("", "v1", "secrets", "ns", "secret")


class Declaring:
    """A runner that only declares (pinning never runs an operator)."""

    concurrent: ClassVar[bool] = False

    def __init__(self, name: str, written: ExactResource) -> None:
        self.spec = OperatorSpec(name=name, python="unused:unused")
        self.written = written

    def declared_inputs(self) -> InputResources:
        return InputResources()

    def declared_outputs(self) -> OutputResources:
        # a new value on every call, as an operator executable's answer is
        return OutputResources(management_resources=OutputResourceList(exact_resources=(self.written,)))

    def run(self, inputs: RunInputs, now: datetime) -> OperatorRun:
        raise AssertionError("pinning runs no operator")


def config(tmp_path: Path) -> ManagerConfig:
    return ManagerConfig(tmp_path / "mom.yaml", tmp_path / "state" / "journal.sqlite", (), (), ())


def runners(**written: ExactResource) -> dict[str, OperatorRunner]:
    return {name: Declaring(name, resource) for name, resource in written.items()}


def test_the_same_declarations_again_are_not_reported(tmp_path: Path) -> None:
    first, notices = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=SECRET))
    assert notices == []
    again, notices = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=SECRET))
    assert notices == []
    assert again == first


def test_other_declarations_keep_the_pinned_ones_and_are_reported(tmp_path: Path) -> None:
    first, _ = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=SECRET))
    pins, notices = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=CONFIG_MAP))
    assert len(notices) == 1
    assert "operator b now declares other inputs/outputs" in notices[0]
    assert pins["b"] == first["b"]
    assert pins["b"].outputs.management_resources.exact_resources == (SECRET,)

    repinned, notices = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=CONFIG_MAP), repin=True)
    assert notices == []
    assert repinned["b"].outputs.management_resources.exact_resources == (CONFIG_MAP,)
    _, notices = pin_operators(config(tmp_path), runners(a=CONFIG_MAP, b=CONFIG_MAP))
    assert notices == []
