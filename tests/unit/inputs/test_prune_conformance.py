"""Conformance group C: pruning the Go fixtures gives exactly the Go expected output.

Covers: for each of direct-references-01, anded-indirect-references-01 and
label-selected-references-01, the pruned tree has exactly the expected files, each a List whose
items equal the expected items in order; what the Go pruner skipped silently is reported as
missing; pruning the same input twice gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.inputs import load_input_resources, prune_must_gather
from mom.serialization import load_document

pytestmark = pytest.mark.conformance

CASES = ("direct-references-01", "anded-indirect-references-01", "label-selected-references-01")
TEST_DATA = Path("multi-operator-manager/pkg/library/libraryinputresources/test-data")


def tree(root: Path) -> dict[str, Any]:
    return {
        str(path.relative_to(root)): load_document(path.read_bytes(), str(path))
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("case", CASES)
def test_pruned_tree_matches_the_go_expected_output(conformance_dir: Path, case: str, tmp_path: Path) -> None:
    case_dir = conformance_dir / TEST_DATA / case
    spec = load_input_resources(case_dir / "input-resources.yaml")
    prune_must_gather(case_dir / "input-dir", spec, tmp_path / "out")
    actual = tree(tmp_path / "out")
    expected = tree(case_dir / "expected-output")
    assert sorted(actual) == sorted(expected)
    for path, document in expected.items():
        assert actual[path]["kind"] == document["kind"], path
        assert actual[path]["items"] == document["items"], path


def test_objects_the_go_pruner_skipped_silently_are_reported(conformance_dir: Path, tmp_path: Path) -> None:
    case_dir = conformance_dir / TEST_DATA / "direct-references-01"
    spec = load_input_resources(case_dir / "input-resources.yaml")
    gathered = prune_must_gather(case_dir / "input-dir", spec, tmp_path / "out")
    assert [line.split(" (")[0] for line in gathered.missing] == [
        "configmaps kube-system/not-present",
        "configmaps.fake-group openshift-authentication/kube-root-ca.crt",
        "replicasets.apps openshift-authentication/oauth-openshift",
    ]
    assert all(line.endswith("not found") for line in gathered.missing)


@pytest.mark.parametrize("case", CASES)
def test_pruning_twice_gives_identical_bytes(conformance_dir: Path, case: str, tmp_path: Path) -> None:
    case_dir = conformance_dir / TEST_DATA / case
    spec = load_input_resources(case_dir / "input-resources.yaml")
    for name in ("first", "second"):
        prune_must_gather(case_dir / "input-dir", spec, tmp_path / name)
    first = {p.relative_to(tmp_path / "first"): p.read_bytes() for p in (tmp_path / "first").rglob("*.yaml")}
    second = {
        p.relative_to(tmp_path / "second"): p.read_bytes() for p in (tmp_path / "second").rglob("*.yaml")
    }
    assert first == second
