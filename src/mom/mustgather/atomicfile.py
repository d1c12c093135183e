"""Replacing a file so that readers see the old content or the new one, never a mix.

Owns :func:`write_atomically` — write a temporary sibling (same directory, so the rename stays
on one file system), optionally ``fsync`` it, rename it over the target with ``os.replace``,
optionally ``fsync`` the directory — and :func:`sync_directory`, for a caller that makes the
renames of a whole batch durable at once. A write that fails midway removes its temporary file
and leaves the target as it was. Imports only ``os`` and the layout's file-name fitting (no
``tempfile``), so an operator's run path can use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from mom.mustgather.layout import MAX_FILE_NAME_BYTES, fitted_file_name, temporary_file_name

TEMPORARY_SUFFIX = ".tmp"
_RANDOM_CHARACTERS = 8
"""Hex characters of a unique temporary name (four random bytes), as ``mkstemp`` adds."""


def write_atomically(
    path: Path,
    content: bytes,
    *,
    sync: bool = True,
    sync_directory: bool = False,
    mode: int | None = None,
    unique: bool = False,
    suffix: str = TEMPORARY_SUFFIX,
    make_parents: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Replace ``path`` with ``content``.

    ``sync`` flushes the file to disk before the rename; ``sync_directory`` also flushes the
    directory after it, so the rename itself survives a power loss. ``mode`` sets the file's
    permissions. The temporary file is ``.<name><suffix>``, created ``0o666`` less the umask —
    one fixed name, so a crash leaves at most one stray file per target — or, with ``unique``,
    ``.<name>.<8 random characters><suffix>``, created private (``0o600``) as ``mkstemp``
    makes one, for targets several writers may replace at once. Names too long for the file
    system are shortened as :func:`mom.mustgather.layout.fitted_file_name` does.
    ``before_replace`` is called once the temporary file is complete, just before the rename
    (a crash-test point).
    """
    directory = path.parent
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = _create_temporary(directory, path.name, suffix, unique)
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(descriptor, view) :]
            if mode is not None:
                os.fchmod(descriptor, mode)
            if sync:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if sync_directory:
        _sync(directory)


def sync_directory(directory: Path) -> None:
    """Flush ``directory``'s entries (renames, new files) to disk; a directory that cannot be
    opened is left alone."""
    try:
        _sync(directory)
    except OSError:
        return


def _sync(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _create_temporary(directory: Path, name: str, suffix: str, unique: bool) -> tuple[int, str]:
    """A new temporary file for ``name`` in ``directory``, open for writing, and its path."""
    if not unique:
        temporary = str(directory / temporary_file_name(name, suffix))
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC | os.O_NOFOLLOW
        return os.open(temporary, flags, 0o666), temporary
    limit = MAX_FILE_NAME_BYTES - _RANDOM_CHARACTERS - len(suffix.encode("utf-8"))
    prefix = fitted_file_name(".", name, ".", limit=limit)
    while True:
        temporary = str(directory / f"{prefix}{os.urandom(_RANDOM_CHARACTERS // 2).hex()}{suffix}")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
            return os.open(temporary, flags, 0o600), temporary
        except FileExistsError:
            continue
