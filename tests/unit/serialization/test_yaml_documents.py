"""Decoding YAML into JSON-shaped values: the same values and the same refusals whether a text
holds anchors or not, and an ``&`` inside a value is no anchor.

Covers: plain mappings, lists and scalars (numbers, booleans, null, timestamps kept as strings);
``&`` in values (``a & b``, URLs with query strings) next to an alias-like ``*``; anchors and
aliases still expanded, merge keys still merged, an alias bomb still refused; duplicate keys,
non-string keys, non-JSON tags and non-finite numbers refused with their line, in nested
mappings and lists too; a text with more brackets than libyaml may safely nest (JSON in block
scalars) decodes to the same values and is refused for the same reasons, nesting past 128 levels
included. A value that does not fit the tag written on it (``!!bool maybe``) is malformed YAML.
"""

from __future__ import annotations

from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.serialization import load_document


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: [1, {b: 2.5, c: [x, y]}, ~, true, 0x1f]\n",
            {"a": [1, {"b": 2.5, "c": ["x", "y"]}, None, True, 31]},
        ),
        ("t: 2020-01-01T00:00:00Z\nd: 2020-01-01\n", {"t": "2020-01-01T00:00:00Z", "d": "2020-01-01"}),
        ("a: !!int '12'\nb: !!str 12\nc: !!float 1\n", {"a": 12, "b": "12", "c": 1.0}),
        ("name: Annotations & Alerts\nglob: '*.apps'\n", {"name": "Annotations & Alerts", "glob": "*.apps"}),
        ("url: http://x/?a=1&b=2\npattern: '*'\n", {"url": "http://x/?a=1&b=2", "pattern": "*"}),
        ("a: &x {b: 1}\nc: *x\n", {"a": {"b": 1}, "c": {"b": 1}}),
        ('{"a":&x [1], "b": *x}\n', {"a": [1], "b": [1]}),
        ("base: &b {x: 1}\nd:\n  <<: *b\n  y: 2\n", {"base": {"x": 1}, "d": {"x": 1, "y": 2}}),
        ("<<: {x: 1}\ny: 2\n", {"x": 1, "y": 2}),
        ("---\n---\na: 1\n", {"a": 1}),
    ],
)
def test_values(text: str, expected: Any) -> None:
    assert load_document(text.encode(), "doc.yaml") == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 1\na: 2\n", "duplicate mapping key 'a' (line 2, column 1)"),
        ("a:\n- b\n- c: d\n  c: e\n", "duplicate mapping key 'c' (line 4, column 3)"),
        ("x: Annotations & Alerts\na: {b: 1, b: 2}\n", "duplicate mapping key 'b' (line 2, column 11)"),
        ("1: a\n", "mapping key '1' is not a string (line 1, column 1)"),
        ("? [a]\n: 1\n", "mapping key (a list) is not a string (line 1, column 3)"),
        ("a:\n  b: !!binary aGVsbG8=\n", "a !!binary value (line 2, column 6)"),
        ("a: [1, !!set {x}]\n", "a !!set value (line 1, column 8)"),
        ("a: [.nan]\n", "'.nan' is not a finite number (line 1, column 5)"),
        ("a: 99999999999999999999999\n", "outside the 64-bit range (line 1, column 4)"),
        ("a: 1\n---\nb: !!omap [{x: 1}]\n", "a !!omap value (line 3, column 4)"),
    ],
)
def test_refusals(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_document(text.encode(), "doc.yaml")
    assert problem in str(caught.value)
    assert "doc.yaml" in str(caught.value)


def test_alias_bomb_is_refused_beside_an_ampersand_in_a_value() -> None:
    lines = ["title: Q & A", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(InvalidInput, match="alias"):
        load_document("\n".join(lines).encode(), "bomb.yaml")


DASHBOARD = "{" + ", ".join(f'"p{i}": [{{"x": [{i}]}}]' for i in range(400)) + "}"
"""JSON with far more than a thousand brackets, as Grafana dashboards in ConfigMaps hold."""


def test_a_text_full_of_brackets_in_block_scalars_decodes() -> None:
    text = f"kind: ConfigMapList\nitems:\n- data:\n    dashboard.json: |\n      {DASHBOARD}\n  replicas: 2\n"
    assert load_document(text.encode(), "cms.yaml") == {
        "kind": "ConfigMapList",
        "items": [{"data": {"dashboard.json": DASHBOARD + "\n"}, "replicas": 2}],
    }


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "a: " + "[" * 300 + "]" * 300 + f"\nb: '{DASHBOARD}'\n",
            "nested deeper than 128 levels (line 1, column 131)",
        ),
        (f"x: '{DASHBOARD}'\ny: 1\ny: 2\n", "duplicate mapping key 'y' (line 3, column 1)"),
        (f"x: '{DASHBOARD}'\ny: [.inf]\n", "'.inf' is not a finite number (line 2, column 5)"),
        (f"x: '{DASHBOARD}'\n1: a\n", "mapping key '1' is not a string (line 2, column 1)"),
    ],
)
def test_texts_full_of_brackets_are_refused_as_any_other(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_document(text.encode(), "doc.yaml")
    assert problem in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!bool maybe\n",
        "a: !!int ''\n",
        "- !!float x\n",
        "a: !!map [1]\n",
        "!!timestamp 1\n",
        "a: !!int 0x_\n",
    ],
)
def test_a_value_that_does_not_fit_its_tag_is_malformed_yaml_in_one_line(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_document(text.encode(), "doc.yaml")
    message = str(caught.value)
    assert message.startswith("doc.yaml: malformed YAML: a value does not fit the tag written on it")
    assert "\n" not in message
