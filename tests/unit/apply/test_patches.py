"""The patch formats on plain objects.

Covers: JSON patch add/remove/replace/move/copy/test (``-`` appends, ``~1`` escapes), a failed
``test`` or a missing path refuses the whole patch and leaves the input alone; merge patch
merges maps and deletes on ``null``, replaces lists; strategic merge merges conditions by
type and containers by name, keeps unmentioned items, honours ``$patch: delete``, and
replaces lists it has no key for.
"""

from __future__ import annotations

import pytest

from mom.apply.patches import PatchFailed, json_patch, merge_patch, strategic_merge_patch

DOC = {"metadata": {"name": "x", "annotations": {"a/b": "1"}}, "spec": {"list": [1, 2], "n": 1}}


def test_json_patch_operations() -> None:
    result = json_patch(
        DOC,
        [
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "add", "path": "/spec/list/0", "value": 0},
            {"op": "replace", "path": "/spec/n", "value": 2},
            {"op": "copy", "from": "/spec/n", "path": "/spec/m"},
            {"op": "move", "from": "/metadata/annotations/a~1b", "path": "/metadata/annotations/c"},
            {"op": "test", "path": "/spec/m", "value": 2},
            {"op": "remove", "path": "/spec/list/1"},
        ],
    )
    assert result == {
        "metadata": {"name": "x", "annotations": {"c": "1"}},
        "spec": {"list": [0, 2, 3], "n": 2, "m": 2},
    }
    assert DOC["spec"] == {"list": [1, 2], "n": 1}


@pytest.mark.parametrize(
    ("operations", "message"),
    [
        ([{"op": "test", "path": "/spec/n", "value": 5}], "test failed"),
        ([{"op": "remove", "path": "/spec/absent"}], "does not exist"),
        ([{"op": "replace", "path": "/spec/list/2", "value": 1}], "out of range"),
        ([{"op": "frobnicate", "path": "/spec"}], "Unsupported value"),
    ],
)
def test_json_patch_failures_refuse_the_patch(operations: list[dict[str, object]], message: str) -> None:
    with pytest.raises(PatchFailed, match=message):
        json_patch(DOC, [{"op": "replace", "path": "/spec/n", "value": 9}, *operations])
    assert DOC["spec"]["n"] == 1


def test_merge_patch_null_deletes_and_lists_replace() -> None:
    result = merge_patch(
        DOC, {"metadata": {"annotations": None, "labels": {"l": "v"}}, "spec": {"list": [9]}}
    )
    assert result == {"metadata": {"name": "x", "labels": {"l": "v"}}, "spec": {"list": [9], "n": 1}}


def test_strategic_merge_conditions_and_containers_by_key() -> None:
    current = {
        "spec": {"containers": [{"name": "a", "image": "a:1"}, {"name": "b", "image": "b:1", "args": ["x"]}]},
        "status": {
            "conditions": [{"type": "Ready", "status": "False"}, {"type": "Degraded", "status": "True"}]
        },
    }
    patch = {
        "spec": {"containers": [{"name": "b", "image": "b:2"}, {"name": "c", "image": "c:1"}]},
        "status": {"conditions": [{"type": "Degraded", "status": "False"}]},
    }
    result = strategic_merge_patch(current, patch)
    assert result["spec"]["containers"] == [
        {"name": "a", "image": "a:1"},
        {"name": "b", "image": "b:2", "args": ["x"]},
        {"name": "c", "image": "c:1"},
    ]
    assert result["status"]["conditions"] == [
        {"type": "Ready", "status": "False"},
        {"type": "Degraded", "status": "False"},
    ]


def test_strategic_merge_delete_directive_and_unkeyed_lists() -> None:
    current = {"status": {"conditions": [{"type": "A"}, {"type": "B"}]}, "spec": {"args": ["1", "2"]}}
    result = strategic_merge_patch(
        current, {"status": {"conditions": [{"type": "A", "$patch": "delete"}]}, "spec": {"args": ["3"]}}
    )
    assert result == {"status": {"conditions": [{"type": "B"}]}, "spec": {"args": ["3"]}}
