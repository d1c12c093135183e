"""Crash safety of the manifest target: a write interrupted anywhere is finished, never repeated.

Covers: a process applying a batch is killed with SIGKILL at sampled checkpoints (after the
intent is logged, after each file write, before the done record); a new target on the same
tree re-applies the whole batch and the tree equals an uncrashed run's byte for byte, with
every mutation applied exactly once (a guarded counter patch, a generateName create, a List
append); the same at every checkpoint with an in-process interruption; a torn last WAL line
is dropped; the log is compacted past its limit and applied ids survive reopening.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import crash_batch
import pytest
from apply_support import CONFIGMAPS, configmap, mutation

from mom.api.cluster import Action
from mom.apply import ManifestTarget, Outcome
from mom.apply.wal import WAL_FILE

SCRIPT = Path(crash_batch.__file__)


def fresh_tree(root: Path) -> Path:
    (root / "namespaces/ns/core").mkdir(parents=True)
    (root / "namespaces/ns/core/configmaps.yaml").write_text(crash_batch.INITIAL_LIST)
    return root


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file but the log itself, whose history legitimately differs after a crash."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != WAL_FILE
    }


def run_batch(root: Path, kill_at: int | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, str(SCRIPT), str(root)] + ([str(kill_at)] if kill_at is not None else [])
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], int]:
    """The tree after an uncrashed run, and how many checkpoints that run passed."""
    root = fresh_tree(tmp_path_factory.mktemp("reference"))
    done = run_batch(root)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:-1] == [
        "ns Created",
        "bump Patched",
        "generated Created",
        "appended Created",
        "deploy Created",
        "scale Patched",
        "status Applied",
        "drop-extra Deleted",
    ]
    return tree_files(root), int(lines[-1].split()[1])


def test_sigkill_anywhere_then_rerun_converges(
    reference: tuple[dict[str, bytes], int], tmp_path: Path
) -> None:
    expected, checkpoints = reference
    points = sorted(random.Random(20241014).sample(range(checkpoints), 5))
    for kill_at in points:
        root = fresh_tree(tmp_path / f"killed-at-{kill_at}")

        crashed = run_batch(root, kill_at)
        rerun = run_batch(root)

        assert crashed.returncode == -9, crashed.stderr
        assert rerun.returncode == 0, rerun.stderr
        outcomes = dict(line.split() for line in rerun.stdout.splitlines()[:-1])
        finished_before = {line.split()[0] for line in crashed.stdout.splitlines()}
        assert {k for k, v in outcomes.items() if v == "AlreadyApplied"} >= finished_before
        assert not {v for v in outcomes.values()} & {"Conflict", "NotFound", "Invalid"}, rerun.stdout
        assert tree_files(root) == expected, f"killed at checkpoint {kill_at}"


class Interrupted(BaseException):
    """Stands in for the process dying: nothing after the checkpoint runs."""


def test_interruption_at_every_checkpoint_converges(
    reference: tuple[dict[str, bytes], int], tmp_path: Path
) -> None:
    expected, checkpoints = reference
    clock = crash_batch.datetime(2024, 10, 14, tzinfo=crash_batch.UTC)
    for stop_at in range(checkpoints):
        root = fresh_tree(tmp_path / f"stop-{stop_at}")

        def checkpoint(mutation_id: str, point: str, stop_at: int = stop_at, calls: list[int] = [0]) -> None:  # noqa: B006
            if calls[0] == stop_at:
                raise Interrupted(point)
            calls[0] += 1

        target = ManifestTarget(root, clock=lambda: clock, checkpoint=checkpoint)
        with pytest.raises(Interrupted):
            for mutation_id, request in crash_batch.batch():
                target.apply(mutation_id, request)

        reopened = ManifestTarget(root, clock=lambda: clock)
        results = [reopened.apply(mutation_id, request) for mutation_id, request in crash_batch.batch()]

        assert all(r.ok for r in results), (stop_at, results)
        assert [r.outcome for r in results].count(Outcome.ALREADY_APPLIED) >= 1 or stop_at == 0
        assert tree_files(root) == expected, f"stopped at checkpoint {stop_at}"


def test_torn_last_log_line_is_dropped(open_target, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = open_target()
    assert target.apply("a", mutation(Action.CREATE, CONFIGMAPS, configmap("a"), namespace="ns")).ok
    log = tmp_path / "tree/.mom" / WAL_FILE
    with open(log, "ab") as stream:
        stream.write(b'{"id":"b","files":{"namespaces/ns/core/configmaps/b.yaml":"apiVer')

    reopened = open_target()

    assert reopened.is_applied("a") and not reopened.is_applied("b")
    assert not (tmp_path / "tree/namespaces/ns/core/configmaps/b.yaml").exists()
    assert log.read_bytes().endswith(b"\n")
    result = reopened.apply("b", mutation(Action.CREATE, CONFIGMAPS, configmap("b"), namespace="ns"))
    assert result.outcome is Outcome.CREATED


def test_log_is_compacted_and_applied_ids_survive(open_target, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = open_target(compact_after=6)
    for index in range(10):
        request = mutation(Action.CREATE, CONFIGMAPS, configmap(f"cm{index}"), namespace="ns")
        assert target.apply(f"id{index}", request).outcome is Outcome.CREATED

    log_lines = (tmp_path / "tree/.mom" / WAL_FILE).read_bytes().splitlines()
    assert len(log_lines) <= 6

    reopened = open_target(compact_after=6)
    again = reopened.apply("id0", mutation(Action.CREATE, CONFIGMAPS, configmap("cm0"), namespace="ns"))
    assert all(reopened.is_applied(f"id{i}") for i in range(10))
    assert again.outcome is Outcome.ALREADY_APPLIED


def test_a_batch_writes_what_one_by_one_writes_and_survives_interruption(
    reference: tuple[dict[str, bytes], int], tmp_path: Path
) -> None:
    """apply_batch: one commit for many mutations, same tree, same crash guarantees."""
    expected, _ = reference
    clock = crash_batch.datetime(2024, 10, 14, tzinfo=crash_batch.UTC)
    root = fresh_tree(tmp_path / "batch")
    results = ManifestTarget(root, clock=lambda: clock).apply_batch(crash_batch.batch())
    assert all(r.ok for r in results) and tree_files(root) == expected

    points: list[str] = []
    ManifestTarget(
        fresh_tree(tmp_path / "count"), clock=lambda: clock, checkpoint=lambda i, p: points.append(p)
    ).apply_batch(crash_batch.batch())
    assert points[0] == "logged" and points[-1] == "written"
    for stop_at in range(len(points)):
        root = fresh_tree(tmp_path / f"batch-stop-{stop_at}")

        def checkpoint(mutation_id: str, point: str, stop_at: int = stop_at, calls: list[int] = [0]) -> None:  # noqa: B006
            if calls[0] == stop_at:
                raise Interrupted(point)
            calls[0] += 1

        with pytest.raises(Interrupted):
            ManifestTarget(root, clock=lambda: clock, checkpoint=checkpoint).apply_batch(crash_batch.batch())
        rerun = ManifestTarget(root, clock=lambda: clock).apply_batch(crash_batch.batch())
        assert all(r.ok for r in rerun)
        assert all(r.outcome is Outcome.ALREADY_APPLIED for r in rerun), (
            "the logged intent was redone on open"
        )
        assert tree_files(root) == expected, f"stopped at checkpoint {stop_at}"
