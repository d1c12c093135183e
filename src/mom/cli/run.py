"""``mom run``: the manager loop, once or continuously, with progress and a summary."""

from __future__ import annotations

import argparse
import json
import os
import shlex
import signal
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mom.manager.report import TickReport
    from mom.manager.scaleout.election import LeaderElector
    from mom.manager.scaleout.probes import Probes
    from mom.manager.specs import ManagerConfig


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "run",
        help="run operators on their instances: gather, run on change, validate, journal, apply",
        description="Run the configured operators on the configured standalone or hosted clusters.",
    )
    parser.add_argument("--config", required=True, type=Path, help="manager configuration file")
    parser.add_argument("--once", action="store_true", help="one tick, a summary, and exit")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between ticks (default 30)")
    parser.add_argument(
        "--repin", action="store_true", help="accept operators' current input/output declarations"
    )
    parser.add_argument("--metrics-file", type=Path, help="write Prometheus metrics here after each tick")
    parser.add_argument(
        "-o", "--output", choices=("table", "json", "yaml"), default="table", help="summary format"
    )
    parser.add_argument(
        "--identity",
        default=os.environ.get("POD_NAME") or f"{os.uname().nodename}-{os.getpid()}",
        help="this replica's name in the configured lease (default: $POD_NAME, else host-pid)",
    )
    parser.add_argument("--instance", help="manage only this instance of the configuration")
    parser.add_argument(
        "--probe-address", help="serve /healthz, /readyz and /metrics at HOST:PORT (e.g. :8080)"
    )
    parser.set_defaults(handler=run)


