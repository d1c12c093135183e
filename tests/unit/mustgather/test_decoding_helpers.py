"""Helper processes decode YAML in parallel; JSON, decoded far faster, never pays for them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mom.mustgather import _decoding as decoding
from mom.serialization import dump_go_yaml, dump_json


def _objects(count: int) -> dict[str, Any]:
    items = [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"cm-{i}"}, "data": {"k": "v" * 50}}
        for i in range(count)
    ]
    return {"apiVersion": "v1", "kind": "ConfigMapList", "items": items}


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Small thresholds, and the paths each helper was started with."""
    monkeypatch.setattr(decoding, "PARALLEL_MIN_BYTES", 4096)
    monkeypatch.setattr(decoding, "SNIFF_MIN_BYTES", 1024)
    monkeypatch.setattr(decoding, "_cpu_count", lambda: 2)
    calls: list[list[str]] = []
    real = decoding._start_helper

    def spy(paths: list[str]) -> Any:
        calls.append(paths)
        return real(paths)

    monkeypatch.setattr(decoding, "_start_helper", spy)
    return calls


def _decode(paths: list[Path]) -> list[Any]:
    outcomes = decoding.decode_files(paths, [p.stat().st_size for p in paths])
    assert all(not problems for _, problems in outcomes)
    return [document for document, _ in outcomes]


def test_json_files_are_decoded_in_process_however_big(tmp_path: Path, started: list[list[str]]) -> None:
    paths = []
    for index in range(4):
        paths.append(tmp_path / f"{index}.yaml")
        paths[-1].write_bytes(dump_json(_objects(40)))
    assert _decode(paths) == [_objects(40)] * 4
    assert started == []


def test_yaml_goes_to_a_helper_and_json_stays(tmp_path: Path, started: list[list[str]]) -> None:
    yaml_files = [tmp_path / f"y{index}.yaml" for index in range(4)]
    for path in yaml_files:
        path.write_text(dump_go_yaml(_objects(40)))
    json_file = tmp_path / "j.yaml"
    json_file.write_bytes(dump_json(_objects(40)))
    assert _decode([*yaml_files, json_file]) == [_objects(40)] * 5
    assert len(started) == 1, "one helper for a second CPU"
    assert str(json_file) not in started[0]
    assert started[0], "the helper got YAML to decode"
