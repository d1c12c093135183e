"""test.yaml parsing and test discovery (mom.testing.cases).

Covers: the Go fields read with their meaning (desiredError, now kept as the written string,
controllers); mom's timeout and topologies extensions; every invalid field reported with its
path in one error; discovery skipping test.yaml files inside input-dir/ or expected-output/;
a test directory without input-dir/ rejected; the Go conformance test.yaml files accepted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.api.errors import InvalidInput
from mom.testing.cases import Topology, discover_cases, parse_case_description

VALID = {"binaryName": "./op", "testName": "t", "description": "d", "testType": "ApplyConfiguration"}


def test_fields_and_extensions_are_read() -> None:
    parsed = parse_case_description(
        {
            **VALID,
            "desiredError": "NonZeroReturn",
            "now": "2024-10-14T22:38:20Z",
            "controllers": ["a", "-b"],
            "timeout": 2,
            "topologies": ["HyperShift", "Standalone"],
        },
        "test.yaml",
    )
    assert parsed.wants_non_zero_exit
    assert parsed.now == "2024-10-14T22:38:20Z"
    assert parsed.controllers == ("a", "-b")
    assert parsed.timeout == 2.0
    assert parsed.topologies == (Topology.HYPERSHIFT, Topology.STANDALONE)


def test_every_problem_is_reported_with_its_field_path() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_case_description(
            {
                "testName": 3,
                "description": "d",
                "testType": "ApplyConfiguration",
                "controllers": "a",
                "timeout": -1,
                "topologies": ["Standalone", "Mars"],
            },
            "x/test.yaml",
        )
    assert raised.value.problems == (
        "binaryName: Required value: must be present",
        "testName: Invalid value: 3: must be a string",
        "controllers: Invalid value: 'a': must be a list of strings",
        "timeout: Invalid value: -1: must be a positive number of seconds",
        "topologies[1]: Unsupported value: 'Mars': supported values: 'Standalone', 'HyperShift'",
    )
    assert str(raised.value).startswith("x/test.yaml: 5 problems: binaryName")


def test_discovery_ignores_test_yaml_inside_test_data_and_needs_input_dir(tmp_path: Path) -> None:
    (tmp_path / "case" / "input-dir" / "nested").mkdir(parents=True)
    (tmp_path / "case" / "test.yaml").write_text(
        "binaryName: ./op\ntestName: t\ndescription: d\ntestType: ApplyConfiguration\n"
    )
    (tmp_path / "case" / "input-dir" / "nested" / "test.yaml").write_text("not: a test\n")
    assert [c.relative_name for c in discover_cases(tmp_path)] == ["case"]
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "test.yaml").write_text(
        "binaryName: ./op\ntestName: t\ndescription: d\ntestType: ApplyConfiguration\n"
    )
    with pytest.raises(InvalidInput, match="input-dir/: Required value"):
        discover_cases(tmp_path)


def test_go_conformance_test_files_are_accepted(conformance_dir: Path) -> None:
    cases = discover_cases(conformance_dir / "multi-operator-manager" / "test-data" / "apply-configuration")
    assert [(c.relative_name, c.description.test_name) for c in cases] == [
        ("eventing-01", "basic call"),
        ("test-basic-call", "basic call"),
        ("test-controller-name", "test controller name"),
        ("test-forced-error", "basic call"),
    ]
    assert cases[2].description.controllers == ("sample-operator-IngressCreator",)
    assert cases[3].description.wants_non_zero_exit
    assert {c.description.now for c in cases} == {"2024-10-14T22:38:20Z"}
