"""A write into a huge List file costs what the written object costs, not what the List does.

Covers: updating one item of a List longer than ``SPLIT_LIST_ITEMS`` leaves the List file's
bytes untouched, logs only the object in the write-ahead log, and stores the new version in
the item's own object file, which GET and LIST (whole List, selectors, every namespace) then
return in the item's place; a second update of the same object rewrites only that file; the
same update on a short List still rewrites the List, as before. Figures against List size:
``python -m benchmarks list_writes``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource, name_of
from mom.apply import ManifestTarget
from mom.apply.placement import SPLIT_LIST_ITEMS
from mom.apply.wal import WAL_FILE
from mom.manifest.requests import MutationRequest
from mom.manifest.selectors import LabelSelector
from mom.serialization import dump_go_yaml, dump_json

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NOW = datetime(2025, 3, 1, tzinfo=UTC)
LIST_FILE = "namespaces/ns/core/configmaps.yaml"


def _configmap(index: int, value: str) -> dict[str, object]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": f"cm-{index}", "namespace": "ns", "labels": {"app": "x"}},
        "data": {"key": value},
    }


def _tree(root: Path, size: int) -> Path:
    (root / "namespaces/ns/core").mkdir(parents=True)
    (root / "namespaces/ns/ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n")
    items = [_configmap(i, "old") for i in range(size)]
    (root / LIST_FILE).write_bytes(dump_json({"apiVersion": "v1", "kind": "ConfigMapList", "items": items}))
    return root / LIST_FILE


def _update(index: int, value: str) -> MutationRequest:
    return MutationRequest(
        action=Action.UPDATE,
        gvr=CONFIGMAPS,
        namespace="ns",
        name=f"cm-{index}",
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=dump_go_yaml(_configmap(index, value)).encode(),
        options=b"",
        patch_type="",
        field_manager="",
    )


def _wal_bytes(root: Path) -> int:
    wal = root / ".mom" / WAL_FILE
    return wal.stat().st_size if wal.exists() else 0


def test_update_in_a_huge_list_leaves_the_list_alone(tmp_path: Path) -> None:
    size = SPLIT_LIST_ITEMS * 4
    list_file = _tree(tmp_path, size)
    before = list_file.read_bytes()
    target = ManifestTarget(tmp_path, clock=lambda: NOW)
    target.read()

    logged = _wal_bytes(tmp_path)
    assert target.apply("m1", _update(7, "new")).outcome.value == "Updated"
    assert list_file.read_bytes() == before
    assert _wal_bytes(tmp_path) - logged < 4096  # the object and its bookkeeping, not the List
    assert (tmp_path / "namespaces/ns/core/configmaps/cm-7.yaml").is_file()

    snapshot = target.read()
    assert snapshot.get(CONFIGMAPS, "ns", "cm-7")["data"] == {"key": "new"}
    for listed in (
        snapshot.list(CONFIGMAPS, "ns"),
        snapshot.list(CONFIGMAPS),
        snapshot.list(CONFIGMAPS, "ns", LabelSelector.parse("app=x")),
    ):
        assert len(listed) == size
        assert [name_of(obj) for obj in listed][:9] == [f"cm-{i}" for i in range(9)]
        assert listed[7]["data"] == {"key": "new"}
        assert all(obj["data"] == {"key": "old"} for i, obj in enumerate(listed) if i != 7)

    assert target.apply("m2", _update(7, "newer")).outcome.value == "Updated"
    assert list_file.read_bytes() == before
    assert target.read().list(CONFIGMAPS, "ns")[7]["data"] == {"key": "newer"}


def test_update_in_a_short_list_rewrites_the_list(tmp_path: Path) -> None:
    list_file = _tree(tmp_path, 3)
    target = ManifestTarget(tmp_path, clock=lambda: NOW)
    assert target.apply("m1", _update(1, "new")).outcome.value == "Updated"
    assert not (tmp_path / "namespaces/ns/core/configmaps").exists()
    assert "new" in list_file.read_text()
    assert target.read().list(CONFIGMAPS, "ns")[1]["data"] == {"key": "new"}
