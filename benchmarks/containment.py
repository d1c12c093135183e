"""Containment costs: starting a confined operator, and memory while an operator floods stdout.

Two figures side by side, each with its ratio:

* the median time to run ``/bin/true`` as an operator, unconfined and confined (Landlock, no
  network), the difference being what the sandbox adds to every run;
* the peak RSS growth of a process reading an operator that prints ``--flood-mib`` MiB, with
  mom's bounded tail and with a whole-output capture (``subprocess.run(capture_output=True)``).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from mom.operator.process import run_untrusted
from mom.operator.sandbox import probe_sandbox

_FLOOD = textwrap.dedent(
    """
    import resource, subprocess, sys
    from mom.operator.process import run_untrusted
    argv = ["head", "-c", str({size}), "/dev/zero"]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.argv[1] == "tail":
        run_untrusted(argv, 600)
    else:
        subprocess.run(argv, capture_output=True, check=True)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
    """
)


def _start_times(argv: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run_untrusted(argv, 60)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _flood_growth_kib(mode: str, size: int) -> int:
    done = subprocess.run(
        [sys.executable, "-c", _FLOOD.format(size=size), mode], capture_output=True, text=True, check=True
    )
    return int(done.stdout.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--flood-mib", type=int, default=300)
    args = parser.parse_args(argv)
    sandbox = probe_sandbox()
    with tempfile.TemporaryDirectory(prefix="mom-bench-") as scratch:
        command = ["/bin/true"]
        confined = sandbox.command(command, [Path(scratch)], network=False)
        _start_times(confined, 2)  # warm the page cache
        bare = statistics.median(_start_times(command, args.runs))
        boxed = statistics.median(_start_times(confined, args.runs))
    size = args.flood_mib * 1024 * 1024
    tail = _flood_growth_kib("tail", size)
    whole = _flood_growth_kib("whole", size)
    state = "confined" if sandbox.available else f"UNCONFINED ({'; '.join(sandbox.notes)})"
    print(f"operator start, median of {args.runs} (/bin/true)")
    print(f"  unconfined   {bare:8.2f} ms")
    print(f"  {state:<12} {boxed:8.2f} ms   ratio {boxed / bare:.2f}   (+{boxed - bare:.2f} ms per run)")
    print(f"manager peak RSS growth while an operator prints {args.flood_mib} MiB")
    ratio = f"ratio {whole / tail:.0f}" if tail > 0 else "the bounded tail grew by nothing measurable"
    print(f"  bounded tail {tail:8d} KiB")
    print(f"  whole output {whole:8d} KiB   {ratio}")
