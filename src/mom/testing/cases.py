"""Golden test cases: the ``test.yaml`` wire type and discovery of test directories.

A test is any directory below the test root that holds a ``test.yaml`` (FORMATS.md §3.7) next
to ``input-dir/`` and, optionally, ``expected-output/`` (a missing one means "expects no
mutations"). Fields, with the Go JSON names:

* ``binaryName`` (required): the operator executable; a name with a ``/`` is resolved against
  the harness' working directory, a bare name is looked up on ``PATH``.
* ``testName`` (required): display name; need not be unique.
* ``description`` (required): free text.
* ``testType`` (required): ``ApplyConfiguration``.
* ``desiredError``: ``""`` (exit 0 wanted) or ``NonZeroReturn``.
* ``now``: RFC 3339 time passed as ``--now``.
* ``controllers``: list passed as ``--controllers a,b``.

mom extensions: ``timeout`` (seconds, positive number; overrides the harness default) and
``topologies`` (a list of ``Standalone`` / ``HyperShift``: the output must route the same under
each, see :mod:`mom.testing.topology`).
"""

from __future__ import annotations

import os
import re
from enum import StrEnum
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.serialization import load_document

TEST_FILE = "test.yaml"
INPUT_DIR = "input-dir"
EXPECTED_OUTPUT_DIR = "expected-output"
APPLY_CONFIGURATION = "ApplyConfiguration"
NON_ZERO_RETURN = "NonZeroReturn"

_RFC3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
)
_KNOWN_FIELDS = frozenset(
    {
        "binaryName",
        "testName",
        "description",
        "testType",
        "desiredError",
        "now",
        "controllers",
        "timeout",
        "topologies",
    }
)


class Topology(StrEnum):
    """A way to map cluster types onto physical clusters (DESIGN.md, "Topology")."""

    STANDALONE = "Standalone"
    HYPERSHIFT = "HyperShift"


class CaseDescription(Frozen):
    """The contents of one ``test.yaml``."""

    binary_name: str
    test_name: str
    description: str
    test_type: str
    desired_error: str
    now: str
    controllers: tuple[str, ...]
    timeout: float | None
    topologies: tuple[Topology, ...]

    __slots__ = (
        "binary_name",
        "controllers",
        "description",
        "desired_error",
        "now",
        "test_name",
        "test_type",
        "timeout",
        "topologies",
    )

    def __init__(
        self,
        binary_name: str,
        test_name: str,
        description: str,
        test_type: str = APPLY_CONFIGURATION,
        desired_error: str = "",
        now: str = "",
        controllers: tuple[str, ...] = (),
        timeout: float | None = None,
        topologies: tuple[Topology, ...] = (),
    ) -> None:
        object.__setattr__(self, "binary_name", binary_name)
        object.__setattr__(self, "test_name", test_name)
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "test_type", test_type)
        object.__setattr__(self, "desired_error", desired_error)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "controllers", controllers)
        object.__setattr__(self, "timeout", timeout)
        object.__setattr__(self, "topologies", topologies)

    @property
    def wants_non_zero_exit(self) -> bool:
        return self.desired_error == NON_ZERO_RETURN


class Case(Frozen):
    """One test directory: where it is, what its ``test.yaml`` says."""

    directory: Path
    relative_name: str
    """The directory relative to the test root, with ``/`` separators (unique within a suite)."""
    description: CaseDescription

    __slots__ = ("description", "directory", "relative_name")

    def __init__(self, directory: Path, relative_name: str, description: CaseDescription) -> None:
        object.__setattr__(self, "directory", directory)
        object.__setattr__(self, "relative_name", relative_name)
        object.__setattr__(self, "description", description)

    @property
    def input_dir(self) -> Path:
        return self.directory / INPUT_DIR

    @property
    def expected_output_dir(self) -> Path:
        return self.directory / EXPECTED_OUTPUT_DIR

    @property
    def display_name(self) -> str:
        return f"{self.relative_name} ({self.description.test_name})"


