"""Copying a decoded object gives what ``copy.deepcopy`` gives: changing the copy, at any depth,
never changes the original."""

from __future__ import annotations

import copy
from typing import Any

from mom.api.resources import copy_value

DEPLOYMENT: dict[str, Any] = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "op", "labels": {"app": "op"}, "managedFields": [{"manager": "m", "fieldsV1": {}}]},
    "spec": {"replicas": 2, "paused": False, "ratio": 0.5, "selector": None, "args": ["--v=2", "--x"]},
}


def test_the_copy_equals_the_original_and_shares_no_container_with_it() -> None:
    copied = copy_value(DEPLOYMENT)
    assert copied == DEPLOYMENT == copy.deepcopy(DEPLOYMENT)
    assert type(copied["spec"]["paused"]) is bool and type(copied["spec"]["replicas"]) is int
    copied["metadata"]["labels"]["app"] = "changed"
    copied["metadata"]["managedFields"][0]["fieldsV1"]["f:x"] = {}
    copied["spec"]["args"].append("--y")
    assert DEPLOYMENT["metadata"]["labels"] == {"app": "op"}
    assert DEPLOYMENT["metadata"]["managedFields"] == [{"manager": "m", "fieldsV1": {}}]
    assert DEPLOYMENT["spec"]["args"] == ["--v=2", "--x"]


def test_a_value_that_is_not_json_is_still_copied_deeply() -> None:
    class Box:
        def __init__(self) -> None:
            self.items = [1]

    original = {"box": Box(), "pair": (1, [2])}
    copied = copy_value(original)
    copied["box"].items.append(2)
    copied["pair"][1].append(3)
    assert original["box"].items == [1] and original["pair"] == (1, [2])
