"""Reading a must-gather tree on demand for one-shot pruning (:class:`mom.inputs.TreeSource`).

Covers: a GET reads the object's own file and nothing else of its resource (a broken sibling
file does not matter); without an own file it reads the List file, and an own file wins over
a List item of the same name; a missing object is NotFound; a LIST reads every file of the
resource in the namespace, so a broken file there is reported as one error naming it; a
GET after a LIST answers from what the LIST read; every answer equals the loaded snapshot's;
a request never looks at another place of the tree (a FIFO there, which a whole walk refuses,
fails nothing), while a FIFO where a request must read fails it, naming the file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mom.api.errors import InvalidInput, NotFound
from mom.api.resources import GroupVersionResource
from mom.inputs import TreeSource
from mom.mustgather.loader import load_must_gather

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
WIDGETS = GroupVersionResource("example.io", "v1", "widgets")


def configmap(name: str, value: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: ns-a\ndata:\n  value: {value}\n"


def tree(root: Path) -> Path:
    core = root / "namespaces" / "ns-a" / "core"
    (core / "configmaps").mkdir(parents=True)
    (core / "configmaps" / "own.yaml").write_text(configmap("own", "from-file"))
    (core / "configmaps" / "shadow.yaml").write_text(configmap("shadow", "from-file"))
    (core / "configmaps.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMapList\nitems:\n"
        "- metadata: {name: listed, namespace: ns-a}\n  data: {value: from-list}\n"
        "- metadata: {name: shadow, namespace: ns-a}\n  data: {value: from-list}\n"
    )
    widgets = root / "cluster-scoped-resources" / "example.io" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "good.yaml").write_text("apiVersion: example.io/v1\nkind: Widget\nmetadata:\n  name: good\n")
    (widgets / "broken.yaml").write_text("apiVersion: example.io/v1\nkind: Widget\nmetadata: [unclosed\n")
    return root


def value(obj: dict[str, object]) -> object:
    data = obj["data"]
    assert isinstance(data, dict)
    return data["value"]


def test_get_reads_only_the_files_that_can_hold_the_object(tmp_path: Path) -> None:
    source = TreeSource(tree(tmp_path))
    assert source.get(WIDGETS, name="good")["metadata"] == {"name": "good"}, "the broken sibling is not read"
    assert value(source.get(CONFIGMAPS, namespace="ns-a", name="own")) == "from-file"
    assert value(source.get(CONFIGMAPS, namespace="ns-a", name="listed")) == "from-list"
    assert value(source.get(CONFIGMAPS, namespace="ns-a", name="shadow")) == "from-file", (
        "an own file wins over the List"
    )
    with pytest.raises(NotFound):
        source.get(CONFIGMAPS, namespace="ns-a", name="absent")
    with pytest.raises(NotFound):
        source.get(CONFIGMAPS, namespace="ns-b", name="own")


def test_list_reads_the_whole_resource_and_names_a_broken_file(tmp_path: Path) -> None:
    source = TreeSource(tree(tmp_path))
    with pytest.raises(InvalidInput, match=r"broken\.yaml"):
        source.list(WIDGETS)
    names = [item["metadata"]["name"] for item in source.list(CONFIGMAPS, namespace="ns-a")]
    assert names == ["listed", "shadow"], "the List file answers a LIST, as in the Go reader"


def test_answers_are_the_loaded_snapshots(tmp_path: Path) -> None:
    root = tree(tmp_path)
    (root / "cluster-scoped-resources" / "example.io" / "widgets" / "broken.yaml").unlink()
    source, snapshot = TreeSource(root), load_must_gather(root)
    for name in ("own", "listed", "shadow"):
        assert source.get(CONFIGMAPS, namespace="ns-a", name=name) == snapshot.get(
            CONFIGMAPS, namespace="ns-a", name=name
        )
    assert source.list(CONFIGMAPS, namespace="ns-a") == snapshot.list(CONFIGMAPS, namespace="ns-a")
    assert source.get(CONFIGMAPS, namespace="ns-a", name="shadow") == snapshot.get(
        CONFIGMAPS, namespace="ns-a", name="shadow"
    )
    assert source.get(WIDGETS, name="good") == snapshot.get(WIDGETS, name="good")


def test_a_request_looks_only_at_the_places_it_reads(tmp_path: Path) -> None:
    root = tree(tmp_path)
    secrets = root / "namespaces" / "ns-a" / "core" / "secrets.yaml"
    os.mkfifo(secrets)
    source = TreeSource(root)
    assert value(source.get(CONFIGMAPS, namespace="ns-a", name="listed")) == "from-list"
    assert [item["metadata"]["name"] for item in source.list(CONFIGMAPS)] == ["listed", "shadow"]
    assert source.namespaces() == []
    with pytest.raises(InvalidInput, match=r"secrets\.yaml.*not a regular file"):
        source.get(GroupVersionResource("", "v1", "secrets"), namespace="ns-a", name="any")
    with pytest.raises(InvalidInput, match="not a regular file"):
        load_must_gather(root)  # a whole load walks everything
