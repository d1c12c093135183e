"""One HyperShift measurement in a fresh process: the first tick, settling, an unchanged tick.

Run by :mod:`benchmarks.manager` as ``python -m benchmarks.hosted --config FILE`` on a world
built by :func:`benchmarks.fleet.build_hypershift`, so the peak memory it reports
(``ru_maxrss``) is the manager's alone. Prints one JSON line. ``--profile N`` prints the top N
cProfile entries (cumulative time) of the first tick to stderr.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.manager.report import TickReport
from mom.serialization import dump_json

SETTLE_TICKS = 5
UNCHANGED_SAMPLES = 3
STEP = 60.0
"""Simulated seconds between ticks: past the debounce window, far from the resync period."""


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def timed(tick: Callable[[], TickReport]) -> tuple[TickReport, float, float]:
    wall, cpu = time.perf_counter(), _cpu()
    report = tick()
    return report, time.perf_counter() - wall, _cpu() - cpu


def measure(config: Path, profile: int = 0) -> dict[str, float]:
    moment = [datetime(2025, 3, 1, tzinfo=UTC)]
    wall, cpu = time.perf_counter(), _cpu()
    manager, _ = open_manager(load_config(config), clock=lambda: moment[0])
    figures: dict[str, float] = {"open_wall": time.perf_counter() - wall, "open_cpu": _cpu() - cpu}
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    first, figures["first_wall"], figures["first_cpu"] = timed(manager.tick)
    if profiler is not None:
        profiler.disable()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(profile)
        sys.stderr.write(text.getvalue())
    figures["pairs"] = len(first.pairs)
    figures["first_runs"] = first.runs
    figures["first_applied"] = sum(p.applied for p in first.pairs)
    figures["first_failed"] = sum(
        1 for p in first.pairs if p.error or p.failed or p.exit_code not in (None, 0)
    )
    figures["peak_after_first_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    settle = 0
    for settle in range(1, SETTLE_TICKS + 1):
        moment[0] += timedelta(seconds=STEP)
        report, _, _ = timed(manager.tick)
        figures[f"settle_{settle}_runs"] = report.runs
        if report.runs == 0:
            break
    figures["settle_ticks"] = settle
    walls, cpus, runs = [], [], 0
    for _ in range(UNCHANGED_SAMPLES):
        moment[0] += timedelta(seconds=STEP)
        report, tick_wall, tick_cpu = timed(manager.tick)
        walls.append(tick_wall)
        cpus.append(tick_cpu)
        runs += report.runs
    figures["unchanged_wall"] = statistics.median(walls)
    figures["unchanged_cpu"] = statistics.median(cpus)
    figures["unchanged_runs"] = runs
    figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    manager.journal.close()
    return figures


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hosted")
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    sys.stdout.write(dump_json(measure(args.config, args.profile)).decode() + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1:]))
