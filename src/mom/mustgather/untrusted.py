"""Reading a directory tree someone else wrote, such as an operator's output directory.

Nothing in the tree is trusted: only regular files are read, a symbolic link is never followed
(neither for a file nor for a directory), a FIFO or device is refused without blocking, and
sizes and entry counts are checked against :class:`ReadLimits` *before* the bytes are read.
Directories are opened relative to their parent's descriptor, so a name swapped for a link
between the check and the read still cannot lead elsewhere.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.api.values import Frozen

_DIRECTORY_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK | os.O_NOCTTY


class ReadLimits(Frozen):
    """How much of an untrusted tree mom reads before refusing it."""

    file_bytes: int
    """Largest single file: well above the 3 MiB a kube-apiserver accepts in one request."""
    entries: int
    """Files and directories visited in one tree."""
    total_bytes: int
    """Bytes read from one tree, all files together: what one run may hold in memory."""

    __slots__ = ("entries", "file_bytes", "total_bytes")

    def __init__(
        self,
        file_bytes: int = 8 * 1024 * 1024,
        entries: int = 20000,
        total_bytes: int = 64 * 1024 * 1024,
    ) -> None:
        object.__setattr__(self, "file_bytes", file_bytes)
        object.__setattr__(self, "entries", entries)
        object.__setattr__(self, "total_bytes", total_bytes)


class ReadBudget:
    """What is left of :class:`ReadLimits` while one tree is read."""

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()
        self.entries = 0
        self.bytes = 0

    def take_entry(self, source: str) -> None:
        self.entries += 1
        if self.entries > self.limits.entries:
            raise InvalidInput(source, [f"refused: more than {self.limits.entries} entries in one output"])

    def allowance(self, size: int, source: str) -> int:
        """How many bytes a file of ``size`` bytes may be read up to; refuses it when too big."""
        left = self.limits.total_bytes - self.bytes
        if size > self.limits.file_bytes:
            raise InvalidInput(
                source, [f"refused: {size} bytes, larger than the {self.limits.file_bytes} bytes allowed"]
            )
        if size > left:
            raise InvalidInput(
                source, [f"refused: the output holds more than the {self.limits.total_bytes} bytes allowed"]
            )
        return min(self.limits.file_bytes, left)

    def spend(self, size: int) -> None:
        self.bytes += size


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _refuse_open(exc: OSError, source: str, what: str, found: os.stat_result | None = None) -> InvalidInput:
    if found is not None:
        return InvalidInput(source, [f"refused: {_kind(found.st_mode)}; only {what} are read"])
    if exc.errno == errno.ELOOP:
        return InvalidInput(source, [f"refused: a symbolic link; only {what} are read"])
    return InvalidInput(source, [f"cannot read: {exc.strerror or exc}"])


def _lstat(path: Path | str, dir_fd: int | None) -> os.stat_result | None:
    try:
        return os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None


def open_directory(path: Path | str, source: str, dir_fd: int | None = None) -> int | None:
    """A descriptor of directory ``path`` (never through a link); ``None`` when it does not exist."""
    try:
        return os.open(path, _DIRECTORY_FLAGS, dir_fd=dir_fd)
    except FileNotFoundError:
        return None
    except OSError as exc:
        found = _lstat(path, dir_fd) if exc.errno in (errno.ENOTDIR, errno.ELOOP) else None
        raise _refuse_open(exc, source, "directories", found) from exc


def read_regular_file(name: str, dir_fd: int, source: str, budget: ReadBudget) -> bytes:
    """The bytes of regular file ``name`` in directory ``dir_fd``, within ``budget``."""
    try:
        before = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError as exc:
        raise _refuse_open(exc, source, "regular files") from exc
    if not stat.S_ISREG(before.st_mode):
        raise InvalidInput(source, [f"refused: {_kind(before.st_mode)}; only regular files are read"])
    allowance = budget.allowance(before.st_size, source)
    try:
        fd = os.open(name, _FILE_FLAGS, dir_fd=dir_fd)
    except OSError as exc:
        raise _refuse_open(exc, source, "regular files") from exc
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode) or (opened.st_dev, opened.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            raise InvalidInput(source, ["refused: replaced while being read"])
        chunks: list[bytes] = []
        size = 0
        while size <= allowance:
            chunk = os.read(fd, min(1024 * 1024, allowance + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise InvalidInput(source, [f"cannot read: {exc.strerror or exc}"]) from exc
    finally:
        os.close(fd)
    if size > allowance:
        raise InvalidInput(source, [f"refused: grew past the {allowance} bytes allowed while being read"])
    budget.spend(size)
    return b"".join(chunks)


def walk_tree(
    dir_fd: int, source: str, budget: ReadBudget, max_depth: int
) -> Iterator[tuple[str, int, list[str]]]:
    """``(relative directory, its descriptor, sorted non-directory names)`` for ``dir_fd`` and each
    directory below it, in path order, down to ``max_depth`` levels; deeper trees are refused.

    A descriptor is valid only until the iteration moves on. A symbolic link anywhere in the
    tree is refused, never followed.
    """
    yield from _walk(dir_fd, "", source, budget, max_depth)


def _walk(
    dir_fd: int, relative: str, source: str, budget: ReadBudget, depth_left: int
) -> Iterator[tuple[str, int, list[str]]]:
    directories: list[str] = []
    files: list[str] = []
    try:
        with os.scandir(dir_fd) as entries:
            for entry in entries:
                budget.take_entry(f"{source}/{relative}{entry.name}")
                if entry.is_symlink():
                    raise InvalidInput(
                        f"{source}/{relative}{entry.name}",
                        ["refused: a symbolic link; links are not followed"],
                    )
                (directories if entry.is_dir(follow_symlinks=False) else files).append(entry.name)
    except OSError as exc:
        raise InvalidInput(f"{source}/{relative}", [f"cannot read: {exc.strerror or exc}"]) from exc
    yield relative, dir_fd, sorted(files)
    for name in sorted(directories):
        path = f"{relative}{name}"
        if depth_left <= 0:
            raise InvalidInput(f"{source}/{path}", ["refused: nested deeper than this layout allows"])
        child = open_directory(name, f"{source}/{path}", dir_fd=dir_fd)
        if child is None:
            continue
        try:
            yield from _walk(child, f"{path}/", source, budget, depth_left - 1)
        finally:
            os.close(child)
