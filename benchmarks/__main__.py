"""``python -m benchmarks`` lists the benchmarks; ``python -m benchmarks NAME [ARGS...]`` runs one."""

from __future__ import annotations

import importlib
import pkgutil
import sys
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


def main(argv: list[str]) -> int:
    benchmarks = available()
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m benchmarks NAME [ARGS...]\n\nbenchmarks:")
        for name, summary in sorted(benchmarks.items()):
            print(f"  {name:<24} {summary}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in benchmarks:
        print(f"unknown benchmark {name!r}; choose from: {', '.join(sorted(benchmarks))}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"benchmarks.{name}")
    module.main(rest)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
