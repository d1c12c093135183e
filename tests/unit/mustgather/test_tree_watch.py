"""A tree read again and again: changes are seen without walking it, and never missed.

Also: a loader does not watch a namespace's pod logs, which no walk reads, so their changes do
not cost a reload; a resource file changed beside them still does. A tree read only once is not
watched: the watch starts with the second load.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.mustgather._notify import POLL_VARIABLE, TreeWatch
from mom.mustgather.layout import holds_no_resources
from mom.mustgather.loader import TreeLoader, change_notifier
from mom.serialization import dump_json

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="inotify is Linux-only")

CONFIG_MAPS = GroupVersionResource("", "v1", "configmaps")
SUBTREES = ("cluster-scoped-resources", "namespaces")


def watch_tree(
    root: Path, subtrees: tuple[str, ...], unread: Callable[[str], bool] | None = None
) -> TreeWatch | None:
    return change_notifier().watch_tree(root, subtrees, unread)


def _config_map(name: str, value: str) -> bytes:
    return dump_json(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "demo"},
            "data": {"value": value},
        }
    )


def _value(loader: TreeLoader) -> object:
    return loader.load().get(CONFIG_MAPS, namespace="demo", name="one")["data"]["value"]


def _tree(root: Path) -> Path:
    (root / "namespaces" / "demo" / "core" / "configmaps").mkdir(parents=True)
    (root / "cluster-scoped-resources").mkdir()
    (root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml").write_bytes(_config_map("one", "1"))
    return root


def test_an_unchanged_tree_reports_nothing_and_an_edit_in_place_is_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    watch = watch_tree(root, SUBTREES)
    assert watch is not None
    assert not watch.changed()
    with (root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml").open("r+b") as file:
        file.write(b" ")  # in place: the directory's own timestamp does not move
    assert watch.changed()
    assert not watch.changed()


def test_files_in_a_directory_created_later_are_reported(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    watch = watch_tree(root, SUBTREES)
    assert watch is not None
    deep = root / "namespaces" / "other" / "apps" / "deployments"
    deep.mkdir(parents=True)
    assert watch.changed()
    (deep / "web.yaml").write_bytes(b"{}")
    assert watch.changed(), "the new directories are watched too"
    (root / "cluster-scoped-resources" / "nodes").mkdir()
    assert watch.changed()


def test_a_tree_with_symbolic_links_or_polling_asked_for_is_not_watched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "tree")
    monkeypatch.setenv(POLL_VARIABLE, "1")
    assert watch_tree(root, SUBTREES) is None
    monkeypatch.delenv(POLL_VARIABLE)
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(_config_map("two", "2"))
    os.symlink(outside, root / "namespaces" / "demo" / "core" / "configmaps" / "two.yaml")
    assert watch_tree(root, SUBTREES) is None
    linked_root = tmp_path / "linked"
    os.symlink(_tree(tmp_path / "target"), linked_root)
    assert watch_tree(linked_root, SUBTREES) is None


def test_the_loader_sees_every_change_and_keeps_failing_until_a_bad_file_is_fixed(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    loader = TreeLoader(root)
    first = loader.load()
    assert loader.load() is first
    path = root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml"
    path.write_bytes(_config_map("one", "changed"))
    assert _value(loader) == "changed"
    path.write_bytes(b"{ not: [valid")
    for _ in range(2):  # not a stale snapshot on the second read
        with pytest.raises(InvalidInput):
            loader.load()
    path.write_bytes(_config_map("one", "fixed"))
    assert _value(loader) == "fixed"


def test_after_the_kernel_drops_events_the_tree_is_watched_whole_again(tmp_path: Path) -> None:
    limit = int(Path("/proc/sys/fs/inotify/max_queued_events").read_text())
    if limit > 100_000:
        pytest.skip(f"this kernel queues {limit} events; overflowing it would take too long")
    root = _tree(tmp_path)
    watch = watch_tree(root, SUBTREES)
    assert watch is not None
    many = root / "namespaces" / "many"
    many.mkdir()
    for index in range(limit // 2 + 100):  # created, modified, closed: three events each
        (many / f"{index}.yaml").write_bytes(b"{}")
    (root / "namespaces" / "late").mkdir()  # its creation may be among the events dropped
    assert watch.changed()
    assert not watch.changed(), "an overflow is not a reason to stop trusting the watch"
    (root / "namespaces" / "late" / "x.yaml").write_bytes(b"{}")
    assert watch.changed()


def test_a_renamed_directory_is_followed(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    watch = watch_tree(root, SUBTREES)
    assert watch is not None
    (root / "namespaces" / "demo").rename(root / "namespaces" / "renamed")
    assert watch.changed()
    (root / "namespaces" / "renamed" / "apps").mkdir()
    assert watch.changed()
    (root / "namespaces" / "renamed" / "apps" / "x.yaml").write_bytes(b"{}")
    assert watch.changed(), "a directory made below the renamed one is watched under its new name"


def test_the_loader_reads_a_tree_removed_and_made_again(tmp_path: Path) -> None:
    root = _tree(tmp_path / "cluster")
    loader = TreeLoader(root)
    assert _value(loader) == "1"
    shutil.rmtree(root)
    _tree(root)
    (root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml").write_bytes(_config_map("one", "2"))
    assert _value(loader) == "2"
    (root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml").write_bytes(_config_map("one", "33"))
    assert _value(loader) == "33"


def _inotify_descriptors() -> int:
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}") == "anon_inode:inotify"
        except OSError:  # the descriptor listdir itself used, closed since
            continue
    return count


def test_loaders_given_one_notifier_share_one_kernel_instance_and_see_their_own_changes(
    tmp_path: Path,
) -> None:
    before = _inotify_descriptors()
    notifier = change_notifier()
    loaders = [TreeLoader(_tree(tmp_path / f"tree-{index}"), notifier=notifier) for index in range(3)]
    assert [_value(loader) for loader in loaders] == ["1", "1", "1"]
    assert _inotify_descriptors() == before, "a tree read once is not watched"
    assert [_value(loader) for loader in loaders] == ["1", "1", "1"]
    assert _inotify_descriptors() == before + 1
    path = tmp_path / "tree-1" / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml"
    path.write_bytes(_config_map("one", "changed"))
    assert [_value(loader) for loader in loaders] == ["1", "changed", "1"]


def test_pod_logs_are_not_watched_but_resources_beside_them_are(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    logs = root / "namespaces" / "demo" / "pods" / "pod-a" / "container"
    logs.mkdir(parents=True)
    watch = watch_tree(root, SUBTREES, holds_no_resources)
    assert watch is not None
    (logs / "current.log").write_text("a line\n")
    (root / "namespaces" / "demo" / "pods" / "pod-b").mkdir()
    assert not watch.changed(), "nothing a walk reads changed"
    (root / "namespaces" / "demo" / "core" / "configmaps" / "one.yaml").write_bytes(_config_map("one", "2"))
    assert watch.changed()
