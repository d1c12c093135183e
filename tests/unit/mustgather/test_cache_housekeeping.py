"""The parsed-tree cache keeps itself bounded and clean.

Covers: a tree's entry names the tree it was made from; once that tree is gone, its entry is
removed by the next write to the cache; an entry of an older format (naming no tree) is removed
once it has gone a day unused, not before; the size cap (``cache_max_bytes``, or
``$MOM_CACHE_MAX_BYTES``) removes the least recently used entries first, a cache hit counting as
a use; files and directories in the cache directory that are not entries survive, even when the
cap is smaller than the entries; a symlink named like an entry is neither followed nor removed;
an entry another process removes midway is no failure; a bad ``$MOM_CACHE_MAX_BYTES`` leaves a
library load working and makes a ``mom`` command fail with one line; a command scans the cache
once per load, whether the load wrote an entry or hit one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from mom.cli.main import main
from mom.mustgather.archive import ARCHIVES_DIR
from mom.mustgather.eviction import UNKNOWN_ROOT_UNUSED_NS, evict
from mom.mustgather.loader import cache_file, load_must_gather, tidy_cache

HOUR_NS = 3600 * 10**9


def _tree(path: Path, *names: str) -> Path:
    (path / "namespaces" / "ns").mkdir(parents=True)
    (path / "namespaces" / "ns" / "ns.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n"
    )
    folder = path / "namespaces" / "ns" / "core" / "configmaps"
    folder.mkdir(parents=True)
    for name in names or ("a",):
        (folder / f"{name}.yaml").write_text(f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n")
    return path


def _used(path: Path, when_ns: int) -> None:
    os.utime(path, ns=(when_ns, when_ns), follow_symlinks=False)


def _entries(cache: Path) -> set[str]:
    return {p.name for p in cache.glob("must-gather-*.json")}


def test_the_entry_of_a_vanished_tree_goes_on_the_next_write(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    gone, stays, new = (_tree(tmp_path / name) for name in ("gone", "stays", "new"))
    load_must_gather(gone, cache_dir=cache)
    load_must_gather(stays, cache_dir=cache)
    assert _entries(cache) == {cache_file(cache, gone).name, cache_file(cache, stays).name}
    for path in sorted(gone.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()
    gone.rmdir()

    load_must_gather(stays, cache_dir=cache)  # a cache hit writes nothing, so tidies nothing
    assert cache_file(cache, gone).exists()
    load_must_gather(new, cache_dir=cache)
    assert _entries(cache) == {cache_file(cache, stays).name, cache_file(cache, new).name}


def test_an_entry_of_an_older_format_goes_after_a_day_unused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    tree = _tree(tmp_path / "tree")
    cache.mkdir()
    stale = cache / "must-gather-0123456789abcdef01234567.json"
    recent = cache / "must-gather-89abcdef0123456789abcdef.json"
    for old in (stale, recent):
        old.write_bytes(b'{"format":"mom-snapshot/2 mom/0.1","fingerprint":"f","locations":[]}')
    load_must_gather(tree, cache_dir=cache)
    written = cache_file(cache, tree)
    now = written.stat().st_mtime_ns
    _used(stale, now - UNKNOWN_ROOT_UNUSED_NS - HOUR_NS)
    _used(recent, now - UNKNOWN_ROOT_UNUSED_NS + HOUR_NS)

    assert tidy_cache(cache, 10**9, keep=[written]) == [stale]
    assert recent.exists() and written.exists()


def test_the_cap_evicts_the_least_recently_used_first(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first, second, third = (_tree(tmp_path / name) for name in ("first", "second", "third"))
    load_must_gather(first, cache_dir=cache)
    load_must_gather(second, cache_dir=cache)
    entry = {tree: cache_file(cache, tree) for tree in (first, second, third)}
    now = entry[second].stat().st_mtime_ns
    _used(entry[first], now - 3 * HOUR_NS)
    _used(entry[second], now - 2 * HOUR_NS)
    load_must_gather(first, cache_dir=cache)  # a hit: first is now the most recently used
    size = entry[first].stat().st_size

    load_must_gather(third, cache_dir=cache, cache_max_bytes=2 * size + size // 2)
    assert not entry[second].exists()
    assert entry[first].exists() and entry[third].exists()


def test_the_cap_is_read_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first, second = _tree(tmp_path / "first"), _tree(tmp_path / "second")
    load_must_gather(first, cache_dir=cache)
    monkeypatch.setenv("MOM_CACHE_MAX_BYTES", "1")
    load_must_gather(second, cache_dir=cache)
    assert _entries(cache) == {cache_file(cache, second).name}  # the one in use stays


def test_what_is_not_an_entry_survives(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    kube = cache / "kube" / "v1.31"
    kube.mkdir(parents=True)
    (kube / "kube-apiserver").write_bytes(b"x" * 1000)
    (cache / "operators").mkdir()
    (cache / "operators" / "must-gather-operator.json").write_bytes(b"x" * 1000)
    (cache / "journal.db").write_bytes(b"x" * 1000)
    (cache / "must-gather-notes.txt").write_bytes(b"x" * 1000)
    (cache / ".must-gather-0123.json.1a2b3c4d.tmp").write_bytes(b"x" * 1000)  # another writer's
    (cache / ARCHIVES_DIR).mkdir()
    (cache / ARCHIVES_DIR / ".unpacking-abc").mkdir()
    (cache / ARCHIVES_DIR / "README").write_bytes(b"x" * 1000)
    foreign = sorted(str(p.relative_to(cache)) for p in cache.rglob("*"))
    tree = _tree(tmp_path / "tree")

    load_must_gather(tree, cache_dir=cache, cache_max_bytes=0)
    assert tidy_cache(cache, 0) == [cache_file(cache, tree)]
    assert sorted(str(p.relative_to(cache)) for p in cache.rglob("*")) == foreign


def test_a_symlink_is_not_followed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    outside = tmp_path / "outside"
    outside.mkdir()
    precious = outside / "must-gather-precious.json"
    precious.write_bytes(b'{"format":"mom-snapshot/3","root":"/no/such/tree"}\n{}')
    (outside / "data").mkdir()
    (outside / "data" / "file").write_bytes(b"x" * 1000)
    cache.mkdir()
    (cache / "must-gather-0123456789abcdef01234567.json").symlink_to(precious)
    (cache / ARCHIVES_DIR).mkdir()
    (cache / ARCHIVES_DIR / "0123456789abcdef01234567").symlink_to(outside / "data")
    for link in [*cache.iterdir(), *(cache / ARCHIVES_DIR).iterdir()]:
        _used(link, 1)

    load_must_gather(_tree(tmp_path / "tree"), cache_dir=cache, cache_max_bytes=0)
    assert tidy_cache(cache, 0) != []
    assert precious.read_bytes().startswith(b'{"format"') and (outside / "data" / "file").exists()
    assert (cache / "must-gather-0123456789abcdef01234567.json").is_symlink()
    assert (cache / ARCHIVES_DIR / "0123456789abcdef01234567").is_symlink()


def test_an_entry_removed_meanwhile_is_no_failure(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    entry = cache / "must-gather-0123456789abcdef01234567.json"
    entry.write_bytes(b"x")

    def removed_by_another_process(path: Path) -> str:
        path.unlink()
        return str(tmp_path / "vanished")

    assert evict(cache, 10**9, root_of=removed_by_another_process) == [entry]
    assert evict(cache, 10**9, root_of=removed_by_another_process) == []


def test_a_bad_cap_setting(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tree = _tree(tmp_path / "tree", "only")
    monkeypatch.setenv("MOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("MOM_CACHE_MAX_BYTES", "2GB")
    with caplog.at_level(logging.WARNING):
        snapshot = load_must_gather(tree, cache_dir=tmp_path / "cache")
    assert len(snapshot) == 2
    assert "$MOM_CACHE_MAX_BYTES" in caplog.text and cache_file(tmp_path / "cache", tree).exists()

    assert main(["get", "configmaps", "-n", "ns", "--must-gather-dir", str(tree)]) == 1
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "$MOM_CACHE_MAX_BYTES" in error and "'2GB'" in error


def test_a_command_tidies_the_cache_once_per_load_whether_it_writes_or_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = _tree(tmp_path / "tree", "only")
    monkeypatch.setenv("MOM_CACHE_DIR", str(tmp_path / "cache"))
    scans: list[Path] = []

    def counted(cache_dir: Path, *args: object, **kwargs: object) -> list[Path]:
        scans.append(cache_dir)
        return evict(cache_dir, *args, **kwargs)

    monkeypatch.setattr("mom.mustgather.eviction.evict", counted)
    for load in ("writes the entry", "hits it"):
        assert main(["get", "configmaps", "-n", "ns", "--must-gather-dir", str(tree)]) == 0, load
        assert scans == [tmp_path / "cache"], load
        scans.clear()
    assert "only" in capsys.readouterr().out
    assert cache_file(tmp_path / "cache", tree).exists()
