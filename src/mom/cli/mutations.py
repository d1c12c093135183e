"""`mom mutations`: look at and compare recorded mutations.

``mom mutations diff EXPECTED_DIR ACTUAL_DIR`` compares two apply-configuration output
directories (controller results plus one mutation directory per cluster type, events ignored)
or two plain mutation directories (every request compared); exit 1 when they differ.
``mom mutations show DIR [-o text|yaml|json]`` lists the recorded requests, one per line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mom.api.cluster import ALL_ACTIONS
from mom.api.errors import InvalidInput
from mom.mutationdir.directory import read_mutation_dir
from mom.mutationdir.equivalence import (
    compare_outputs,
    compare_requests,
    field_manager_of,
    render_differences,
)
from mom.mutationdir.output import describe_entries, is_output_dir, read_mutation_dirs
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

_ACTION_DIRS = frozenset(action.value for action in ALL_ACTIONS)


def register(commands: Any) -> None:
    """Add ``mom mutations diff`` and ``mom mutations show``."""
    parser = commands.add_parser("mutations", help="show and compare recorded mutation directories")
    sub = parser.add_subparsers(dest="mutations_command", metavar="SUBCOMMAND")
    sub.required = True

    diff = sub.add_parser(
        "diff",
        help="compare two apply-configuration outputs or mutation directories (exit 1 when different)",
    )
    diff.add_argument("expected_dir", type=Path, metavar="EXPECTED_DIR")
    diff.add_argument("actual_dir", type=Path, metavar="ACTUAL_DIR")
    diff.set_defaults(handler=run_diff)

    show = sub.add_parser(
        "show", help="list the requests of an apply-configuration output or mutation directory"
    )
    show.add_argument("directory", type=Path, metavar="DIR")
    show.add_argument(
        "-o", "--output", choices=("text", "yaml", "json"), default="text", help="output format"
    )
    show.set_defaults(handler=run_show)


def _shape(directory: Path) -> str:
    """``output``, ``mutations`` or ``empty``; refuses anything else with one clear line."""
    if not directory.is_dir():
        raise InvalidInput(str(directory), ["not a directory"])
    names = {entry.name for entry in directory.iterdir()}
    if is_output_dir(names):
        return "output"
    if names & _ACTION_DIRS:
        return "mutations"
    if not names:
        return "empty"
    raise InvalidInput(
        str(directory),
        [
            f"neither an apply-configuration output ({describe_entries()}) "
            "nor a mutation directory (Create/, Update/, Apply/, ...)"
        ],
    )


def run_diff(args: argparse.Namespace) -> int:
    shapes = {_shape(args.expected_dir), _shape(args.actual_dir)}
    if "output" in shapes:
        differences = compare_outputs(args.expected_dir, args.actual_dir)
    else:
        differences = compare_requests(
            read_mutation_dir(args.expected_dir), read_mutation_dir(args.actual_dir), ignore_events=False
        )
    sys.stdout.write(render_differences(differences))
    return 1 if differences else 0


def _describe(request: MutationRequest) -> str:
    controller = request.controller_instance_name or '""'
    field_manager = field_manager_of(request) or '""'
    return f"{request.identity}  controller={controller}  fieldManager={field_manager}"


def _wire(request: MutationRequest, cluster_type: str | None) -> dict[str, Any]:
    wire: dict[str, Any] = {} if cluster_type is None else {"clusterType": cluster_type}
    wire.update(
        {
            "request": request.identity,
            "controller": request.controller_instance_name,
            "fieldManager": field_manager_of(request),
        }
    )
    return wire


def run_show(args: argparse.Namespace) -> int:
    directory: Path = args.directory
    located: list[tuple[str | None, MutationRequest]] = []
    if _shape(directory) == "output":
        for name, requests in read_mutation_dirs(directory).items():
            located.extend((name, request) for request in requests)
    else:
        located.extend((None, request) for request in read_mutation_dir(directory))
    if args.output == "yaml":
        sys.stdout.write(dump_go_yaml([_wire(r, name) for name, r in located]))
    elif args.output == "json":
        sys.stdout.write(dump_json([_wire(r, name) for name, r in located], indent=True).decode() + "\n")
    else:
        for cluster_type, request in located:
            print(_describe(request) if cluster_type is None else f"[{cluster_type}] {_describe(request)}")
    return 0
