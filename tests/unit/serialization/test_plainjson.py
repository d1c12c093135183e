"""Small plain documents skip orjson only where the standard library gives exactly orjson's answer."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from mom.serialization.plainjson import INT_MAX, INT_MIN, MAX_DEPTH, UNSURE, plain_dumps, plain_loads

EVENT = {
    "apiVersion": "v1",
    "kind": "Event",
    "metadata": {"creationTimestamp": None, "name": "op.17fe5b.1a2b3c4d", "namespace": "openshift-ns"},
    "involvedObject": {"kind": "Deployment", "name": "op"},
    "message": 'ünïcode \u2028 \U0001f600 "quoted" \\ / \x00\x1f\x7f\t\n',
    "count": 1,
    "flags": [True, False, None, (), [], {}],
    "limits": [INT_MIN, INT_MAX, -1, 0],
}
EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


@pytest.mark.parametrize(
    "value", [EVENT, EVERY_CHARACTER, {"k": EVERY_CHARACTER[:5000]}, nested(MAX_DEPTH), 7, ""]
)
def test_plain_values_encode_to_orjson_s_bytes(value: Any) -> None:
    assert plain_dumps(value) == orjson.dumps(value)


def test_plain_values_encode_with_sorted_keys_to_orjson_s_bytes() -> None:
    keys = ["b", "a", "B", "\u00e9", "\U0001f600", "\uffff", "", "a\x00", "aa"]
    value = {key: {inner: [key, {"z": 1, "y": None}] for inner in reversed(keys)} for key in keys}
    for document in (value, EVENT, [value, {"k": EVERY_CHARACTER[:3000], "a": 1}]):
        assert plain_dumps(document, sort_keys=True) == orjson.dumps(document, option=orjson.OPT_SORT_KEYS)


def test_every_character_reads_back_as_orjson_reads_it() -> None:
    for start in range(0, len(EVERY_CHARACTER), 10_000):
        text = EVERY_CHARACTER[start : start + 10_000]
        assert plain_loads(orjson.dumps(text)) == text


@pytest.mark.parametrize(
    "value",
    [1.5, {"a": 0.1}, [INT_MAX + 1], {1: "a"}, b"bytes", "\ud800", nested(MAX_DEPTH + 1), list(range(2000))],
)
def test_anything_else_is_left_to_orjson(value: Any) -> None:
    assert plain_dumps(value) is UNSURE


@pytest.mark.parametrize(
    "data",
    [
        orjson.dumps(EVENT),
        b' {"a" : [1, 2, {"b": null}], "a": "last", "c": "\\u00e9\\ud83d\\ude00"} \n',
        b"18446744073709551615",
        b"-9223372036854775808",
    ],
)
def test_plain_documents_decode_to_orjson_s_values(data: bytes) -> None:
    decoded = plain_loads(data)
    if b"\\ud83d" in data:
        assert decoded is UNSURE
    else:
        assert decoded == orjson.loads(data)


@pytest.mark.parametrize(
    "data",
    [
        b"1.0",
        b"1e400",
        b"18446744073709551616",
        b"-9223372036854775809",
        b"NaN",
        b'"\\ud800"',
        b"\xef\xbb\xbf{}",
        b"\xff",
        b'{"a": 1',
        b"[" * 2000 + b"]" * 2000,
        "{}".encode("utf-16"),
    ],
)
def test_numbers_orjson_reads_otherwise_and_bad_documents_are_left_to_it(data: bytes) -> None:
    assert plain_loads(data) is UNSURE
    assert plain_loads(bytearray(data)) is UNSURE
