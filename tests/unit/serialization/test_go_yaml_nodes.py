"""The Go YAML writer builds the nodes of a JSON value itself, and writes exactly the bytes that
PyYAML's own representer would have led to: on real HyperShift manifests and on values chosen
to sit on every quoting and folding rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mom.serialization import load_document
from mom.serialization.goyaml import _dump, _go_dumper

TRICKY: list[Any] = [
    {"b": 1, "a": [True, False, None, 0, -1, 2**63, 1.5, -0.0, 1e300, float("inf")]},
    {"s": ["", " ", "y", "n", "yes", "null", "~", "1", "0x1F", "1e3", ".nan", "2024-10-14T22:38:20Z"]},
    {"s": ["a: b", "- x", "#c", "a #b", "'q'", '"q"', "tab\there", "line\nbreak\n", "ünï", "x" * 200]},
    {"nested": {"empty": {}, "list": [], "deep": [[{"k": [1, {"z": None}]}]]}},
    ["top", "level", {"list": True}],
    "a lone string",
    {"k": ("a", "tuple")},
    {2: "int key", "1": "str key"},
]


def reference(value: Any) -> str:
    class Reference(_go_dumper()):  # type: ignore[misc]
        represent = yaml.representer.BaseRepresenter.represent

    text: str = yaml.dump(
        value, Dumper=Reference, default_flow_style=False, sort_keys=True, allow_unicode=True, width=80
    )
    return text


@pytest.mark.parametrize("value", TRICKY)
def test_chosen_values_are_written_as_the_representer_writes_them(value: Any) -> None:
    assert _dump(value) == reference(value)


def test_real_manifests_are_written_as_the_representer_writes_them(realdata_dir: Path) -> None:
    manifests = sorted((realdata_dir / "hypershift-hcp").rglob("*.yaml"))[:400]
    assert manifests
    for path in manifests:
        value = load_document(path.read_bytes(), str(path))
        assert _dump(value) == reference(value), path
