"""``mom test apply-configuration``: run golden test directories against an operator binary.

The flags take every spelling the Go harness takes (``--flag=value``, Go's boolean values, any
non-empty ``--preserve-policy``), so an operator repository's CI runs ``mom`` in its place
unchanged. A well-formed command line of exact flag names is read without argparse
(:func:`read_arguments`), so the first operator starts sooner.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput
from mom.cli.main import UsageError
from mom.testing.harness import DEFAULT_TIMEOUT, PreservePolicy, SuiteOptions, run_suite
from mom.testing.progress import TerminalProgress

if TYPE_CHECKING:
    import argparse

JUNIT_FILE = "junit.xml"

_GO_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}
"""Every spelling Go's strconv.ParseBool accepts, so Go-style ``--flag=value`` works unchanged."""


def go_bool(flag: str, value: str) -> bool:
    """A boolean flag value spelled as Go accepts it; anything else is a usage error."""
    try:
        return _GO_BOOLS[value]
    except KeyError:
        raise UsageError(
            f"{flag}: invalid boolean value {value!r} (use true/false, t/f, 1/0, TRUE/FALSE or True/False)"
        ) from None


def register(commands: Any) -> None:
    """Add ``mom test apply-configuration`` to ``commands`` (an argparse sub-parsers action)."""
    test = commands.add_parser("test", help="run golden tests of operators")
    kinds = test.add_subparsers(dest="test_kind", metavar="KIND")
    kinds.required = True
    parser = kinds.add_parser(
        "apply-configuration",
        help="run every test directory (test.yaml, input-dir/, expected-output/) below --test-dir",
        description=(
            "Run each test directory's operator apply-configuration, compare its output with "
            "expected-output/ (events ignored), write junit.xml and exit non-zero on any failure."
        ),
    )
    parser.add_argument("--test-dir", required=True, type=Path, help="directory searched for test.yaml files")
    parser.add_argument(
        "--output-dir", required=True, type=Path, help="where actual outputs and junit.xml go"
    )
    parser.add_argument(
        "--replace-expected-output",
        nargs="?",
        const="true",
        default="false",
        metavar="BOOL",
        help="rewrite each test's expected-output/ from the actual output (also =true/=false, as in Go)",
    )
    parser.add_argument("--binary", help="operator executable to run instead of each test's binaryName")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds per test unless its test.yaml sets timeout (default {DEFAULT_TIMEOUT:g})",
    )
    parser.add_argument(
        "--preserve-policy",
        default="",
        metavar="POLICY",
        help=(
            "which per-test output directories to keep: KeepOnFailure (the default, also for an "
            "empty value), KeepAlways, Never; any other value keeps them all, as in Go"
        ),
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="run up to N operators at once (default 1: one test after another); results stay in order",
    )
    parser.add_argument(
        "-k", dest="name_filter", default="", help="only tests whose directory or testName contains this"
    )
    parser.set_defaults(handler=run_apply_configuration_tests)


_VALUE_FLAGS = {
    "--test-dir": ("test_dir", Path),
    "--output-dir": ("output_dir", Path),
    "--binary": ("binary", str),
    "--timeout": ("timeout", float),
    "--preserve-policy": ("preserve_policy", str),
    "--jobs": ("jobs", int),
    "-k": ("name_filter", str),
}
"""Flag -> (attribute, type) of the flags that take one value, as :func:`register` declares them."""


def read_arguments(verbose: int, arguments: Sequence[str]) -> SimpleNamespace | None:
    """What argparse reads from ``mom test`` + ``arguments`` when they are well formed: exact
    flag names, each value after ``=`` or as the next argument (``-k`` only that way), and
    ``--replace-expected-output`` alone or with ``=``; ``None`` for anything else (help, an
    abbreviation, a value that looks like a flag, a bad number...), which argparse then reads."""
    if not arguments or arguments[0] != "apply-configuration":
        return None
    values: dict[str, Any] = {
        "command": "test",
        "test_kind": "apply-configuration",
        "verbose": verbose,
        "replace_expected_output": "false",
        "binary": None,
        "timeout": DEFAULT_TIMEOUT,
        "preserve_policy": "",
        "jobs": 1,
        "name_filter": "",
        "handler": run_apply_configuration_tests,
    }
    rest = list(arguments[1:])
    index = 0
    while index < len(rest):
        flag, equals, value = rest[index].partition("=")
        index += 1
        if flag == "--replace-expected-output":
            values["replace_expected_output"] = value if equals else "true"
            if not equals and index < len(rest) and not rest[index].startswith("--"):
                return None  # argparse would take the next argument as the value
            continue
        known = _VALUE_FLAGS.get(flag)
        if known is None or (equals and flag == "-k"):
            return None
        if not equals:
            if index >= len(rest) or rest[index].startswith("-"):
                return None
            value = rest[index]
            index += 1
        attribute, kind = known
        try:
            values[attribute] = kind(value)
        except ValueError:
            return None
    if "test_dir" not in values or "output_dir" not in values:
        return None
    return SimpleNamespace(**values)


def run_apply_configuration_tests(args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        raise InvalidInput("--timeout", [f"must be a positive number of seconds, not {args.timeout:g}"])
    options = SuiteOptions(
        test_dir=args.test_dir,
        output_dir=args.output_dir,
        working_dir=Path.cwd(),
        binary=args.binary,
        timeout=args.timeout,
        replace_expected_output=go_bool("--replace-expected-output", args.replace_expected_output),
        preserve_policy=PreservePolicy.from_flag(args.preserve_policy),
        name_filter=args.name_filter,
        jobs=args.jobs,
    )
    progress = TerminalProgress(sys.stderr, interactive=sys.stderr.isatty())
    suite = run_suite(options, progress, clock=time.monotonic)
    progress.finish()
    from mom.testing.junit import write_junit  # XML is needed only once every case has run

    write_junit(suite, args.output_dir / JUNIT_FILE)
    failed = [result for result in suite.results if not result.passed]
    for result in failed:
        sys.stderr.write("\n" + result.failure_report())
    if failed:
        sys.stderr.write("\n")
    sys.stderr.flush()
    print(suite.summary_line(), flush=True)
    return 0 if suite.ok else 1
