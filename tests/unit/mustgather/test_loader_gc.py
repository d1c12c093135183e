"""Loading a tree changes nothing process-wide unless the caller asks.

Covers:
- ``load_must_gather`` leaves the garbage collector as it found it: nothing frozen, collection
  still enabled — with and without a cache directory, on a fresh load and on a cached one;
- with ``freeze=True`` (what the ``mom`` command asks for) the loaded objects are frozen.
Each load runs in a fresh interpreter, so what other tests did to this process does not count.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
    import gc

    from mom.mustgather.loader import load_must_gather

    before = gc.get_freeze_count()
    load_must_gather(_tree(tmp_path / "tree"), cache_dir=tmp_path / "cache")
    load_must_gather(tmp_path / "tree", cache_dir=tmp_path / "cache")
    # A freeze would move every live object (tens of thousands here) into the permanent generation.
    # The count may only fall: an earlier test that ran the ``mom`` command in this process froze
    # its heap, and frozen objects freed since then leave the generation.
    assert gc.get_freeze_count() <= before
