"""The apply-configuration output directory, written and read by one module (FORMATS.md §3.5).

Covers:
- round trip: what :func:`write_operator_output` writes, :func:`read_operator_output` reads back
  as the same results and the same mutations, whichever directory they were written to;
- no results: the file holds ``null`` as the Go code writes it and reads back as ``None``;
  ``with_results=False`` writes none at all;
- the results file's bytes are the Go YAML of the results, with no temporary file left beside it;
- a name that is not one of an output's mutation directories is refused before anything is written;
- recognising an output by its entries, and listing the entries that do not belong in one.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from mom.api.cluster import UNSPECIFIED_DIR, Action, ClusterType
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.api.results import ControllerResult, ControllerResults, ControllerStatus
from mom.mutationdir.output import (
    CONTROLLER_RESULTS_FILE,
    NULL_RESULTS,
    is_output_dir,
    read_mutation_dirs,
    read_operator_output,
    unexpected_entries,
    write_operator_output,
)
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


ANY_CONFIG_MAP = MutationRequest(
    Action.CREATE,
    CONFIGMAPS,
    "",
    "",
    "",
    GroupVersionKind("", "v1", "ConfigMap"),
    b"",
    controller_instance_name="op-Demo",
)


def _request(name: str, namespace: str = "ns") -> MutationRequest:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}
    return replace(ANY_CONFIG_MAP, name=name, namespace=namespace, body=dump_go_yaml(body).encode())


RESULTS = ControllerResults(
    (
        ControllerResult("second", ControllerStatus.FAILED, ("it broke",)),
        ControllerResult("first", ControllerStatus.SUCCEEDED),
    )
)


def test_what_is_written_reads_back_as_the_same_results_and_mutations(tmp_path: Path) -> None:
    routed = [_request("a"), _request("b", namespace="other")]
    refused = [_request("c")]
    mutations = {str(ClusterType.CONFIGURATION): routed, UNSPECIFIED_DIR: refused}
    write_operator_output(tmp_path / "out", mutations, RESULTS)

    output = read_operator_output(tmp_path / "out")
    assert output.results == RESULTS.sorted()
    assert sorted(r.equality_key() for r in output.requests) == sorted(
        r.equality_key() for r in [*routed, *refused]
    )
    by_directory = read_mutation_dirs(tmp_path / "out")
    assert [r.name for r in by_directory[str(ClusterType.CONFIGURATION)]] == ["a", "b"]
    assert [r.name for r in by_directory[UNSPECIFIED_DIR]] == ["c"]
    assert by_directory[str(ClusterType.MANAGEMENT)] == []


def test_the_results_file_holds_the_go_yaml_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    write_operator_output(tmp_path, {}, RESULTS)
    assert (tmp_path / CONTROLLER_RESULTS_FILE).read_text() == dump_go_yaml(RESULTS.to_wire())
    assert [p.name for p in tmp_path.iterdir()] == [CONTROLLER_RESULTS_FILE]


def test_no_results_are_written_as_null_or_not_at_all(tmp_path: Path) -> None:
    write_operator_output(tmp_path / "null", {}, None)
    assert (tmp_path / "null" / CONTROLLER_RESULTS_FILE).read_text() == NULL_RESULTS
    assert read_operator_output(tmp_path / "null").results is None

    write_operator_output(
        tmp_path / "none", {str(ClusterType.USER_WORKLOAD): [_request("a")]}, None, with_results=False
    )
    assert not (tmp_path / "none" / CONTROLLER_RESULTS_FILE).exists()
    assert [r.name for r in read_operator_output(tmp_path / "none").requests] == ["a"]


def test_a_directory_no_output_has_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a mutation directory"):
        write_operator_output(tmp_path, {"../elsewhere": [_request("a")]}, RESULTS)
    assert not (tmp_path / CONTROLLER_RESULTS_FILE).exists()
    assert not (tmp_path.parent / "elsewhere").exists()


def test_an_output_is_recognised_by_its_entries_and_strangers_are_listed(tmp_path: Path) -> None:
    assert is_output_dir([CONTROLLER_RESULTS_FILE])
    assert is_output_dir([UNSPECIFIED_DIR, "logs"])
    assert not is_output_dir(["Create", "Update"])

    write_operator_output(tmp_path, {UNSPECIFIED_DIR: [_request("a")]}, RESULTS)
    (tmp_path / "stdout.log").write_text("")
    (tmp_path / "stray").mkdir()
    assert unexpected_entries(tmp_path) == ["stdout.log", "stray"]
    assert unexpected_entries(tmp_path, ["stdout.log"]) == ["stray"]
    assert unexpected_entries(tmp_path / "absent") == []
