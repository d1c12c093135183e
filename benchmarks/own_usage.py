"""Run ``mom`` in this process and record what the manager process itself used.

``python -m benchmarks.own_usage FILE -- MOM-ARGS...`` runs ``mom MOM-ARGS`` exactly as the
``mom`` script does, then writes to ``FILE`` one JSON object: ``cpu`` (user + system seconds of
this process alone), ``childrenCpu`` (of the operators it ran and waited for) and ``peak``
(this process's own ``ru_maxrss``, bytes). The vs_go benchmark uses it to tell mom's own work
from the operators' runs. A helper, not a benchmark: it has no ``main`` for ``python -m
benchmarks`` to list.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from mom.cli.main import main as mom_main


def record(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] != "--":
        print("usage: python -m benchmarks.own_usage FILE -- MOM-ARGS...", file=sys.stderr)
        return 2
    try:
        code = mom_main(argv[2:])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "cpu": own.ru_utime + own.ru_stime,
        "childrenCpu": children.ru_utime + children.ru_stime,
        "peak": own.ru_maxrss * 1024,
    }
    Path(argv[0]).write_text(json.dumps(figures), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(record(sys.argv[1:]))
