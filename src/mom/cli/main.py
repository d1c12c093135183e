"""``mom``: one entry point, a sub-command per capability, one clear line per error.

A command's module may offer ``read_arguments(verbose, arguments)``: the parsed arguments of a
well-formed command line, read without :mod:`argparse` (whose import, translation machinery
and help formatter cost a short command more than its start), or ``None``, and argparse reads
it and words any error. ``mom test`` does, so the first operator of a suite starts sooner.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from mom import __version__
from mom.api.errors import MomError
from mom.api.exits import exit_with, settle_imports
from mom.api.logs import configure_logging

if TYPE_CHECKING:
    import argparse

# Which module registers each sub-command. Only the module of the command being run is
# imported, so `mom get` never pays for the manager or the HTTP stack; `mom --help` imports all.
COMMAND_MODULES: dict[str, str] = {
    "get": "mom.cli.snapshot",
    "api-resources": "mom.cli.snapshot",
    "mutations": "mom.cli.mutations",
    "create-input-resources": "mom.cli.inputs",
    "input-digest": "mom.cli.inputs",
    "check-input-resources": "mom.cli.inputcheck",
    "test": "mom.cli.testing",
    "run": "mom.cli.run",
    "serve": "mom.cli.serve",
    "use": "mom.cli.use",
    "etcd": "mom.cli.diagnostics",
    "alerts": "mom.cli.diagnostics",
    "certificates": "mom.cli.diagnostics",
    "clusteroperators": "mom.cli.diagnostics",
    "journal": "mom.cli.journal",
    "apply": "mom.cli.apply",
    "rbac": "mom.cli.rbac",
    "static-pods": "mom.cli.staticpods",
    "launcher": "mom.cli.launcher",
    "completion": "mom.cli.completion",
    "envtest": "mom.cli.envtest",
    "deploy": "mom.cli.deploy",
}

Handler = Callable[["argparse.Namespace"], int]

QUICK_EXIT_COMMANDS = frozenset(
    {
        "get",
        "api-resources",
        "mutations",
        "create-input-resources",
        "input-digest",
        "test",
        "etcd",
        "alerts",
        "certificates",
        "clusteroperators",
        "journal",
        "apply",
        "rbac",
        "completion",
    }
)
"""Commands that run only mom's own code in this process, so they may end through
:func:`mom.api.exits.exit_with`. The others may run an operator's code in-process (``run``,
``check-input-resources``, ``static-pods``...) or start what outlives a command, and end as
Python ends."""


class UsageError(MomError):
    """A command line that cannot be run as written (exit code 2)."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv`` naming a known command, only that command's module is loaded."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="mom",
        description="Multi-Operator Manager: run operators as functions of declared inputs.",
    )
    parser.add_argument("--version", action="version", version=f"mom {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (repeatable)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    arguments = list(argv or ())
    wanted = COMMAND_MODULES.get(_command(arguments) or "")
    if wanted:
        modules = [wanted]
    elif "--version" in arguments:
        modules = []
    else:  # --help, or a mistyped command: list them all
        modules = list(dict.fromkeys(COMMAND_MODULES.values()))
    for module_name in modules:
        importlib.import_module(module_name).register(commands)
    if not wanted or any(_asks_for_help(arg) for arg in arguments):
        from mom.cli.helptext import explain  # descriptions and examples only show in help

        explain(parser)
    return parser


def _command(arguments: Sequence[str]) -> str | None:
    """The sub-command ``arguments`` name: the first that is not an option."""
    return next((arg for arg in arguments if not arg.startswith("-")), None)


def _asks_for_help(argument: str) -> bool:
    """Whether ``argument`` may be argparse's help option: ``-h`` (alone or among short flags),
    or ``--help`` or a prefix of it argparse accepts. Other arguments may match too: the help
    text is then prepared for nothing, never missing."""
    if argument.startswith("--"):
        return len(argument) > 2 and "--help".startswith(argument.split("=", 1)[0])
    return argument.startswith("-") and "h" in argument


def read_without_argparse(arguments: Sequence[str]) -> Any:
    """``arguments`` parsed by their command module's ``read_arguments``, when it has one and
    the command line is well formed; ``None`` otherwise. Only ``-v``/``--verbose`` may come
    before the command."""
    verbose = 0
    for position, argument in enumerate(arguments):
        if argument in ("-v", "--verbose", "-vv"):
            verbose += 2 if argument == "-vv" else 1
            continue
        module_name = COMMAND_MODULES.get(argument)
        if module_name is None:
            return None
        reader = getattr(importlib.import_module(module_name), "read_arguments", None)
        return reader(verbose, arguments[position + 1 :]) if reader is not None else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = read_without_argparse(arguments)
    if args is None:
        args = build_parser(arguments).parse_args(arguments)
    configure_logging(args.verbose)
    handler: Handler = args.handler
    try:
        return handler(args)
    except UsageError as exc:
        build_parser(arguments).exit(2, f"mom: error: {exc}\n")
    except MomError as exc:
        print(f"mom: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("mom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def run() -> None:
    """The ``mom`` console command: :func:`main`, then the process ends. A command of
    :data:`QUICK_EXIT_COMMANDS` has its module imported and settled first (no collection walks
    those objects again) and ends through :func:`mom.api.exits.exit_with`."""
    arguments = sys.argv[1:]
    command = _command(arguments)
    quick = command in QUICK_EXIT_COMMANDS
    if quick:
        importlib.import_module(COMMAND_MODULES[str(command)])
        settle_imports()
    code = main(arguments)
    if quick:
        exit_with(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
