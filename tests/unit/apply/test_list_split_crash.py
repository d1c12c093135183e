"""A List split into object files survives a crash anywhere: the tree keeps the List or every
object file, and the next open finishes the split.

Covers: a process writing into a List longer than ``SPLIT_LIST_ITEMS`` is killed with SIGKILL
after the intent is logged, after the first object file, halfway, before and after the List
file's removal, and before the done record; at each, the List file is still there or every
item has its object file, and a new target on the tree finishes the write once, leaving the
tree byte for byte as an uncrashed run does. The same at every checkpoint with an in-process
interruption, on a List split at a lower threshold.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.apply import ManifestTarget, Outcome, placement
from mom.apply.wal import WAL_FILE
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NOW = datetime(2025, 3, 1, tzinfo=UTC)
LIST_FILE = "namespaces/ns/core/configmaps.yaml"
OBJECT_DIR = "namespaces/ns/core/configmaps"
HERE = Path(__file__).resolve().parent

SCRIPT = """
import os, signal, sys
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from test_list_split_crash import NOW, update
from mom.apply import ManifestTarget

calls = [0]
kill_at = int(sys.argv[2])

def checkpoint(mutation_id, point):
    if calls[0] == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)
    calls[0] += 1

result = ManifestTarget(Path(sys.argv[1]), clock=lambda: NOW, checkpoint=checkpoint).apply("m1", update())
print(result.outcome.value, calls[0])
"""


def update() -> MutationRequest:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm-3", "namespace": "ns"}}
    return MutationRequest(
        action=Action.UPDATE,
        gvr=CONFIGMAPS,
        namespace="ns",
        name="cm-3",
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=dump_go_yaml({**body, "data": {"key": "new"}}).encode(),
        options=b"",
        patch_type="",
        field_manager="",
    )


def fresh_tree(root: Path, size: int) -> Path:
    (root / "namespaces/ns/core").mkdir(parents=True)
    items = [
        {"metadata": {"name": f"cm-{i}", "namespace": "ns"}, "data": {"key": "old"}} for i in range(size)
    ]
    document = {"apiVersion": "v1", "kind": "ConfigMapList", "metadata": {}, "items": items}
    (root / LIST_FILE).write_bytes(dump_json(document))
    return root


def tree_files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != WAL_FILE
    }


def assert_list_or_every_object_file(root: Path, size: int) -> None:
    if (root / LIST_FILE).is_file():
        return
    files = {p.name for p in (root / OBJECT_DIR).iterdir()}
    assert {f"cm-{i}.yaml" for i in range(size)} <= files


def run(root: Path, kill_at: int | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-c", SCRIPT, str(root), str(-1 if kill_at is None else kill_at), str(HERE)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)


def test_sigkill_during_a_split_then_reopen_converges(tmp_path: Path) -> None:
    size = placement.SPLIT_LIST_ITEMS + 1
    reference = fresh_tree(tmp_path / "reference", size)
    done = run(reference)
    assert done.returncode == 0, done.stderr
    outcome, checkpoints = done.stdout.split()
    assert outcome == "Updated"
    assert not (reference / LIST_FILE).exists()
    expected = tree_files(reference)
    last = int(checkpoints) - 1  # the done record's "written"; before it, the List's removal
    for kill_at in (0, 1, last // 2, last - 2, last - 1, last):
        root = fresh_tree(tmp_path / f"kill-{kill_at}", size)
        killed = run(root, kill_at)
        assert killed.returncode == -9, (kill_at, killed.stdout, killed.stderr)
        assert_list_or_every_object_file(root, size)

        result = ManifestTarget(root, clock=lambda: NOW).apply("m1", update())

        assert result.outcome is Outcome.ALREADY_APPLIED, (kill_at, result)
        assert tree_files(root) == expected, f"killed at checkpoint {kill_at}"


class Interrupted(BaseException):
    """Stands in for the process dying: nothing after the checkpoint runs."""


def test_interruption_at_every_step_of_a_split_converges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(placement, "SPLIT_LIST_ITEMS", 4)
    size = 6
    reference = fresh_tree(tmp_path / "reference", size)
    points: list[str] = []
    ManifestTarget(reference, clock=lambda: NOW, checkpoint=lambda _id, point: points.append(point)).apply(
        "m1", update()
    )
    assert not (reference / LIST_FILE).exists()
    assert points[-2:] == [f"wrote {LIST_FILE}", "written"]  # the List goes once every object file is in
    expected = tree_files(reference)
    for stop_at, point in enumerate(points):
        root = fresh_tree(tmp_path / f"stop-{stop_at}", size)

        def checkpoint(_id: str, where: str, stop_at: int = stop_at, calls: list[int] = [0]) -> None:  # noqa: B006
            if calls[0] == stop_at:
                raise Interrupted(where)
            calls[0] += 1

        with pytest.raises(Interrupted):
            ManifestTarget(root, clock=lambda: NOW, checkpoint=checkpoint).apply("m1", update())
        assert_list_or_every_object_file(root, size)

        result = ManifestTarget(root, clock=lambda: NOW).apply("m1", update())

        assert result.outcome is Outcome.ALREADY_APPLIED, (point, result)
        assert tree_files(root) == expected, f"stopped at {point}"
