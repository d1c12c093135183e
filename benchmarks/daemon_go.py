"""The real authentication-operator daemon beside mom as a periodic job, measured in one run.

Run: ``python -m benchmarks daemon_go [--window 90] [--warm-up 30] [--baseline 20] [--samples 3]
[--resync 600] [--managed-only]``. Needs the real cluster-authentication-operator
(``tests/real_operators.py`` unpacks it from ``MOM_OPERATORS_DIR``) and a cached envtest build of
kube-apiserver and etcd (``mom envtest --build-only``); without either it prints why and
measures nothing.

The daemon side, on a real control plane (:mod:`mom.envtest`, on loopback):

1. every CRD of the real aws must-gather (an OpenShift 4.8 cluster) is installed, except its
   FeatureGate CRD, which predates ``status.featureGates`` (the daemon waits for that field):
   mom's test CRD ``tests/live/crds/config_featuregates.yaml`` is installed in its place;
2. the operator's declared inputs (``authentication-operator input-resources``), as mom gathers
   them from the must-gather, are created (:mod:`benchmarks.seeded_cluster`), plus three objects
   of the must-gather that the daemon reads without declaring them (:data:`ALSO`); the
   FeatureGate's status lists, for the operator's version, the gates this build asks about, all
   disabled (the integrated OAuth server, as that cluster runs it; a gate it is not told about
   makes it panic);
3. the daemon runs as the must-gather's Deployment runs it: ``authentication-operator operator
   --config FILE`` with the operator config of the Deployment's ConfigMap, the Deployment's
   ``--v`` and plain environment variables, plus ``--kubeconfig`` (the admin's), ``--namespace``
   and ``--listen`` on a free loopback port; leader election as it defaults (it takes the lease
   in its namespace and renews it);
4. after ``--warm-up`` seconds it is sampled once a second for ``--window`` seconds: CPU time
   (utime + stime of ``/proc/<pid>/stat``, all its threads) and resident set (``VmRSS``). Also
   counted over the window: the writes it made (the server's audit log, by user agent) and its
   log lines; and the kube-apiserver's CPU over the same window against a ``--baseline`` window
   before the daemon started (the extra the daemon causes);
5. unless ``--managed-only``: the operator's configuration
   (``authentications.operator.openshift.io/cluster``) is set ``managementState: Unmanaged``,
   which its controllers read as "leave the operands alone", and the same daemon is measured
   again as in step 4 (after another warm-up).

No kubelet, scheduler or controller manager runs: the daemon's Deployments never get pods, its
endpoint checks are refused and routes are not served, so it keeps reporting and retrying. Its
rate here is what this real daemon costs in this world, not a converged cluster's idle rate.

The job side, measured first (before this process loads the must-gather: a child's peak RSS
starts at its parent's): ``mom run --once`` with the same binary on the same must-gather, as
``benchmarks/vs_go.py`` row f builds it (:func:`benchmarks.manager.periodic_job`): ``--samples`` processes on a fresh journal (the
operator runs) and ``--samples`` that find nothing to run, with bytecode. mom hands the operator
only what it declares, so the controllers that read the objects of :data:`ALSO` report failures
and the process exits 1, as it does on this must-gather; its cost is counted all the same.

Printed per simulated day at the ``--resync`` period: each phase's measured rate extrapolated
to a day (CPU-s = CPU rate x 86400; GiB-s = mean RSS x 86400) against the job's
(:meth:`benchmarks.manager.Periodic.per_day`: at 10 minutes, 24 processes that run the
operator and 120 quiet ones, each the median of its kind; a process's GiB-s is its peak RSS x
its wall time, an upper bound), and their ratios; then the same for a cluster's 17 and 32
operators (:data:`FLEETS`), each like this one, marked against the periodic-job goal of
benchmark (a') (:mod:`benchmarks.manager`): at least 30x less GiB-s and 10x less CPU-s than the
standing daemons. These rows are where that goal is judged: the daemons of (a') are a model
that pays nothing while idle, below what starting any process once per period costs.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.real_operators import Unavailable, unpack

from benchmarks import fleet
from benchmarks.manager import (
    DAY,
    HOURLY,
    PERIODIC_CPU_GOAL,
    PERIODIC_MEMORY_GOAL,
    OnceProcess,
    Periodic,
    median_process,
    periodic_job,
)
from benchmarks.sampling import GIB, Window, children_named, measure_windows, rss_bytes
from benchmarks.seeded_cluster import Seeded, install_must_gather_crds, objects_to_seed, seed
from benchmarks.vs_go import resource_tree, standalone_world
from mom.api.errors import MomError
from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.client.paths import resource_url
from mom.envtest.binaries import Binaries, cached
from mom.envtest.cluster import Cluster, ClusterError, running
from mom.mustgather.loader import load_must_gather
from mom.mustgather.store import Snapshot
from mom.serialization import load_document

OPERATOR = "authentication-operator"
NAMESPACE = "openshift-authentication-operator"
DEPLOYMENTS = GroupVersionResource("apps", "v1", "deployments")
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
FEATUREGATES = GroupVersionResource("config.openshift.io", "v1", "featuregates")
OPERATOR_CONFIG = GroupVersionResource("operator.openshift.io", "v1", "authentications")
"""The operator's own configuration; its ``spec.managementState`` says whether it manages."""
MERGE_PATCH = "application/merge-patch+json"
CONFIG_KEY = "operator-config.yaml"
"""The key of the Deployment's config ConfigMap that ``--config`` points at."""
ALSO = (
    ObjectRef(GroupVersionResource("config.openshift.io", "v1", "authentications"), "", "cluster"),
    ObjectRef(FEATUREGATES, "", "cluster"),
    ObjectRef(CONFIGMAPS, "openshift-etcd", "etcd-endpoints"),
)
"""Objects the daemon reads though its ``input-resources`` does not declare them."""
FEATUREGATE_CRD = fleet.REPO / "tests" / "live" / "crds" / "config_featuregates.yaml"
GATES_ASKED = (
    "ExternalOIDC",
    "ExternalOIDCWithUIDAndExtraClaimMappings",
    "ExternalOIDCWithUpstreamParity",
    "ExternalOIDCExternalClaimsSourcing",
    "AuthenticationComponentProxy",
)
"""The feature gates this build of the operator asks about (it panics on one not listed)."""
POD_NAME = "authentication-operator-benchmark"
STOP_TIMEOUT = 15.0


