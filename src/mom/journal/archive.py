"""Input directories packed as bytes: a deterministic tar.gz, unpacked only when harmless.

Packing the same tree twice gives identical bytes: entries sorted by path, modification times
zero, owner 0/0 without names, modes normalised (0644 files, 0755 directories), gzip header
without a time or a file name. Only regular files and directories are stored; a link in the
tree is refused. Unpacking checks every entry first and refuses the whole archive when any
entry is absolute, climbs out with ``..``, or is not a regular file or directory.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from mom.api.errors import InvalidInput

FILE_MODE = 0o644
DIRECTORY_MODE = 0o755
ARCHIVE_SOURCE = "inputs archive"


def _entry(name: str, *, directory: bool, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE if directory else tarfile.REGTYPE
    info.mode = DIRECTORY_MODE if directory else FILE_MODE
    info.size = size
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def _walk(root: Path) -> list[tuple[str, Path]]:
    """Every entry below ``root`` as (posix relative path, path), sorted; links refused."""
    entries: list[tuple[str, Path]] = []
    links: list[str] = []
    for directory, subdirs, files in os.walk(root):
        base = Path(directory)
        for name in subdirs + files:
            path = base / name
            relative = path.relative_to(root).as_posix()
            if path.is_symlink() or not (path.is_dir() or path.is_file()):
                links.append(f"{relative}: only regular files and directories can be stored")
            else:
                entries.append((relative, path))
    if links:
        raise InvalidInput(str(root), sorted(links))
    return sorted(entries)


def pack_dir(root: Path) -> bytes:
    """The tree below ``root`` as deterministic tar.gz bytes."""
    if not root.is_dir():
        raise InvalidInput(str(root), ["not a directory"])
    entries = _walk(root)
    return _pack(
        [relative for relative, path in entries if path.is_dir()],
        {relative: path.read_bytes() for relative, path in entries if path.is_file()},
    )


def pack_files(files: Mapping[str, bytes]) -> bytes:
    """Files given by relative posix path, packed as :func:`pack_dir` packs the tree they form."""
    directories = {
        str(parent) for path in files for parent in PurePosixPath(path).parents if str(parent) != "."
    }
    return _pack(sorted(directories), files)


def _pack(directories: Iterable[str], files: Mapping[str, bytes]) -> bytes:
    entries = sorted(
        [(d, None) for d in directories] + [(f, c) for f, c in files.items()], key=lambda e: e[0]
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for relative, content in entries:
            if content is None:
                archive.addfile(_entry(relative, directory=True))
            else:
                archive.addfile(_entry(relative, directory=False, size=len(content)), io.BytesIO(content))
    return gzip.compress(buffer.getvalue(), compresslevel=1, mtime=0)


def _problem(member: tarfile.TarInfo) -> str | None:
    name = member.name
    path = PurePosixPath(name)
    if path.is_absolute() or name.startswith("\\") or (len(name) > 1 and name[1] == ":"):
        return f"{name}: absolute paths are refused"
    if ".." in path.parts:
        return f'{name}: paths climbing out with ".." are refused'
    if not (member.isreg() or member.isdir()):
        return f"{name}: only regular files and directories are accepted, not links or devices"
    return None


def _open(data: bytes) -> tarfile.TarFile:
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:gz")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise InvalidInput(ARCHIVE_SOURCE, [f"not a tar.gz archive: {exc}"]) from exc


def unpack_dir(data: bytes, root: Path) -> None:
    """Unpack ``data`` (from :func:`pack_dir`) below ``root``, refusing hostile entries."""
    with _open(data) as archive:
        try:
            members = archive.getmembers()
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise InvalidInput(ARCHIVE_SOURCE, [f"damaged archive: {exc}"]) from exc
        problems = [problem for member in members if (problem := _problem(member)) is not None]
        if problems:
            raise InvalidInput(ARCHIVE_SOURCE, problems)
        root.mkdir(parents=True, exist_ok=True)
        try:
            archive.extractall(root, members=members, filter="data")
        except tarfile.TarError as exc:
            raise InvalidInput(ARCHIVE_SOURCE, [str(exc)]) from exc
