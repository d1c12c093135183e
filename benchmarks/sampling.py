"""Sampling the memory and CPU of running processes (and their children) from ``/proc``.

psutil is not needed: a process's resident set is ``VmRSS`` in ``/proc/<pid>/status``, its CPU
time so far is ``utime`` + ``stime`` (fields 14 and 15, in clock ticks) of ``/proc/<pid>/stat``,
and its children are listed in ``/proc/<pid>/task/<tid>/children``. Integrating the sampled RSS
over time gives GiB-seconds.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

GIB = 1024.0**3


def parse_vm_rss(status: str) -> int:
    """The ``VmRSS`` of a ``/proc/<pid>/status`` text, in bytes (0 when absent: a zombie)."""
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def parse_stat(stat: str) -> tuple[str, int, int]:
    """(command name, parent pid, utime + stime in clock ticks) of a ``/proc/<pid>/stat`` line.

    The name is field 2, in parentheses, and may itself hold spaces and parentheses: the fields
    after it are counted from the last ``)``.
    """
    head, _, tail = stat.rpartition(")")
    name = head.partition("(")[2]
    fields = tail.split()  # fields[0] is field 3, the state
    if len(fields) < 13:
        raise ValueError(f"not a /proc/<pid>/stat line: {stat[:80]!r}")
    return name, int(fields[1]), int(fields[11]) + int(fields[12])


def rss_bytes(pid: int) -> int:
    try:
        return parse_vm_rss(Path(f"/proc/{pid}/status").read_text())
    except (OSError, ValueError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds ``pid`` has used so far (its own threads, not its children)."""
    _, _, ticks = parse_stat(Path(f"/proc/{pid}/stat").read_text())
    return ticks / os.sysconf("SC_CLK_TCK")


def children_named(parent: int, name: str) -> list[int]:
    """The pids of the live children of ``parent`` whose command name is ``name``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command, ppid, _ = parse_stat((entry / "stat").read_text())
        except (OSError, ValueError):
            continue
        if ppid == parent and command == name:
            found.append(int(entry.name))
    return found


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


@dataclass(frozen=True)
class Window:
    """One process's usage over a measured window of wall time."""

    wall: float
    """Seconds measured."""
    cpu: float
    """User + system CPU seconds used in the window."""
    mean_rss: float
    """Mean resident set over the window's samples, bytes."""
    peak_rss: int

    @property
    def millicores(self) -> float:
        return self.cpu_rate * 1000

    @property
    def cpu_rate(self) -> float:
        """CPU seconds per wall second."""
        return self.cpu / self.wall if self.wall else 0.0


def measure_windows(pids: list[int], seconds: float, interval: float = 1.0) -> list[Window]:
    """Each of ``pids`` sampled every ``interval`` for ``seconds``; :class:`ProcessLookupError` if
    one is gone meanwhile (a child that exited but is not reaped yet still counts as there)."""
    started = time.monotonic()
    first = [_cpu_seconds_of_live(pid) for pid in pids]
    samples: list[list[int]] = [[] for _ in pids]
    while True:
        for index, pid in enumerate(pids):
            if not Path(f"/proc/{pid}").exists():
                raise _gone(pid)
            samples[index].append(rss_bytes(pid))
        remaining = started + seconds - time.monotonic()
        if remaining <= 0:
            break
        time.sleep(min(interval, remaining))
    last = [_cpu_seconds_of_live(pid) for pid in pids]
    wall = time.monotonic() - started
    return [
        Window(wall, end - begin, statistics.fmean(rss), max(rss))
        for begin, end, rss in zip(first, last, samples, strict=True)
    ]


def _cpu_seconds_of_live(pid: int) -> float:
    try:
        return cpu_seconds(pid)
    except FileNotFoundError:
        raise _gone(pid) from None


def _gone(pid: int) -> ProcessLookupError:
    return ProcessLookupError(f"process {pid} ended during the measured window")


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
