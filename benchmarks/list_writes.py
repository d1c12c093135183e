"""Writing into a big List file of a manifest-directory target: cost against List size.

Run: ``python -m benchmarks list_writes [--sizes 1000,10000,100000] [--writes N]``.
For each size, a tree holds one ``configmaps.yaml`` List of that many items; the target is
opened and read once, then one write lands in the List (a List above the split threshold is
split into object files by it: printed as ``first``), then N updates, N creates and N deletes
follow, each followed by the read the manager's next tick makes. Printed per size and kind of
write: seconds per write (apply) and per read after it, bytes logged by the write-ahead log per
write, files each write changes, peak memory of the process so far, and the time, log bytes
and files per write as ratios to the smallest size. A write whose cost does not grow with the
List shows ratios near 1.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.apply import ManifestTarget
from mom.apply.wal import WAL_FILE
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NOW = datetime(2025, 3, 1, tzinfo=UTC)
KINDS = ("first", "update", "create", "delete")


@dataclass
class Figures:
    """Means per write of one kind of write at one List size."""

    write_seconds: float
    read_seconds: float
    wal_bytes: float
    files: float


def _configmap(name: str, value: str) -> dict[str, object]:
    metadata = {"name": name, "namespace": "ns", "resourceVersion": "1"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": {"key": value}}


def _tree(root: Path, size: int) -> None:
    directory = root / "namespaces/ns/core"
    directory.mkdir(parents=True)
    (root / "namespaces/ns/ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n")
    items = [_configmap(f"cm-{i:07d}", "v") for i in range(size)]
    document = {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {}, "items": items}
    (directory / "configmaps.yaml").write_bytes(dump_json(document))  # JSON is YAML, and fast to make


def _request(action: Action, name: str, value: str) -> MutationRequest:
    body = _configmap(name, value)
    del body["metadata"]["resourceVersion"]  # type: ignore[attr-defined]
    return MutationRequest(
        action=action,
        gvr=CONFIGMAPS,
        namespace="ns",
        name=name,
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=b"" if action is Action.DELETE else dump_go_yaml(body).encode(),
        options=b"",
        patch_type="",
        field_manager="",
    )


def _requests(size: int, writes: int) -> dict[str, list[MutationRequest]]:
    return {
        "first": [_request(Action.UPDATE, f"cm-{size - 1:07d}", "first")],
        "update": [_request(Action.UPDATE, f"cm-{w * 7 % size:07d}", f"w{w}") for w in range(writes)],
        "create": [_request(Action.CREATE, f"new-{w:07d}", "v") for w in range(writes)],
        "delete": [_request(Action.DELETE, f"cm-{w * 11 % size + 1:07d}", "") for w in range(writes)],
    }


def _logged(wal: Path, offset: int) -> tuple[int, int]:
    """Bytes the log grew by since ``offset``, and how many files its new intents change."""
    if not wal.exists() or wal.stat().st_size <= offset:
        return 0, 0
    with open(wal, "rb") as stream:
        stream.seek(offset)
        lines = stream.read().splitlines()
    files = sum(len(json.loads(line).get("files") or {}) for line in lines if line.strip())
    return sum(len(line) + 1 for line in lines), files


def _measure(size: int, writes: int) -> dict[str, Figures]:
    with tempfile.TemporaryDirectory(prefix="mom-bench-") as directory:
        root = Path(directory)
        _tree(root, size)
        target = ManifestTarget(root, clock=lambda: NOW)
        target.read()
        wal = root / ".mom" / WAL_FILE
        measured: dict[str, Figures] = {}
        for kind, requests in _requests(size, writes).items():
            totals = Figures(0.0, 0.0, 0.0, 0.0)
            for number, request in enumerate(requests):
                before = wal.stat().st_size if wal.exists() else 0
                started = time.perf_counter()
                result = target.apply(f"{kind}-{number}", request)
                totals.write_seconds += time.perf_counter() - started
                assert result.ok, result
                logged, files = _logged(wal, before)
                totals.wal_bytes += logged
                totals.files += files
                started = time.perf_counter()
                target.read()
                totals.read_seconds += time.perf_counter() - started
            count = len(requests)
            measured[kind] = Figures(*(value / count for value in vars(totals).values()))
        return measured


def _ratio(figure: float, base: float) -> str:
    return f"{figure / base:>6.1f}" if base else f"{'-':>6}"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks list_writes")
    parser.add_argument("--sizes", default="1000,10000,100000", help="List sizes, comma-separated")
    parser.add_argument("--writes", type=int, default=5, help="writes of each kind per size")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(
        f"{'items':>9} {'write':>7} {'write s':>9} {'x':>6} {'read s':>9} {'WAL B/write':>12} {'x':>6}"
        f" {'files':>8} {'x':>6} {'max RSS MiB':>12}"
    )
    first: dict[str, Figures] = {}
    for size in sizes:
        measured = _measure(size, args.writes)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for kind in KINDS:
            figures = measured[kind]
            base = first.setdefault(kind, figures)
            print(
                f"{size:>9} {kind:>7} {figures.write_seconds:>9.4f} {_ratio(figures.write_seconds, base.write_seconds)}"
                f" {figures.read_seconds:>9.4f} {figures.wal_bytes:>12.0f} {_ratio(figures.wal_bytes, base.wal_bytes)}"
                f" {figures.files:>8.0f} {_ratio(figures.files, base.files)} {rss:>12.0f}",
                flush=True,
            )
