"""Which bodies have a JSON form a kube-apiserver accepts, and the field path of each problem.

Covers: plain objects (nested mappings, lists, strings, booleans, null, 64-bit integers, finite
floats, str and int subclasses) have none; integers past 64 bits, non-finite floats, non-string
keys, bytes and sets are each named by their path, nested in lists and mappings, at most
:data:`MAX_PROBLEMS` of them.
"""

from __future__ import annotations

import enum
from typing import Any

import pytest

from mom.validation.objects import MAX_PROBLEMS, json_problems


class Color(enum.StrEnum):
    RED = "red"


@pytest.mark.parametrize(
    "body",
    [
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"a": "b"}, "x": [1, 2.5, True, None, [], {}]},
        {"n": [2**63 - 1, -(2**63)], "color": Color.RED, "flag": False},
        [],
        "text",
    ],
)
def test_plain_bodies_have_no_problem(body: Any) -> None:
    assert json_problems(body) == []


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (
            {"spec": {"replicas": 2**64}},
            "spec.replicas: Invalid value: 18446744073709551616: integer does not fit",
        ),
        ({"spec": {"items": [1.0, float("nan")]}}, "spec.items[1]: Invalid value: nan: not a finite number"),
        ({"data": {1: "one"}}, "data: Invalid value: 1: map keys must be strings"),
        ({"binaryData": {"k": b"\x00"}}, "binaryData.k: Invalid value: a binary value has no JSON form"),
        ({"spec": [{"tags": {"a", "b"}}]}, "spec[0].tags: Invalid value: a set has no JSON form"),
    ],
)
def test_each_problem_is_named_by_its_path(body: Any, problem: str) -> None:
    problems = json_problems(body)
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_a_hostile_body_reports_a_bounded_number_of_problems() -> None:
    assert len(json_problems({"items": [float("inf")] * 1000})) == MAX_PROBLEMS
