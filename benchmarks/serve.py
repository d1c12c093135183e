"""Throughput of ``mom serve``, and a support session with kubectl, on the real aws must-gather.

Run: ``python -m benchmarks serve [--must-gather PATH] [--workers N] [--requests N] [--seconds S]
[--only throughput|session]``. Without a path, unpacks
``must-gather-clean/must-gather-aws.tar.xz`` of ``$MOM_REALDATA_DIR`` (default
``../shared/realdata``) into a temporary directory.

throughput: starts ``mom serve --port 0`` as a subprocess and drives it from this process with N
threads, each with its own keep-alive httpx2 client, for at most N requests or S seconds per
scenario: GET of one configmap, and LIST of the configmaps of the namespace that has the most.
Prints requests/s and p50/p99 latency for each.

session: ``mom serve`` on the archive itself, cold (empty cache: unpack, decode, write the
cache) and then cached; for each, the time until the server answers and then the wall time of
``kubectl get pods -A``, ``get events -A``, ``describe node``, and ``logs`` of the largest
container log, side by side with the cached/cold ratio, and the server's peak memory. Last, the
cold load of ``mom get`` on a terminal (a pseudo-terminal here), with the progress lines it shows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx2

from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.mustgather.loader import default_cache_dir, load_must_gather

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
ARCHIVE = (
    Path(os.environ.get("MOM_REALDATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "realdata")
    / "must-gather-clean"
    / "must-gather-aws.tar.xz"
)


def _unpack(target: Path) -> Path:
    with tarfile.open(ARCHIVE) as archive:
        archive.extractall(target, filter="data")
    (top,) = [p for p in target.iterdir() if p.is_dir()]
    return top


def _drive(url: str, workers: int, total: int, seconds: float) -> tuple[int, float, list[float]]:
    """``total`` GETs of ``url`` over ``workers`` threads, stopping after ``seconds``."""
    latencies: list[float] = []
    lock = threading.Lock()
    remaining = [total]
    deadline = time.perf_counter() + seconds

    def work() -> None:
        mine: list[float] = []
        with httpx2.Client(headers={"Accept": "application/json"}, timeout=30) as client:
            while time.perf_counter() < deadline:
                with lock:
                    if remaining[0] <= 0:
                        break
                    remaining[0] -= 1
                started = time.perf_counter()
                response = client.get(url)
                mine.append(time.perf_counter() - started)
                if response.status_code != 200:
                    raise SystemExit(f"GET {url}: {response.status_code}")
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), time.perf_counter() - began, latencies


def _report(label: str, count: int, elapsed: float, latencies: list[float]) -> None:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
    print(
        f"{label:<44} {count / elapsed:8.0f} req/s  p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  ({count} requests)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--must-gather", type=Path)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--only", choices=("throughput", "session"))
    args = parser.parse_args(argv)
    if args.only != "throughput":
        from benchmarks.serve_session import run_session

        run_session(ARCHIVE)
    if args.only == "session":
        return
    with tempfile.TemporaryDirectory(prefix="mom-bench-serve-") as scratch:
        tree = args.must_gather or _unpack(Path(scratch))
        snapshot = load_must_gather(tree, cache_dir=default_cache_dir())
        counts = Counter(namespace_of(o) for o in snapshot.list(CONFIGMAPS))
        namespace, listed = counts.most_common(1)[0]
        name = name_of(snapshot.list(CONFIGMAPS, namespace=namespace)[0])
        del snapshot
        server = subprocess.Popen(
            [sys.executable, "-m", "mom.cli.main", "serve", "--must-gather-dir", str(tree), "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            base = line.split(" at ", 1)[1].split()[0]
            print(
                f"mom serve at {base}; {args.workers} workers, at most {args.requests} requests or {args.seconds}s"
            )
            scenarios = [
                (
                    f"GET configmap {namespace}/{name}",
                    f"{base}/api/v1/namespaces/{namespace}/configmaps/{name}",
                ),
                (
                    f"LIST configmaps in {namespace} ({listed} items)",
                    f"{base}/api/v1/namespaces/{namespace}/configmaps",
                ),
            ]
            for label, url in scenarios:
                _drive(url, args.workers, args.workers * 10, args.seconds)  # warm-up
                _report(label, *_drive(url, args.workers, args.requests, args.seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
