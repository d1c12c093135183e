"""Controller isolation and the generated command line.

Covers: a controller that raises SyncError is Failed with its message; one that crashes is
Panicked with a traceback; one that hangs past its timeout is Failed and its late writes are
lost; one that writes outside the declared outputs has that mutation put under Unspecified/
with a non-zero exit; in every case the other controllers' mutations are still written. Runs
leave no controller thread behind unless the caller keeps a pool, which reuses its threads.
Unknown and duplicate --controllers names are usage errors (exit 2, one line, no traceback);
``*``/``name``/``-name`` selection follows the Go rules; the controller order is shuffled
reproducibly from --now and the seed is reported.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.api.input_resources import ExactResource, InputResources
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.api.resources import GroupVersionResource
from mom.api.results import ControllerResults, ControllerStatus
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import read_mutation_dir
from mom.operator import Controller, Operator, RunContext, SyncError
from mom.operator.command import run_command
from mom.operator.run import ControllerThreads, run_controllers
from mom.operator.selection import select_controllers
from mom.serialization import load_document

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
SECRETS = GroupVersionResource("", "v1", "secrets")
NOW = "2024-10-14T22:38:20Z"
RELEASE = threading.Event()


def configmap(name: str, namespace: str = "demo") -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}


def writes_allowed(ctx: RunContext) -> None:
    ctx.client.create(CONFIGMAPS, configmap("allowed"))


def fails(ctx: RunContext) -> None:
    raise SyncError("the input is inconsistent")


def crashes(ctx: RunContext) -> None:
    {}["missing"]  # an operator bug


def exits(ctx: RunContext) -> None:
    raise SystemExit(3)  # what sys.exit() raises


def hangs(ctx: RunContext) -> None:
    RELEASE.wait(5)
    ctx.client.create(CONFIGMAPS, configmap("too-late"))


def writes_undeclared(ctx: RunContext) -> None:
    ctx.client.create(CONFIGMAPS, configmap("smuggled", namespace="kube-system"))


OPERATOR = Operator(
    name="iso",
    inputs=InputResources(),
    outputs=OutputResources(
        user_workload_resources=OutputResourceList(
            exact_resources=(
                ExactResource.configmap("demo", "allowed"),
                ExactResource.configmap("demo", "too-late"),
            )
        )
    ),
    controllers=(
        Controller("iso-Allowed", writes_allowed),
        Controller("iso-Fails", fails),
        Controller("iso-Crashes", crashes),
        Controller("iso-Exits", exits),
        Controller("iso-Hangs", hangs, timeout=0.2),
        Controller("iso-Undeclared", writes_undeclared),
    ),
)


def run(tmp_path: Path, *extra: str) -> int:
    (tmp_path / "input").mkdir(exist_ok=True)
    argv = [
        "apply-configuration",
        "--input-dir",
        str(tmp_path / "input"),
        "--output-dir",
        str(tmp_path / "out"),
    ]
    return run_command(OPERATOR, [*argv, "--now", NOW, *extra])


def results(tmp_path: Path) -> dict[str, ControllerStatus]:
    wire = load_document((tmp_path / "out" / "controller-results.yaml").read_bytes(), "results")
    parsed = ControllerResults.from_wire(wire)
    assert parsed is not None
    return {r.controller_name: r.status for r in parsed.results}


def test_each_failure_is_contained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(tmp_path)
    RELEASE.set()

    assert code == 1
    assert results(tmp_path) == {
        "iso-Allowed": ControllerStatus.SUCCEEDED,
        "iso-Crashes": ControllerStatus.PANICKED,
        "iso-Exits": ControllerStatus.PANICKED,
        "iso-Fails": ControllerStatus.FAILED,
        "iso-Hangs": ControllerStatus.FAILED,
        "iso-Undeclared": ControllerStatus.SUCCEEDED,
    }
    written = read_mutation_dir(tmp_path / "out" / "UserWorkload")
    assert [(r.namespace, r.name) for r in written] == [("demo", "allowed")]
    unspecified = read_mutation_dir(tmp_path / "out" / "Unspecified")
    assert [(r.namespace, r.name) for r in unspecified] == [("kube-system", "smuggled")]
    err = capsys.readouterr().err
    assert "the input is inconsistent" in err
    assert "KeyError" in err
    assert "did not finish within 0.2s" in err
    assert "not declared in output-resources" in err and "smuggled" in err


def test_a_controller_still_hanging_does_not_hold_up_later_runs() -> None:
    hanging = threading.Event()
    operator = Operator(
        name="slow",
        inputs=InputResources(),
        outputs=OPERATOR.outputs,
        controllers=(
            Controller("slow-Hangs", lambda ctx: hanging.wait(5), timeout=0.05),
            Controller("slow-Allowed", writes_allowed),
        ),
    )
    enabled = {"slow-Hangs": True, "slow-Allowed": True}
    try:
        for _ in range(3):  # each run finds the earlier hanging threads busy
            outcome = run_controllers(
                operator, Snapshot.from_objects([]), now=datetime(2024, 1, 1, tzinfo=UTC), enabled=enabled
            )
            statuses = {r.controller_name: r.status for r in outcome.results.results}
            assert statuses == {
                "slow-Hangs": ControllerStatus.FAILED,
                "slow-Allowed": ControllerStatus.SUCCEEDED,
            }
            assert [r.name for r in outcome.requests] == ["allowed"]
    finally:
        hanging.set()


def test_runs_leave_no_threads_behind_unless_a_pool_keeps_them() -> None:
    operator = Operator(
        name="quick",
        inputs=InputResources(),
        outputs=OPERATOR.outputs,
        controllers=tuple(Controller(f"quick-{n}", writes_allowed) for n in range(4)),
    )
    enabled = {f"quick-{n}": True for n in range(4)}
    now = datetime(2024, 1, 1, tzinfo=UTC)

    def controller_threads() -> int:  # a worker thread is named after the last controller it ran
        return sum(1 for thread in threading.enumerate() if "quick-" in thread.name)

    before = controller_threads()
    assert before == 0
    for _ in range(50):  # a standing process calling run after run
        run_controllers(operator, Snapshot.from_objects([]), now=now, enabled=enabled)
    deadline = time.monotonic() + 5
    while controller_threads() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert controller_threads() == before

    pool = ControllerThreads()
    for _ in range(50):
        run_controllers(operator, Snapshot.from_objects([]), now=now, enabled=enabled, threads=pool)
    assert controller_threads() == before + 1  # one thread, reused by every controller of every run
    pool.close()
    deadline = time.monotonic() + 5
    while controller_threads() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert controller_threads() == before


def test_panic_stack_is_recorded(tmp_path: Path) -> None:
    run(tmp_path, "--controllers", "iso-Crashes")
    text = (tmp_path / "out" / "controller-results.yaml").read_text()
    assert "panicStack: |" in text and "KeyError" in text


@pytest.mark.parametrize("entry", ["iso-Nope", "iso-Allowed,iso-Allowed"])
def test_bad_controller_names_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], entry: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(tmp_path, "--controllers", entry)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--controllers" in err[0]
    assert not (tmp_path / "out").exists(), "a usage error writes nothing"


def test_selection_follows_go_rules() -> None:
    known = ["a", "b", "c"]
    assert select_controllers(known, ["*", "-a"]) == {"a": False, "b": True, "c": True}
    assert select_controllers(known, ["a", "-a"]) == {"a": True, "b": False, "c": False}
    assert select_controllers(known, []) == {"a": False, "b": False, "c": False}
    assert select_controllers(known, ["-b", "*"]) == {"a": True, "b": False, "c": True}


def test_order_is_reproducible_and_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(tmp_path, "--controllers", "iso-Allowed")
    first = capsys.readouterr().err
    run(tmp_path, "--controllers", "iso-Allowed")
    second = capsys.readouterr().err
    order_line = [line for line in first.splitlines() if line.startswith("controller order")]
    assert order_line and order_line[0] in second.splitlines()
    run(tmp_path, "--controllers", "iso-Allowed", "--seed", "7")
    assert "controller order (seed 7)" in capsys.readouterr().err


def test_bad_now_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "input").mkdir()
    argv = [
        "apply-configuration",
        "--input-dir",
        str(tmp_path / "input"),
        "--output-dir",
        str(tmp_path / "o"),
    ]
    assert run_command(OPERATOR, [*argv, "--now", "yesterday"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["iso: error: --now: Invalid value: 'yesterday': not an RFC 3339 time"]
