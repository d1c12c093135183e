"""``python -m benchmarks`` lists the benchmarks; ``python -m benchmarks NAME [ARGS...]`` runs one;
``python -m benchmarks all [--except NAME ...]`` runs every one with its defaults, each in a
process of its own (one benchmark's imports and memory never weigh on the next), and ends with
how long each took and which failed."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import time
from pathlib import Path


def available() -> dict[str, str]:
    """Benchmark name -> first line of its docstring, for every module here with a ``main()``."""
    found: dict[str, str] = {}
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"benchmarks.{module_info.name}")
        if callable(getattr(module, "main", None)):
            found[module_info.name] = (module.__doc__ or "").strip().splitlines()[0] if module.__doc__ else ""
    return found


def run_all(names: list[str]) -> int:
    """Run each benchmark in turn with its defaults; 1 when any of them failed."""
    took: list[tuple[str, float, int]] = []
    for name in names:
        print(f"\n=== python -m benchmarks {name}", flush=True)
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "benchmarks", name], check=False)
        took.append((name, time.monotonic() - started, done.returncode))
    print("\n=== the suite")
    for name, seconds, code in took:
        print(f"    {name:<24} {seconds:8.1f} s  {'ok' if code == 0 else f'FAILED (exit {code})'}")
    return 1 if any(code for _, _, code in took) else 0


def main(argv: list[str]) -> int:
    benchmarks = available()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m benchmarks NAME [ARGS...] | all [--except NAME ...]\n\nbenchmarks:")
        for name, summary in sorted(benchmarks.items()):
            print(f"  {name:<24} {summary}")
        return 0
    name, rest = argv[0], argv[1:]
    if name == "all":
        skipped = rest[1:] if rest[:1] == ["--except"] else []
        unknown = sorted(set(skipped) - set(benchmarks))
        if rest[:1] not in ([], ["--except"]) or unknown:
            wrong = ", ".join(unknown or rest)
            print(
                f"usage: python -m benchmarks all [--except NAME ...] (not understood: {wrong})",
                file=sys.stderr,
            )
            return 2
        return run_all([n for n in sorted(benchmarks) if n not in skipped])
    if name not in benchmarks:
        print(f"unknown benchmark {name!r}; choose from: {', '.join(sorted(benchmarks))}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"benchmarks.{name}")
    code = module.main(rest)
    return code if isinstance(code, int) else 0  # a main() that returns nothing succeeded


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
