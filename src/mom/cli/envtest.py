"""``mom envtest``: start a real kube-apiserver and etcd on loopback and print a kubeconfig.

The binaries are built from their Go modules on first use and cached (see
:mod:`mom.envtest.binaries`); ``--build-only`` just does that. The control plane runs until
SIGINT or SIGTERM, then stops and its directory is removed. The kubeconfig goes to stdout
(and to ``--kubeconfig-out``); one line on stderr says where it serves and what to try.
"""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from mom.api.errors import InvalidInput, MomError


def register(commands: Any) -> None:
    """Add ``mom envtest``."""
    parser = commands.add_parser("envtest", help="run a real kube-apiserver and etcd and print a kubeconfig")
    parser.add_argument(
        "--crds",
        action="append",
        default=[],
        type=Path,
        metavar="DIR",
        help="install the CRDs of this directory (repeatable)",
    )
    parser.add_argument("--kubeconfig-out", type=Path, metavar="FILE", help="also write the kubeconfig here")
    parser.add_argument("--build-only", action="store_true", help="build (or find) the binaries, then exit")
    parser.set_defaults(handler=run_envtest)


def _check(args: argparse.Namespace) -> None:
    for directory in args.crds:
        if not directory.is_dir():
            raise InvalidInput(str(directory), ["--crds: not a directory"])
    out: Path | None = args.kubeconfig_out
    if out is not None and (out.is_dir() or not out.parent.is_dir()):
        raise InvalidInput(str(out), ["--kubeconfig-out: must be a file in an existing directory"])


def _first_line(exc: Exception) -> str:
    """The cause without the log tail that follows it."""
    return (str(exc).splitlines() or [""])[0].rstrip(":")


def run_envtest(args: argparse.Namespace) -> int:
    from mom.envtest.binaries import BuildError, ensure
    from mom.envtest.cluster import ClusterError, running
    from mom.envtest.crds import crd_files, install_crds

    _check(args)
    try:
        binaries = ensure(progress=sys.stderr)
    except BuildError as exc:
        raise MomError(f"kube-apiserver and etcd could not be built: {_first_line(exc)}") from exc
    if args.build_only:
        print(f"kube-apiserver {binaries.kube_apiserver}\netcd {binaries.etcd}")
        return 0
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="mom-envtest-") as scratch:
        try:
            with running(binaries, Path(scratch)) as cluster:
                install_crds(cluster, [path for directory in args.crds for path in crd_files(directory)])
                kubeconfig = cluster.kubeconfig.read_text()
                if args.kubeconfig_out is not None:
                    args.kubeconfig_out.write_text(kubeconfig)
                where = args.kubeconfig_out or cluster.kubeconfig
                sys.stdout.write(kubeconfig)
                sys.stdout.flush()
                print(
                    f"kube-apiserver {binaries.kubernetes_version} at {cluster.url} until Ctrl-C — "
                    f"kubectl --kubeconfig {where} get namespaces",
                    file=sys.stderr,
                    flush=True,
                )
                stop.wait()
        except ClusterError as exc:
            raise MomError(f"the control plane did not start: {_first_line(exc)}") from exc
    return 0
