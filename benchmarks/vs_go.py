"""mom against the shipped Go binaries: an operator run, test suites, the harness alone, one-shot gather.

Run: ``python -m benchmarks vs_go [--rounds N] [--only LETTERS] [--mom-jobs N]``. Every figure
is measured here, in one run: each round runs every scenario once on each side (alternating which side goes first), after
one warm-up round that is not counted. Per scenario it prints the medians of wall time, CPU
time (user + system of the child and every process it waited for, from ``os.wait4``) and peak
memory (``ru_maxrss``: the largest single process of that tree), and the mom/Go ratio of each.

Scenarios:

a. one ``sample-operator apply-configuration`` on the Go project's test-basic-call input (the
   Go sample operator vs mom's Python port);
b. the Go project's apply-configuration test cases, each harness with its own operator (the Go
   harness with the Go sample operator vs ``mom test`` with the Python port);
c. the harness alone: both harnesses drive the Go sample operator on the same cases;
d. both harnesses on the real authentication operator's six golden cases;
e. one-shot gather from the real aws must-gather for the sample operator's and the
   authentication operator's declarations (``<operator> input-resources``): Go's
   ``create-input-resources from-must-gather`` vs mom's, whether both wrote the same objects
   (wherever and in whatever order) and whether the output files are identical byte for byte;
f. ``mom run --once`` with the real authentication operator on the aws must-gather, after the
   warm-up round has run it once: every counted process decides again, from a cold start, that
   nothing needs to run (the debounce window outlasts the benchmark);
g. ``mom run --once`` on a fresh world of 10 hosted clusters, each guest a full copy of the aws
   must-gather, the authentication operator run on each: one first tick per counted round.

The Go proof of concept has no manager, so rows f and g have mom figures only; their "own"
columns are the ``mom`` process alone (``benchmarks.own_usage``), without the operators it ran.

Rows b-d run mom's harness one operator at a time, as Go's does; ``--mom-jobs N`` lets it run up
to N at once (``mom test apply-configuration --jobs N``).

The mom side runs with bytecode, as an installed wheel does: ``PYTHONDONTWRITEBYTECODE`` unset
and ``PYTHONPYCACHEPREFIX`` pointing into a temporary directory, warmed by the warm-up round.
The Go binaries come from ``../shared/operators`` through ``tests/real_operators.py``.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.real_operators import (
    OPERATOR_TEST_DIR,
    Unavailable,
    authentication_operator_tests,
    operator_repository,
    operators_dir,
    unpack,
)

from mom.serialization import dump_json, load_document

REPO = Path(__file__).resolve().parent.parent
NOW = "2024-10-14T22:38:20Z"
MIB = 1024.0 * 1024.0
OWN_USAGE = "own-usage.json"
"""Where a side run through :mod:`benchmarks.own_usage` leaves the ``mom`` process's own figures."""
HOSTED_CLUSTERS = 10


class BenchmarkError(Exception):
    """A command did not behave as the scenario requires; its figures would mean nothing."""


