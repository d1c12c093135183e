"""The manager's state cannot be shared, replaced or poisoned behind its back.

Covers: a second ``mom run`` on a journal a running manager holds is refused with one line
and changes nothing, and runs once the first has stopped; a journal truncated to 0 bytes, one
overwritten with other bytes, another SQLite database in its place, or a journal whose identity
row was deleted is refused by ``mom run`` and ``mom journal list`` with one line, and left as
it was; so is a pin file that was emptied, or whose pin was replaced or widened by hand (pinning
again would trust what the operator declares now), until ``--repin`` on purpose; a Pending mutation someone wrote into the journal for a finished run is checked against
the pinned outputs at roll-forward, refused with the reason, and never applied.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from tests.unit.containment.containment_support import MOM, REPOSITORY, mom_run, tree
from tests.unit.manager.conftest import EXAMPLES

from mom.api.resources import GroupVersionResource
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.mustgather.loader import load_must_gather

CLUSTERROLES_DIR = "cluster-scoped-resources/rbac.authorization.k8s.io"
CLUSTERROLES = GroupVersionResource("rbac.authorization.k8s.io", "v1", "clusterroles")


@pytest.fixture
def standalone(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    return tmp_path / "standalone" / "mom.yaml"


def _journal(config: Path) -> Path:
    return config.parent / "state" / "journal.sqlite"


def _one_line_failure(done: subprocess.CompletedProcess[str], *expected: str) -> str:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert all(text in lines[0] for text in expected), lines[0]
    return lines[0]


def test_a_second_manager_on_one_journal_is_refused_and_changes_nothing(standalone: Path) -> None:
    first = subprocess.Popen(
        [str(MOM), "run", "--config", str(standalone), "--interval", "3600"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPOSITORY)},
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if _journal(standalone).is_file():
                with Journal(_journal(standalone), create=False) as reader:  # readers never wait
                    if reader.runs() and not reader.unfinished_runs() and not reader.pending_mutations():
                        break
            assert first.poll() is None, first.stderr.read() if first.stderr else ""
            time.sleep(0.2)
        cluster = standalone.parent / "cluster"
        before, journal_before = tree(cluster), _journal(standalone).read_bytes()

        second = mom_run(standalone)
        line = _one_line_failure(second, "is in use by another mom run", f"process {first.pid}")
        assert line.startswith("mom: ")
        assert tree(cluster) == before
        assert _journal(standalone).read_bytes() == journal_before
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=60)
    assert first.returncode == 0
    after = mom_run(standalone)
    assert after.returncode == 0, after.stderr


def _truncate(path: Path) -> None:
    path.write_bytes(b"")


def _overwrite(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04 not a journal at all" * 64)


def _foreign_database(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, data BLOB)")
    db.close()


def _forget_identity(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM journal_identity")
    db.close()


DAMAGE = {
    "truncated": (_truncate, "it is empty (0 bytes), its history is lost"),
    "overwritten": (_overwrite, "not an SQLite database"),
    "foreign-database": (_foreign_database, "an SQLite database, but not a journal"),
    "identity-lost": (_forget_identity, "it has lost its identity (0 identity rows)"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_journal_that_lost_its_identity_is_an_error_not_a_fresh_start(
    standalone: Path, damage: str
) -> None:
    assert mom_run(standalone).returncode == 0
    journal = _journal(standalone)
    for leftover in journal.parent.glob("journal.sqlite-*"):
        leftover.unlink()  # what a copy or a restore of the main file alone leaves
    spoil, why = DAMAGE[damage]
    spoil(journal)
    cluster = standalone.parent / "cluster"
    before, journal_before = tree(cluster), journal.read_bytes()

    _one_line_failure(mom_run(standalone), str(journal), why, "restore it from a backup")
    listing = subprocess.run(
        [str(MOM), "journal", "list", "--journal", str(journal)], capture_output=True, text=True, check=False
    )
    _one_line_failure(listing, why)
    assert journal.read_bytes() == journal_before, "the damaged journal is left for its owner"
    assert tree(cluster) == before


def test_a_pending_mutation_written_into_the_journal_is_refused_at_roll_forward(standalone: Path) -> None:
    assert mom_run(standalone).returncode == 0
    journal = _journal(standalone)
    with Journal(journal, create=False) as reader:
        run_id, identity = reader.runs()[-1].run_id, reader.identity
    escalate = (
        b"apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: escalate\n"
        b"rules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n"
    )
    injected = f"{run_id}-99@{identity}"
    with sqlite3.connect(journal) as db:
        db.execute(
            "INSERT INTO mutations (mutation_id, run_id, position, cluster_type, target, action, "
            "resource_group, resource_version, resource, namespace, name, generate_name, kind_group, "
            "kind_version, kind, body, options, patch_type, field_manager, controller_instance_name, state) "
            "VALUES (?, ?, 99, 'UserWorkload', 'standalone', 'Create', 'rbac.authorization.k8s.io', 'v1', "
            "'clusterroles', '', 'escalate', '', 'rbac.authorization.k8s.io', 'v1', 'ClusterRole', ?, x'', "
            "'', '', '', 'Pending')",
            (injected, run_id, escalate),
        )
    db.close()
    cluster = standalone.parent / "cluster"

    done = mom_run(standalone)
    assert "Traceback" not in done.stderr, done.stderr
    assert f"journaled mutation {injected} refused at roll-forward" in done.stderr
    assert not (cluster / CLUSTERROLES_DIR).exists()
    assert not load_must_gather(cluster).list(CLUSTERROLES)
    with Journal(journal, create=False) as reader:
        (mutation,) = [m for m in reader.mutations_of(run_id) if m.mutation_id == injected]
    assert mutation.state is MutationState.REFUSED
    assert "not declared in the pinned output-resources" in mutation.reason
    assert json.loads(done.stdout)["rolledForward"] >= 1


def _replace_pin(pins: dict[str, object]) -> None:
    pins["oauth-operator"] = "trust me"


def _widen_pin(pins: dict[str, object]) -> None:
    pin = pins["oauth-operator"]
    assert isinstance(pin, dict)
    pin["outputs"]["userWorkloadResources"] = {
        "exactResources": [
            {
                "group": "rbac.authorization.k8s.io",
                "version": "v1",
                "resource": "clusterroles",
                "name": "escalate",
            }
        ]
    }


@pytest.mark.parametrize("tamper", ["emptied", "replaced", "widened"])
def test_a_tampered_pin_file_is_an_error_not_a_new_registration(standalone: Path, tamper: str) -> None:
    assert mom_run(standalone).returncode == 0
    pins_file = standalone.parent / "state" / "journal.pins.json"
    if tamper == "emptied":
        pins_file.write_bytes(b"")
        why = "malformed JSON"
    else:
        pins = json.loads(pins_file.read_text())
        (_replace_pin if tamper == "replaced" else _widen_pin)(pins)
        pins_file.write_text(json.dumps(pins))
        why = "not a pin" if tamper == "replaced" else "do not match their digest"
    cluster = standalone.parent / "cluster"
    before, pins_before = tree(cluster), pins_file.read_bytes()

    _one_line_failure(mom_run(standalone), str(pins_file), why)
    assert pins_file.read_bytes() == pins_before
    assert tree(cluster) == before
    if tamper != "emptied":
        repinned = mom_run(standalone, "--repin")
        assert repinned.returncode == 0, repinned.stderr
        assert "escalate" not in pins_file.read_text(), "registered again from what the operator declares"
