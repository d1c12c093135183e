"""``mom journal list|show|export-test`` as a user runs them.

Covers: list as a table (one line per run, newest first) and as clean JSON with filters and a
limit; the journal found through ``$MOM_JOURNAL``; show as JSON and YAML with results,
mutations (state and reason) and the stderr tail; export-test writing a test directory; a
missing journal file and an unknown run each give one error line and exit 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from journal_support import T0, begin, configmap_create, planned, status_patch

from mom.api.results import ControllerResult, ControllerResults, ControllerStatus
from mom.cli.main import main
from mom.journal import Journal, MutationState, pack_dir
from mom.serialization import load_document


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    path = tmp_path / "journal.sqlite"
    inputs = tmp_path / "inputs"
    (inputs / "cluster-scoped-resources").mkdir(parents=True)
    (inputs / "cluster-scoped-resources" / "x.yaml").write_text("kind: List\nitems: []\n")
    with Journal(path) as journal:
        first = begin(journal, operator="sample-operator", instance="east")
        ids = journal.finish_run(
            first,
            finished_at=T0,
            exit_code=1,
            results=ControllerResults((ControllerResult("demo", ControllerStatus.FAILED, ("boom",)),)),
            mutations=planned([configmap_create("foo", trailer=b""), status_patch("cluster")]),
            stderr="".join(f"log line {i}\n" for i in range(100)),
        )
        journal.mark_mutation(ids[0], MutationState.REFUSED, "outside the declared outputs")
        begin(journal, operator="other-operator", instance="west", minute=1)
        journal.begin_run(
            operator="sample-operator", instance="east", trigger="resync", input_digest="d",
            inputs=pack_dir(inputs), started_at=T0, now=T0, seed=None, outputs_digest="",
        )  # fmt: skip
    return path


def test_list_table_and_json(journal_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "list", "--journal", str(journal_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["RUN", "OPERATOR", "INSTANCE"]
    assert [line.split()[0] for line in lines[1:]] == ["3", "2", "1"]

    args = ["journal", "list", "--journal", str(journal_path), "--operator", "sample-operator", "-o", "json"]
    assert main([*args, "--limit", "5"]) == 0
    runs = json.loads(capsys.readouterr().out)
    assert [run["runID"] for run in runs] == [3, 1]
    assert runs[1]["status"] == "Failed" and runs[1]["exitCode"] == 1
    assert runs[1]["mutationCounts"]["Refused"] == 1 and runs[1]["mutationCounts"]["Pending"] == 1
    assert runs[0]["status"] == "Running" and runs[0]["finishedAt"] is None


def test_journal_from_environment(
    journal_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOM_JOURNAL", str(journal_path))
    assert main(["journal", "list", "-o", "json", "--instance", "west"]) == 0
    assert [run["operator"] for run in json.loads(capsys.readouterr().out)] == ["other-operator"]


def test_show_json_and_yaml(journal_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["journal", "show", "1", "--journal", str(journal_path), "-o", "json"]) == 0
    run = json.loads(capsys.readouterr().out)
    assert run["controllerResults"]["controllerResults"][0]["errors"] == [{"message": "boom"}]
    assert [(m["state"], m.get("reason")) for m in run["mutations"]] == [
        ("Refused", "outside the declared outputs"), ("Pending", None),
    ]  # fmt: skip
    assert run["mutations"][0]["request"].startswith("Create-ConfigMap.v1./foo")
    assert run["stderrTail"][-1] == "log line 99" and len(run["stderrTail"]) < 100
    assert run["now"] == "2024-10-14T22:38:20Z"
    assert main(["journal", "show", "1", "--journal", str(journal_path)]) == 0
    shown = load_document(capsys.readouterr().out.encode(), "stdout")
    assert shown["runID"] == 1 and shown["mutations"][1]["state"] == "Pending"


def test_export_test_command(journal_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Journal(journal_path) as journal:
        journal.finish_run(3, finished_at=T0, exit_code=0, results=None, mutations=[])
    target = tmp_path / "exported"
    args = ["journal", "export-test", "3", "--journal", str(journal_path), "--output-dir", str(target)]
    assert main([*args, "--binary", "./sample-operator"]) == 0
    assert capsys.readouterr().out == ""
    description = load_document((target / "test.yaml").read_bytes(), "test.yaml")
    assert description["binaryName"] == "./sample-operator"
    assert (target / "input-dir" / "cluster-scoped-resources" / "x.yaml").is_file()
    assert (target / "expected-output" / "controller-results.yaml").read_text() == "null\n"


def test_missing_journal_and_unknown_run(
    journal_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    absent = tmp_path / "absent.sqlite"
    assert main(["journal", "list", "--journal", str(absent)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"mom: error: journal {absent} does not exist\n"
    assert not absent.exists()
    assert main(["journal", "show", "42", "--journal", str(journal_path)]) == 1
    assert capsys.readouterr().err == "mom: error: run 42 is not in the journal\n"