@dataclass(frozen=True, slots=True)
class Usage:
    wall: float
    """Seconds from spawn to reaping."""
    cpu: float
    """User + system seconds of the child and the processes it waited for."""
    peak: int
    """Largest resident set of any single process in that tree, bytes."""
    own_cpu: float | None = None
    """User + system seconds of the ``mom`` process alone, when the side reports it."""
    own_peak: int | None = None
    """Largest resident set of the ``mom`` process alone, bytes, when the side reports it."""


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a scenario: how to build its command for a fresh output directory."""

    command: Callable[[Path], list[str]]
    cwd: Path
    env: dict[str, str]
    exit_code: int = 0


@dataclass
class Scenario:
    name: str
    go: Side | None
    """``None``: Go has no counterpart; the row has mom figures only."""
    mom: Side
    compare_outputs: bool = False
    samples: dict[str, list[Usage]] = field(default_factory=lambda: {"Go": [], "mom": []})
    last_output: dict[str, Path] = field(default_factory=dict)


def measure(side: Side, output_dir: Path) -> Usage:
    """Run ``side`` once into ``output_dir`` and account for the whole process tree."""
    command = side.command(output_dir)
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=side.cwd,
            env=side.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != side.exit_code:
            stderr.seek(0)
            tail = stderr.read()[-2000:].decode("utf-8", "replace")
            raise BenchmarkError(
                f"{shlex.join(command)} (in {side.cwd}) exited {process.returncode}, "
                f"expected {side.exit_code}:\n{tail}"
            )
    own = output_dir / OWN_USAGE
    if own.is_file():
        figures = json.loads(own.read_text(encoding="utf-8"))
        own.unlink()
        return Usage(
            wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, figures["cpu"], figures["peak"]
        )
    return Usage(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def tree_difference(go: Path, mom: Path) -> str:
    """``yes`` when both directories hold the same files with the same bytes, else what differs."""
    only_go: list[str] = []
    only_mom: list[str] = []
    differing: list[str] = []
    pending = [(filecmp.dircmp(go, mom), "")]
    while pending:
        comparison, prefix = pending.pop()
        only_go += [prefix + name for name in comparison.left_only]
        only_mom += [prefix + name for name in comparison.right_only]
        differing += [
            prefix + name
            for name in comparison.common_files
            if (Path(comparison.left) / name).read_bytes() != (Path(comparison.right) / name).read_bytes()
        ]
        pending += [(sub, f"{prefix}{name}/") for name, sub in comparison.subdirs.items()]
    if not (only_go or only_mom or differing):
        return "yes"
    parts = [
        f"{len(paths)} {label}"
        for label, paths in (("differ", differing), ("only Go", only_go), ("only mom", only_mom))
        if paths
    ]
    return f"no: {', '.join(parts)} ({', '.join(sorted(differing + only_go + only_mom)[:3])})"


def objects_in(tree: Path) -> list[bytes]:
    """Every object in a pruned tree (List files flattened), canonically encoded and sorted."""
    found: list[bytes] = []
    for path in sorted(tree.rglob("*.yaml")):
        document = load_document(path.read_bytes(), str(path))
        items = document.get("items") if isinstance(document, dict) and "items" in document else [document]
        found += [dump_json(item) for item in items or []]
    return sorted(found)


def same_objects(go: Path, mom: Path) -> str:
    """``yes`` when both trees hold the same objects, wherever and in whatever order they are written;
    else which objects only one side wrote (``kind/namespace/name``)."""
    go_objects, mom_objects = objects_in(go), objects_in(mom)
    if go_objects == mom_objects:
        return f"yes ({len(go_objects)})"
    parts = [f"no ({len(go_objects)} Go, {len(mom_objects)} mom)"]
    for label, extra in (
        ("only Go", set(go_objects) - set(mom_objects)),
        ("only mom", set(mom_objects) - set(go_objects)),
    ):
        if extra:
            parts.append(f"{label}: " + " ".join(sorted(_identity(item) for item in extra)))
    return "; ".join(parts)


def _identity(encoded: bytes) -> str:
    document = load_document(encoded, "object")
    if not isinstance(document, dict):
        return "?"
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        metadata = {}
    return "/".join(
        str(part) for part in (document.get("kind"), metadata.get("namespace"), metadata.get("name")) if part
    )


def _apply_configuration(binary: Path, case: Path) -> Callable[[Path], list[str]]:
    return lambda out: [
        str(binary),
        "apply-configuration",
        "--input-dir",
        str(case / "input-dir"),
        "--output-dir",
        str(out),
        "--now",
        NOW,
    ]


def _harness(binary: Path, jobs: int = 1) -> Callable[[Path], list[str]]:
    return lambda out: [
        str(binary),
        "test",
        "apply-configuration",
        f"--test-dir={OPERATOR_TEST_DIR}",
        f"--output-dir={out}",
        *([f"--jobs={jobs}"] if jobs != 1 else []),
    ]


def _gather(command: list[str], must_gather: Path, declaration: Path) -> Callable[[Path], list[str]]:
    return lambda out: [
        *command,
        "create-input-resources",
        "from-must-gather",
        "--must-gather-dir",
        str(must_gather),
        "--input-resources",
        str(declaration),
        "--output-dir",
        str(out),
    ]


def _declaration(binary: Path, path: Path) -> Path:
    path.write_bytes(subprocess.run([str(binary), "input-resources"], check=True, capture_output=True).stdout)
    return path


def resource_tree(archive: Path, scratch: Path) -> Path:
    """Unpack a must-gather; the directory holding ``cluster-scoped-resources`` (what Go wants)."""
    with tarfile.open(archive) as tar:
        tar.extractall(scratch, filter="data")
    return next(p.parent for p in scratch.rglob("cluster-scoped-resources") if p.is_dir())


def _own_usage(out: Path) -> list[str]:
    """The start of a command that runs ``mom`` through :mod:`benchmarks.own_usage` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "benchmarks.own_usage", str(out / OWN_USAGE), "--"]


