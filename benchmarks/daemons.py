"""The two sides of the compressed day: one standing operator daemon, and one mom process.

Run by :mod:`benchmarks.manager` as separate processes (``python -m benchmarks.daemons daemon
...`` / ``... mom ...``); each prints one JSON line of counts and its own CPU seconds on exit.

The standing-daemon model (what client-go informers do):

* at start, an informer LIST of every watched resource type fills the process's own cache:
  the whole cluster directory is decoded into memory by each process, as every daemon does;
* every resync period the operator reconciles against its cache: its controllers run once
  (:func:`mom.operator.run.run_controllers`). library-go controllers declare their period with
  ``ResyncEvery``; one minute is the common choice, 30 seconds and 10 minutes also occur;
* API calls: one LIST per watched type at start; one WATCH per watched type re-established
  every 7.5 minutes (client-go's reflector asks for a watch timeout between 5 and 10 minutes);
  one write per mutation the controllers send (server-side apply is sent on every reconcile;
  reads hit the cache).

The mom side: one :class:`~mom.manager.loop.Manager` over the same cluster directory, ticking
as often as the daemons resync; each tick reads each cluster once (nothing at all when the
kernel reports no change) and runs an operator only when its inputs changed or its resync is
due. API calls, as mom's live target makes them: one LIST
per watched type per cluster and its WATCH re-established as the daemons' are, shared by every
operator (:mod:`mom.live.watches`); one write per mutation that changed the cluster.

Simulated time runs ``86400 / day`` times faster than the wall clock.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.operators import load_operator
from mom.mustgather.loader import load_must_gather
from mom.operator.run import run_controllers
from mom.serialization import dump_json

DAY = 86400.0
WATCH_TIMEOUT = 450.0
"""Mean simulated seconds a watch lasts before the client re-establishes it."""
EPOCH = datetime(2025, 3, 1, tzinfo=UTC)


def cpu_seconds() -> float:
    """User+system CPU of this process and its reaped children (decoding helpers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _wait_for(simulated: float, started: float, scale: float) -> None:
    """Sleep until the wall instant of ``simulated`` seconds into the day (no wait when behind)."""
    delay = started + simulated / scale - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def run_daemon(args: argparse.Namespace) -> dict[str, float]:
    started = time.monotonic()
    scale = DAY / args.day
    operator = load_operator(args.operator)
    watched = {r.gvr for r in operator.input_resources().apply_configuration_resources.exact_resources}
    cache = load_must_gather(args.cluster)  # the informers' initial LIST
    enabled = {name: True for name in operator.controller_names}
    counts = {
        "lists": float(len(watched)),
        "watches": float(len(watched) * (1 + int(DAY // WATCH_TIMEOUT))),
        "writes": 0.0,
        "reconciles": 0.0,
    }
    simulated = 0.0
    while simulated < DAY:
        _wait_for(simulated, started, scale)
        outcome = run_controllers(operator, cache, now=EPOCH + timedelta(seconds=simulated), enabled=enabled)
        counts["writes"] += len(outcome.requests)
        counts["reconciles"] += 1
        simulated += args.resync
    counts["objects"] = float(len(cache))
    return counts


def run_mom(args: argparse.Namespace) -> dict[str, float]:
    started = time.monotonic()
    scale = DAY / args.day
    simulated = 0.0
    manager, _ = open_manager(load_config(args.config), clock=lambda: EPOCH + timedelta(seconds=simulated))
    types = set()
    for pin in manager.pins.values():
        types |= {r.gvr for r in pin.inputs.apply_configuration_resources.exact_resources}
    shared = len(types) * len(manager.targets)  # on a live cluster: one shared watch per type
    counts = {
        "lists": float(shared),
        "watches": float(shared * (1 + int(DAY // WATCH_TIMEOUT))),
        "writes": 0.0,
        "runs": 0.0,
        "ticks": 0.0,
        "tick_seconds": 0.0,
    }
    while simulated < DAY:
        _wait_for(simulated, started, scale)
        begun = time.perf_counter()
        report = manager.tick()
        counts["tick_seconds"] += time.perf_counter() - begun
        counts["ticks"] += 1
        counts["runs"] += report.runs
        counts["writes"] += sum(p.applied for p in report.pairs)
        simulated += args.tick
    counts["behind_seconds"] = max(0.0, time.monotonic() - started - args.day)
    manager.journal.close()
    return counts


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.daemons")
    sides = parser.add_subparsers(dest="side", required=True)
    daemon = sides.add_parser("daemon", help="one standing operator daemon")
    daemon.add_argument("--operator", required=True, help="module:ATTRIBUTE of the operator")
    daemon.add_argument("--cluster", type=Path, required=True)
    daemon.add_argument("--resync", type=float, default=600.0, help="simulated seconds")
    mom = sides.add_parser("mom", help="one mom process running every operator")
    mom.add_argument("--config", type=Path, required=True)
    mom.add_argument("--tick", type=float, default=600.0, help="simulated seconds between ticks")
    for side in (daemon, mom):
        side.add_argument("--day", type=float, default=60.0, help="wall seconds the simulated day takes")
    args = parser.parse_args(argv)
    counts = run_daemon(args) if args.side == "daemon" else run_mom(args)
    counts["cpu_seconds"] = cpu_seconds()
    sys.stdout.write(dump_json(counts).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
