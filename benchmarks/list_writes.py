"""Writing one object into a big List file of a manifest-directory target: cost against List size.

Run: ``python -m benchmarks list_writes [--sizes 1000,10000,100000] [--writes N]``.
For each size, a tree holds one ``configmaps.yaml`` List of that many items; the target is
opened and read once, then N updates of one item are applied, each followed by the read the
manager's next tick makes. Printed per size: seconds per write (apply) and per read after it,
bytes logged by the write-ahead log per write, peak memory, and each figure's ratio to the
smallest size. A write whose cost does not grow with the List shows ratios near 1.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.apply import ManifestTarget
from mom.apply.wal import WAL_FILE
from mom.manifest.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NOW = datetime(2025, 3, 1, tzinfo=UTC)


def _configmap(index: int, value: str) -> dict[str, object]:
    metadata = {"name": f"cm-{index:07d}", "namespace": "ns", "resourceVersion": "1"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"key": value}}


def _tree(root: Path, size: int) -> None:
    directory = root / "namespaces/ns/core"
    directory.mkdir(parents=True)
    (root / "namespaces/ns/ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n")
    items = [_configmap(i, "v") for i in range(size)]
    document = {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {}, "items": items}
    (directory / "configmaps.yaml").write_bytes(dump_json(document))  # JSON is YAML, and fast to make


def _update(index: int, value: str) -> MutationRequest:
    body = _configmap(index, value)
    del body["metadata"]["resourceVersion"]  # type: ignore[attr-defined]
    return MutationRequest(
        action=Action.UPDATE,
        gvr=CONFIGMAPS,
        namespace="ns",
        name=f"cm-{index:07d}",
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=dump_go_yaml(body).encode(),
        options=b"",
        patch_type="",
        field_manager="",
    )


def _measure(size: int, writes: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory(prefix="mom-bench-") as directory:
        root = Path(directory)
        _tree(root, size)
        target = ManifestTarget(root, clock=lambda: NOW)
        target.read()
        wal = root / ".mom" / WAL_FILE
        apply_seconds = read_seconds = 0.0
        logged = 0
        for write in range(writes):
            before = wal.stat().st_size if wal.exists() else 0
            started = time.perf_counter()
            result = target.apply(f"m{write}", _update(write * 7 % size, f"w{write}"))
            apply_seconds += time.perf_counter() - started
            assert result.outcome.value == "Updated", result
            after = wal.stat().st_size if wal.exists() else 0
            logged += max(after - before, 0)
            started = time.perf_counter()
            target.read()
            read_seconds += time.perf_counter() - started
        return apply_seconds / writes, read_seconds / writes, logged / writes


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks list_writes")
    parser.add_argument("--sizes", default="1000,10000,100000", help="List sizes, comma-separated")
    parser.add_argument("--writes", type=int, default=5, help="writes per size")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'items':>9} {'write s':>9} {'x':>6} {'read s':>9} {'x':>6} {'WAL B/write':>12} {'x':>6} {'max RSS MiB':>12}"
    )
    first: tuple[float, float, float] | None = None
    for size in sizes:
        figures = _measure(size, args.writes)
        first = first or figures
        ratios = [
            figure / base if base else float("nan") for figure, base in zip(figures, first, strict=True)
        ]
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{size:>9} {figures[0]:>9.4f} {ratios[0]:>6.1f} {figures[1]:>9.4f} {ratios[1]:>6.1f}"
            f" {figures[2]:>12.0f} {ratios[2]:>6.1f} {rss:>12.0f}",
            flush=True,
        )
