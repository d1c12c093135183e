"""Loading a tree changes nothing process-wide unless the caller asks.

Covers:
- ``load_must_gather`` leaves the garbage collector as it found it: nothing frozen, collection
  still enabled — with and without a cache directory, on a fresh load and on a cached one;
- with ``freeze=True`` (what the ``mom`` command asks for) the loaded objects are frozen;
- no cyclic collection runs while a tree is walked, decoded and built (each one could scan every
  object the process holds, a snapshot loaded earlier included), nor while a ``TreeLoader``
  reloads a changed tree or a must-gather is pruned; collection is enabled again afterwards.
The freeze checks run each load in a fresh interpreter, so what other tests did to this process
does not count.
"""

from __future__ import annotations

import gc
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource
from mom.inputs import prune_must_gather
from mom.mustgather.loader import TreeLoader, load_must_gather

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")

SCRIPT = """
import gc, sys
from pathlib import Path
from mom.mustgather.loader import load_must_gather
tree, cache, freeze = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "freeze"
for _ in range(2):  # the second load is answered from the cache when there is one
    snapshot = load_must_gather(tree, cache_dir=Path(cache) if cache else None, freeze=freeze)
    assert len(snapshot) == 1, len(snapshot)
    print(gc.get_freeze_count(), gc.isenabled())
"""


def _tree(root: Path) -> Path:
    configmaps = root / "namespaces" / "demo" / "core" / "configmaps"
    configmaps.mkdir(parents=True)
    (configmaps / "one.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n")
    return root


def _freeze_counts(tree: Path, cache: str, freeze: str) -> list[tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tree), cache, freeze], capture_output=True, text=True, check=True
    )
    return [(int(count), enabled) for count, enabled in (line.split() for line in done.stdout.splitlines())]


@pytest.mark.parametrize("cached", [False, True])
def test_a_load_freezes_nothing_unless_asked(tmp_path: Path, cached: bool) -> None:
    tree = _tree(tmp_path / "tree")
    cache = str(tmp_path / "cache") if cached else ""
    assert _freeze_counts(tree, cache, "") == [(0, "True"), (0, "True")]
    frozen = _freeze_counts(tree, cache, "freeze")
    assert all(count > 0 and enabled == "True" for count, enabled in frozen)


def test_a_load_in_this_process_leaves_the_freeze_count_alone(tmp_path: Path) -> None:
    before = gc.get_freeze_count()
    load_must_gather(_tree(tmp_path / "tree"), cache_dir=tmp_path / "cache")
    load_must_gather(tmp_path / "tree", cache_dir=tmp_path / "cache")
    # A freeze would move every live object (tens of thousands here) into the permanent generation.
    # The count may only fall: an earlier test that ran the ``mom`` command in this process froze
    # its heap, and frozen objects freed since then leave the generation.
    assert gc.get_freeze_count() <= before


def _collections_during(call: Callable[[], object]) -> int:
    """How many collections start while ``call`` runs, with one due after every allocation."""
    started: list[int] = []

    def count(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    call()  # first-use imports and caches are not what is counted
    gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(1, 1, 1)
    gc.callbacks.append(count)
    try:
        call()
        assert gc.isenabled()
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    return len(started)


def _configmaps(root: Path, count: int) -> Path:
    folder = root / "namespaces" / "demo" / "core" / "configmaps"
    folder.mkdir(parents=True)
    for number in range(count):
        (folder / f"c{number}.yaml").write_text(
            f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c{number}\n  labels: {{app: a}}\n"
        )
    return root


def _grows_with_the_tree(tmp_path: Path, collections_for: Callable[[Path], int]) -> int:
    """How many more collections a tree of 200 files costs than one of 10 (0 when none runs
    while the files are read)."""
    small = collections_for(_configmaps(tmp_path / "small", 10))
    big = collections_for(_configmaps(tmp_path / "big", 200))
    assert small > 0  # the counter works: collections outside the reading are seen
    return big - small


def test_no_collection_runs_while_a_tree_loads(tmp_path: Path) -> None:
    def cached(tree: Path) -> int:
        cache = tree.parent / f"cache-{tree.name}"

        def fresh() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            load_must_gather(tree, cache_dir=cache)

        return _collections_during(fresh)

    assert (
        _grows_with_the_tree(
            tmp_path / "plain", lambda tree: _collections_during(lambda: load_must_gather(tree))
        )
        < 5
    )
    assert _grows_with_the_tree(tmp_path / "cached", cached) < 5


def test_no_collection_runs_while_a_tree_loader_reloads(tmp_path: Path) -> None:
    def reloads(tree: Path) -> int:
        loader = TreeLoader(tree)
        changed = tree / "namespaces" / "demo" / "core" / "configmaps" / "c0.yaml"

        original = changed.read_text()
        reloads = [0]

        def reload() -> None:
            reloads[0] += 1
            changed.write_text(f"{original}data: {{n: '{reloads[0]}'}}\n")
            loader.invalidate([str(changed.relative_to(tree))])
            assert loader.load().get(CONFIGMAPS, namespace="demo", name="c0")["data"] == {
                "n": str(reloads[0])
            }

        return _collections_during(reload)

    assert _grows_with_the_tree(tmp_path, reloads) < 5


def test_no_collection_runs_while_a_must_gather_is_pruned(tmp_path: Path) -> None:
    spec = InputResources.from_wire(
        {
            "applyConfigurationResources": {
                "labelSelectedResources": [
                    {
                        "group": "",
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "demo",
                        "labelSelector": {"matchLabels": {"app": "a"}},
                    }
                ]
            }
        },
        "spec",
    )

    def pruned(tree: Path) -> int:
        output = tree.parent / f"out-{tree.name}"
        return _collections_during(lambda: prune_must_gather(tree, spec, output))

    assert _grows_with_the_tree(tmp_path, pruned) < 5
    assert "c199" in (tmp_path / "out-big" / "namespaces" / "demo" / "core" / "configmaps.yaml").read_text()
