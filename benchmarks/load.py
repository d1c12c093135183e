"""Loading a real must-gather: cold from YAML, warm from mom's cache, memory, GET/LIST latency.

Run: ``python -m benchmarks.load [--must-gather PATH] [--cold-runs N] [--warm-runs N]``.
Without a path, unpacks ``../shared/realdata/must-gather-clean/must-gather-aws.tar.xz`` into a
temporary directory. Goals: cold load at most 8 s, cached load at most 0.5 s (on 2 cores).
Peak memory is ``resource.getrusage`` max RSS (this process; helper decoders separately).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mom.api.resources import GroupVersionResource
from mom.mustgather.layout import find_resource_root, scan_tree
from mom.mustgather.loader import load_must_gather
from mom.mustgather.selectors import LabelSelector
from mom.mustgather.store import Snapshot

COLD_GOAL_S = 8.0
WARM_GOAL_S = 0.5
AWS_ARCHIVE = (
    Path(__file__).resolve().parent.parent.parent / "shared/realdata/must-gather-clean/must-gather-aws.tar.xz"
)
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def _timed_load(path: Path, cache_dir: Path | None) -> tuple[float, Snapshot]:
    gc.collect()
    start = time.perf_counter()
    snapshot = load_must_gather(path, cache_dir=cache_dir)
    return time.perf_counter() - start, snapshot


def _release() -> None:
    gc.unfreeze()
    gc.collect()


def _maxrss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _median_us(call: Callable[[], Any], count: int) -> float:
    samples = []
    for _ in range(count):
        start = time.perf_counter_ns()
        call()
        samples.append(time.perf_counter_ns() - start)
    return statistics.median(samples) / 1000


def _latencies(snapshot: Snapshot, calls: int) -> None:
    rng = random.Random(0)
    refs = [ref for ref, _ in snapshot.objects() if ref.name]
    picks = [rng.choice(refs) for _ in range(calls)]
    samples = []
    for ref in picks:
        start = time.perf_counter_ns()
        snapshot.get(ref.gvr, namespace=ref.namespace, name=ref.name)
        samples.append(time.perf_counter_ns() - start)
    print(
        f"GET one object (random of {len(refs)}):          {statistics.median(samples) / 1000:8.1f} µs median"
    )
    counts: dict[str, int] = {}
    for ref, _ in snapshot.objects():
        if ref.gvr.resource == "configmaps" and ref.gvr.group == "":
            counts[ref.namespace] = counts.get(ref.namespace, 0) + 1
    busiest = max(counts, key=lambda ns: counts[ns])
    selector = LabelSelector.parse("app.kubernetes.io/part-of in (openshift-monitoring),!nonexistent")
    cases: list[tuple[str, Callable[[], Any]]] = [
        (f"LIST configmaps -n {busiest}", lambda: snapshot.list(CONFIGMAPS, namespace=busiest)),
        ("LIST configmaps -A", lambda: snapshot.list(CONFIGMAPS)),
        (f"LIST configmaps -A -l '{selector}'", lambda: snapshot.list(CONFIGMAPS, label_selector=selector)),
    ]
    for label, call in cases:
        size = len(call())
        print(f"{label + f' ({size} items):':<48} {_median_us(call, max(calls // 20, 50)):8.1f} µs median")


def run(path: Path, cold_runs: int, warm_runs: int, calls: int) -> None:
    root = find_resource_root(path)
    files = scan_tree(root).files
    print(f"must-gather: {root}")
    print(f"resource files: {len(files)} ({sum(f.size for f in files) / 1e6:.1f} MB), CPUs: {os.cpu_count()}")
    baseline = _maxrss_mib(resource.RUSAGE_SELF)
    cold = []
    snapshot: Snapshot | None = None
    for _ in range(cold_runs):
        snapshot = None
        _release()
        seconds, snapshot = _timed_load(path, None)
        cold.append(seconds)
    assert snapshot is not None
    peak = _maxrss_mib(resource.RUSAGE_SELF)
    helpers = _maxrss_mib(resource.RUSAGE_CHILDREN)
    print(f"objects: {len(snapshot)} unique, {len(snapshot.namespaces())} namespaces")
    with tempfile.TemporaryDirectory(prefix="mom-cache-") as cache_dir:
        load_must_gather(path, cache_dir=Path(cache_dir))  # writes the cache
        cache_bytes = sum(p.stat().st_size for p in Path(cache_dir).iterdir())
        warm = []
        for _ in range(warm_runs):
            _release()
            seconds, _ = _timed_load(path, Path(cache_dir))
            warm.append(seconds)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    print(
        f"cold load from YAML (median of {cold_runs}): {cold_s:6.2f} s"
        f"   goal {COLD_GOAL_S} s  ratio {cold_s / COLD_GOAL_S:.2f}"
    )
    print(
        f"cached load (median of {warm_runs}):          {warm_s:6.2f} s"
        f"   goal {WARM_GOAL_S} s  ratio {warm_s / WARM_GOAL_S:.2f}"
    )
    print(f"cache file: {cache_bytes / 1e6:.1f} MB")
    print(
        f"peak memory (getrusage max RSS): {peak:.0f} MiB in this process"
        f" ({baseline:.0f} MiB before loading); helper decoder: {helpers:.0f} MiB"
    )
    _latencies(snapshot, calls)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__)
    parser.add_argument("--must-gather", type=Path, help="an unpacked must-gather (default: the aws one)")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--calls", type=int, default=20_000, help="GET calls to time")
    args = parser.parse_args(argv)
    if args.must_gather is not None:
        run(args.must_gather, args.cold_runs, args.warm_runs, args.calls)
        return
    with tempfile.TemporaryDirectory(prefix="mom-bench-") as scratch:
        with tarfile.open(AWS_ARCHIVE) as archive:
            archive.extractall(scratch, filter="data")
        run(Path(scratch) / "must-gather-aws", args.cold_runs, args.warm_runs, args.calls)


if __name__ == "__main__":
    main()
