"""Sampling the memory of running processes (and their children) from ``/proc``.

psutil is not needed: a process's resident set is ``VmRSS`` in ``/proc/<pid>/status`` and its
children are listed in ``/proc/<pid>/task/<tid>/children``. Integrating the sampled RSS over
time gives GiB-seconds.
"""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

GIB = 1024.0**3


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree(pid: int) -> list[int]:
    """``pid`` and every descendant alive now."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(p) for p in (task / "children").read_text().split())
        except OSError:
            continue
    return found


class MemorySampler:
    """Samples the summed RSS of some process trees every ``interval`` seconds, in a thread."""

    def __init__(self, processes: list[subprocess.Popen[bytes]], interval: float = 0.1) -> None:
        self.processes = processes
        self.interval = interval
        self.byte_seconds = 0.0
        self.peak = 0
        self.samples: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _loop(self) -> None:
        started = last = time.monotonic()
        while not self._stop.is_set():
            alive = [p.pid for p in self.processes if p.poll() is None]
            total = sum(rss_bytes(pid) for root in alive for pid in tree(root))
            now = time.monotonic()
            self.byte_seconds += total * (now - last)
            last = now
            self.peak = max(self.peak, total)
            self.samples.append((now - started, total))
            if not alive:
                return
            self._stop.wait(self.interval)
