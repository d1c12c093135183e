"""Which declared inputs changed between a pair's runs, as the journal keeps and shows it.

Covers: changes (added, removed, changed; namespaced and cluster-scoped) read back equal and
sorted; a run with no previous run to compare with has none recorded, a run on the same inputs
has an empty list; a journal of schema version 2 is upgraded, its runs read back with the
changes unknown; ``mom journal show`` lists them by resource, namespace and name in YAML and
JSON; a damaged stored value gives one error line and exit 1.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from journal_support import T0, begin

from mom.cli.main import main
from mom.journal import InputChange, InputChangeKind, Journal, schema
from mom.serialization import load_document

CHANGES = (
    InputChange(InputChangeKind.REMOVED, "", "secrets", "openshift-authentication", "old-token"),
    InputChange(InputChangeKind.CHANGED, "config.openshift.io", "oauths", "", "cluster"),
    InputChange(InputChangeKind.ADDED, "", "configmaps", "openshift-authentication", "shared"),
)


def _begin_with(journal: Journal, changes: tuple[InputChange, ...] | None) -> int:
    return journal.begin_run(
        operator="oauth-operator", instance="standalone", trigger="inputs changed", input_digest="d",
        inputs=b"opaque", started_at=T0, now=T0, seed=None, outputs_digest="", input_changes=changes,
    )  # fmt: skip


def test_changes_read_back_sorted(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite") as journal:
        changed = _begin_with(journal, CHANGES)
        unknown = _begin_with(journal, None)
        same = _begin_with(journal, ())
    with Journal(tmp_path / "journal.sqlite", create=False) as journal:
        assert journal.run(changed).input_changes == tuple(sorted(CHANGES))
        assert [c.change for c in journal.run(changed).input_changes or ()] == ["added", "changed", "removed"]
        assert journal.run(unknown).input_changes is None
        assert journal.run(same).input_changes == ()


def test_a_version_2_journal_is_upgraded_and_its_runs_stay_readable(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    with sqlite3.connect(path) as raw:  # what mom wrote before runs recorded their input changes
        raw.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for statement in (*schema.MIGRATIONS[0], *schema.MIGRATIONS[1]):
            raw.execute(statement)
        raw.execute("INSERT INTO schema_version (version) VALUES (2)")
        raw.execute(
            "INSERT INTO runs (operator, instance, trigger, input_digest, outputs_digest, started_at, now,"
            " status) VALUES ('oauth-operator', 'standalone', 'inputs changed', 'd', '', ?, ?, 'Running')",
            (T0.isoformat(), T0.isoformat()),
        )
    raw.close()
    with Journal(path) as journal:
        old = journal.run(1)
        assert old.summary.trigger == "inputs changed" and old.input_changes is None
        new = _begin_with(journal, CHANGES[:1])
        assert journal.run(new).input_changes == CHANGES[:1]
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT version FROM schema_version").fetchone() == (schema.SCHEMA_VERSION,)
    raw.close()


def test_show_lists_the_changed_inputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as journal:
        run_id = _begin_with(journal, CHANGES)
        first = begin(journal)
    assert main(["journal", "show", str(run_id), "--journal", str(path), "-o", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["inputChanges"]
    assert shown == [
        {"change": "added", "resource": "configmaps", "namespace": "openshift-authentication", "name": "shared"},
        {"change": "changed", "resource": "oauths.config.openshift.io", "name": "cluster"},
        {"change": "removed", "resource": "secrets", "namespace": "openshift-authentication", "name": "old-token"},
    ]  # fmt: skip
    assert main(["journal", "show", str(run_id), "--journal", str(path)]) == 0
    assert load_document(capsys.readouterr().out.encode(), "show")["inputChanges"] == shown
    assert main(["journal", "show", str(first), "--journal", str(path), "-o", "json"]) == 0
    assert "inputChanges" not in json.loads(capsys.readouterr().out), "not known: not shown"


@pytest.mark.parametrize(
    "stored",
    [b"[1, 2]", b'{"renamed": []}', b'{"added": [["", "configmaps", "x"]]}', b'{"added": 3}', b"\xff"],
)
def test_a_damaged_value_is_one_error_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], stored: bytes
) -> None:
    path = tmp_path / "journal.sqlite"
    with Journal(path) as journal:
        run_id = _begin_with(journal, CHANGES)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE runs SET input_changes = ? WHERE run_id = ?", (stored, run_id))
    raw.close()
    assert main(["journal", "show", str(run_id), "--journal", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and "input_changes" in captured.err, captured.err
