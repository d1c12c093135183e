"""The node installer: a revision's local copy and the manifest, atomically.

Covers: an install writes the revision's files under ``<name>-pod-<revision>/`` and a manifest
labelled with the revision, annotated with the one it replaced, its resource-dir volume pointed
at those files; kill -9 at every step of an install leaves the old revision or the new one
(manifest and a complete directory), never a mix, and the next install completes and clears
what the killed one left; pruning keeps the newest copies and never the installed or previous
revision; a pod template that is not a Pod, and keys that would escape the revision directory,
are refused with nothing written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.staticpod.world import OPERAND, REPO, node_installer, revision_files

from mom.api.errors import InvalidInput
from mom.serialization import load_document
from mom.staticpod.files import revision_files as files_from_objects
from mom.staticpod.installer import INSTALLED_AT, PREVIOUS_REVISION, STEPS, Installer


def manifest(installer: Installer) -> dict:
    return load_document(installer.manifest_path.read_bytes(), "manifest")


def test_install_writes_the_files_and_a_manifest_pointing_at_them(tmp_path: Path) -> None:
    installer = node_installer(tmp_path, "master-0")
    installer.stage(revision_files(1))
    installer.install(1, now="2026-03-01T12:00:00Z", previous=0)
    installer.stage(revision_files(2, verbosity=4))
    installer.install(2, now="2026-03-01T12:05:00Z", previous=1)

    directory = tmp_path / "master-0" / "resources" / "kube-scheduler-pod-2"
    assert (directory / "secrets/serving-cert/tls.key").read_text() == "key for revision 2\n"
    assert oct((directory / "secrets/serving-cert/tls.key").stat().st_mode & 0o777) == "0o600"
    pod = manifest(installer)
    assert pod["metadata"]["labels"] == {"scheduler": "true", "app": "kube-scheduler", "revision": "2"}
    assert pod["metadata"]["annotations"][PREVIOUS_REVISION] == "1"
    assert pod["metadata"]["annotations"][INSTALLED_AT] == "2026-03-01T12:05:00Z"
    assert pod["spec"]["volumes"] == [{"name": "resource-dir", "hostPath": {"path": str(directory)}}]
    assert "-v=4" in pod["spec"]["containers"][0]["args"]
    assert installer.local_revisions() == [1, 2]
    assert [p.name for p in installer.manifests_dir.iterdir()] == ["kube-scheduler-pod.yaml"]


CHILD = """
import sys
from pathlib import Path
from tests.crash_points import Countdown
from tests.unit.staticpod.world import node_installer, revision_files
root, count = Path(sys.argv[1]), int(sys.argv[2])
installer = node_installer(root, "master-0", step=Countdown(count).point)
installer.stage(revision_files(2, verbosity=4))
installer.install(2, now="2026-03-01T12:05:00Z", previous=1)
"""


def _steps_of_an_install(tmp_path: Path) -> list[str]:
    seen: list[str] = []
    installer = node_installer(tmp_path / "count", "master-0", step=seen.append)
    installer.stage(revision_files(1))
    installer.install(1, now="2026-03-01T12:00:00Z", previous=0)
    seen.clear()
    installer.stage(revision_files(2, verbosity=4))
    installer.install(2, now="2026-03-01T12:05:00Z", previous=1)
    return seen


def _check_whole(installer: Installer, expected_files: dict[int, dict[str, bytes]]) -> int:
    """The installed revision, after checking its directory holds exactly its files."""
    pod = installer.installed()
    assert pod is not None
    directory = installer.revision_dir(pod.revision)
    found = {str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()}
    assert found == expected_files[pod.revision]
    arguments = manifest(installer)["spec"]["containers"][0]["args"]
    assert ("-v=4" in arguments) == (pod.revision == 2)
    return pod.revision


def test_kill_9_at_every_step_of_an_install_leaves_the_old_or_the_new_revision(tmp_path: Path) -> None:
    steps = _steps_of_an_install(tmp_path)
    assert set(steps) == set(STEPS)
    expected = {n: dict(revision_files(n, verbosity=4 if n == 2 else 2).files) for n in (1, 2)}
    outcomes = []
    for count in range(len(steps)):
        root = tmp_path / f"kill-{count}"
        installer = node_installer(root, "master-0")
        installer.stage(revision_files(1))
        installer.install(1, now="2026-03-01T12:00:00Z", previous=0)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", CHILD, str(root), str(count)], env=env, check=False)
        assert done.returncode == -9, f"not killed at step {count} ({steps[count]})"
        outcomes.append(_check_whole(installer, expected))
        # The next installer takes the lock, clears the leftovers and completes the install.
        installer.stage(revision_files(2, verbosity=4))
        installer.install(2, now="2026-03-01T12:06:00Z", previous=1)
        assert _check_whole(installer, expected) == 2
        leftovers = [
            p.name
            for d in (installer.resources_dir, installer.manifests_dir)
            for p in d.iterdir()
            if ".partial" in p.name
        ]
        assert leftovers == []
    assert outcomes[0] == 1 and outcomes[-1] == 2, outcomes  # both sides of the switch were exercised


def test_pruning_keeps_the_newest_and_never_the_installed_or_previous(tmp_path: Path) -> None:
    installer = node_installer(tmp_path, "master-0")
    for revision in range(1, 7):
        installer.stage(revision_files(revision))
    installer.install(2, now="2026-03-01T12:00:00Z", previous=1)

    removed = installer.prune(keep=2)

    assert removed == [3, 4]
    assert installer.local_revisions() == [1, 2, 5, 6]


def test_a_template_that_is_not_a_pod_is_refused_and_the_manifest_kept(tmp_path: Path) -> None:
    installer = node_installer(tmp_path, "master-0")
    installer.stage(revision_files(1))
    installer.install(1, now="2026-03-01T12:00:00Z", previous=0)
    before = installer.manifest_path.read_bytes()
    bad = revision_files(2)
    files = {**bad.files, "configmaps/kube-scheduler-pod/pod.yaml": b"kind: Secret\napiVersion: v1\n"}
    installer.stage(type(bad)(2, files))

    with pytest.raises(InvalidInput, match="must be a v1 Pod"):
        installer.install(2, now="2026-03-01T12:05:00Z", previous=1)

    assert installer.manifest_path.read_bytes() == before


@pytest.mark.parametrize("key", ["../escape", "a/b", "..", ""])
def test_keys_that_are_not_file_names_are_refused(key: str) -> None:
    objects = {
        "kube-scheduler-pod": {"data": {"pod.yaml": "x"}},
        "config": {"data": {key: "x"}},
        "serving-cert": {"data": {}},
    }
    with pytest.raises(InvalidInput, match="not a valid key"):
        files_from_objects(OPERAND, 1, objects)