class BenchmarkError(Exception):
    """The daemon or the job did not behave as the benchmark needs; its figures would mean nothing."""


FLEETS = (17, 32)
"""Operator counts of benchmark (a) (``python -m benchmarks.manager``): a cluster's operators."""


def fleet_job(job: Periodic, operators: int) -> Periodic:
    """The job for ``operators`` operators like the measured one, projected from its processes.

    A process that runs them costs a quiet process once plus, per operator, what running the
    measured one added to it (wall, CPU, and peak RSS as if the runs' memory added up: an upper
    bound, since mom runs one operator at a time per cluster); quiet processes stay as measured
    with one operator (benchmark (a') measures them nearly flat in the operator count)."""
    base = median_process(job.quiet)
    running = [
        OnceProcess(
            base.wall + operators * max(p.wall - base.wall, 0.0),
            base.cpu + operators * max(p.cpu - base.cpu, 0.0),
            base.peak + operators * max(p.peak - base.peak, 0),
        )
        for p in job.running
    ]
    return Periodic(running, job.quiet)


def per_day(window: Window) -> tuple[float, float]:
    """(GiB-s, CPU-s) of one day at ``window``'s rate: mean RSS x 86400, CPU rate x 86400."""
    return window.mean_rss / GIB * DAY, window.cpu_rate * DAY


@dataclass(frozen=True)
class Timing:
    """Seconds: the kube-apiserver alone, the daemon before measuring, the daemon measured."""

    baseline: float
    warm_up: float
    window: float
    unmanaged: bool
    """Also measure the daemon after its operator is set ``Unmanaged``."""


@dataclass
class Phase:
    """What the daemon did and cost in one measured window, under one management state."""

    management_state: str
    daemon: Window
    apiserver: Window
    writes: int
    log_lines: int
    errors: Counter[str]


@dataclass
class DaemonRun:
    """The daemon's measured phases, the kube-apiserver alone before it, and what was seeded."""

    phases: list[Phase]
    apiserver_baseline: Window
    seeded: Seeded
    missing: list[str]


def _deployment_container(snapshot: Snapshot) -> dict[str, Any]:
    deployment = snapshot.get(DEPLOYMENTS, namespace=NAMESPACE, name=OPERATOR)
    containers = deployment.get("spec", {}).get("template", {}).get("spec", {}).get("containers") or []
    if not containers or not isinstance(containers[0], dict):
        raise BenchmarkError(f"deployment {NAMESPACE}/{OPERATOR} of the must-gather has no container")
    return dict(containers[0])


