"""Must-gather archives unpacked into the cache, and the cache kept under its size cap.

Covers: a ``.tar.gz`` is unpacked once and its one top directory returned (a second call reuses
it); a hostile archive — a member with ``..`` or an absolute path, more bytes than the cap, not a
tar at all — is refused with one message and leaves nothing behind; links and devices are
skipped; a directory passes through untouched. Eviction removes least recently used entries
first, never one in use, and stops under the cap.
"""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import pytest

from mom.api.errors import MomError
from mom.mustgather.archive import ARCHIVES_DIR, unpacked
from mom.mustgather.eviction import evict


def _archive(path: Path, members: dict[str, bytes], links: dict[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return path


def test_an_archive_is_unpacked_once_into_the_cache(tmp_path: Path) -> None:
    archive = _archive(
        tmp_path / "mg.tar.gz",
        {"must-gather/namespaces/ns/core/configmaps.yaml": b"kind: ConfigMapList\nitems: []\n"},
        links={"must-gather/escape": "/etc/passwd"},
    )
    cache = tmp_path / "cache"
    top = unpacked(archive, cache)
    assert top.name == "must-gather" and top.parent.parent == cache / ARCHIVES_DIR
    assert (top / "namespaces" / "ns" / "core" / "configmaps.yaml").is_file()
    assert not (top / "escape").exists() and not (top / "escape").is_symlink()
    assert unpacked(archive, cache) == top
    assert unpacked(tmp_path, cache) == tmp_path


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ({"../outside.yaml": b"x"}, "outside the target"),
        ({"/abs/outside.yaml": b"x"}, "outside the target"),
        ({"big": b"x" * 2048}, "more than 1024 bytes"),
    ],
)
def test_hostile_archives_are_refused(tmp_path: Path, members: dict[str, bytes], problem: str) -> None:
    archive = _archive(tmp_path / "bad.tar.gz", members)
    cache = tmp_path / "cache"
    with pytest.raises(MomError, match=problem):
        unpacked(archive, cache, max_bytes=1024)
    assert list((cache / ARCHIVES_DIR).iterdir()) == []
    assert not (tmp_path / "outside.yaml").exists()


def test_not_a_tar(tmp_path: Path) -> None:
    fake = tmp_path / "fake.tar.xz"
    fake.write_bytes(b"not an archive")
    with pytest.raises(MomError, match="not a readable tar archive") as raised:
        unpacked(fake, tmp_path / "cache")
    assert "\n" not in str(raised.value)


def _entry(cache: Path, name: str, size: int, used: int) -> Path:
    path = cache / name
    path.write_bytes(b"x" * size)
    os.utime(path, ns=(used, used))
    return path


def test_eviction_is_least_recently_used_first(tmp_path: Path) -> None:
    oldest = _entry(tmp_path, "must-gather-a.json", 100, 1_000_000_000)
    middle = _entry(tmp_path, "must-gather-b.json", 100, 2_000_000_000)
    newest = _entry(tmp_path, "must-gather-c.json", 100, 3_000_000_000)
    unpacked_dir = tmp_path / ARCHIVES_DIR / "key"
    (unpacked_dir / "top").mkdir(parents=True)
    (unpacked_dir / "top" / "f").write_bytes(b"x" * 100)
    os.utime(unpacked_dir, ns=(500_000_000, 500_000_000))
    other = tmp_path / "journal.db"
    other.write_bytes(b"x" * 1000)

    removed = evict(tmp_path, 250, keep=[unpacked_dir / "top"])
    assert removed == [oldest, middle]
    assert newest.exists() and unpacked_dir.exists() and other.exists()
    assert evict(tmp_path, 10_000) == []
