"""The snapshot built in memory and from small trees, its cache, and `mom get`.

Covers: from_objects with discovery from the objects over the built-in table; GET apiVersion
mismatch is an error; LIST of an unknown resource is NotFound; list kinds; per-location LIST
(list file in one namespace, individual files in another, both in an all-namespaces LIST);
an object in both a List and a file counted once with the file's content; discovery from the
objects' kinds for resources the built-in table lacks; the cache reused, rebuilt when the tree
changes and ignored when corrupt; aggregated discovery documents; `mom get` and
`mom api-resources` output.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.api.errors import MomError, NotFound
from mom.api.resources import GroupVersionKind, GroupVersionResource, ObjectRef
from mom.cli.main import main
from mom.mustgather.loader import cache_file, load_must_gather
from mom.mustgather.store import Snapshot

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
WIDGETS = GroupVersionResource("example.com", "v1alpha1", "widgets")


def configmap(name: str, namespace: str, **labels: str) -> dict[str, object]:
    meta: dict[str, object] = {"name": name, "namespace": namespace, "labels": labels}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta}


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "must-gather" / "image-dir"
    items = "".join(f"- metadata: {{name: c{i}, labels: {{n: '{i}'}}}}\n" for i in range(3))
    write(root, "namespaces/a/a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
    write(root, "namespaces/a/core/configmaps.yaml", f"apiVersion: v1\nkind: ConfigMapList\nitems:\n{items}")
    write(
        root,
        "namespaces/a/core/configmaps/c0.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c0}\ndata: {from: file}\n",
    )
    write(
        root,
        "namespaces/a/core/configmaps/extra.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: extra}\n",
    )
    write(
        root,
        "namespaces/b/core/configmaps/only.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: only}\n",
    )
    write(
        root,
        "cluster-scoped-resources/example.com/widgets/w.yaml",
        "apiVersion: example.com/v1alpha1\nkind: Widget\nmetadata: {name: w}\n",
    )
    return root.parent


def test_from_objects() -> None:
    snapshot = Snapshot.from_objects(
        [
            (ObjectRef(CONFIGMAPS, "ns", "x"), configmap("x", "ns", app="web")),
            (ObjectRef(CONFIGMAPS, "ns", "y"), configmap("y", "ns")),
            (
                ObjectRef(GroupVersionResource("", "v1", "namespaces"), "", "ns"),
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}},
            ),
        ]
    )
    assert len(snapshot) == 3
    assert snapshot.namespaces() == ["ns"]
    assert [o["metadata"]["name"] for o in snapshot.list(CONFIGMAPS)] == ["x", "y"]
    assert snapshot.list_kind(CONFIGMAPS) == GroupVersionKind("", "v1", "ConfigMapList")
    assert snapshot.discovery.resource_info(GroupVersionResource("apps", "v1", "deployments")) is not None
    with pytest.raises(MomError, match="apiVersion 'v1'"):
        snapshot.get(GroupVersionResource("", "v2", "configmaps"), namespace="ns", name="x")
    with pytest.raises(NotFound, match="unknown resource"):
        snapshot.list(GroupVersionResource("nope.io", "v1", "things"))


def test_locations_decide_list(tree: Path) -> None:
    snapshot = load_must_gather(tree)
    names = lambda objs: [o["metadata"]["name"] for o in objs]  # noqa: E731
    assert names(snapshot.list(CONFIGMAPS, namespace="a")) == ["c0", "c1", "c2"]
    assert names(snapshot.list(CONFIGMAPS, namespace="b")) == ["only"]
    assert names(snapshot.list(CONFIGMAPS)) == ["c0", "c1", "c2", "only"]
    assert snapshot.get(CONFIGMAPS, namespace="a", name="c0")["data"] == {"from": "file"}
    assert snapshot.list(CONFIGMAPS, namespace="a")[0]["data"] == {"from": "file"}
    assert snapshot.get(CONFIGMAPS, namespace="a", name="c1")["kind"] == "ConfigMap"
    assert snapshot.get(CONFIGMAPS, namespace="a", name="extra")["metadata"]["name"] == "extra"
    refs = [(r.namespace, r.name) for r, _ in snapshot.objects() if r.gvr.resource == "configmaps"]
    assert refs == [("a", "c0"), ("a", "c1"), ("a", "c2"), ("a", "extra"), ("b", "only")]
    assert len(snapshot) == 7


def test_discovery_from_objects(tree: Path) -> None:
    snapshot = load_must_gather(tree)
    info = snapshot.discovery.resource_info(WIDGETS)
    assert info is not None and info.kind == "Widget" and not info.namespaced
    assert [o["metadata"]["name"] for o in snapshot.list(WIDGETS)] == ["w"]
    document = snapshot.discovery.aggregated_document(legacy=False)
    widgets = [i for i in document["items"] if i["metadata"]["name"] == "example.com"]
    assert widgets[0]["versions"][0]["resources"][0]["scope"] == "Cluster"


def test_cache_reused_rebuilt_and_corrupt(tree: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = load_must_gather(tree, cache_dir=cache_dir)
    (cached,) = cache_dir.iterdir()
    assert not [p for p in cache_dir.iterdir() if p.name.startswith(".")]  # no temporary file left
    again = load_must_gather(tree, cache_dir=cache_dir)
    assert list(again.objects()) == list(first.objects())
    write(
        tree / "image-dir",
        "namespaces/b/core/configmaps/new.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: new}\n",
    )
    changed = load_must_gather(tree, cache_dir=cache_dir)
    assert len(changed) == len(first) + 1
    cached.write_bytes(b"{not json")
    assert len(load_must_gather(tree, cache_dir=cache_dir)) == len(changed)
    assert cache_file(cache_dir, tree / "image-dir") == cached


def test_cli_get(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["get", "--no-cache", "--must-gather-dir", str(tree)]
    assert main([*base, "cm", "-n", "a", "-l", "n in (1,2)", "-o", "name"]) == 0
    assert capsys.readouterr().out == "configmap/c1\nconfigmap/c2\n"
    assert main([*base, "ConfigMap", "-A", "--field-selector", "metadata.name=only"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["NAMESPACE", "NAME", "DATA", "AGE"] and out[1].split()[1] == "only"
    assert main([*base, "widgets.example.com", "w", "-o", "yaml"]) == 0
    assert capsys.readouterr().out.startswith("apiVersion: example.com/v1alpha1\nkind: Widget\n")
    assert main([*base, "configmaps.", "c1", "-n", "a", "-o", "json"]) == 0
    assert '"name": "c1"' in capsys.readouterr().out
    assert main([*base, "gizmos"]) == 1
    assert 'resource type "gizmos"' in capsys.readouterr().err


def test_cli_api_resources(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["api-resources", "--no-cache", "--must-gather-dir", str(tree)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    assert any(line.split() == ["widgets", "example.com/v1alpha1", "false", "Widget"] for line in lines)
    assert any(line.split()[:2] == ["configmaps", "cm"] for line in lines)
