"""Must-gather archives (``.tar``, ``.tar.gz``, ``.tgz``, ``.tar.xz``) unpacked safely into the cache.

Owns :func:`unpacked`: a directory stays what it is; an archive is unpacked once into
``<cache>/archives/<key>/`` (the key follows the archive's resolved path, size and modification
time, so a changed archive is unpacked again) and that directory — or the archive's one top
directory, when it has nothing else — is returned. Unpacking is safe
against a hostile archive: only regular files and directories are extracted (links, devices and
FIFOs are skipped), no member may leave the target (absolute paths, ``..``), and the whole is
refused above :data:`MAX_BYTES` unpacked or :data:`MAX_MEMBERS` members, before anything is
written. It happens in a temporary directory renamed into place, so a half-unpacked archive is
never used.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from mom.api.errors import MomError

ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz")
ARCHIVES_DIR = "archives"
MAX_BYTES = 16 * 1024**3
"""The most an archive may unpack to."""
MAX_MEMBERS = 1_000_000


def is_archive(path: Path) -> bool:
    return path.is_file() and path.name.lower().endswith(ARCHIVE_SUFFIXES)


def _key(path: Path) -> str:
    stat = path.stat()
    text = f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _safe_members(archive: tarfile.TarFile, source: Path, max_bytes: int) -> list[tarfile.TarInfo]:
    kept: list[tarfile.TarInfo] = []
    total = 0
    for count, member in enumerate(archive, start=1):
        if count > MAX_MEMBERS:
            raise MomError(f"{source}: more than {MAX_MEMBERS} members; not unpacked")
        if not (member.isreg() or member.isdir()):
            continue
        name = PurePosixPath(member.name)
        if name.is_absolute() or ".." in name.parts:
            raise MomError(f"{source}: member {member.name!r} would be written outside the target")
        total += member.size
        if total > max_bytes:
            raise MomError(f"{source}: unpacks to more than {max_bytes} bytes; not unpacked")
        kept.append(member)
    return kept


def unpacked(path: Path, cache_dir: Path, max_bytes: int = MAX_BYTES) -> Path:
    """``path`` itself when it is a directory, else where its archive is unpacked in ``cache_dir``."""
    if not is_archive(path):
        return path
    target = cache_dir / ARCHIVES_DIR / _key(path)
    if target.is_dir():
        os.utime(target)  # most recently used
        return _top(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=target.parent))
    try:
        with tarfile.open(path) as archive:
            members = _safe_members(archive, path, max_bytes)
            archive.extractall(scratch, members=members, filter="data")
        scratch.rename(target)
    except (tarfile.TarError, EOFError) as exc:
        raise MomError(f"{path}: not a readable tar archive (.tar, .tar.gz or .tar.xz)") from exc
    except OSError as exc:
        raise MomError(f"{path}: cannot be unpacked into {target.parent}: {exc.strerror}") from exc
    finally:
        if scratch.exists():
            shutil.rmtree(scratch, ignore_errors=True)
    return _top(target)


def _top(target: Path) -> Path:
    """The archive's one top directory when it has nothing else (``must-gather-aws/``), else ``target``."""
    entries = list(target.iterdir())
    return entries[0] if len(entries) == 1 and entries[0].is_dir() and not entries[0].is_symlink() else target
