"""Remembered YAML text is only ever reused for a value that would be written the same way."""

from __future__ import annotations

from typing import Any

import pytest

from mom.serialization import dump_go_yaml
from mom.serialization.goyaml import MEMO_ENTRIES


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": 1}, "a: 1\n"),
        ({"a": 1.0}, "a: 1.0\n"),
        ({"a": True}, "a: true\n"),
        ({"a": "1"}, 'a: "1"\n'),
        ({"a": None}, "a: null\n"),
        ({"a": [1]}, "a:\n- 1\n"),
    ],
)
def test_values_that_print_alike_in_json_keep_their_own_yaml(value: Any, expected: str) -> None:
    for _ in range(2):  # the second call is answered from memory
        assert dump_go_yaml(value) == expected


def test_key_order_does_not_matter_and_a_mutated_value_is_written_anew() -> None:
    body: dict[str, Any] = {"metadata": {"name": "x"}, "data": {"k": "v"}}
    first = dump_go_yaml(body)
    assert dump_go_yaml({"data": {"k": "v"}, "metadata": {"name": "x"}}) == first
    body["data"]["k"] = "changed"
    assert "k: changed" in dump_go_yaml(body)


def test_memory_stays_bounded() -> None:
    from mom.serialization import goyaml

    for index in range(MEMO_ENTRIES + 10):
        dump_go_yaml({"n": index})
    assert goyaml._remembered_dump.cache_info().currsize <= MEMO_ENTRIES
