"""Static pods over a simulated day: the standing parts under mom vs a standing operator daemon.

Run: ``python -m benchmarks static_pods [--day SECONDS]``. Prints, in one run, both sides of a
simulated day compressed into ``--day`` wall seconds each, with a rollout every hour (the
example kube-scheduler operand's log level changes, making a revision that the three fake
nodes install one at a time):

* daemon — the example operator and the static pod controller's cluster part in one standing
  process that reconciles every minute (library-go's usual ``ResyncEvery``), as the manager
  benchmark's part (a) models a standing daemon: its informers' cache is the whole real aws
  must-gather, decoded at start and held all day (``../shared/realdata``, or
  ``MOM_REALDATA_DIR``; without it the daemon holds no cache and the run says so);
* mom — the same two operators run by one mom manager ticking every minute, each run only when
  its inputs changed or its resync (10 min) is due.

On both sides the same three fake nodes (a kubelet stand-in publishing mirror pods, and the
node part stepping every 30 simulated seconds) live in the measured process, so the difference
between the sides is the cluster part's way of running. Figures: memory GiB-seconds (sampled
RSS) and peak, CPU seconds of the whole process and of each part (cluster part, node part,
kubelet stand-ins), controller runs and rollouts completed, with daemon/mom ratios.
"""

from __future__ import annotations

import argparse
import compileall
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from tests.unit.staticpod.world import OPERAND, Cluster, FakeNode, example_operator

from benchmarks import fleet
from benchmarks.daemons import DAY, EPOCH, _wait_for, cpu_seconds
from benchmarks.sampling import GIB, MemorySampler
from mom.manager.assembly import open_manager
from mom.manager.config import load_config
from mom.mustgather.loader import load_must_gather
from mom.serialization import dump_json, load_json
from mom.staticpod.controller import static_pod_operator
from mom.staticpod.node import Action, ApiRevisionSource, NodeAgent
from mom.staticpod.readiness import MirrorPodReadiness

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_OPERATOR = example_operator().OPERATOR
STATIC_PODS = static_pod_operator(OPERAND)
RESYNC = 60.0
NODE_STEP = 30.0
ROLLOUT_EVERY = 3600.0
LEVELS = ("Debug", "Normal")


class Parts:
    """CPU seconds spent in each part of the world, by ``time.process_time`` around each call."""

    def __init__(self) -> None:
        self.seconds = {"cluster": 0.0, "node": 0.0, "kubelet": 0.0}

    def timed(self, part: str, action: Callable[[], Any]) -> Any:
        started = time.process_time()
        try:
            return action()
        finally:
            self.seconds[part] += time.process_time() - started


def _world(root: Path, clock: Callable[[], datetime]) -> tuple[Cluster, list[FakeNode]]:
    cluster = Cluster(root / "cluster", clock)
    nodes = [
        FakeNode(root / "nodes", f"master-{n}", lambda node, revision: True, ready_timeout=600)
        for n in range(3)
    ]
    return cluster, nodes


def _set_level(cluster: Cluster, level: str) -> None:
    def change(client: Any) -> None:
        obj = client.get(OPERAND.operator.gvr, "cluster")
        client.update(OPERAND.operator.gvr, {**obj, "spec": {**obj["spec"], "logLevel": level}})

    cluster.write(change)


