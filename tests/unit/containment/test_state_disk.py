"""A cluster directory that is full or read-only: one clear line, and the next run converges.

The file system refuses for real: the manager runs in a private mount namespace
(``unshare --mount``) where one directory of the cluster tree is a read-only bind mount of
itself (EROFS) or an empty tmpfs with no free inode (ENOSPC); chmod would not do, tests run as
root. The namespace ends with the process, so the next run sees the ordinary directory.

Covers: ``mom run`` against such a tree prints one line naming the directory and the reason,
exits 1, and leaves the journal's mutations pending; the next run rolls them forward and the
tree is byte-for-byte what an uninterrupted run writes, with every mutation applied once; a
journal on a full disk is one line too, keeps nothing of the refused write, changes no cluster,
and the next run with room works.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.containment.containment_support import MOM, REPOSITORY, tree
from tests.unit.manager.conftest import EXAMPLES, FakeClock

from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

REFUSING = {
    "read-only": (
        "namespaces/openshift-authentication",
        "mount --bind {d} {d} && mount -o remount,bind,ro {d}",
    ),
    "disk-full": (
        "namespaces/openshift-authentication/core",
        "mount -t tmpfs -o size=64k,nr_inodes=1 tmpfs {d}",
    ),
}
WHY = {"read-only": "Read-only file system", "disk-full": "No space left on device"}

TICK = """
import sys
from pathlib import Path
from tests.unit.manager.conftest import FakeClock
from mom.api.errors import MomError
from mom.manager.assembly import open_manager
from mom.manager.config import load_config

manager, _ = open_manager(load_config(Path(sys.argv[1])), clock=FakeClock())
try:
    manager.tick()
except MomError as exc:
    print(f"mom: {exc}", file=sys.stderr)
    sys.exit(1)
"""


def _can_mount() -> bool:
    done = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return done.returncode == 0


pytestmark = pytest.mark.skipif(
    shutil.which("unshare") is None or not _can_mount(), reason="needs unshare --mount (private mounts)"
)


def _confined(case: str, cluster: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """``command`` run where ``cluster``'s refusing directory refuses writes."""
    relative, mount = REFUSING[case]
    directory = cluster / relative
    directory.mkdir(parents=True, exist_ok=True)
    script = mount.format(d=f'"{directory}"') + ' && exec "$@"'
    return subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", *command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )


def _one_line(done: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and all(text in lines[0] for text in expected), lines


@pytest.mark.parametrize("case", sorted(REFUSING))
def test_mom_run_on_a_refusing_tree_says_so_in_one_line_and_the_next_run_converges(
    tmp_path: Path, case: str
) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config = tmp_path / "standalone" / "mom.yaml"
    cluster = config.parent / "cluster"

    done = _confined(case, cluster, [str(MOM), "run", "--config", str(config), "--once"])
    _one_line(done, "mom: error: cannot write to", str(cluster), WHY[case])
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        assert journal.pending_mutations(), "the mutations wait in the journal"

    again = subprocess.run(
        [str(MOM), "run", "--config", str(config), "--once", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
    assert json.loads(again.stdout)["rolledForward"] > 0
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        assert not journal.pending_mutations()
        first = journal.mutations_of(journal.runs()[-1].run_id)
        assert first and all(m.state is MutationState.APPLIED for m in first if m.target)


@pytest.mark.parametrize("case", sorted(REFUSING))
def test_after_a_refused_write_the_tree_is_exactly_what_an_uninterrupted_run_writes(
    tmp_path: Path, case: str
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(EXAMPLES / "standalone", reference)
    manager, _ = open_manager(load_config(reference / "mom.yaml"), clock=FakeClock())
    manager.tick()
    identity = manager.journal.identity
    manager.journal.close()

    refused = tmp_path / "refused"
    shutil.copytree(EXAMPLES / "standalone", refused)
    journal = refused / "state" / "journal.sqlite"
    journal.parent.mkdir(parents=True)
    Journal(journal).close()
    with sqlite3.connect(journal) as db:  # same identity: same mutation ids, uids and names
        db.execute("UPDATE journal_identity SET id = ?", (identity,))
    db.close()
    script = tmp_path / "tick.py"
    script.write_text(TICK)
    _one_line(
        _confined(case, refused / "cluster", [sys.executable, str(script), str(refused / "mom.yaml")]),
        WHY[case],
    )

    restarted, _ = open_manager(load_config(refused / "mom.yaml"), clock=FakeClock())
    restarted.recover()
    mutations = [m for r in restarted.journal.runs() for m in restarted.journal.mutations_of(r.run_id)]
    restarted.journal.close()
    assert all(m.state is MutationState.APPLIED for m in mutations if m.target)
    assert tree(refused / "cluster") == tree(reference / "cluster")


def test_a_journal_on_a_full_disk_is_one_line_and_changes_no_cluster(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config = tmp_path / "standalone" / "mom.yaml"
    state = config.parent / "state"
    state.mkdir()
    before = tree(config.parent / "cluster")
    script = f'mount -t tmpfs -o size=128k tmpfs "{state}" && exec "$@"'
    done = subprocess.run(
        ["unshare", "--mount", "sh", "-c", script, "sh", str(MOM), "run", "--config", str(config), "--once"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    _one_line(done, "cannot write the journal", "database or disk is full", "nothing of this write was kept")
    assert tree(config.parent / "cluster") == before, "nothing is applied that the journal could not record"
    again = subprocess.run(
        [str(MOM), "run", "--config", str(config), "--once"], capture_output=True, text=True, check=False
    )
    assert again.returncode == 0 and "Traceback" not in again.stderr, again.stderr
