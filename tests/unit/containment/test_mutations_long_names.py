"""Every name Kubernetes accepts can be stored, and a write that can never finish does not brick mom.

Covers: a 253-character ConfigMap is created by ``mom run`` into the cluster directory, read
back by name, and the next run reads the tree; mutation directories hold 253-character names
and RBAC names full of colons, read back equal, while every name that fits keeps the Go file
name byte for byte; a write-ahead intent an older mom logged with a file name too long to
exist is dropped on restart and the journal's pending mutation is applied again with a name
that fits; an intent that can never be written (a file where its directory must be) is dropped,
the journal marks its mutation failed with the reason, and the manager carries on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.unit.containment.containment_support import (
    CONFIGMAPS,
    NAMESPACE,
    REPOSITORY,
    declares,
    hostile_manager,
    mom_run,
    mutation_files,
    request,
)

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource
from mom.inputs.tree import TreeSource
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.mustgather.layout import MAX_FILE_NAME_BYTES
from mom.mustgather.loader import load_must_gather
from mom.mutationdir.directory import read_mutation_dir, request_paths, write_mutation_dir
from mom.mutationdir.requests import MutationRequest

LONGEST = "a" * 61 + "." + "b" * 63 + "." + "c" * 63 + "." + "d" * 63  # 253 characters
CLUSTERROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")


def _create(name: str) -> MutationRequest:
    body = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {NAMESPACE}\ndata:\n  a: b\n"
    return request(Action.CREATE, name, body)


def test_a_253_character_name_is_created_read_back_and_read_again(tmp_path: Path) -> None:
    assert len(LONGEST) == 253
    config = hostile_manager(tmp_path, declares(LONGEST), mutation_files([_create(LONGEST)]))
    done = mom_run(config)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["pairs"][0]["applied"] == 1
    cluster = config.parent / "cluster"
    stored = load_must_gather(cluster).get(CONFIGMAPS, namespace=NAMESPACE, name=LONGEST)
    assert stored["data"] == {"a": "b"}
    assert TreeSource(cluster).get(CONFIGMAPS, namespace=NAMESPACE, name=LONGEST) == stored, (
        "what gathering inputs reads"
    )
    assert all(len(p.name.encode()) <= MAX_FILE_NAME_BYTES for p in cluster.rglob("*"))
    again = mom_run(config)
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        run_id = journal.runs()[-1].run_id
        journal.write_output_dir(run_id, tmp_path / "exported")
    (exported,) = read_mutation_dir(tmp_path / "exported" / "UserWorkload")
    assert exported.name == LONGEST


def test_mutation_directories_hold_any_valid_name_and_keep_the_go_names_that_fit(tmp_path: Path) -> None:
    rbac = "system:" + ":".join(["controller"] * 30)  # colons become -COLON- in file names
    role = MutationRequest(
        action=Action.CREATE,
        gvr=CLUSTERROLES,
        namespace="",
        name=rbac,
        generate_name="",
        kind=None,
        body=f"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: {rbac}\n".encode(),
    )
    fits = "f" * (MAX_FILE_NAME_BYTES - len("0000-metadata-.yaml"))
    requests = [_create(LONGEST), _create(fits), role]
    write_mutation_dir(tmp_path, requests)
    assert [r.name for r in read_mutation_dir(tmp_path)] == sorted(
        [LONGEST, fits, rbac], key=lambda n: n != rbac
    )
    assert all(len(p.name.encode()) <= MAX_FILE_NAME_BYTES for p in tmp_path.rglob("*"))
    body, metadata, _ = request_paths(_create(fits))
    prefix = body.rsplit("/", 1)[1][:4]
    assert metadata.endswith(f"/{prefix}-metadata-{fits}.yaml"), "the Go name, untouched, when it fits"
    assert len(metadata.rsplit("/", 1)[1]) == MAX_FILE_NAME_BYTES


CRASH_AFTER_LOGGING = """
import sys
from pathlib import Path
from tests.crash_points import Countdown
from tests.unit.manager.conftest import FakeClock
from mom.apply.manifest_target import ManifestTarget
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

clock = FakeClock()
manager, _ = open_manager(load_config(Path(sys.argv[1])), clock=clock)
countdown = Countdown(0)
manager.targets = {
    name: ManifestTarget(t.root, name=name, clock=clock, checkpoint=countdown.point)
    for name, t in manager.targets.items()
}
manager.tick()
"""


def _crash_after_logging(tmp_path: Path, config: Path) -> Path:
    """Run one tick and kill it right after the target logged its write-ahead intent."""
    script = tmp_path / "crash.py"
    script.write_text(CRASH_AFTER_LOGGING)
    done = subprocess.run(
        [sys.executable, str(script), str(config)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    assert done.returncode == -9, done.stderr
    wal = config.parent / "cluster" / ".mom" / "wal.jsonl"
    assert len(wal.read_text().splitlines()) == 1, "one intent logged, not done"
    return wal


def test_an_intent_logged_with_a_file_name_too_long_is_dropped_and_the_write_redone(tmp_path: Path) -> None:
    config = hostile_manager(tmp_path, declares(LONGEST), mutation_files([_create(LONGEST)]))
    wal = _crash_after_logging(tmp_path, config)
    intent = json.loads(wal.read_text())
    # What an older mom logged: the object file under its plain, too long, name.
    intent["files"] = {
        (path.rsplit("/", 1)[0] + f"/{LONGEST}.yaml" if LONGEST[:50] in path else path): text
        for path, text in intent["files"].items()
    }
    wal.write_text(json.dumps(intent) + "\n")

    done = mom_run(config)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads(done.stdout)["rolledForward"] >= 1
    stored = load_must_gather(config.parent / "cluster").get(CONFIGMAPS, namespace=NAMESPACE, name=LONGEST)
    assert stored["data"] == {"a": "b"}
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        (mutation,) = journal.mutations_of(journal.runs()[-1].run_id)
        assert mutation.state is MutationState.APPLIED
    assert mom_run(config).returncode == 0


def test_an_intent_that_can_never_be_written_is_marked_failed_and_the_manager_moves_on(
    tmp_path: Path,
) -> None:
    config = hostile_manager(tmp_path, declares("blocked"), mutation_files([_create("blocked")]))
    _crash_after_logging(tmp_path, config)
    configmaps = config.parent / "cluster" / "namespaces" / NAMESPACE / "core"
    configmaps.mkdir(parents=True, exist_ok=True)
    (configmaps / "configmaps").write_text("not a directory\n")

    done = mom_run(config)
    assert "Traceback" not in done.stderr, done.stderr
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        (first, *_later) = [m for run in reversed(journal.runs()) for m in journal.mutations_of(run.run_id)]
    assert first.state is MutationState.FAILED
    assert "is a file, not a directory" in first.reason
    assert (configmaps / "configmaps").read_text() == "not a directory\n"
    again = mom_run(config)
    assert "Traceback" not in again.stderr and "wal" not in again.stderr, again.stderr
