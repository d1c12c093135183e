"""The manager configuration and the ``mom run`` command.

Covers: the examples' configurations load; every problem of a bad file is reported at once with
its field path (unknown field, missing and conflicting keys, unknown references, duplicate
names, two hosted clusters mapped into one namespace, a missing manifest directory) and the
command prints it as one line with exit 1 and changes nothing; ``mom run --once`` prints a
summary table (or clean JSON) and writes Prometheus metrics; ``mom journal replay`` reproduces a
run from the command line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.unit.manager.conftest import EXAMPLES

from mom.api.errors import InvalidInput
from mom.cli.main import main
from mom.manager.config import load_config, parse_config
from mom.manager.specs import TopologyKind


def test_examples_load() -> None:
    standalone = load_config(EXAMPLES / "standalone" / "mom.yaml")
    assert [o.name for o in standalone.operators] == ["oauth-operator", "sample-operator"]
    hosted = load_config(EXAMPLES / "hypershift" / "mom.yaml")
    assert [i.topology for i in hosted.instances] == [TopologyKind.HYPERSHIFT] * 3
    assert {i.hosted_control_plane_namespace for i in hosted.instances} == {
        "clusters-alpha",
        "clusters-beta",
        "clusters-gamma",
    }


def test_every_problem_is_reported(tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    document = {
        "journal": "j.sqlite",
        "colour": "blue",
        "operators": [
            {"name": "a", "python": "x:y", "command": ["b"]},
            {"name": "a", "python": "nocolon"},
        ],
        "clusters": [{"name": "m", "manifestDir": "m"}, {"name": "g", "manifestDir": "missing"}],
        "instances": [
            {
                "name": "h1",
                "topology": "HyperShift",
                "management": "m",
                "guest": "g",
                "hostedControlPlaneNamespace": "clusters-x",
                "operandNamespaces": ["ns"],
            },
            {
                "name": "h2",
                "topology": "HyperShift",
                "management": "m",
                "guest": "nope",
                "hostedControlPlaneNamespace": "clusters-x",
            },
            {"name": "s", "topology": "Sideways", "operators": ["zzz"]},
        ],
    }
    with pytest.raises(InvalidInput) as error:
        parse_config(document, tmp_path / "mom.yaml")
    problems = "\n".join(error.value.problems)
    for expected in (
        "colour: Forbidden: unknown field",
        "operators[0]: Invalid value: exactly one of 'command'",
        'operators[1].python: Invalid value: "nocolon"',
        'operators[1].name: Duplicate value: "a"',
        'clusters[1].manifestDir: Not found: "missing"',
        'instances[1].guest: Not found: "nope"',
        'instances[1].hostedControlPlaneNamespace: Duplicate value: "clusters-x"',
        "instances[1].operandNamespaces: Required value",
        'instances[2].topology: Unsupported value: "Sideways"',
        'instances[2].operators: Not found: "zzz"',
    ):
        assert expected in problems


def test_bad_config_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mom.yaml"
    config.write_text("operators: [\n")
    assert main(["run", "--config", str(config), "--once"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"mom: error: {config}: malformed YAML")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mom.yaml"]


def test_run_once_prints_a_summary_and_metrics(
    standalone: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    metrics = tmp_path / "metrics.prom"
    assert main(["run", "--config", str(standalone), "--once", "--metrics-file", str(metrics)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == [
        "OPERATOR",
        "INSTANCE",
        "TRIGGER",
        "RUN",
        "EXIT",
        "APPLIED",
        "UNCHANGED",
        "REFUSED",
        "FAILED",
    ]
    assert "oauth-operator   standalone  first run" in out
    text = metrics.read_text()
    assert (
        'mom_operator_runs_total{operator="oauth-operator",instance="standalone",status="succeeded"} 1'
        in text
    )

    assert main(["run", "--config", str(standalone), "--once", "-o", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {p["operator"] for p in document["pairs"]} == {"oauth-operator", "sample-operator"}

    assert main(["journal", "replay", "1", "--config", str(standalone)]) == 0
    assert "run 1 replayed: same output" in capsys.readouterr().out


def test_a_failed_run_is_named_in_the_summary(hypershift: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--config", str(hypershift), "--once"]) == 1
    out = capsys.readouterr().out
    assert (
        "failed: oauth-operator on gamma: oauth-operator-Deployment Failed: identityProviders[0] "
        "('corporate') has unsupported type 'Kerberos'"
    ) in out
    assert "on alpha" not in out and "on beta" not in out
