"""``mom create-input-resources`` and ``mom input-digest``.

``create-input-resources from-must-gather`` and ``from-cluster`` gather an input-resources
declaration into an input directory, print a one-line summary on stdout and each object not
found as a warning on stderr. ``input-digest`` prints the digest of an input directory.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mom.inputs import (
    GatheredInputs,
    directory_digest,
    gather_inputs,
    input_digest,
    load_input_resources,
    prune_must_gather,
    write_input_dir,
)


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
