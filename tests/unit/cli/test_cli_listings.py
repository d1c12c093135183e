"""Listings in every format, and hints that run as printed.

Covers:
- the `mom run --once` summary ends with a journal hint that, run as printed from the same
  directory, lists the runs just made;
- `mom journal list|show|export-test --config FILE` open the journal the configuration names;
  `--config` with `--journal` is a usage error; a configuration that does not exist is one
  error line and exit 1;
- `mom journal list -o yaml` and `-o json` carry the same runs;
- `mom api-resources -o json|yaml` lists the served resources with Kubernetes' APIResource
  fields;
- `mom run --once -o json|yaml` and `mom check-input-resources -o json|yaml` agree;
- `mom mutations show -o json|yaml` lists the requests of an output directory with their
  cluster type, controller and field manager, the same as the text form.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mom.cli.main import main

REPO = Path(__file__).resolve().parents[3]
MOM = str(Path(sys.executable).parent / "mom")
BASH = shutil.which("bash") or "/bin/bash"


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The standalone example run once; its directory and the summary's last line."""
    root = tmp_path_factory.mktemp("listings")
    shutil.copytree(REPO / "examples" / "standalone", root / "standalone")
    done = subprocess.run(
        [MOM, "run", "--config", "standalone/mom.yaml", "--once"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return root, done.stdout.splitlines()[-1]


def test_journal_hint_runs_as_printed(ran: tuple[Path, str]) -> None:
    root, summary = ran
    hint = summary.split("journal: ", 1)[1]
    assert hint == "mom journal list --config standalone/mom.yaml"
    bin_dir = str(Path(sys.executable).parent)
    done = subprocess.run(
        [BASH, "-c", hint], cwd=root, capture_output=True, text=True, check=False, env={"PATH": bin_dir}
    )
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[0].split()[:3] == ["RUN", "OPERATOR", "INSTANCE"]
    assert sorted(row.split()[1] for row in rows[1:]) == ["oauth-operator", "sample-operator"]


def _out(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_journal_list_yaml_and_json_agree(ran: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    config = str(ran[0] / "standalone" / "mom.yaml")
    as_json = json.loads(_out(["journal", "list", "--config", config, "-o", "json"], capsys))
    as_yaml = yaml.safe_load(_out(["journal", "list", "--config", config, "-o", "yaml"], capsys))
    assert as_json == as_yaml
    assert {run["operator"] for run in as_json} == {"oauth-operator", "sample-operator"}
    journal = str(ran[0] / "standalone" / "state" / "journal.sqlite")
    assert json.loads(_out(["journal", "list", "--journal", journal, "-o", "json"], capsys)) == as_json


def test_journal_show_and_export_take_config(
    ran: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(ran[0] / "standalone" / "mom.yaml")
    runs = json.loads(_out(["journal", "list", "--config", config, "-o", "json"], capsys))
    (sample,) = [run["runID"] for run in runs if run["operator"] == "sample-operator"]
    shown = yaml.safe_load(_out(["journal", "show", str(sample), "--config", config], capsys))
    assert shown["operator"] == "sample-operator"
    exported = tmp_path / "case"
    argv = ["journal", "export-test", str(sample), "--config", config]
    assert main([*argv, "--output-dir", str(exported), "--binary", "sample-operator"]) == 0
    assert (exported / "test.yaml").is_file()


def test_journal_config_and_journal_together_is_a_usage_error(ran: tuple[Path, str]) -> None:
    done = subprocess.run(
        [MOM, "journal", "list", "--config", "mom.yaml", "--journal", "j.sqlite"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not allowed with argument" in done.stderr


def test_journal_missing_config_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [MOM, "journal", "list", "--config", str(tmp_path / "absent.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("mom: error: ") and len(done.stderr.splitlines()) == 1, done.stderr


def test_api_resources_listing(capsys: pytest.CaptureFixture[str]) -> None:
    tree = str(REPO / "examples" / "standalone" / "cluster")
    argv = ["api-resources", "--must-gather-dir", tree, "--no-cache"]
    as_json = json.loads(_out([*argv, "-o", "json"], capsys))
    assert yaml.safe_load(_out([*argv, "-o", "yaml"], capsys)) == as_json
    table = _out(argv, capsys).splitlines()
    assert len(table) == len(as_json) + 1
    (configmaps,) = [r for r in as_json if r["name"] == "configmaps"]
    assert configmaps == {
        "name": "configmaps",
        "shortNames": ["cm"],
        "group": "",
        "version": "v1",
        "namespaced": True,
        "kind": "ConfigMap",
    }


def test_mutations_show_listing(
    ran: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(ran[0] / "standalone" / "mom.yaml")
    runs = json.loads(_out(["journal", "list", "--config", config, "-o", "json"], capsys))
    (oauth,) = [run["runID"] for run in runs if run["operator"] == "oauth-operator"]
    case = tmp_path / "case"
    argv = ["journal", "export-test", str(oauth), "--config", config, "--output-dir", str(case)]
    assert main([*argv, "--binary", "oauth-operator"]) == 0
    output = str(case / "expected-output")
    text = _out(["mutations", "show", output], capsys).splitlines()
    as_json = json.loads(_out(["mutations", "show", output, "-o", "json"], capsys))
    assert yaml.safe_load(_out(["mutations", "show", output, "-o", "yaml"], capsys)) == as_json
    assert len(as_json) == len(text) > 0
    for line, wire in zip(text, as_json, strict=True):
        assert line.startswith(f"[{wire['clusterType']}] {wire['request']}  controller={wire['controller']}")


def test_run_summary_yaml_and_json_agree(tmp_path: Path) -> None:
    documents = {}
    for output in ("json", "yaml"):
        root = tmp_path / output
        shutil.copytree(REPO / "examples" / "standalone", root / "standalone")
        done = subprocess.run(
            [MOM, "run", "--config", "standalone/mom.yaml", "--once", "-o", output],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        documents[output] = (json.loads if output == "json" else yaml.safe_load)(done.stdout)
    assert documents["json"] == documents["yaml"]
    assert {pair["operator"] for pair in documents["json"]["pairs"]} == {"oauth-operator", "sample-operator"}


def test_check_input_resources_yaml_and_json_agree(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "check-input-resources",
        "--python",
        "mom.operator.sample.operator:SAMPLE_OPERATOR",
        "--must-gather-dir",
        str(REPO / "examples" / "standalone" / "cluster"),
        "--now",
        "2025-03-01T12:00:00Z",
    ]
    codes = []
    outputs = []
    for output in ("json", "yaml"):
        codes.append(main([*argv, "-o", output]))
        outputs.append(capsys.readouterr().out)
    assert codes[0] == codes[1] and codes[0] in (0, 1)
    assert json.loads(outputs[0]) == yaml.safe_load(outputs[1])
    assert json.loads(outputs[0])["operator"] == "sample-operator"
