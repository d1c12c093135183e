"""Replacing a file atomically (:mod:`mom.mustgather.atomicfile`).

Covers:
- a write that fails midway (while writing, syncing or renaming) leaves the old file untouched
  and no temporary file behind; a write that succeeds leaves only the new file;
- the temporary file's names: fixed ``.<name><suffix>``, or unique ones for concurrent writers,
  shortened to fit the file system's 255 bytes for a long target name;
- permissions: an explicit mode is applied; unique temporary files start private;
- parents are made on request, and a directory sync is done when asked;
- a hook runs between the complete temporary file and the rename (a crash-test point).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from mom.mustgather import atomicfile
from mom.mustgather.atomicfile import sync_directory, write_atomically


def _fail(*_: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
@pytest.mark.parametrize("unique", [False, True])
def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, unique: bool
) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    monkeypatch.setattr(atomicfile.os, step, _fail)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new content", unique=unique)
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


@pytest.mark.parametrize("unique", [False, True])
def test_a_successful_write_leaves_only_the_new_file(tmp_path: Path, unique: bool) -> None:
    target = tmp_path / "state.json"
    target.write_bytes(b"old")
    write_atomically(target, b"new" * 100_000, unique=unique)
    assert target.read_bytes() == b"new" * 100_000
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_temporary_names_are_siblings_and_fit_a_long_target_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: list[str] = []
    real_replace = os.replace

    def spy(source: str, destination: Path) -> None:
        renamed.append(source)
        real_replace(source, destination)

    monkeypatch.setattr(atomicfile.os, "replace", spy)
    write_atomically(tmp_path / "metrics.prom", b"x", sync=False, suffix=".mom-tmp")
    long_name = "n" * 250 + ".yaml"
    write_atomically(tmp_path / long_name, b"x", sync=False, unique=True)
    write_atomically(tmp_path / long_name, b"y", sync=False, unique=True)
    fixed, first, second = (Path(name) for name in renamed)
    assert fixed == tmp_path / ".metrics.prom.mom-tmp"
    assert first.parent == tmp_path and first.name.startswith(".n") and first.name.endswith(".tmp")
    assert len(first.name.encode()) <= 255 and first != second
    assert (tmp_path / long_name).read_bytes() == b"y"


def test_modes_parents_and_a_directory_sync(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def spy(descriptor: int) -> None:
        synced.append(stat.S_IFMT(os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    monkeypatch.setattr(atomicfile.os, "fsync", spy)
    launcher = tmp_path / "new" / "dir" / "launcher"
    write_atomically(launcher, b"#!/bin/sh\n", mode=0o755, make_parents=True, sync_directory=True)
    assert stat.S_IMODE(launcher.stat().st_mode) == 0o755
    assert synced == [stat.S_IFREG, stat.S_IFDIR]  # the file, then its directory

    private = tmp_path / "cache.json"
    write_atomically(private, b"{}", unique=True, sync=False)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600

    sync_directory(tmp_path / "absent")  # nothing to flush: no error


def test_before_replace_sees_the_old_file_and_the_complete_temporary(tmp_path: Path) -> None:
    target = tmp_path / "pod.yaml"
    target.write_bytes(b"old")
    seen: list[tuple[bytes, bytes]] = []

    def check() -> None:
        seen.append((target.read_bytes(), (tmp_path / ".pod.yaml.partial").read_bytes()))

    write_atomically(target, b"new", suffix=".partial", sync_directory=True, before_replace=check)
    assert seen == [(b"old", b"new")]
    assert target.read_bytes() == b"new"
