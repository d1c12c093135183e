"""`mom serve`: a must-gather as a kube-API endpoint for kubectl, client-go and any client.

``mom serve [--must-gather-dir DIR|ARCHIVE] [--output-dir DIR] [--address 127.0.0.1] [--port N]
[--mutable] [--tls] [--kubeconfig-out FILE] [--max-body-bytes N] [--request-timeout SECONDS]`` prints one line with the URL and a command to try,
then serves until SIGINT/SIGTERM. Writes are recorded as a mutation directory in ``--output-dir``,
rewritten after every write (nothing is lost if the server is killed). Without ``--mutable``
reads never see the writes; with it, writes change an in-memory overlay that reads and watches see.
With neither, writes are refused. Ages are counted from when the must-gather was taken
(:func:`mom.mustgather.gathered.gathered_at`), not from today.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.cli.source import add_source_option, open_must_gather


def register(commands: Any) -> None:
    """Add ``mom serve``."""
    parser = commands.add_parser(
        "serve", help="serve a must-gather as a kube API endpoint (kubectl, client-go)"
    )
    add_source_option(parser)
    parser.add_argument(
        "--output-dir", type=Path, metavar="DIR", help="write the recorded mutations here (empty or new)"
    )
    parser.add_argument("--address", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free one (default)")
    parser.add_argument(
        "--mutable", action="store_true", help="apply writes to an in-memory overlay that later reads see"
    )
    parser.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a generated self-signed certificate"
    )
    parser.add_argument(
        "--kubeconfig-out", type=Path, metavar="FILE", help="write a kubeconfig for the server"
    )
    parser.add_argument(
        "--max-body-bytes",
        type=int,
        default=3 * 1024 * 1024,
        metavar="N",
        help="refuse request bodies larger than this with 413, unread (default: %(default)s)",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="disconnect clients whose headers, or answer 408 to those whose body, take longer (default: %(default)s)",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the parsed-tree cache")
    parser.set_defaults(handler=run_serve)


def _check_output_dir(path: Path | None) -> None:
    if path is None:
        return
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise InvalidInput(str(path), ["--output-dir: must be a new or empty directory"])


def _check_limits(args: argparse.Namespace) -> None:
    problems = []
    if args.max_body_bytes < 1:
        problems.append(f"--max-body-bytes: must be at least 1, not {args.max_body_bytes}")
    if not 0 < args.request_timeout <= 24 * 3600:  # NaN fails both comparisons
        problems.append(f"--request-timeout: must be between 0 and 86400 seconds, not {args.request_timeout}")
    if problems:
        raise InvalidInput("", problems)


def run_serve(args: argparse.Namespace) -> int:
    # Imported here so other commands never pay for uvicorn and cryptography.
    from mom.mustgather.gathered import gathered_at
    from mom.server.intake import Limits
    from mom.server.runner import bind, build_app, serve, url_of
    from mom.server.tls import generate_certificate, kubeconfig

    _check_output_dir(args.output_dir)
    _check_limits(args)
    limits = Limits(max_body_bytes=args.max_body_bytes, request_timeout=args.request_timeout)
    snapshot = open_must_gather(args.must_gather_dir, use_cache=not args.no_cache)
    taken = gathered_at(snapshot)
    clock = (lambda: taken) if taken is not None else (lambda: datetime.now(UTC))
    app = build_app(snapshot, clock, args.output_dir, args.mutable, limits)
    sock = bind(args.address, args.port)
    with tempfile.TemporaryDirectory(prefix="mom-serve-") as scratch:
        certificate = (
            generate_certificate(Path(scratch), args.address, datetime.now(UTC)) if args.tls else None
        )
        url = url_of(sock, args.tls)
        config = kubeconfig(url, certificate.ca_pem if certificate else None)
        if args.tls and args.kubeconfig_out is None:
            args.kubeconfig_out = Path(scratch) / "kubeconfig"
        if args.kubeconfig_out is not None:
            args.kubeconfig_out.write_bytes(config)
            usage = f"kubectl --kubeconfig {args.kubeconfig_out} get clusteroperators"
        else:
            usage = f"kubectl --server {url} get clusteroperators"
        mode = "mutable" if args.mutable else "read-only, writes recorded"
        if not args.mutable and args.output_dir is None:
            mode = "read-only, writes refused: --output-dir DIR records them"
        print(
            f"serving {args.must_gather_dir or 'the must-gather in use'} at {url} ({mode}) — {usage}",
            flush=True,
        )
        if args.tls and args.kubeconfig_out.parent == Path(scratch):
            sys.stdout.write(config.decode("utf-8"))
            sys.stdout.flush()
        serve(
            app,
            sock,
            certificate.certfile if certificate else None,
            certificate.keyfile if certificate else None,
        )
    return 0