def daemon_command(
    binary: Path, container: dict[str, Any], config: Path, kubeconfig: Path, port: int
) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of the daemon, as the Deployment ``container`` runs it."""
    arguments = " ".join(str(a) for a in [*(container.get("command") or []), *(container.get("args") or [])])
    verbosity = re.search(r"--v=(\d+)", arguments)
    command = [str(binary), "operator", f"--config={config}", f"--kubeconfig={kubeconfig}"]
    command += [f"--namespace={NAMESPACE}", f"--listen=127.0.0.1:{port}"]
    if verbosity:
        command.append(f"--v={verbosity.group(1)}")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/")}
    for variable in container.get("env") or []:
        if isinstance(variable, dict) and isinstance(variable.get("value"), str):
            env[str(variable["name"])] = variable["value"]
    env["POD_NAME"] = POD_NAME
    return command, env


def feature_gate_status(version: str) -> dict[str, Any]:
    """The FeatureGate status the daemon waits for: its version's gates, the ones it asks about off."""
    return {
        "featureGates": [{"version": version, "enabled": [], "disabled": [{"name": g} for g in GATES_ASKED]}]
    }


def _set_feature_gates(cluster: Cluster, version: str) -> None:
    path = resource_url(FEATUREGATES, "", "cluster")
    current = cluster.request("GET", path)
    current["status"] = feature_gate_status(version)
    cluster.request("PUT", path + "/status", current)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _writes_by(cluster: Cluster, agent: str) -> int:
    return sum(1 for event in cluster.audit_events() if str(event.get("userAgent", "")).startswith(agent))


def error_kinds(lines: list[str]) -> Counter[str]:
    """klog error lines by message, with the header and numbers cut so repeats count together."""
    kinds: Counter[str] = Counter()
    for line in lines:
        if line.startswith("E"):
            message = line.split("] ", 1)[-1]
            kinds[re.sub(r"\d+", "N", message)[:140]] += 1
    return kinds


def run_daemon(
    binaries: Binaries, binary: Path, must_gather: Path, scratch: Path, timing: Timing
) -> DaemonRun:
    """Steps 1 to 4 of the module docstring, in ``scratch``."""
    scratch.mkdir(parents=True)
    snapshot = load_must_gather(must_gather)
    container = _deployment_container(snapshot)
    config_map = snapshot.get(CONFIGMAPS, namespace=NAMESPACE, name=f"{OPERATOR}-config")
    config = scratch / CONFIG_KEY
    config.write_text(str((config_map.get("data") or {}).get(CONFIG_KEY, "")))
    env_values = {v.get("name"): v.get("value") for v in container.get("env") or [] if isinstance(v, dict)}
    version = str(env_values.get("OPERATOR_IMAGE_VERSION") or "")
    declared = subprocess.run([str(binary), "input-resources"], capture_output=True, check=True).stdout
    declaration = InputResources.from_wire(load_document(declared, "input-resources"), "input-resources")
    objects, missing = objects_to_seed(snapshot, declaration, ALSO)
    with running(binaries, scratch / "envtest") as cluster:
        install_must_gather_crds(
            cluster, snapshot, scratch / "crds", {"featuregates.config.openshift.io": FEATUREGATE_CRD}
        )
        seeded = seed(cluster, objects)
        _set_feature_gates(cluster, version)
        apiserver = children_named(os.getpid(), "kube-apiserver")
        if len(apiserver) != 1:
            raise BenchmarkError(f"expected one kube-apiserver child process, found {len(apiserver)}")
        (apiserver_baseline,) = measure_windows(apiserver, timing.baseline)
        command, env = daemon_command(binary, container, config, cluster.kubeconfig, _free_port())
        log_path = scratch / "daemon.log"
        with log_path.open("wb") as log:
            daemon = subprocess.Popen(
                command, cwd=scratch, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        phases = []
        try:
            for state in ("Managed", "Unmanaged") if timing.unmanaged else ("Managed",):
                if state != "Managed":
                    _set_management_state(cluster, state)
                phases.append(_measure_phase(cluster, daemon, apiserver[0], log_path, state, timing))
        except BenchmarkError as exc:
            raise BenchmarkError(
                f"{exc}; {shlex.join(command)}; its last lines:\n{_tail(log_path)}"
            ) from None
        finally:
            _stop(daemon)
    return DaemonRun(phases, apiserver_baseline, seeded, missing)


def _measure_phase(
    cluster: Cluster,
    daemon: subprocess.Popen[bytes],
    apiserver: int,
    log_path: Path,
    state: str,
    timing: Timing,
) -> Phase:
    """Wait ``timing.warm_up``, then measure the daemon and the kube-apiserver for ``timing.window``."""
    time.sleep(timing.warm_up)
    if daemon.poll() is not None:
        raise BenchmarkError(f"the daemon exited {daemon.returncode} during the warm-up ({state})")
    writes, lines = _writes_by(cluster, OPERATOR), len(_lines(log_path))
    try:
        measured, apiserver_window = measure_windows([daemon.pid, apiserver], timing.window)
    except ProcessLookupError as exc:
        raise BenchmarkError(str(exc)) from None
    if daemon.poll() is not None:  # an exited child stays in /proc until it is reaped
        raise BenchmarkError(f"the daemon exited {daemon.returncode} during the measured window ({state})")
    window_lines = _lines(log_path)[lines:]
    writes = _writes_by(cluster, OPERATOR) - writes
    return Phase(state, measured, apiserver_window, writes, len(window_lines), error_kinds(window_lines))


def _set_management_state(cluster: Cluster, state: str) -> None:
    body = {"spec": {"managementState": state}}
    cluster.request("PATCH", resource_url(OPERATOR_CONFIG, "", "cluster"), body, MERGE_PATCH)


def _lines(path: Path) -> list[str]:
    return path.read_text(errors="replace").splitlines()


def _tail(path: Path, count: int = 15) -> str:
    return "\n".join(_lines(path)[-count:])


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def run_job(binary: Path, must_gather: Path, world: Path, samples: int) -> Periodic:
    """The job side: ``mom run --once`` processes on the world ``vs_go`` row f builds."""
    return periodic_job(
        standalone_world(must_gather, binary, world), samples, exit_codes=(0, 1)
    )  # 1: the run reports failed controllers


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}x" if b else "inf"


