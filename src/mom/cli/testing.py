"""``mom test apply-configuration``: run golden test directories against an operator binary.

The flags take every spelling the Go harness takes (``--flag=value``, Go's boolean values, any
non-empty ``--preserve-policy``), so an operator repository's CI runs ``mom`` in its place
unchanged.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.cli.main import UsageError
from mom.testing.harness import DEFAULT_TIMEOUT, PreservePolicy, SuiteOptions, run_suite
from mom.testing.progress import TerminalProgress

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