def run_side(side: str, root: Path, day: float, cache_from: Path | None) -> dict[str, float]:
    """One simulated day of ``side`` (``daemon`` or ``mom``) in this process."""
    started, scale, simulated = time.monotonic(), DAY / day, 0.0
    informer_cache = load_must_gather(cache_from) if cache_from is not None else None  # the informers' LIST

    def now() -> datetime:
        return EPOCH + timedelta(seconds=simulated)

    cluster, nodes = _world(root, now)
    parts, counts = Parts(), {"runs": 0.0, "rollouts": 0.0, "installs": 0.0}
    manager = None
    if side == "mom":
        config = root / "mom.yaml"
        config.write_bytes(dump_json({
            "journal": "state/journal.sqlite",
            "debounce": 0,
            "operators": [
                {"name": EXAMPLE_OPERATOR.name, "python": "benchmarks.static_pods:EXAMPLE_OPERATOR", "resync": 600},
                {"name": STATIC_PODS.name, "python": "benchmarks.static_pods:STATIC_PODS", "resync": 600},
            ],
            "clusters": [{"name": "standalone", "manifestDir": "cluster"}],
            "instances": [{"name": "standalone", "topology": "Standalone", "cluster": "standalone"}],
        }))  # fmt: skip
        manager, _ = open_manager(load_config(config), clock=now)
        cluster.target = manager.targets["standalone"]  # one writer for the tree: the manager's target
    published: dict[str, tuple[int, bool]] = {}
    next_reconcile = next_rollout = 0.0
    level = 0
    while simulated < DAY:
        _wait_for(simulated, started, scale)
        if simulated >= next_rollout:
            _set_level(cluster, LEVELS[level % 2])
            level += 1
            counts["rollouts"] += 1
            next_rollout += ROLLOUT_EVERY
        if simulated >= next_reconcile:
            if manager is not None:
                report = parts.timed("cluster", manager.tick)
                counts["runs"] += report.runs
            else:
                for operator in (EXAMPLE_OPERATOR, STATIC_PODS):
                    parts.timed("cluster", partial(cluster.run, operator, now()))
                    counts["runs"] += 1
            next_reconcile += RESYNC
        for node in nodes:
            client, _ = cluster.client()
            report = parts.timed("node", partial(_step, node, client, now()))
            counts["installs"] += report is Action.INSTALLED
            state = _kubelet_state(node)
            if state is not None and published.get(node.name) != state:
                parts.timed("kubelet", partial(cluster.publish, node.kubelet, now()))
                published[node.name] = state
        simulated += NODE_STEP
    final = cluster.get(OPERAND.operator.gvr, "cluster") or {}
    status = final.get("status") or {}
    counts["latest"] = float(status.get("latestAvailableRevision", 0))
    counts["at_latest"] = float(
        sum(1 for n in status.get("nodeStatuses", []) if n.get("currentRevision") == counts["latest"])
    )
    counts.update({f"cpu_{k}": v for k, v in parts.seconds.items()})
    counts["behind_seconds"] = max(0.0, time.monotonic() - started - day)
    counts["cached_objects"] = float(len(informer_cache)) if informer_cache is not None else 0.0
    if manager is not None:
        manager.journal.close()
    return counts


def _step(node: FakeNode, client: Any, moment: datetime) -> Action:
    agent = NodeAgent(
        node.settings,
        node.installer,
        MirrorPodReadiness(client, OPERAND, node.name),
        ApiRevisionSource(client, OPERAND),
    )
    return agent.step(moment).action


def _kubelet_state(node: FakeNode) -> tuple[int, bool] | None:
    pod = node.installer.installed()
    return None if pod is None else (pod.revision, node.kubelet.rule(node.name, pod.revision))


def measure(side: str, day: float, cache: Path | None) -> tuple[dict[str, float], float, float]:
    """Run ``side`` in a fresh process; its counts, GiB-seconds (per simulated day) and peak GiB."""
    with tempfile.TemporaryDirectory(prefix=f"static-pods-{side}-") as directory:
        extra = ["--cache", str(cache)] if cache is not None and side == "daemon" else []
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.static_pods",
                "side",
                side,
                str(directory),
                "--day",
                str(day),
                *extra,
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        started = time.monotonic()
        with MemorySampler([process]) as sampler:
            out, err = process.communicate()
        elapsed = time.monotonic() - started
        if process.returncode != 0:
            raise RuntimeError(f"{side} side exited {process.returncode}: {err.decode()[-2000:]}")
        counts: dict[str, float] = load_json(out.splitlines()[-1], f"{side} output")
    return counts, sampler.byte_seconds / elapsed / GIB * DAY, sampler.peak / GIB