def _clock() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _progress(message: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\x1b[2K{message}")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from mom.manager.assembly import Writer, open_manager  # the manager is imported only to run it
    from mom.manager.config import load_config
    from mom.manager.metrics import Metrics
    from mom.manager.scaleout.probes import Probes, parse_address, serve_probes
    from mom.mustgather.atomicfile import write_atomically

    config = load_config(args.config)
    if args.instance:
        from mom.manager.scaleout.hosted import for_one_instance

        config = for_one_instance(config, args.instance)
    probes = Probes(time.monotonic, stale_after=max(120.0, 4 * args.interval))
    server = serve_probes(probes, parse_address(args.probe_address)) if args.probe_address else None
    stop = threading.Event()

    def _stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    if not args.once or config.lease:
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
    if config.lease and config.lease.shards:
        return _run_in_ring(config, args, stop, probes)
    leader = _lead(config, args.identity, stop, probes) if config.lease else None
    if config.lease and leader is None:
        return 0
    writer = None
    if leader is not None:  # the election's client only where a lease is configured
        from mom.manager.scaleout.election import start_term, user_agent

        writer = Writer(user_agent(args.identity), leader.check_fence)
    manager, notices = open_manager(
        config, clock=_clock, repin=args.repin, progress=_progress, writer=writer, watch=not args.once
    )
    for notice in notices:
        print(f"mom: warning: {notice}", file=sys.stderr)
    metrics = Metrics()
    if leader is not None:
        start_term(manager.journal, at=_clock())
    force = leader is not None  # a term's first tick runs everything on the cluster's state
    try:
        while True:
            if leader is not None and not leader.leading:
                leader.check_fence()
            started = time.perf_counter()
            report = manager.tick(force=force)
            force = False
            elapsed = time.perf_counter() - started
            metrics.observe(report, elapsed)
            if sys.stderr.isatty():
                sys.stderr.write("\r\x1b[2K")
            if args.metrics_file:
                write_atomically(args.metrics_file, metrics.render().encode("utf-8"), sync=False)
            probes.beat(metrics.render())
            for warning in report.warnings:
                print(f"mom: warning: {warning}", file=sys.stderr)
            if args.once:
                _print_summary(report, elapsed, args.output, args.config)
                return 0 if report.ok else 1
            print(f"{_clock().isoformat()} tick: {_counts(report)}, {elapsed:.2f}s", file=sys.stderr)
            if stop.wait(args.interval):
                return 0
    finally:
        manager.journal.close()
        if leader is not None:
            leader.release()
        if server is not None:
            server.shutdown()


def _run_in_ring(
    config: ManagerConfig, args: argparse.Namespace, stop: threading.Event, probes: Probes
) -> int:
    """One replica of a ring of ``mom run``: runs the hosted clusters the ring assigns it."""
    from mom.manager.scaleout.election import await_leadership, elector_for
    from mom.manager.scaleout.sharded import ShardedManager
    from mom.manager.scaleout.sharding import ShardMember

    assert config.lease is not None
    cluster = config.cluster(config.lease.cluster)
    assert cluster.kubeconfig is not None  # config validation: the lease lives on a live cluster
    client = elector_for(
        config.lease,
        cluster.kubeconfig,
        cluster.context,
        args.identity,
        monotonic=time.monotonic,
        wall=_clock,
    ).client
    instances = [i.name for i in config.instances]
    member = ShardMember(
        client, config.lease, args.identity, instances, monotonic=time.monotonic, wall=_clock
    )
    if not await_leadership(member.elector, stop, probes.beat):
        return 0
    print(f"mom: {args.identity}: joined ring {config.lease.namespace}/{config.lease.name}", file=sys.stderr)
    ring = ShardedManager(
        config, member, clock=_clock, monotonic=time.monotonic, repin=args.repin, progress=_progress
    )
    try:
        while True:
            member.elector.check_fence()
            started = time.perf_counter()
            report = ring.tick()
            for notice in ring.notices:
                print(f"mom: warning: {notice}", file=sys.stderr)
            ring.notices.clear()
            probes.beat()
            for warning in report.warnings:
                print(f"mom: warning: {warning}", file=sys.stderr)
            share = ", ".join(sorted(member.owned)) or "nothing"
            elapsed = time.perf_counter() - started
            print(
                f"{_clock().isoformat()} tick: {_counts(report)}, {elapsed:.2f}s; owns {share}",
                file=sys.stderr,
            )
            if args.once:
                return 0 if report.ok else 1
            if stop.wait(args.interval):
                return 0
    finally:
        ring.close()


def _lead(
    config: ManagerConfig, identity: str, stop: threading.Event, probes: Probes
) -> LeaderElector | None:
    """Stand by until this replica holds the configured lease; ``None`` when stopped first."""
    from mom.manager.scaleout.election import await_leadership, elector_for

    assert config.lease is not None
    cluster = config.cluster(config.lease.cluster)
    assert cluster.kubeconfig is not None  # config validation: the lease lives on a live cluster
    elector = elector_for(
        config.lease, cluster.kubeconfig, cluster.context, identity, monotonic=time.monotonic, wall=_clock
    )
    lease = f"{config.lease.namespace}/{config.lease.name}"
    print(f"mom: {identity}: standing by for lease {lease}", file=sys.stderr)
    if not await_leadership(elector, stop, probes.beat):
        return None
    print(f"mom: {identity}: leading (lease {lease})", file=sys.stderr)
    return elector


def _print_summary(report: TickReport, elapsed: float, output: str, config: Path) -> None:
    rows = [
        {
            "operator": p.operator,
            "instance": p.instance,
            "trigger": str(p.trigger),
            "run": p.run_id,
            "exit": p.exit_code,
            "applied": p.applied,
            "unchanged": p.unchanged,
            "refused": p.refused,
            "failed": p.failed,
            "error": p.error,
            "problems": list(p.problems),
            **(
                {"deferredFor": str(p.deferred_for), "deferredUntil": p.deferred_until.isoformat()}
                if p.deferred_for is not None and p.deferred_until is not None
                else {}
            ),
        }
        for p in report.pairs
    ]
    if output in ("json", "yaml"):
        document = {"pairs": rows, "warnings": report.warnings, "rolledForward": report.rolled_forward}
        if output == "yaml":
            from mom.serialization import dump_go_yaml

            sys.stdout.write(dump_go_yaml(document))
        else:
            print(json.dumps(document, indent=2))
        return
    headers = ["OPERATOR", "INSTANCE", "TRIGGER", "RUN", "EXIT", "APPLIED", "UNCHANGED", "REFUSED", "FAILED"]
    table = [
        [str(r["operator"]), str(r["instance"]), str(r["trigger"])]
        + [
            "" if r[k] is None else str(r[k])
            for k in ("run", "exit", "applied", "unchanged", "refused", "failed")
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(headers)]
    for row in [headers, *table]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for pair in report.pairs:
        if pair.deferred_for is not None and pair.deferred_until is not None:
            print(
                f"deferred: {pair.operator} on {pair.instance}: {pair.deferred_for}, "
                f"runs at {pair.deferred_until.isoformat()}"
            )
    for pair in report.pairs:
        for problem in ([pair.error] if pair.error else []) + list(pair.problems):
            print(f"failed: {pair.operator} on {pair.instance}: {problem}")
    print(
        f"{_counts(report)}, {report.rolled_forward} rolled forward, {elapsed:.2f}s; "
        f"journal: mom journal list --config {shlex.quote(str(config))}"
    )


def _counts(report: TickReport) -> str:
    deferred = f", {report.deferred} deferred" if report.deferred else ""
    return f"{report.runs} run(s), {report.unchanged} unchanged{deferred}"
