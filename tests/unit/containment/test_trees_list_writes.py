"""A write into a huge List file costs what the written object costs, not what the List does.

Covers: the first write into a List longer than ``SPLIT_LIST_ITEMS`` replaces it by one object
file per item (kind and apiVersion inherited from the List, an existing object file kept, the
first of two same-named items kept, long names in their long-name form) and removes the List
file, and every other namespace's List file of that resource with it (Go's LIST of every
namespace reads no object file while one List file is left); afterwards every create, update and delete logs the same bytes and changes the same
files whatever the List's size was; GET and LIST (one namespace, every namespace) answer the
same objects through mom's loader and through a reader following Go's rules (FORMATS.md §1.3,
§1.4), before and after each kind of write; a short List is still rewritten in place, and a
List holding an item that cannot have a file of its own is not split. Figures against List
size: ``python -m benchmarks list_writes``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource, name_of
from mom.apply import ManifestTarget
from mom.apply.placement import SPLIT_LIST_ITEMS
from mom.apply.wal import WAL_FILE
from mom.mustgather.layout import object_file_name
from mom.mustgather.loader import TreeLoader
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json, load_document

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NOW = datetime(2025, 3, 1, tzinfo=UTC)
LOCATION = "namespaces/ns/core"
LIST_FILE = f"{LOCATION}/configmaps.yaml"
OBJECT_DIR = f"{LOCATION}/configmaps"


def _configmap(name: str, value: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": "ns", "labels": {"app": "x"}},
        "data": {"key": value},
    }


def _name(index: int) -> str:
    return f"cm-{index:06d}"


def _tree(root: Path, size: int, *, typed_items: bool = True) -> Path:
    (root / LOCATION).mkdir(parents=True)
    (root / "namespaces/ns/ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n")
    items = [_configmap(_name(i), "old") for i in range(size)]
    if not typed_items:
        for item in items:
            del item["apiVersion"], item["kind"]
    document = {
        "apiVersion": "v1",
        "kind": "ConfigMapList",
        "metadata": {"resourceVersion": "9"},
        "items": items,
    }
    (root / LIST_FILE).write_bytes(dump_json(document))
    return root / LIST_FILE


def _request(action: Action, name: str, value: str = "") -> MutationRequest:
    return MutationRequest(
        action=action,
        gvr=CONFIGMAPS,
        namespace="ns",
        name=name,
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=b"" if action is Action.DELETE else dump_go_yaml(_configmap(name, value)).encode(),
        options=b"",
        patch_type="",
        field_manager="",
    )


def _applied(target: ManifestTarget, mutation_id: str, request: MutationRequest) -> dict[str, int]:
    """Apply ``request``; what it cost: the bytes logged and the files its intent changes."""
    wal = target.root / ".mom" / WAL_FILE
    offset = wal.stat().st_size if wal.exists() else 0
    result = target.apply(mutation_id, request)
    assert result.ok, result
    with open(wal, "rb") as stream:
        stream.seek(offset)
        lines = [json.loads(line) for line in stream.read().splitlines() if line.strip()]
    return {
        "wal bytes": wal.stat().st_size - offset,
        "files": sum(len(record.get("files") or {}) for record in lines),
    }


def _read(path: Path) -> Any:
    return load_document(path.read_bytes(), str(path))


class GoRules:
    """GET and LIST of configmaps as Go's must-gather reader answers them (FORMATS.md §1.3,
    §1.4), read straight from the files: the object file wins a GET; a LIST reads the List
    files alone when there is one among the places it covers, the object files otherwise."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def get(self, name: str, namespace: str = "ns") -> dict[str, Any] | None:
        own = self.root / f"namespaces/{namespace}/core/configmaps" / object_file_name(name)
        if own.is_file():
            return dict(_read(own))
        list_file = self.root / f"namespaces/{namespace}/core/configmaps.yaml"
        if not list_file.is_file():
            return None
        document = _read(list_file)
        item = next((i for i in document["items"] if name_of(i) == name), None)
        return None if item is None else {**item, "kind": document["kind"].removesuffix("List")}

    def list(self, namespace: str | None = "ns") -> list[dict[str, Any]]:
        namespaces = (
            [namespace] if namespace else sorted(p.name for p in (self.root / "namespaces").iterdir())
        )
        places = [self.root / f"namespaces/{ns}/core/configmaps" for ns in namespaces]
        lists = [place.with_suffix(".yaml") for place in places if place.with_suffix(".yaml").is_file()]
        if lists:
            return [item for path in lists for item in _read(path)["items"]]
        return [_read(path) for place in places if place.is_dir() for path in sorted(place.iterdir())]


