"""Every reader of a cluster answers the one read protocol alike, and never by argument position.

Covers: a snapshot, a must-gather tree read on demand, the writable view ``mom serve --mutable`` serves and
the live source (over a transport) each answer GET of a namespaced and a cluster-scoped object
and LIST with a namespace and selectors with the same objects; each refuses namespace and name
given by position, so the order of the two can never be confused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.apply.memory_target import MemoryTarget
from mom.client.recorder import MutationRecorder
from mom.client.transport import SnapshotTransport
from mom.inputs import GatheredInputs, TreeSource, write_input_dir
from mom.live.source import LiveSource
from mom.mustgather.reader import ClusterReader
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
NODES = GroupVersionResource("", "v1", "nodes")


def objects() -> list[tuple[ObjectRef, dict[str, Any]]]:
    def configmap(namespace: str, name: str, app: str) -> tuple[ObjectRef, dict[str, Any]]:
        metadata = {"name": name, "namespace": namespace, "labels": {"app": app}}
        return ObjectRef(CONFIGMAPS, namespace, name), {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": metadata,
        }

    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "master-0"}}
    return [
        configmap("ns-a", "a", "x"),
        configmap("ns-a", "b", "y"),
        configmap("ns-b", "a", "x"),
        (ObjectRef(NODES, "", "master-0"), node),
    ]


def tree(root: Path) -> ClusterReader:
    write_input_dir(GatheredInputs(tuple(objects())), root / "tree")
    return TreeSource(root / "tree")


READERS: dict[str, Callable[[Path], ClusterReader]] = {
    "snapshot": lambda _: Snapshot.from_objects(objects()),
    "tree": tree,
    "served": lambda _: MemoryTarget(
        Snapshot.from_objects(objects()), clock=lambda: datetime(2024, 1, 1, tzinfo=UTC)
    ),
    "live": lambda _: LiveSource(SnapshotTransport(Snapshot.from_objects(objects()), MutationRecorder())),
}


def names(found: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return sorted((obj["metadata"].get("namespace", ""), obj["metadata"]["name"]) for obj in found)


@pytest.mark.parametrize("kind", sorted(READERS))
def test_every_reader_answers_get_and_list_alike(kind: str, tmp_path: Path) -> None:
    reader = READERS[kind](tmp_path)
    assert reader.get(CONFIGMAPS, namespace="ns-b", name="a")["metadata"]["namespace"] == "ns-b"
    assert reader.get(NODES, name="master-0")["kind"] == "Node"
    assert names(reader.list(CONFIGMAPS, namespace="ns-a")) == [("ns-a", "a"), ("ns-a", "b")]
    selected = reader.list(CONFIGMAPS, label_selector=LabelSelector.parse("app=x"))
    assert names(selected) == [("ns-a", "a"), ("ns-b", "a")]
    fields = FieldSelector.parse("metadata.namespace=ns-a")
    assert names(reader.list(CONFIGMAPS, field_selector=fields)) == [("ns-a", "a"), ("ns-a", "b")]


@pytest.mark.parametrize("kind", sorted(READERS))
def test_no_reader_takes_namespace_or_name_by_position(kind: str, tmp_path: Path) -> None:
    reader: Any = READERS[kind](tmp_path)
    with pytest.raises(TypeError):
        reader.get(CONFIGMAPS, "ns-a", "a")
    with pytest.raises(TypeError):
        reader.list(CONFIGMAPS, "ns-a")