def parse_case_description(wire: Any, source: str) -> CaseDescription:
    """Validate a decoded ``test.yaml``; every problem is reported with its field path."""
    if not isinstance(wire, dict):
        raise InvalidInput(source, ["must be a map with binaryName, testName, description, testType"])
    problems: list[str] = [f"{key}: Forbidden: unknown field" for key in sorted(set(wire) - _KNOWN_FIELDS)]

    def text(key: str, required: bool) -> str:
        value = wire.get(key)
        if value is None:
            if required:
                problems.append(f"{key}: Required value: must be present")
            return ""
        if not isinstance(value, str):
            problems.append(f"{key}: Invalid value: {value!r}: must be a string")
            return ""
        if required and key != "description" and not value.strip():
            problems.append(f"{key}: Required value: must not be empty")
        return value

    binary_name = text("binaryName", True)
    test_name = text("testName", True)
    description = text("description", True)
    test_type = text("testType", True)
    if test_type and test_type != APPLY_CONFIGURATION:
        problems.append(
            f"testType: Unsupported value: {test_type!r}: supported values: {APPLY_CONFIGURATION!r}"
        )
    desired_error = text("desiredError", False)
    if desired_error not in ("", NON_ZERO_RETURN):
        problems.append(
            f"desiredError: Unsupported value: {desired_error!r}: supported values: '', 'NonZeroReturn'"
        )
    now = text("now", False)
    if now and not _RFC3339.match(now):
        problems.append(f"now: Invalid value: {now!r}: must be an RFC 3339 time such as 2024-10-14T22:38:20Z")
    controllers = _string_list(wire.get("controllers"), "controllers", problems)
    timeout = _timeout(wire.get("timeout"), problems)
    topologies: list[Topology] = []
    for i, value in enumerate(_string_list(wire.get("topologies"), "topologies", problems)):
        try:
            topologies.append(Topology(value))
        except ValueError:
            allowed = ", ".join(repr(t.value) for t in Topology)
            problems.append(f"topologies[{i}]: Unsupported value: {value!r}: supported values: {allowed}")
    if problems:
        raise InvalidInput(source, problems)
    return CaseDescription(
        binary_name=binary_name,
        test_name=test_name,
        description=description,
        test_type=test_type,
        desired_error=desired_error,
        now=now,
        controllers=controllers,
        timeout=timeout,
        topologies=tuple(dict.fromkeys(topologies)),
    )


def _string_list(value: Any, key: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(f"{key}: Invalid value: {value!r}: must be a list of strings")
        return ()
    items: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item:
            problems.append(f"{key}[{i}]: Invalid value: {item!r}: must be a non-empty string")
        else:
            items.append(item)
    return tuple(items)


def _timeout(value: Any, problems: list[str]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        problems.append(f"timeout: Invalid value: {value!r}: must be a positive number of seconds")
        return None
    return float(value)


def discover_cases(test_root: Path) -> list[Case]:
    """Every test below ``test_root``, sorted by directory; all problems raised together.

    Raises :class:`InvalidInput` naming each bad ``test.yaml`` (file + field path) and each
    test directory without ``input-dir/``. Directories inside a test (its input or expected
    output) are not searched for further tests.
    """
    if not test_root.is_dir():
        raise InvalidInput(str(test_root), ["test directory does not exist"])
    problems: list[str] = []
    cases: list[Case] = []
    for test_file in sorted(_test_files(test_root)):
        try:
            cases.append(load_case(test_file.parent, test_root))
        except InvalidInput as exc:
            problems.append(str(exc))
    if problems:
        raise InvalidInput("", problems)
    if not cases:
        raise InvalidInput(str(test_root), [f"no {TEST_FILE} found below this directory"])
    return cases


def _test_files(test_root: Path) -> list[Path]:
    """Every ``test.yaml`` below ``test_root``, not searching input or expected output
    directories (their trees can be large) nor following links to directories."""
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(test_root):
        if TEST_FILE in files:
            found.append(Path(directory, TEST_FILE))
        subdirectories[:] = [d for d in subdirectories if d not in (INPUT_DIR, EXPECTED_OUTPUT_DIR)]
    return found


def load_case(directory: Path, test_root: Path) -> Case:
    """Read and validate one test directory."""
    test_file = directory / TEST_FILE
    source = str(test_file)
    try:
        data = test_file.read_bytes()
    except OSError as exc:
        raise InvalidInput(source, [f"cannot read: {exc.strerror}"]) from exc
    description = parse_case_description(load_document(data, source), source)
    if not (directory / INPUT_DIR).is_dir():
        raise InvalidInput(
            str(directory), [f"{INPUT_DIR}/: Required value: test directory has no {INPUT_DIR}/"]
        )
    relative = directory.relative_to(test_root).as_posix()
    return Case(
        directory=directory,
        relative_name=relative if relative != "." else directory.name,
        description=description,
    )


def matches_filter(case: Case, substring: str) -> bool:
    """``-k`` selection: a substring of the test's directory or of its testName."""
    return not substring or substring in case.relative_name or substring in case.description.test_name
