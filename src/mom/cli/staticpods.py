"""``mom static-pods``: the static pod controller's two parts and its operator contract.

* ``mom static-pods operator --operand FILE COMMAND...`` is the cluster part as an operator
  executable (``input-resources``, ``output-resources``, ``apply-configuration``), so ``mom run``
  runs it like any operator (``command: [mom, static-pods, operator, --operand, FILE]``).
* ``mom static-pods controller --operand FILE --kubeconfig FILE`` runs the same controller as a
  small standing loop against a live cluster (``--once`` for one pass).
* ``mom static-pods node --operand FILE --node NAME --resources-dir DIR --manifests-dir DIR
  --kubeconfig FILE`` keeps one node on its target revision: installs, checks readiness (the
  mirror pod, or ``--probe-url``), falls back after ``--ready-timeout`` seconds; one line per pass.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, MomError
from mom.client.client import Client
from mom.live.transport import LiveTransport
from mom.operator.command import run_command
from mom.staticpod.controller import static_pod_operator
from mom.staticpod.installer import Installer
from mom.staticpod.loop import run_pass
from mom.staticpod.node import ApiRevisionSource, NodeAgent, NodeSettings
from mom.staticpod.operand import load_operand
from mom.staticpod.readiness import MirrorPodReadiness, ProbeReadiness, Readiness


def register(commands: Any) -> None:
    """Add ``mom static-pods``."""
    parser = commands.add_parser("static-pods", help="install control-plane operands node by node")
    parts = parser.add_subparsers(dest="part", metavar="PART", required=True)

    operator = parts.add_parser("operator", help="the cluster part as an operator executable (for mom run)")
    _operand(operator)
    operator.add_argument(
        "contract",
        nargs=argparse.REMAINDER,
        help="input-resources | output-resources | apply-configuration ...",
    )
    operator.set_defaults(handler=run_operator)

    controller = parts.add_parser("controller", help="the cluster part as a standing loop on a live cluster")
    _operand(controller)
    _live(controller)
    _looping(controller)
    controller.set_defaults(handler=run_controller)

    node = parts.add_parser("node", help="the node part: install, readiness, fallback")
    _operand(node)
    _live(node)
    _looping(node)
    node.add_argument("--node", required=True, metavar="NAME", help="this node's name")
    node.add_argument(
        "--resources-dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="stands for /etc/kubernetes/static-pod-resources",
    )
    node.add_argument(
        "--manifests-dir",
        type=Path,
        required=True,
        metavar="DIR",
        help="stands for /etc/kubernetes/manifests",
    )
    node.add_argument(
        "--probe-url", default="", metavar="URL", help="readiness from this URL instead of the mirror pod"
    )
    node.add_argument(
        "--ready-timeout",
        type=float,
        default=300.0,
        metavar="SECONDS",
        help="fall back after this long not ready (default: %(default)s)",
    )
    node.add_argument(
        "--keep",
        type=int,
        default=3,
        metavar="N",
        help="local revisions kept besides the installed and previous ones",
    )
    node.set_defaults(handler=run_node)


def _operand(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--operand", type=Path, required=True, metavar="FILE", help="the operand definition")


def _live(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kubeconfig", type=Path, required=True, metavar="FILE", help="the cluster")
    parser.add_argument("--context", default="", help="kubeconfig context (default: the current one)")


def _looping(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="between passes (default: %(default)s)",
    )
    parser.add_argument("--once", action="store_true", help="one pass, then exit")


@dataclass(frozen=True)
class LoopOptions:
    interval: float
    once: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> LoopOptions:
        if not args.interval > 0:
            raise InvalidInput("--interval", [f"Invalid value: {args.interval!r}: must be positive"])
        return cls(args.interval, args.once)


@dataclass(frozen=True)
class NodeOptions:
    node: str
    resources_dir: Path
    manifests_dir: Path
    probe_url: str
    ready_timeout: float
    keep: int

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> NodeOptions:
        problems = []
        if not args.ready_timeout > 0:
            problems.append(f"--ready-timeout: Invalid value: {args.ready_timeout!r}: must be positive")
        if args.keep < 1:
            problems.append(f"--keep: Invalid value: {args.keep!r}: must be at least 1")
        if args.probe_url and not args.probe_url.startswith(("http://", "https://")):
            problems.append(f"--probe-url: Invalid value: {args.probe_url!r}: must be http:// or https://")
        if problems:
            raise InvalidInput("", problems)
        return cls(
            args.node, args.resources_dir, args.manifests_dir, args.probe_url, args.ready_timeout, args.keep
        )


def _clock() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def run_operator(args: argparse.Namespace) -> int:
    return run_command(static_pod_operator(load_operand(args.operand)), args.contract)


def run_controller(args: argparse.Namespace) -> int:
    operand = load_operand(args.operand)
    loop = LoopOptions.from_args(args)
    transport = LiveTransport(args.kubeconfig, args.context or None)
    try:
        while True:
            result = run_pass(operand, Client(transport), _clock())
            print(f"{_clock().isoformat()} {'ok' if result.ok else 'failed: ' + result.message}", flush=True)
            if loop.once:
                return 0 if result.ok else 1
            time.sleep(loop.interval)
    finally:
        transport.close()


def run_node(args: argparse.Namespace) -> int:
    operand = load_operand(args.operand)
    loop = LoopOptions.from_args(args)
    options = NodeOptions.from_args(args)
    transport = LiveTransport(args.kubeconfig, args.context or None, timeout=5.0)
    client = Client(transport)
    readiness: Readiness = (
        ProbeReadiness(options.probe_url)
        if options.probe_url
        else MirrorPodReadiness(client, operand, options.node)
    )
    agent = NodeAgent(
        NodeSettings(options.node, options.ready_timeout, options.keep),
        Installer(operand, options.resources_dir, options.manifests_dir),
        readiness,
        ApiRevisionSource(client, operand),
    )
    try:
        while True:
            try:
                print(f"{_clock().isoformat()} {options.node}: {agent.step(_clock())}", flush=True)
            except MomError as exc:
                if loop.once:
                    raise
                print(f"{_clock().isoformat()} {options.node}: error: {exc}", flush=True)
            if loop.once:
                return 0
            time.sleep(loop.interval)
    finally:
        transport.close()
