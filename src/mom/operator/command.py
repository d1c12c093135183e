"""The command line every :class:`Operator` gets for free: the operator contract.

``input-resources`` and ``output-resources`` print the declared documents;
``apply-configuration --input-dir --output-dir --now --controllers`` runs the operator once.
Flag names are the Go ones, so the Go harness and ``mom test`` drive any operator alike.
This module is a command-line boundary: it alone reads the wall clock (for a missing --now).

A well-formed command line is read without argparse (which loads its translation machinery):
an operator run as a subprocess pays only for what the run needs. Anything else — help, an
unknown or abbreviated flag, a missing value — goes to argparse, which words every message.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mom.api.errors import InvalidInput, MomError
from mom.api.logs import configure_logging
from mom.api.values import Frozen
from mom.operator.apply_configuration import ApplyConfigurationOptions, apply_configuration
from mom.operator.operator import Operator
from mom.operator.selection import parse_controllers_flag
from mom.serialization import dump_go_yaml

if TYPE_CHECKING:
    import argparse

COMMANDS = ("input-resources", "output-resources", "apply-configuration")
_VALUE_FLAGS = ("--input-dir", "--output-dir", "--now", "--controllers", "--seed")


class ContractArguments(Frozen):
    """One parsed command line of the operator contract."""

    command: str
    verbose: int
    input_dir: Path
    output_dir: Path
    now: str | None
    controllers: tuple[str, ...]
    seed: int | None

    __slots__ = ("command", "controllers", "input_dir", "now", "output_dir", "seed", "verbose")

    def __init__(
        self,
        command: str,
        verbose: int = 0,
        input_dir: Path = Path(),
        output_dir: Path = Path(),
        now: str | None = None,
        controllers: tuple[str, ...] = (),
        seed: int | None = None,
    ) -> None:
        object.__setattr__(self, "command", command)
        object.__setattr__(self, "verbose", verbose)
        object.__setattr__(self, "input_dir", input_dir)
        object.__setattr__(self, "output_dir", output_dir)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "controllers", controllers)
        object.__setattr__(self, "seed", seed)


def parse_now(text: str) -> datetime:
    """An RFC 3339 instant with a zone (``2024-10-14T22:38:20Z``), as the ``--now`` flag takes."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput("--now", [f"Invalid value: {text!r}: not an RFC 3339 time"]) from exc
    if moment.tzinfo is None:
        raise InvalidInput("--now", [f"Invalid value: {text!r}: RFC 3339 needs a zone, e.g. 'Z'"])
    return moment.astimezone(UTC)


def format_now(moment: datetime) -> str:
    """The ``--now`` text for an instant: RFC 3339 in UTC with a ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S") + (
        f".{moment.microsecond:06d}Z" if moment.microsecond else "Z"
    )


def build_parser(operator: Operator) -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(prog=operator.name, description=f"The {operator.name} operator.")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("input-resources", help="print the resources this operator reads")
    commands.add_parser("output-resources", help="print the resources this operator may write")
    apply = commands.add_parser("apply-configuration", help="run the controllers once on an input directory")
    apply.add_argument("--input-dir", required=True, type=Path, help="must-gather tree of the inputs")
    apply.add_argument("--output-dir", required=True, type=Path, help="where mutations and results go")
    apply.add_argument("--now", help="RFC 3339 time the controllers see (default: the current time)")
    apply.add_argument(
        "--controllers",
        action="append",
        default=[],
        help="'*', 'name' or '-name', comma separated or repeated (default '*')",
    )
    apply.add_argument("--seed", type=int, help="controller order seed (default: derived from --now)")
    return parser


_parsers: dict[int, tuple[Operator, argparse.ArgumentParser]] = {}


def _parser_for(operator: Operator) -> argparse.ArgumentParser:
    """``operator``'s parser, built once: argparse looks up translations on disk while building."""
    known = _parsers.get(id(operator))
    if known is None or known[0] is not operator:
        known = _parsers[id(operator)] = (operator, build_parser(operator))
    return known[1]


