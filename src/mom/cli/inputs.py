"""``mom create-input-resources``, ``mom input-digest`` and ``mom check-input-resources``.

``create-input-resources from-must-gather`` and ``from-cluster`` gather an input-resources
declaration into an input directory, print a one-line summary on stdout and each object not
found as a warning on stderr. ``input-digest`` prints the digest of an input directory.
``check-input-resources`` tells an operator's author which objects the operator needs but does
not declare; it exits 0 when there are none, 1 when there are, and 2 when it cannot check
(bad flags, a missing must-gather, an executable that is not an operator).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import MomError
from mom.cli.main import UsageError
from mom.inputs import (
    GatheredInputs,
    directory_digest,
    gather_inputs,
    input_digest,
    load_input_resources,
    prune_must_gather,
    write_input_dir,
)

if TYPE_CHECKING:
    from mom.manager.inputcheck import InputCheckOptions


@dataclass(frozen=True)
class GatherOptions:
    input_resources: Path
    output_dir: Path
    must_gather_dir: Path | None = None
    kubeconfig: Path | None = None
    context: str | None = None


def register(commands: Any) -> None:
    """Add ``create-input-resources`` and ``input-digest`` to ``commands``."""
    create = commands.add_parser(
        "create-input-resources",
        help="gather an operator's declared inputs into an input directory",
        description="Gather the objects an input-resources document declares into an input directory.",
    )
    sources = create.add_subparsers(dest="source", metavar="SOURCE")
    sources.required = True

    from_must_gather = sources.add_parser("from-must-gather", help="gather from a must-gather directory")
    from_must_gather.add_argument(
        "--must-gather-dir", type=Path, required=True, help="must-gather tree to read"
    )
    _add_common(from_must_gather)
    from_must_gather.set_defaults(handler=_run_from_must_gather)

    from_cluster = sources.add_parser("from-cluster", help="gather from a live cluster")
    from_cluster.add_argument("--kubeconfig", type=Path, required=True, help="kubeconfig file")
    from_cluster.add_argument("--context", default=None, help="kubeconfig context (default: current)")
    _add_common(from_cluster)
    from_cluster.set_defaults(handler=_run_from_cluster)

    digest = commands.add_parser(
        "input-digest",
        help="print the digest of an input directory",
        description="Print the SHA-256 digest of the objects of an input directory.",
    )
    digest.add_argument("--input-dir", type=Path, required=True, help="input directory (must-gather layout)")
    digest.set_defaults(handler=_run_input_digest)

    _register_check(commands)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--input-resources", type=Path, required=True, help="input-resources document (YAML or JSON)"
    )
    parser.add_argument("--output-dir", type=Path, required=True, help="input directory to write")


def _options(args: argparse.Namespace) -> GatherOptions:
    return GatherOptions(
        input_resources=args.input_resources,
        output_dir=args.output_dir,
        must_gather_dir=getattr(args, "must_gather_dir", None),
        kubeconfig=getattr(args, "kubeconfig", None),
        context=getattr(args, "context", None),
    )


def _run_from_must_gather(args: argparse.Namespace) -> int:
    options = _options(args)
    assert options.must_gather_dir is not None
    spec = load_input_resources(options.input_resources)
    gathered = prune_must_gather(options.must_gather_dir, spec, options.output_dir)
    return _report(gathered, options.output_dir)


def _run_from_cluster(args: argparse.Namespace) -> int:
    from mom.live.source import LiveSource  # the HTTP stack only for live clusters
    from mom.live.transport import LiveTransport

    options = _options(args)
    assert options.kubeconfig is not None
    spec = load_input_resources(options.input_resources)
    transport = LiveTransport(options.kubeconfig, options.context)
    try:
        gathered = gather_inputs(LiveSource(transport), spec)
    finally:
        transport.close()
    write_input_dir(gathered, options.output_dir)
    return _report(gathered, options.output_dir)


def _report(gathered: GatheredInputs, output_dir: Path) -> int:
    for description in gathered.missing:
        print(f"mom: warning: {description}", file=sys.stderr)
    print(
        f"{len(gathered.objects)} objects written to {output_dir}, {len(gathered.missing)} missing,"
        f" digest {input_digest(gathered)}"
    )
    return 0


def _run_input_digest(args: argparse.Namespace) -> int:
    print(directory_digest(args.input_dir))
    return 0


CHECK_OUTPUTS = ("text", "json", "yaml")


def _register_check(commands: Any) -> None:
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
