"""What the manager says when an operator's declarations change after it was registered.

Covers: the first registration pins what each operator declares and says nothing; a later start
whose operators declare the same documents (equal values) says nothing either; one whose
operator declares other outputs keeps the pinned ones in force and names that operator in a
notice; ``repin`` pins the new declaration without a notice. An executable operator whose
declarations were confirmed within its resync period, as the same file and command line, is not
started again to ask; a changed file, a longer wait or a changed declaration asks again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resource_entries import ExactResource
from mom.manager.assembly import pin_operators
from mom.manager.operators import OperatorRun, OperatorRunner, RunInputs
from mom.manager.specs import ManagerConfig, OperatorSpec
from mom.manager.subprocesses import SubprocessRunner

CONFIG_MAP = ExactResource("", "v1", "configmaps", "ns", "config")
SECRET = ExactResource("", "v1", "secrets", "ns", "secret")


class Declaring:
    """A runner that only declares (pinning never runs an operator)."""

    concurrent: ClassVar[bool] = False

    def __init__(self, name: str, written: ExactResource, identity: str | None = None) -> None:
        self.spec = OperatorSpec(name=name, python="unused:unused")
        self.written = written
        self.file = identity
        self.asked = 0

    def identity(self) -> str | None:
        return self.file

    def declared_inputs(self) -> InputResources:
        self.asked += 1
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


NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
HOUR = timedelta(seconds=OperatorSpec(name="x", python="x:x").resync)


def test_a_confirmed_executable_is_not_asked_again_within_its_resync(tmp_path: Path) -> None:
    first = Declaring("a", CONFIG_MAP, identity="binary v1")
    pins, _ = pin_operators(config(tmp_path), {"a": first}, now=NOW)
    assert first.asked == 1

    soon = Declaring("a", CONFIG_MAP, identity="binary v1")
    again, notices = pin_operators(config(tmp_path), {"a": soon}, now=NOW + HOUR - timedelta(seconds=1))
    assert (soon.asked, notices, again) == (0, [], pins)

    later = Declaring("a", CONFIG_MAP, identity="binary v1")
    pin_operators(config(tmp_path), {"a": later}, now=NOW + HOUR)
    assert later.asked == 1, "a confirmation older than the resync period is asked again"


def test_another_executable_is_asked_and_a_changed_declaration_keeps_being_reported(tmp_path: Path) -> None:
    pin_operators(config(tmp_path), {"a": Declaring("a", CONFIG_MAP, identity="binary v1")}, now=NOW)
    for minutes in (1, 2):
        upgraded = Declaring("a", SECRET, identity="binary v2")
        pins, notices = pin_operators(config(tmp_path), {"a": upgraded}, now=NOW + timedelta(minutes=minutes))
        assert upgraded.asked == 1
        assert len(notices) == 1 and "operator a now declares other inputs/outputs" in notices[0]
        assert pins["a"].outputs.management_resources.exact_resources == (CONFIG_MAP,)


def test_without_a_time_or_an_identity_every_operator_is_asked(tmp_path: Path) -> None:
    pin_operators(config(tmp_path), {"a": Declaring("a", CONFIG_MAP, identity="binary v1")}, now=NOW)
    untimed = Declaring("a", CONFIG_MAP, identity="binary v1")
    pin_operators(config(tmp_path), {"a": untimed})
    assert untimed.asked == 1
    in_process = Declaring("a", CONFIG_MAP, identity=None)
    pin_operators(config(tmp_path), {"a": in_process}, now=NOW + timedelta(minutes=1))
    assert in_process.asked == 1


def test_an_executable_rewritten_in_place_has_another_identity(tmp_path: Path) -> None:
    executable = tmp_path / "operator"
    executable.write_text("#!/bin/sh\necho v1\n")
    executable.chmod(0o755)
    runner = SubprocessRunner(OperatorSpec(name="op", command=(str(executable),)), tmp_path)
    before = runner.identity()
    assert before is not None and runner.identity() == before
    executable.write_text("#!/bin/sh\necho v2\n")  # same size, same inode
    assert runner.identity() != before
    executable.unlink()
    assert runner.identity() is None
