"""A ``mom run --once`` that finds nothing to run loads nothing that only running or applying needs.

Covers: the standalone example, settled (every pair's inputs unchanged since its last run), then
run once more in a fresh interpreter under ``-X importtime``: it reports every pair unchanged,
runs nothing, and imports none of a deny-list of modules — the runners' and applying machinery
(execution, committing, recovery, planning, apply semantics, the SDK's run path), the
executables' sandbox and subprocesses, the journal's tar archives, kernel change notifications
(a process that reads once watches nothing), :mod:`dataclasses`, and the standard-library
modules only those pull in. The same world kept in JSON files loads no YAML library either. The same world, made to
run again, does import them: the deny-list is not vacuous.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests import import_trace
from tests.import_trace import imported_modules

from mom.serialization import dump_json, load_document

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

DENIED = {
    "mom.manager.execution": "runs go through the pool only when something runs",
    "mom.manager.commit": "nothing is journaled or applied",
    "mom.manager.recovery": "the journal holds nothing to roll forward",
    "mom.manager.planning": "no mutation is planned",
    "mom.manager.history": "no run's inputs are stored",
    "mom.manager.convergence": "no run is watched for trouble",
    "mom.manager.subprocesses": "the example's operators run in-process",
    "mom.apply.semantics": "nothing is applied",
    "mom.apply.placement": "nothing is written to the manifest directory",
    "mom.operator.run": "no controller runs",
    "mom.operator.sandbox": "no executable is confined",
    "mom.operator.process": "no executable is started",
    "mom.validation.mutations": "no mutation is validated",
    "mom.journal.archive": "no inputs are packed",
    "mom.journal.export": "no run is exported",
    "mom.mustgather._notify": "a process that reads the tree once does not watch it",
    "ctypes": "only kernel change notifications and the sandbox need it",
    "subprocess": "no process is started",
    "concurrent.futures": "no pool runs anything",
    "tarfile": "no inputs are packed",
    "orjson": "the pins' small documents are plain JSON, which the standard library encodes alike",
    "uuid": "orjson's import",
    "logging": "nothing is logged",
    "mom.cli.helptext": "help pages are prepared only for a command line asking for help",
    "dataclasses": "values on the quiet path compile no methods at import (mom.api.values)",
    "inspect": "dataclasses' import",
}

DENIED_WITHOUT_YAML = {
    "yaml": "no file of a world kept in JSON is YAML, and nothing is written",
    "mom.serialization.yamlshape": "no file of a world kept in JSON is YAML",
}


def run_once(config: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "mom.cli.main", "run", "--config", str(config), "--once", "-o", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    summary: dict[str, object] = json.loads(done.stdout)
    return summary


def runs_in(summary: dict[str, object]) -> int:
    pairs = summary["pairs"]
    assert isinstance(pairs, list)
    return sum(1 for pair in pairs if pair.get("run") is not None)


def json_world(world: Path) -> None:
    """The example with every file in JSON (which every must-gather reader accepts), and mom
    configured to write its cluster's files in JSON too."""
    for path in [world / "mom.yaml", *(world / "cluster").rglob("*.yaml")]:
        path.write_bytes(dump_json(load_document(path.read_bytes(), str(path)), indent=True))
    config = json.loads((world / "mom.yaml").read_text())
    config["clusters"][0]["format"] = "json"
    (world / "mom.yaml").write_text(json.dumps(config))


@pytest.mark.parametrize("file_format", ["yaml", "json"])
def test_a_quiet_run_once_imports_nothing_only_running_needs(tmp_path: Path, file_format: str) -> None:
    world = tmp_path / "standalone"
    shutil.copytree(EXAMPLES / "standalone", world)
    if file_format == "json":
        json_world(world)
    config = world / "mom.yaml"
    settings = json.loads(config.read_text()) if file_format == "json" else None
    if settings is None:
        config.write_text(config.read_text() + "debounce: 0\n")  # settle without waiting
    else:
        config.write_text(json.dumps({**settings, "debounce": 0}))
    for _ in range(5):
        if runs_in(run_once(config)) == 0:
            break
    else:
        raise AssertionError("the example did not settle")

    completed, modules = imported_modules(
        "mom.cli.main", ["run", "--config", str(config), "--once", "-o", "json"]
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "mom.manager.loop" in modules, "importtime output was read"
    summary = json.loads(completed.stdout)
    assert runs_in(summary) == 0
    assert {pair["trigger"] for pair in summary["pairs"]} == {"unchanged"}
    denied = DENIED if file_format == "yaml" else {**DENIED, **DENIED_WITHOUT_YAML}
    assert import_trace.denied_in(modules, denied) == []


def test_a_run_that_runs_imports_them(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config = tmp_path / "standalone" / "mom.yaml"
    completed, modules = imported_modules(
        "mom.cli.main", ["run", "--config", str(config), "--once", "-o", "json"]
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert runs_in(json.loads(completed.stdout)) > 0
    assert {
        "mom.manager.execution",
        "mom.manager.commit",
        "mom.apply.semantics",
        "mom.operator.run",
    } <= modules
