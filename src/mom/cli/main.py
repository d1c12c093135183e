"""``mom``: one entry point, a sub-command per capability, one clear line per error."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from mom import __version__
from mom.api.errors import MomError

# Each module registers its sub-commands; imported lazily so `mom get` never pays for `mom test`.
COMMAND_MODULES: tuple[str, ...] = (
    "mom.cli.snapshot",
    "mom.cli.mutations",
    "mom.cli.inputs",
    "mom.cli.testing",
    "mom.cli.run",
    "mom.cli.serve",
    "mom.cli.journal",
    "mom.cli.apply",
    "mom.cli.rbac",
)

Handler = Callable[[argparse.Namespace], int]


class UsageError(MomError):
    """A command line that cannot be run as written (exit code 2)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mom",
        description="Multi-Operator Manager: run operators as functions of declared inputs.",
    )
    parser.add_argument("--version", action="version", version=f"mom {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (repeatable)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    for module_name in COMMAND_MODULES:
        module = importlib.import_module(module_name)
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except UsageError as exc:
        parser.exit(2, f"mom: error: {exc}\n")
    except MomError as exc:
        print(f"mom: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
