"""How long one ``apply-configuration`` of the sample operator takes, in-process and as a subprocess.

Run: ``python -m benchmarks.apply_configuration [--runs N] [--conformance DIR]``. Uses the Go
project's test-basic-call input. Prints medians, the goals (10 ms in-process; the Go operator's
208 ms per subprocess run, FACTS.md) and where a subprocess's start-up goes (``-X importtime``).
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import io
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mom.operator.command import run_command
from mom.operator.sample.operator import SAMPLE_OPERATOR

GO_SUBPROCESS_MS = 208.0
IN_PROCESS_GOAL_MS = 10.0
NOW = "2024-10-14T22:38:20Z"


def _case(conformance: Path) -> Path:
    return conformance / "multi-operator-manager" / "test-data" / "apply-configuration" / "test-basic-call"


def _argv(case: Path, out: Path) -> list[str]:
    return [
        "apply-configuration",
        "--input-dir",
        str(case / "input-dir"),
        "--output-dir",
        str(out),
        "--now",
        NOW,
    ]


def time_in_process(case: Path, runs: int, scratch: Path) -> list[float]:
    timings = []
    for index in range(runs):
        out = scratch / f"in-{index}"
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):
            code = run_command(SAMPLE_OPERATOR, _argv(case, out))
        timings.append((time.perf_counter() - start) * 1000)
        assert code == 0
    return timings


def time_subprocess(case: Path, runs: int, scratch: Path) -> list[float]:
    command = [sys.executable, "-m", "mom.operator.sample.command"]
    timings = []
    for index in range(runs):
        out = scratch / f"sub-{index}"
        start = time.perf_counter()
        subprocess.run([*command, *_argv(case, out)], check=True, capture_output=True)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def _time_command(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return (time.perf_counter() - start) * 1000


def import_breakdown(runs: int = 5) -> list[tuple[str, float]]:
    """Median self time of imports on the subprocess path, summed per top-level package (ms)."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import mom.operator.sample.command"],
            capture_output=True,
            text=True,
            check=True,
        )
        totals: dict[str, float] = {}
        for line in done.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
            if match:
                top = match.group(2).split(".")[0]
                package = top if top in ("mom", "yaml", "orjson", "_yaml") else "stdlib"
                totals[package] = totals.get(package, 0.0) + int(match.group(1)) / 1000
        for package, total in totals.items():
            samples.setdefault(package, []).append(total)
    return sorted(((p, statistics.median(v)) for p, v in samples.items()), key=lambda item: -item[1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--conformance", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "conformance"
    )
    args = parser.parse_args(argv)
    case = _case(args.conformance)
    scratch = Path(tempfile.mkdtemp(prefix="mom-bench-"))
    try:
        # Installed packages carry bytecode; an editable checkout may not (PYTHONDONTWRITEBYTECODE).
        compileall.compile_dir(Path(__file__).resolve().parents[1] / "src", quiet=1)
        time_in_process(case, 3, scratch)  # warm caches and imports
        in_process = statistics.median(time_in_process(case, args.runs, scratch))
        sub = statistics.median(time_subprocess(case, max(5, args.runs // 3), scratch))
        bare = statistics.median(
            (
                lambda s: (
                    subprocess.run([sys.executable, "-c", "pass"], check=True),
                    (time.perf_counter() - s) * 1000,
                )[1]
            )(time.perf_counter())
            for _ in range(5)
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("sample-operator apply-configuration on test-basic-call (median)")
    goal, go = IN_PROCESS_GOAL_MS, GO_SUBPROCESS_MS
    print(f"  in-process   {in_process:8.2f} ms   goal {goal:.0f} ms          ratio {in_process / goal:.2f}")
    print(f"  subprocess   {sub:8.2f} ms   Go operator {go:.0f} ms   ratio {sub / go:.2f}")
    print(f"  bare python  {bare:8.2f} ms   (interpreter start, for scale)")
    print("  import self time on the subprocess path, per package (median ms):")
    for package, cost in import_breakdown():
        print(f"    {package:10s} {cost:7.1f}")


if __name__ == "__main__":
    main()