def read_arguments(argv: Sequence[str]) -> ContractArguments | None:
    """``argv`` as the contract's parser reads it, when it is well formed and asks for no help;
    ``None`` for anything else (argparse then reads it, and words the error)."""
    verbose, position = 0, 0
    while position < len(argv) and argv[position] in ("-v", "--verbose", "-vv"):
        verbose += 2 if argv[position] == "-vv" else 1
        position += 1
    if position >= len(argv) or argv[position] not in COMMANDS:
        return None
    command, rest = argv[position], argv[position + 1 :]
    if command != "apply-configuration":
        return ContractArguments(command, verbose) if not rest else None
    values: dict[str, list[str]] = {flag: [] for flag in _VALUE_FLAGS}
    index = 0
    while index < len(rest):
        flag, equals, value = rest[index].partition("=")
        if flag not in values:
            return None
        if not equals:
            index += 1
            if index >= len(rest) or rest[index].startswith("-"):
                return None
            value = rest[index]
        values[flag].append(value)
        index += 1
    if not values["--input-dir"] or not values["--output-dir"]:
        return None
    seed = values["--seed"][-1] if values["--seed"] else None
    if seed is not None and not _is_decimal(seed):
        return None
    return ContractArguments(
        command,
        verbose,
        input_dir=Path(values["--input-dir"][-1]),
        output_dir=Path(values["--output-dir"][-1]),
        now=values["--now"][-1] if values["--now"] else None,
        controllers=tuple(values["--controllers"]),
        seed=int(seed) if seed is not None else None,
    )


def _is_decimal(text: str) -> bool:
    digits = text[1:] if text[:1] in ("-", "+") else text
    return digits.isascii() and digits.isdigit()


def _parsed(operator: Operator, argv: Sequence[str] | None) -> ContractArguments:
    arguments = list(sys.argv[1:] if argv is None else argv)
    fast = read_arguments(arguments)
    if fast is not None:
        return fast
    args = _parser_for(operator).parse_args(arguments)
    return ContractArguments(
        args.command,
        args.verbose,
        input_dir=getattr(args, "input_dir", Path()),
        output_dir=getattr(args, "output_dir", Path()),
        now=getattr(args, "now", None),
        controllers=tuple(getattr(args, "controllers", ())),
        seed=getattr(args, "seed", None),
    )


def run_command(operator: Operator, argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run one of the three contract commands; returns the exit code."""
    args = _parsed(operator, argv)
    configure_logging(args.verbose)
    try:
        if args.command == "input-resources":
            sys.stdout.write(dump_go_yaml(operator.input_resources().to_wire()))
            return 0
        if args.command == "output-resources":
            sys.stdout.write(dump_go_yaml(operator.outputs.to_wire()))
            return 0
        return _apply_configuration(operator, args)
    except InvalidInput as exc:
        if exc.source == "--controllers":
            _parser_for(operator).exit(2, f"{operator.name}: error: {exc}\n")
        print(f"{operator.name}: error: {exc}", file=sys.stderr)
        return 1
    except MomError as exc:
        print(f"{operator.name}: error: {exc}", file=sys.stderr)
        return 1


def _apply_configuration(operator: Operator, args: ContractArguments) -> int:
    now = parse_now(args.now) if args.now else datetime.now(UTC).replace(microsecond=0)
    options = ApplyConfigurationOptions(
        input_dir=args.input_dir,
        output_dir=args.output_dir,
        now=now,
        controllers=tuple(parse_controllers_flag(list(args.controllers))),
        seed=args.seed,
    )
    if not options.input_dir.is_dir():
        raise InvalidInput(str(options.input_dir), ["--input-dir is not a directory"])
    result = apply_configuration(operator, options)
    print(
        f"controller order (seed {result.outcome.seed}): {', '.join(result.outcome.order)}",
        file=sys.stderr,
    )
    for problem in result.problems():
        print(f"{operator.name}: {problem}", file=sys.stderr)
    return 0 if result.succeeded else 1