def _contents(objects: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return sorted((name_of(obj), obj.get("data")) for obj in objects)


def _assert_readers_agree(root: Path, names: list[str]) -> list[tuple[str, Any]]:
    snapshot = TreeLoader(root).load()
    go = GoRules(root)
    listed = _contents(snapshot.list(CONFIGMAPS, namespace="ns"))
    assert listed == _contents(go.list())
    everywhere = _contents(snapshot.list(CONFIGMAPS))
    assert everywhere == _contents(go.list(None))
    assert all(entry in everywhere for entry in listed)
    for name in names:
        found = snapshot.get(CONFIGMAPS, namespace="ns", name=name) if name in dict(listed) else None
        by_go = go.get(name)
        assert (found and found["data"]) == (by_go and by_go["data"]), name
        if by_go is not None:
            assert (by_go["apiVersion"], by_go["kind"]) == ("v1", "ConfigMap")
    return listed


def test_first_write_splits_the_list_into_object_files(tmp_path: Path) -> None:
    size = SPLIT_LIST_ITEMS + 1
    list_file = _tree(tmp_path, size, typed_items=False)
    document = json.loads(list_file.read_bytes())
    long_name = "l" * 240
    document["items"][3]["metadata"]["name"] = long_name
    document["items"][5]["metadata"]["name"] = _name(4)  # a second item of that name: GET reads the first
    list_file.write_bytes(dump_json(document))
    (tmp_path / OBJECT_DIR).mkdir()
    (tmp_path / OBJECT_DIR / f"{_name(2)}.yaml").write_text(dump_go_yaml(_configmap(_name(2), "own file")))
    target = ManifestTarget(tmp_path, clock=lambda: NOW)
    before = {name_of(obj): obj["data"] for obj in target.read().list(CONFIGMAPS, namespace="ns")}

    assert target.apply("m1", _request(Action.UPDATE, _name(7), "new")).outcome.value == "Updated"

    assert not list_file.exists()
    files = sorted(p.name for p in (tmp_path / OBJECT_DIR).iterdir())
    assert len(files) == size - 1
    assert object_file_name(long_name) in files and len(object_file_name(long_name)) < 255
    assert _read(tmp_path / OBJECT_DIR / f"{_name(2)}.yaml")["data"] == {"key": "own file"}
    assert _read(tmp_path / OBJECT_DIR / f"{_name(7)}.yaml")["data"] == {"key": "new"}
    moved = _read(tmp_path / OBJECT_DIR / f"{_name(8)}.yaml")
    assert moved == {**_configmap(_name(8), "old"), "apiVersion": "v1", "kind": "ConfigMap"}
    after = {name_of(obj): obj["data"] for obj in target.read().list(CONFIGMAPS, namespace="ns")}
    assert after == {**before, _name(7): {"key": "new"}}
    _assert_readers_agree(tmp_path, [_name(i) for i in range(10)] + [long_name])


def _costs_after_split(root: Path, size: int, *, read_each_step: bool) -> list[dict[str, int]]:
    _tree(root, size)
    target = ManifestTarget(root, clock=lambda: NOW)
    target.read()
    _applied(target, "split", _request(Action.UPDATE, _name(0), "first"))
    assert not (root / LIST_FILE).exists()
    costs = []
    writes = [
        (Action.UPDATE, _name(7)),
        (Action.CREATE, "created-1"),
        (Action.DELETE, _name(9)),
        (Action.UPDATE, _name(7)),
        (Action.CREATE, "created-2"),
        (Action.DELETE, "created-1"),
    ]
    for step, (action, name) in enumerate(writes):
        costs.append(_applied(target, f"m{step}", _request(action, name, f"v{step}")))
        if read_each_step:
            _assert_readers_agree(root, [_name(0), _name(7), _name(9), "created-1", "created-2"])
    listed = _assert_readers_agree(root, [])
    assert len(listed) == size  # one item deleted, two created, one of those deleted
    assert dict(listed)[_name(7)] == {"key": "v3"} and dict(listed)["created-2"] == {"key": "v4"}
    return costs


def test_writes_after_the_split_do_not_grow_with_the_list(tmp_path: Path) -> None:
    small = _costs_after_split(tmp_path / "small", SPLIT_LIST_ITEMS + 1, read_each_step=True)
    huge = _costs_after_split(tmp_path / "huge", SPLIT_LIST_ITEMS * 8, read_each_step=False)
    assert huge == small
    assert all(cost["files"] == 2 for cost in huge)  # the object's file, and the version counter
    assert max(cost["wal bytes"] for cost in huge) < 2048


def test_a_split_takes_the_lists_of_every_namespace_along(tmp_path: Path) -> None:
    _tree(tmp_path, SPLIT_LIST_ITEMS + 1)
    (tmp_path / "namespaces/other/core").mkdir(parents=True)
    small = {"apiVersion": "v1", "kind": "ConfigMapList", "items": [_configmap("elsewhere", "small")]}
    (tmp_path / "namespaces/other/core/configmaps.yaml").write_bytes(dump_json(small))
    target = ManifestTarget(tmp_path, clock=lambda: NOW)
    before = _contents(target.read().list(CONFIGMAPS))
    assert before == _contents(GoRules(tmp_path).list(None))

    assert target.apply("m1", _request(Action.CREATE, "created", "c")).outcome.value == "Created"

    assert not (tmp_path / "namespaces/other/core/configmaps.yaml").exists()
    assert (tmp_path / "namespaces/other/core/configmaps/elsewhere.yaml").is_file()
    after = _assert_readers_agree(tmp_path, ["created"])
    assert len(after) == SPLIT_LIST_ITEMS + 2
    assert _contents(target.read().list(CONFIGMAPS)) == sorted([*before, ("created", {"key": "c"})])


def test_readers_agree_on_a_huge_list_before_any_write(tmp_path: Path) -> None:
    _tree(tmp_path, SPLIT_LIST_ITEMS * 2)
    listed = _assert_readers_agree(tmp_path, [_name(0), _name(999), "absent"])
    assert len(listed) == SPLIT_LIST_ITEMS * 2


def test_update_in_a_short_list_rewrites_the_list(tmp_path: Path) -> None:
    list_file = _tree(tmp_path, 3)
    target = ManifestTarget(tmp_path, clock=lambda: NOW)
    assert target.apply("m1", _request(Action.UPDATE, _name(1), "new")).outcome.value == "Updated"
    assert target.apply("m2", _request(Action.CREATE, "created", "c")).outcome.value == "Created"
    assert not (tmp_path / OBJECT_DIR).exists()
    items = json.loads(json.dumps(_read(list_file)["items"]))
    assert [name_of(i) for i in items] == [_name(0), _name(1), _name(2), "created"]
    assert items[1]["data"] == {"key": "new"}
    _assert_readers_agree(tmp_path, [_name(1), "created"])


@pytest.mark.parametrize("bad_name", ["", "a/b", ".."])
def test_a_list_with_an_item_that_cannot_have_a_file_is_not_split(tmp_path: Path, bad_name: str) -> None:
    list_file = _tree(tmp_path, SPLIT_LIST_ITEMS + 1)
    document = json.loads(list_file.read_bytes())
    document["items"][-1]["metadata"]["name"] = bad_name
    list_file.write_bytes(dump_json(document))
    target = ManifestTarget(tmp_path, clock=lambda: NOW)

    assert target.apply("m1", _request(Action.UPDATE, _name(1), "new")).outcome.value == "Updated"

    assert not (tmp_path / OBJECT_DIR).exists()
    items = _read(list_file)["items"]
    assert len(items) == SPLIT_LIST_ITEMS + 1 and items[1]["data"] == {"key": "new"}
    _assert_readers_agree(tmp_path, [_name(1)])
