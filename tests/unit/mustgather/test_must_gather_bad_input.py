"""Trees mom refuses, and the one clear message it gives for each.

Covers: malformed YAML; a List whose items are not objects; a YAML alias bomb; a symlink
leading out of the tree (and one inside it, which is followed); a file too large to be an
object, refused before it is read; an object of another kind than its directory names;
objects without apiVersion/kind; a directory with no tree. Not errors: a namespace field
disagreeing with the directory, JSON content, ``items: null``, logs and non-resource files.
The CLI prints one line on stderr and exits 1, without a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.cli.main import main
from mom.mustgather import layout
from mom.mustgather.loader import load_must_gather

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {namespace}\n"


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def refused(root: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        load_must_gather(root)
    return caught.value


def test_malformed_yaml(tmp_path: Path) -> None:
    bad = write(tmp_path, "namespaces/ns/core/configmaps/a.yaml", "kind: ConfigMap\n  bad: [indent\n")
    error = refused(tmp_path)
    assert str(bad) in str(error)
    assert "malformed YAML" in str(error)


def test_list_items_not_objects(tmp_path: Path) -> None:
    bad = write(
        tmp_path, "namespaces/ns/core/configmaps.yaml", "apiVersion: v1\nkind: ConfigMapList\nitems:\n- 3\n"
    )
    error = refused(tmp_path)
    assert str(bad) in str(error)
    assert "items[0]: expected an object" in str(error)


def test_alias_bomb(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bad = write(tmp_path, "cluster-scoped-resources/core/nodes/n.yaml", "\n".join(lines) + "\n")
    error = refused(tmp_path)
    assert str(bad) in str(error)
    assert "alias" in str(error)


def test_symlink_out_of_tree_is_refused(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    outside = write(tmp_path, "secret.yaml", CONFIGMAP.format(name="a", namespace="ns"))
    link = tree / "namespaces/ns/core/configmaps/a.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    error = refused(tree)
    assert str(link) in str(error)
    assert "symlink leads outside" in str(error)


def test_symlink_inside_tree_is_followed(tmp_path: Path) -> None:
    target = write(
        tmp_path, "namespaces/ns/core/configmaps/a.yaml", CONFIGMAP.format(name="a", namespace="ns")
    )
    link = tmp_path / "namespaces/other/core/configmaps/a.yaml"
    link.parent.mkdir(parents=True)
    link.symlink_to(target)
    assert load_must_gather(tmp_path).get(CONFIGMAPS, namespace="other", name="a")["metadata"]["name"] == "a"


def test_huge_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "MAX_FILE_BYTES", 1024)
    big = write(tmp_path, "namespaces/ns/core/configmaps.yaml", "x" * 2048)
    os.chmod(big, 0)  # Reading it would fail: the size alone must decide.
    try:
        error = refused(tmp_path)
    finally:
        os.chmod(big, 0o644)
    assert str(big) in str(error)
    assert "2048 bytes, larger than the 1024 bytes" in str(error)


def test_kind_not_matching_directory(tmp_path: Path) -> None:
    secret = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n"
    bad = write(
        tmp_path,
        "namespaces/ns/core/configmaps.yaml",
        f"apiVersion: v1\nkind: ConfigMapList\nitems:\n- {secret.replace(chr(10), chr(10) + '  ')}",
    )
    error = refused(tmp_path)
    assert str(bad) in str(error)
    assert "a Secret does not belong in core/configmaps (holds ConfigMap)" in str(error)


def test_object_without_api_version_or_kind(tmp_path: Path) -> None:
    bad = write(tmp_path, "namespaces/ns/core/configmaps/a.yaml", "metadata:\n  name: a\n")
    error = refused(tmp_path)
    assert str(bad) in str(error)
    assert "apiVersion: required" in str(error)
    assert "kind: required" in str(error)


def test_every_bad_file_is_named(tmp_path: Path) -> None:
    first = write(tmp_path, "namespaces/ns/core/configmaps/a.yaml", "metadata: {}\n")
    second = write(tmp_path, "namespaces/ns/core/secrets/b.yaml", ": : :\n")
    message = str(refused(tmp_path))
    assert str(first) in message
    assert str(second) in message


def test_not_a_tree(tmp_path: Path) -> None:
    write(tmp_path, "notes.txt", "hello")
    assert "no cluster-scoped-resources/ or namespaces/ directory" in str(refused(tmp_path))


def test_tolerated_oddities(tmp_path: Path) -> None:
    write(tmp_path, "namespaces/ns/core/configmaps/a.yaml", CONFIGMAP.format(name="a", namespace="elsewhere"))
    write(tmp_path, "namespaces/ns/core/secrets.yaml", "apiVersion: v1\nkind: SecretList\nitems: null\n")
    write(
        tmp_path,
        "namespaces/ns/core/services/s.yaml",
        '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}',
    )
    write(tmp_path, "namespaces/ns/pods/p/p.yaml", "not: [a pod")
    write(tmp_path, "namespaces/ns/pods/p/c/c/logs/current.log", "log line")
    write(tmp_path, "event-filter.html", "<html>")
    write(tmp_path, "namespaces/ns/core/configmaps/notes.txt", "ignored")
    snapshot = load_must_gather(tmp_path)
    assert snapshot.get(CONFIGMAPS, namespace="ns", name="a")["metadata"]["namespace"] == "elsewhere"
    assert snapshot.list(GroupVersionResource("", "v1", "secrets"), namespace="ns") == []
    assert (
        snapshot.get(GroupVersionResource("", "v1", "services"), namespace="ns", name="s")["kind"]
        == "Service"
    )
    assert len(snapshot) == 2


def test_empty_directory_is_an_empty_tree(tmp_path: Path) -> None:
    snapshot = load_must_gather(tmp_path)
    assert len(snapshot) == 0
    assert snapshot.list(CONFIGMAPS) == []


def test_cli_reports_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "namespaces/ns/core/configmaps/a.yaml", "kind: [\n")
    code = main(["get", "--no-cache", "--must-gather-dir", str(tmp_path), "configmaps", "-n", "ns"])
    captured = capsys.readouterr()
    assert code == 1
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("mom: error: ")
    assert "a.yaml" in lines[0]
    assert "Traceback" not in captured.err
