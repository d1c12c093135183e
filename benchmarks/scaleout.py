"""Scale-out: 1, 2 and 4 replicas sharing the same hosted clusters — memory and CPU per replica.

``python -m benchmarks scaleout [--hosted N]`` (default 100) builds one fleet of N hosted
clusters (17 operators each, :func:`benchmarks.fleet.build_hypershift`), assigns them to 1, 2
and 4 replicas with the ring mom's replicas use (:func:`mom.manager.scaleout.ring.assign`, every
hosted cluster at the default weight), and measures each replica on its share in a fresh process
(:mod:`benchmarks.hosted`, on a fresh copy of the fleet): peak memory, CPU of the first tick
(everything runs) and of an unchanged tick. A replica reads the management cluster only in its
share's hosted control plane namespaces; the second table measures the same shares on a copy
whose management cluster holds nothing else, the floor for those reads: the two agree when
nothing outside the share is read. Replicas are measured one after the other, so each
has the cores to itself, as on nodes of their own. What the ring's Leases add (a GET and a PUT of
the shard Lease per retry period, one LIST per tick) is not in these figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import fleet
from mom.manager.scaleout.ring import assign
from mom.serialization import dump_json, load_document, load_json

REPLICAS = (1, 2, 4)


def share_config(config: Path, share: set[str], target: Path) -> Path:
    """The fleet's configuration narrowed to ``share`` (as a replica narrows its own)."""
    document: dict[str, Any] = load_document(config.read_bytes(), str(config))
    document["instances"] = [i for i in document["instances"] if i["name"] in share]
    used = {"management"} | share
    document["clusters"] = [c for c in document["clusters"] if c["name"] in used]
    target.write_bytes(dump_json(document, indent=True))
    return target


def measure_replica(
    world: Path, config: Path, share: set[str], label: str, *, narrowed_management: bool = False
) -> dict[str, float]:
    """One replica on its share, in a fresh process on a fresh copy of the fleet. With
    ``narrowed_management`` the copy's management cluster holds only the share's hosted control
    planes: nothing outside the share is there to be read."""
    copy = world.parent / f"run-{label}"
    shutil.copytree(world, copy)
    if narrowed_management:
        document = load_document(config.read_bytes(), str(config))
        mine = {i["hostedControlPlaneNamespace"] for i in document["instances"] if i["name"] in share}
        for namespace in (copy / "management" / "namespaces").iterdir():
            if namespace.name not in mine:
                shutil.rmtree(namespace)
    try:
        narrowed = share_config(copy / config.name, share, copy / "replica.json")
        arguments = [sys.executable, "-m", "benchmarks.hosted", "--config", str(narrowed)]
        done = subprocess.run(arguments, cwd=fleet.REPO, capture_output=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"replica {label} exited {done.returncode}: {done.stderr.decode()[-2000:]}")
        figures: dict[str, float] = load_json(done.stdout.splitlines()[-1], "hosted output")
        return figures
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks scaleout")
    parser.add_argument("--hosted", type=int, default=100, help="hosted clusters in the fleet (default 100)")
    args = parser.parse_args(argv)
    realdata = Path(os.environ.get("MOM_REALDATA_DIR", str(fleet.REALDATA)))
    with tempfile.TemporaryDirectory(prefix="mom-scaleout-") as scratch:
        world = Path(scratch) / "world"
        world.mkdir()
        config = fleet.build_hypershift(world, args.hosted, hcp_dir=realdata / "hypershift-hcp")
        names = [i["name"] for i in load_document(config.read_bytes(), str(config))["instances"]]
        rows: list[dict[str, float]] = []
        narrowed: list[dict[str, float]] = []
        for replicas in REPLICAS:
            owners = assign(dict.fromkeys(names, 1.0), [f"replica-{r}" for r in range(replicas)])
            for replica in range(replicas):
                share = {n for n, o in owners.items() if o == f"replica-{replica}"}
                label = f"{replicas}-{replica}"
                row: dict[str, float] = {"replicas": replicas, "replica": replica, "hosted": len(share)}
                rows.append({**row, **measure_replica(world, config, share, label)})
                if replicas > 1:
                    figures = measure_replica(world, config, share, f"{label}-n", narrowed_management=True)
                    narrowed.append({**row, **figures})
                print(
                    f"  measured {replicas} replica(s), replica {replica}: {len(share)} hosted",
                    file=sys.stderr,
                )
    print(
        f"\nscale-out as built: {args.hosted} hosted clusters x 17 operators, shared by 1, 2 and 4 replicas"
    )
    print("(each replica reads the management cluster in its share's hosted control plane namespaces)")
    print_rows(rows)
    print(
        "\nthe same shares with the management cluster trimmed on disk to each replica's hosted control planes"
    )
    print("(the floor: nothing outside the share there to read)")
    print_rows([r for r in rows if r["replicas"] == 1] + narrowed)


def print_rows(rows: list[dict[str, float]]) -> None:
    print(
        f"  {'replicas':>8} {'replica':>7} | {'hosted':>6} {'pairs':>6} | {'first CPU s':>11} "
        f"{'unchanged CPU s':>15} | {'peak MiB':>8} | {'failed':>6}"
    )
    for r in rows:
        print(
            f"  {r['replicas']:>8.0f} {r['replica']:>7.0f} | {r['hosted']:>6.0f} {r['pairs']:>6.0f} | "
            f"{r['first_cpu']:>11.2f} {r['unchanged_cpu']:>15.3f} | {r['peak_mib']:>8.0f} | {r['first_failed']:>6.0f}"
        )
    single = next(r for r in rows if r["replicas"] == 1)
    print("\n  per replica, largest share, against one replica:")
    for replicas in REPLICAS:
        group = [r for r in rows if r["replicas"] == replicas]
        cpu = max(r["first_cpu"] for r in group)
        peak = max(r["peak_mib"] for r in group)
        print(
            f"  {replicas} replica(s): first-tick CPU {cpu:.2f} s ({cpu / single['first_cpu']:.2f}x), "
            f"peak {peak:.0f} MiB ({peak / single['peak_mib']:.2f}x), "
            f"largest share {max(r['hosted'] for r in group):.0f} hosted"
        )