def _ratio(a: float, b: float) -> str:
    return f"{a / b:6.1f}x" if b else "   inf"


def main(argv: list[str]) -> None:
    if argv and argv[0] == "side":
        parser = argparse.ArgumentParser(prog="python -m benchmarks.static_pods side")
        parser.add_argument("side", choices=("daemon", "mom"))
        parser.add_argument("root", type=Path)
        parser.add_argument("--day", type=float, default=60.0)
        parser.add_argument("--cache", type=Path, help="a must-gather the daemon holds as its informer cache")
        args = parser.parse_args(argv[1:])
        counts = run_side(args.side, args.root, args.day, args.cache)
        counts["cpu_seconds"] = cpu_seconds()
        sys.stdout.write(dump_json(counts).decode() + "\n")
        return
    parser = argparse.ArgumentParser(prog="python -m benchmarks static_pods")
    parser.add_argument(
        "--day", type=float, default=60.0, help="wall seconds each side's simulated day takes"
    )
    args = parser.parse_args(argv)
    for tree in ("src", "benchmarks"):  # both sides start like an installed package: from bytecode
        compileall.compile_dir(REPO / tree, quiet=1)
    archive = (
        Path(os.environ.get("MOM_REALDATA_DIR", fleet.REALDATA))
        / "must-gather-clean"
        / "must-gather-aws.tar.xz"
    )
    with tempfile.TemporaryDirectory(prefix="static-pods-cache-") as scratch:
        cache = None
        if archive.is_file():
            with tarfile.open(archive) as packed:
                packed.extractall(scratch, filter="data")
            cache = fleet.resource_root(Path(scratch))
        else:
            print(f"note: {archive} not found: the daemon side holds no informer cache")
        sides = {side: measure(side, args.day, cache) for side in ("daemon", "mom")}
    (d, d_gib, d_peak), (m, m_gib, m_peak) = sides["daemon"], sides["mom"]
    print(
        f"static pods: one simulated day in {args.day:g} s wall per side, a rollout every hour on 3 fake nodes; "
        f"the cluster part reconciles every {RESYNC:g} s (daemon) or runs on input changes and a {600:g} s "
        "resync (mom); nodes step every 30 s on both sides"
    )
    print(f"    {'':<28} {'daemon':>10} {'mom':>10} {'ratio':>8}")
    rows = [
        ("memory GiB·s (whole process)", d_gib, m_gib),
        ("peak RSS MiB", d_peak * 1024, m_peak * 1024),
        ("CPU s (whole process)", d["cpu_seconds"], m["cpu_seconds"]),
        ("CPU s, cluster part", d["cpu_cluster"], m["cpu_cluster"]),
        ("CPU s, node part (3 nodes)", d["cpu_node"], m["cpu_node"]),
        ("CPU s, kubelet stand-ins", d["cpu_kubelet"], m["cpu_kubelet"]),
        ("cluster-part runs", d["runs"], m["runs"]),
    ]
    for label, a, b in rows:
        print(f"    {label:<28} {a:10.2f} {b:10.2f} {_ratio(a, b)}")
    print(f"    daemon: {d['cached_objects']:.0f} objects held in its informer cache")
    for name, counts in (("daemon", d), ("mom", m)):
        print(
            f"    {name}: {counts['rollouts']:.0f} rollouts started, latest revision {counts['latest']:.0f} on "
            f"{counts['at_latest']:.0f}/3 nodes at the end, {counts['installs']:.0f} installs, "
            f"{counts['behind_seconds']:.1f} s behind the compressed clock"
        )
    per_node = m["cpu_node"] / 3 / DAY * 1000
    print(f"    node part: {per_node:.3f} millicores per node on average over the day (mom side)")


if __name__ == "__main__":
    main(sys.argv[1:])