def print_report(run: DaemonRun, job: Periodic, resync: float, warm_up: float, parent_rss: int) -> None:
    print(
        f"daemon_go: the real {OPERATOR} daemon (Go) on a real kube-apiserver vs mom as a periodic job, "
        "same binary, same must-gather (aws)"
    )
    print(
        f"  seeded: {run.seeded.created} objects created ({run.seeded.statuses} statuses), "
        f"{len(run.seeded.refused)} refused, {len(run.missing)} declared but absent from the must-gather"
    )
    for refused in run.seeded.refused:
        print(f"    refused: {refused}")
    if run.missing:
        print(f"    absent: {', '.join(missing.split(' (')[0] for missing in run.missing)}")
    baseline = run.apiserver_baseline.millicores
    for phase in run.phases:
        daemon, minutes = phase.daemon, phase.daemon.wall / 60
        print(
            f"  daemon, {phase.management_state}, {daemon.wall:.0f} s measured after {warm_up:.0f} s: "
            f"{daemon.cpu:.2f} CPU-s ({daemon.millicores:.1f} millicores), RSS mean "
            f"{daemon.mean_rss / 2**20:.0f} MiB, peak {daemon.peak_rss / 2**20:.0f} MiB"
        )
        print(
            f"    it wrote {phase.writes} times ({phase.writes / minutes:.0f}/min) and logged {phase.log_lines} "
            f"lines ({phase.log_lines / minutes:.0f}/min, {sum(phase.errors.values())} errors); kube-apiserver "
            f"{phase.apiserver.millicores:.1f} millicores, {baseline:.1f} before the daemon "
            f"({phase.apiserver.millicores - baseline:+.1f} caused by it)"
        )
        for message, count in phase.errors.most_common(5):
            print(f"    {count:5d} x {message}")
    for kind, processes in (("running the operator", job.running), ("nothing to run", job.quiet)):
        print(
            f"  job, a `mom run --once` process {kind}: median {statistics.median(p.wall for p in processes):.2f} s "
            f"wall, {statistics.median(p.cpu for p in processes):.2f} s CPU, "
            f"peak {statistics.median(p.peak for p in processes) / 2**20:.0f} MiB ({len(processes)} processes)"
        )
    print(
        f"    (peak = ru_maxrss of the process and the operator it ran; none can be below this "
        f"benchmark's own {parent_rss / 2**20:.0f} MiB when it started them)"
    )
    job_gib, job_cpu = job.per_day(resync)
    ticks = DAY / resync
    running_ticks = min(ticks, DAY / HOURLY)
    print(
        f"  per day at the {resync / 60:g}-minute resync (the daemon: its measured rate x 86400 s; the job: "
        f"{running_ticks:.0f} processes running the operator + {ticks - running_ticks:.0f} quiet ones)"
    )
    print(f"    {'':<18} {'GiB·s':>10} {'ratio':>8} {'CPU-s':>10} {'ratio':>8}")
    for phase in run.phases:
        gib, cpu = per_day(phase.daemon)
        print(
            f"    {'daemon, ' + phase.management_state:<18} {gib:10.0f} {_ratio(gib, job_gib):>8} "
            f"{cpu:10.1f} {_ratio(cpu, job_cpu):>8}"
        )
    print(f"    {'job':<18} {job_gib:10.1f} {'':>8} {job_cpu:10.1f}")
    print(
        "  a cluster's operators, each like this one (projected from the figures above: N daemons "
        "cost N times the measured one; the job's running processes add the operator's measured "
        "cost N times, memory included, and its quiet processes are as measured)"
    )
    print(
        f"    {'operators':>9} {'':<18} {'GiB·s':>10} {'job GiB·s':>10} {'ratio':>8} {'CPU-s':>10} "
        f"{'job CPU-s':>10} {'ratio':>8} | goal {PERIODIC_MEMORY_GOAL:g}x GiB·s, {PERIODIC_CPU_GOAL:g}x CPU-s"
    )
    for operators in FLEETS:
        fleet_gib, fleet_cpu = fleet_job(job, operators).per_day(resync)
        for phase in run.phases:
            gib, cpu = (operators * figure for figure in per_day(phase.daemon))
            met = gib >= PERIODIC_MEMORY_GOAL * fleet_gib and cpu >= PERIODIC_CPU_GOAL * fleet_cpu
            print(
                f"    {operators:>9} {'daemons, ' + phase.management_state:<18} {gib:10.0f} {fleet_gib:10.1f} "
                f"{_ratio(gib, fleet_gib):>8} {cpu:10.0f} {fleet_cpu:10.1f} {_ratio(cpu, fleet_cpu):>8} | "
                f"{'ok' if met else 'MISSED'}"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks daemon_go",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--window", type=float, default=90.0, help="seconds the daemon is measured (default 90)"
    )
    parser.add_argument("--warm-up", type=float, default=30.0, help="seconds before measuring (default 30)")
    parser.add_argument(
        "--baseline",
        type=float,
        default=20.0,
        help="seconds of kube-apiserver before the daemon (default 20)",
    )
    parser.add_argument(
        "--managed-only",
        action="store_true",
        help="measure the daemon only as it runs (not also after setting its operator Unmanaged)",
    )
    parser.add_argument("--samples", type=int, default=3, help="job processes of each kind (default 3)")
    parser.add_argument("--resync", type=float, default=600.0, help="the job's period, seconds (default 600)")
    parser.add_argument(
        "--realdata",
        type=Path,
        default=Path(os.environ.get("MOM_REALDATA_DIR", fleet.REPO.parent / "shared" / "realdata")),
        help="the real must-gathers (default: MOM_REALDATA_DIR or ../shared/realdata)",
    )
    args = parser.parse_args(argv)
    if min(args.window, args.warm_up, args.baseline, args.resync) <= 0 or args.samples < 1:
        parser.error("--window, --warm-up, --baseline and --resync must be positive, --samples at least 1")
    archive = args.realdata / "must-gather-clean" / "must-gather-aws.tar.xz"
    binaries = cached()
    try:
        binary = unpack(OPERATOR)
        if not archive.is_file():
            raise Unavailable(f"{archive} not found (set MOM_REALDATA_DIR)")
        if binaries is None:
            raise Unavailable("kube-apiserver and etcd are not built: run `mom envtest --build-only`")
    except Unavailable as exc:
        print(f"daemon_go: skipped: {exc}")
        return
    for tree in ("src", "benchmarks"):  # the job starts from bytecode, as an installed package does
        compileall.compile_dir(fleet.REPO / tree, quiet=1)
    with tempfile.TemporaryDirectory(prefix="mom-bench-daemon-go-") as scratch_name:
        scratch = Path(scratch_name)
        must_gather = resource_tree(archive, scratch / "must-gather")
        try:
            # The job first: a child's peak RSS (ru_maxrss) starts at its parent's RSS when it was
            # spawned, and the daemon side makes this process as big as the must-gather it loads.
            parent_rss = rss_bytes(os.getpid())
            job = run_job(binary, must_gather, scratch / "job", args.samples)
            timing = Timing(args.baseline, args.warm_up, args.window, not args.managed_only)
            run = run_daemon(binaries, binary, must_gather, scratch / "daemon", timing)
        except (
            BenchmarkError,
            ClusterError,
            MomError,
            RuntimeError,
            OSError,
            subprocess.SubprocessError,
        ) as exc:
            print(f"daemon_go: error: {exc}", file=sys.stderr)
            raise SystemExit(1) from None
    print_report(run, job, args.resync, args.warm_up, parent_rss)


if __name__ == "__main__":
    main()