def _manager_config(
    world: Path, operator: Path, clusters: list[dict[str, object]], instances: list[dict[str, object]]
) -> Path:
    config = {
        "journal": "state/journal.sqlite",
        "debounce": 86400,
        "operators": [{"name": "authentication", "command": [str(operator)], "timeout": 600}],
        "clusters": clusters,
        "instances": instances,
    }
    path = world / "mom.yaml"
    path.write_bytes(dump_json(config))
    return path


def _linked_copy(source: Path, target: Path) -> None:
    """``source`` copied as hard links: mom replaces files atomically, so the original stays intact."""
    shutil.copytree(source, target, copy_function=os.link)


def standalone_world(must_gather: Path, operator: Path, world: Path) -> Path:
    """Row f's world in ``world``: one standalone cluster linked from ``must_gather``, ``operator``
    managed there; the path of its manager configuration."""
    _linked_copy(must_gather, world / "cluster")
    return _manager_config(
        world,
        operator,
        [{"name": "standalone", "manifestDir": "cluster"}],
        [{"name": "standalone", "topology": "Standalone", "cluster": "standalone"}],
    )


def _unchanged_once(must_gather: Path, operator: Path, world: Path, env: dict[str, str]) -> Side:
    """Row f: one persistent standalone world where the operator has run once, here; every
    measured tick after that defers it (its inputs changed, inside the debounce window)."""
    config = standalone_world(must_gather, operator, world)
    command = [str(Path(sys.executable).parent / "mom"), "run", "--config", str(config), "--once"]
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return Side(lambda out: [*_own_usage(out), *command[1:]], REPO, env)


