"""Input directories pack to identical bytes every time and unpack only when harmless.

Covers: the same tree packed twice (and a copy with other mtimes and modes) gives identical
bytes; a round trip restores every file and empty directory; links in a tree are refused when
packing; archives with absolute paths, ``..`` or links are refused whole, writing nothing;
bytes that are not an archive give one clear error.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest

from mom.api.errors import InvalidInput
from mom.journal import pack_dir, unpack_dir


def _tree(root: Path) -> Path:
    (root / "namespaces" / "kube-system" / "core").mkdir(parents=True)
    (root / "namespaces" / "kube-system" / "core" / "configmaps.yaml").write_text("kind: ConfigMapList\n")
    (root / "cluster-scoped-resources" / "empty").mkdir(parents=True)
    (root / "binary.bin").write_bytes(bytes(range(256)))
    return root


def _contents(root: Path) -> dict[str, bytes | None]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


def test_packing_is_deterministic(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "a")
    copy = tmp_path / "b"
    shutil.copytree(tree, copy)
    for path in copy.rglob("*"):
        os.utime(path, (1_000_000, 1_000_000))
        if path.is_file():
            path.chmod(0o600)
    assert pack_dir(tree) == pack_dir(tree) == pack_dir(copy)


def test_round_trip(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    unpack_dir(pack_dir(tree), tmp_path / "out")
    assert _contents(tmp_path / "out") == _contents(tree)
    assert "cluster-scoped-resources/empty" in _contents(tmp_path / "out")


def test_links_are_not_packed(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree")
    (tree / "link.yaml").symlink_to("/etc/passwd")
    with pytest.raises(InvalidInput, match=r"link\.yaml: only regular files and directories"):
        pack_dir(tree)


def _archive(*entries: tarfile.TarInfo) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for entry in entries:
            archive.addfile(entry, io.BytesIO(b"x" * entry.size) if entry.isreg() else None)
    return buffer.getvalue()


def _file(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 1
    return info


def _link(name: str, target: str, kind: bytes) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    return info


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (_file("/etc/cron.d/evil"), "absolute paths are refused"),
        (_file("ok/../../evil"), "climbing out"),
        (_link("escape", "/etc", tarfile.SYMTYPE), "not links"),
        (_link("hard", "/etc/passwd", tarfile.LNKTYPE), "not links"),
    ],
)
def test_hostile_archives_are_refused_whole(tmp_path: Path, entry: tarfile.TarInfo, problem: str) -> None:
    data = _archive(_file("harmless.yaml"), entry)
    with pytest.raises(InvalidInput, match=problem):
        unpack_dir(data, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil").exists()


def test_garbage_is_not_an_archive(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"inputs archive: not a tar\.gz archive"):
        unpack_dir(b"definitely not gzip", tmp_path / "out")
