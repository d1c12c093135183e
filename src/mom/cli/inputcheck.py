"""``mom check-input-resources``: which objects an operator needs but does not declare.

It exits 0 when there are none, 1 when there are, and 2 when it cannot check (bad flags, a
missing must-gather, an executable that is not an operator). A module of its own, so that
gathering (:mod:`mom.cli.inputs`) does not load the checker.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import MomError
from mom.cli.main import UsageError

if TYPE_CHECKING:
    from mom.manager.inputcheck import InputCheckOptions


CHECK_OUTPUTS = ("text", "json", "yaml")


def register(commands: Any) -> None:
    """Add ``check-input-resources`` to ``commands``."""
    from mom.manager.inputcheck import DEFAULT_TIMEOUT

    check = commands.add_parser(
        "check-input-resources",
        help="name the objects an operator needs but does not declare",
        description=(
            "Check an operator's input-resources against a must-gather. A Python operator (--python) "
            "runs in process with every read traced; an executable (--binary) runs apply-configuration "
            "on the whole must-gather (twice) and on its pruned declared inputs, and the runs are compared. "
            "Exit status: 0 nothing undeclared is needed, 1 something is, 2 the check could not run."
        ),
    )
    operator = check.add_mutually_exclusive_group(required=True)
    operator.add_argument("--binary", help="operator executable (path, or a name on PATH)")
    operator.add_argument("--python", metavar="MODULE:ATTR", help="an importable mom.operator.Operator")
    check.add_argument(
        "--must-gather-dir", type=Path, required=True, help="must-gather tree to check against"
    )
    check.add_argument("--now", help="RFC 3339 time the controllers see (default: the current time)")
    check.add_argument(
        "--controllers",
        action="append",
        default=[],
        help="'*', 'name' or '-name', comma separated or repeated (default '*')",
    )
    check.add_argument(
        "--output-dir",
        type=Path,
        help="keep an executable's pruned inputs and three outputs here (default: a temporary directory)",
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds each command of an executable may take (default {DEFAULT_TIMEOUT:g})",
    )
    check.add_argument("-o", "--output", choices=CHECK_OUTPUTS, default="text", help="report format")
    check.set_defaults(handler=_run_check)


def _check_options(args: argparse.Namespace) -> InputCheckOptions:
    from mom.manager.inputcheck import InputCheckOptions
    from mom.operator.command import parse_now
    from mom.operator.selection import parse_controllers_flag

    if not args.must_gather_dir.is_dir():
        raise UsageError(f"--must-gather-dir {args.must_gather_dir}: not a directory")
    if args.output_dir is not None and args.output_dir.exists() and any(args.output_dir.iterdir()):
        raise UsageError(f"--output-dir {args.output_dir}: must be absent or empty")
    if args.python and args.output_dir is not None:
        raise UsageError("--output-dir keeps the runs of a --binary; a --python operator runs in process")
    if not args.timeout > 0:
        raise UsageError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    try:
        now = parse_now(args.now) if args.now else datetime.now(UTC).replace(microsecond=0)
    except MomError as exc:
        raise UsageError(str(exc)) from exc
    return InputCheckOptions(
        must_gather_dir=args.must_gather_dir,
        now=now,
        python=args.python or "",
        binary=args.binary or "",
        controllers=tuple(parse_controllers_flag(args.controllers)),
        output_dir=args.output_dir,
        timeout=args.timeout,
        working_dir=Path.cwd(),
    )


def _run_check(args: argparse.Namespace) -> int:
    from mom.manager.inputcheck import check_input_resources
    from mom.serialization import dump_go_yaml, dump_json

    options = _check_options(args)
    try:
        report = check_input_resources(options, _progress if sys.stderr.isatty() else _quiet)
    except MomError as exc:  # exit 1 means "undeclared inputs": a check that cannot run is 2
        first, *more = str(exc).strip().splitlines() or [""]
        print(f"mom: error: {first}{' ...' if more else ''}", file=sys.stderr)
        return 2
    if args.output == "json":
        print(dump_json(report.to_wire()).decode())
    elif args.output == "yaml":
        sys.stdout.write(dump_go_yaml(report.to_wire()))
    else:
        sys.stdout.write(report.render())
    return 0 if report.complete else 1


def _progress(message: str) -> None:
    print(f"mom: {message}", file=sys.stderr, flush=True)


def _quiet(message: str) -> None:
    del message