def _hosted_once(must_gather: Path, operator: Path, template: Path, env: dict[str, str]) -> Side:
    """Row g: a fresh world per measurement (linked from ``template``), so every tick is a first one."""
    clusters: list[dict[str, object]] = [{"name": "management", "manifestDir": "management"}]
    instances: list[dict[str, object]] = []
    for index in range(HOSTED_CLUSTERS):
        namespace, guest = f"clusters-{index}", f"hosted-{index}"
        namespace_dir = template / "management" / "namespaces" / namespace
        namespace_dir.mkdir(parents=True)
        (namespace_dir / f"{namespace}.yaml").write_bytes(
            dump_json({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        )
        _linked_copy(must_gather, template / "guests" / guest)
        clusters.append({"name": guest, "manifestDir": f"guests/{guest}"})
        instances.append(
            {
                "name": guest,
                "topology": "HyperShift",
                "management": "management",
                "guest": guest,
                "hostedControlPlaneNamespace": namespace,
                "operandNamespaces": ["openshift-authentication", "openshift-authentication-operator"],
            }
        )
    _manager_config(template, operator, clusters, instances)

    def command(out: Path) -> list[str]:
        _linked_copy(template, out / "world")
        return [*_own_usage(out), "run", "--config", str(out / "world" / "mom.yaml"), "--once"]

    return Side(command, REPO, env, exit_code=1)  # the aws must-gather has no Authentication config


def build_scenarios(conformance: Path, realdata: Path, scratch: Path, mom_jobs: int = 1) -> list[Scenario]:
    go_harness, go_sample = unpack("multi-operator-manager"), unpack("sample-operator")
    authentication = unpack("authentication-operator")
    bin_dir = Path(sys.executable).parent
    mom, python_sample = bin_dir / "mom", bin_dir / "sample-operator"
    for script in (mom, python_sample):
        if not script.is_file():
            raise Unavailable(f"{script} not found: install the project (pip install -e .)")
    go_env = dict(os.environ)
    mom_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    mom_env["PYTHONPYCACHEPREFIX"] = str(scratch / "pycache")

    go_cases = conformance / "multi-operator-manager" / "test-data" / "apply-configuration"
    go_repo = operator_repository(scratch / "repo-go-sample", go_cases, go_sample, "sample-operator")
    python_repo = operator_repository(
        scratch / "repo-python-sample", go_cases, python_sample, "sample-operator"
    )
    auth_repo = operator_repository(
        scratch / "repo-authentication",
        authentication_operator_tests(),
        authentication,
        "authentication-operator",
    )
    must_gather = resource_tree(
        realdata / "must-gather-clean" / "must-gather-aws.tar.xz", scratch / "must-gather"
    )
    sample_declaration = _declaration(go_sample, scratch / "sample-operator-inputs.yaml")
    auth_declaration = _declaration(authentication, scratch / "authentication-operator-inputs.yaml")
    basic_call = go_cases / "test-basic-call"
    return [
        Scenario(
            "a. sample-operator apply-configuration",
            Side(_apply_configuration(go_sample, basic_call), scratch, go_env),
            Side(_apply_configuration(python_sample, basic_call), scratch, mom_env),
        ),
        Scenario(
            "b. Go cases, each harness + own operator",
            Side(_harness(go_harness), go_repo, go_env),
            Side(_harness(mom, mom_jobs), python_repo, mom_env),
        ),
        Scenario(
            "c. Go cases, harness alone (Go operator)",
            Side(_harness(go_harness), go_repo, go_env),
            Side(_harness(mom, mom_jobs), go_repo, mom_env),
        ),
        Scenario(
            "d. authentication operator's 6 cases",
            Side(_harness(go_harness), auth_repo, go_env, exit_code=1),
            Side(_harness(mom, mom_jobs), auth_repo, mom_env, exit_code=1),
        ),
        Scenario(
            "e. gather aws, sample-operator inputs",
            Side(_gather([str(go_harness)], must_gather, sample_declaration), scratch, go_env),
            Side(_gather([str(mom)], must_gather, sample_declaration), scratch, mom_env),
            compare_outputs=True,
        ),
        Scenario(
            "e. gather aws, authentication inputs",
            Side(_gather([str(go_harness)], must_gather, auth_declaration), scratch, go_env),
            Side(_gather([str(mom)], must_gather, auth_declaration), scratch, mom_env),
            compare_outputs=True,
        ),
        Scenario(
            "f. run --once, aws, inputs unchanged",
            None,
            _unchanged_once(must_gather, authentication, scratch / "run-once-aws", mom_env),
        ),
        Scenario(
            f"g. run --once, {HOSTED_CLUSTERS} hosted, aws-sized guests",
            None,
            _hosted_once(must_gather, authentication, scratch / "run-once-hosted", mom_env),
        ),
    ]


def run_rounds(scenarios: list[Scenario], rounds: int, scratch: Path) -> None:
    """One uncounted warm-up round, then ``rounds`` counted ones, sides alternating who goes first."""
    progress = sys.stderr.isatty()
    for round_number in range(rounds + 1):
        for index, scenario in enumerate(scenarios):
            if progress:
                label = "warm-up" if round_number == 0 else f"round {round_number}/{rounds}"
                sys.stderr.write(f"\r\033[K{label}: {scenario.name}")
                sys.stderr.flush()
            order = ("Go", "mom") if round_number % 2 else ("mom", "Go")
            for side_name in order:
                side = scenario.go if side_name == "Go" else scenario.mom
                if side is None:
                    continue
                output = scratch / "outputs" / f"{index}-{side_name}-{round_number}"
                usage = measure(side, output)
                if round_number > 0:
                    scenario.samples[side_name].append(usage)
                previous = scenario.last_output.get(side_name)
                if previous is not None:
                    shutil.rmtree(previous, ignore_errors=True)
                scenario.last_output[side_name] = output
    if progress:
        sys.stderr.write("\r\033[K")


def _ratio(mom: float, go: float | None) -> str:
    return f"{mom / go:6.2f}" if go else "     -"


def _figure(value: float | None, unit: str) -> str:
    return "       -" if value is None else f"{value:6.0f}{unit}"


def _medians(samples: list[Usage]) -> tuple[float, float, float] | None:
    if not samples:
        return None
    return (
        statistics.median(u.wall for u in samples) * 1000,
        statistics.median(u.cpu for u in samples) * 1000,
        statistics.median(u.peak for u in samples) / MIB,
    )


def print_table(scenarios: list[Scenario], rounds: int) -> None:
    print(f"mom vs Go: medians of {rounds} interleaved rounds after one warm-up (mom with bytecode)")
    print("peak = ru_maxrss, the largest single process of the tree (harness or an operator it ran)")
    header = (
        f"{'scenario':<42} {'wall Go':>8} {'mom':>8} {'ratio':>6}   {'CPU Go':>8} {'mom':>8} {'ratio':>6}"
        f"   {'MiB Go':>7} {'mom':>7} {'ratio':>6}   {'same objects':<14} identical files"
    )
    print(header)
    print("-" * len(header))
    for scenario in scenarios:
        go = _medians(scenario.samples["Go"])
        mom = _medians(scenario.samples["mom"])
        assert mom is not None
        go_wall, go_cpu, go_peak = go if go is not None else (None, None, None)
        wall, cpu, peak = mom
        identical = objects = "-"
        if scenario.compare_outputs:
            go_output, mom_output = scenario.last_output["Go"], scenario.last_output["mom"]
            identical = tree_difference(go_output, mom_output)
            objects = same_objects(go_output, mom_output)
        go_mib = "      -" if go_peak is None else f"{go_peak:7.1f}"
        print(
            f"{scenario.name:<42} {_figure(go_wall, 'ms')} {wall:6.0f}ms {_ratio(wall, go_wall)}"
            f"   {_figure(go_cpu, 'ms')} {cpu:6.0f}ms {_ratio(cpu, go_cpu)}"
            f"   {go_mib} {peak:7.1f} {_ratio(peak, go_peak)}   {objects:<14} {identical}"
        )
        owns = [u for u in scenario.samples["mom"] if u.own_cpu is not None and u.own_peak is not None]
        if owns:
            own_cpu = statistics.median(u.own_cpu or 0.0 for u in owns) * 1000
            own_peak = statistics.median(u.own_peak or 0 for u in owns) / MIB
            print(
                f"{'  the mom process alone':<42} {'':>8} {'':>8} {'':>6}   {'':>8} {own_cpu:6.0f}ms {'':>6}"
                f"   {'':>7} {own_peak:7.1f}   (operators' runs: {cpu - own_cpu:.0f}ms CPU)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks vs_go", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="counted rounds (default 5)")
    parser.add_argument(
        "--conformance",
        type=Path,
        default=Path(os.environ.get("MOM_CONFORMANCE_DIR", REPO.parent / "shared" / "conformance")),
        help="the Go fixtures (default: MOM_CONFORMANCE_DIR or ../shared/conformance)",
    )
    parser.add_argument(
        "--realdata",
        type=Path,
        default=Path(os.environ.get("MOM_REALDATA_DIR", REPO.parent / "shared" / "realdata")),
        help="the real must-gathers (default: MOM_REALDATA_DIR or ../shared/realdata)",
    )
    parser.add_argument(
        "--only", default="", help="run only these rows, by letter (e.g. f,g); default: every row"
    )
    parser.add_argument(
        "--mom-jobs",
        type=int,
        default=1,
        metavar="N",
        help="rows b-d: mom's harness runs up to N operators at once (--jobs N); default 1, as Go",
    )
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.mom_jobs < 1:
        parser.error("--mom-jobs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="mom-bench-vs-go-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            scenarios = build_scenarios(args.conformance, args.realdata, scratch, args.mom_jobs)
            letters = {letter.strip() for letter in args.only.split(",") if letter.strip()}
            scenarios = [s for s in scenarios if not letters or s.name.split(".")[0] in letters]
            run_rounds(scenarios, args.rounds, scratch)
        except (Unavailable, BenchmarkError, OSError) as exc:
            print(f"vs_go: error: {exc} (binaries from {operators_dir()})", file=sys.stderr)
            raise SystemExit(1) from None
        print_table(scenarios, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
