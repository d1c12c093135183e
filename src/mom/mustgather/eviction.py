"""Keeping the cache directory bounded: entries whose tree is gone go, then the least recently used.

Owns :func:`evict` and the size cap's setting (:data:`MAX_BYTES_ENVIRONMENT`). A cache entry is
a parsed tree (a regular file ``must-gather-*.json``) or an unpacked archive (a directory under
``archives/``); nothing else in the cache directory is ever touched (the test apiserver's and
operators' binaries live there too), and no symlink is followed or counted as an entry. An
entry's last use is its modification time (readers touch what they use). Given ``root_of`` (what
tree a parsed-tree entry was made from), :func:`evict` first removes the entries whose tree no
longer exists — and those that do not say, after :data:`UNKNOWN_ROOT_UNUSED_NS` unused (entries
of an older format) — then removes entries oldest first until the total is under the cap.
Entries in ``keep`` (the ones in use now), or holding them, are never removed. Other processes
may use the directory at the same time: an entry that vanishes midway is skipped, and a failure
to remove one is logged, never raised.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from stat import S_ISDIR

from mom.api.errors import InvalidInput
from mom.mustgather.archive import ARCHIVES_DIR

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2 * 1024**3
MAX_BYTES_ENVIRONMENT = "MOM_CACHE_MAX_BYTES"
TREE_ENTRY_PREFIX = "must-gather-"
TREE_ENTRY_SUFFIX = ".json"
UNKNOWN_ROOT_UNUSED_NS = 24 * 3600 * 10**9
"""How long a parsed-tree entry that does not name its tree stays unused, measured back from
the most recently used entry, before it is removed."""


class _Entry:
    __slots__ = ("directory", "path", "real", "size", "used_ns")

    def __init__(self, path: Path, real: Path, used_ns: int, size: int, directory: bool) -> None:
        self.path = path
        self.real = real
        """The path with the cache directory's symlinks resolved (an entry is never one itself)."""
        self.used_ns = used_ns
        self.size = size
        self.directory = directory


def max_bytes_from(environment: Mapping[str, str]) -> int:
    """The cache's size cap set in ``environment``, else :data:`DEFAULT_MAX_BYTES`;
    :class:`InvalidInput` when the setting is not a number of bytes."""
    text = environment.get(MAX_BYTES_ENVIRONMENT, "")
    if not text:
        return DEFAULT_MAX_BYTES
    if not text.isdigit():
        raise InvalidInput(f"${MAX_BYTES_ENVIRONMENT}", [f"must be a number of bytes, not {text!r}"])
    return int(text)


def touch(path: Path) -> None:
    """Mark ``path`` as just used (missing or read-only entries are left alone)."""
    try:
        os.utime(path)
    except OSError:
        return


def _tree_size(directory: str) -> int:
    total = 0
    for parent, _, files in os.walk(directory):  # os.walk does not descend into symlinks
        for name in files:
            try:
                total += os.lstat(os.path.join(parent, name)).st_size
            except OSError:
                continue
    return total


def _scan(directory: Path, keep: Callable[[os.DirEntry[str]], bool]) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as iterator:
            return [entry for entry in iterator if keep(entry)]
    except OSError:
        return []


def _is_tree_entry(entry: os.DirEntry[str]) -> bool:
    name = entry.name
    return (
        name.startswith(TREE_ENTRY_PREFIX)
        and name.endswith(TREE_ENTRY_SUFFIX)
        and entry.is_file(follow_symlinks=False)
    )


def _is_archive_entry(entry: os.DirEntry[str]) -> bool:
    return not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False)


def _entries(cache_dir: Path) -> tuple[list[_Entry], list[_Entry]]:
    """The parsed-tree entries and the unpacked-archive entries, as found (vanished ones left out)."""
    real_dir = cache_dir.resolve()
    trees = _found(cache_dir, real_dir, _is_tree_entry, directory_entries=False)
    holder = cache_dir / ARCHIVES_DIR
    try:
        is_directory = S_ISDIR(os.lstat(holder).st_mode)
    except OSError:
        is_directory = False
    archives = (
        _found(holder, real_dir / ARCHIVES_DIR, _is_archive_entry, directory_entries=True)
        if is_directory
        else []
    )
    return trees, archives


def _found(
    directory: Path,
    real_directory: Path,
    keep: Callable[[os.DirEntry[str]], bool],
    *,
    directory_entries: bool,
) -> list[_Entry]:
    """The entries of ``directory`` that ``keep`` picks: files sized by themselves, or
    (``directory_entries``) directories sized by the files under them."""
    entries = []
    for found in _scan(directory, keep):
        try:
            stat = found.stat(follow_symlinks=False)
        except OSError:
            continue
        size = _tree_size(found.path) if directory_entries else stat.st_size
        entries.append(
            _Entry(
                directory / found.name, real_directory / found.name, stat.st_mtime_ns, size, directory_entries
            )
        )
    return entries


def _remove(entry: _Entry) -> bool:
    """Whether ``entry`` is gone now; it vanishing meanwhile (another process) is no failure."""
    try:
        if entry.directory:
            shutil.rmtree(entry.path)  # refuses a symlink; links inside are removed, not followed
        else:
            entry.path.unlink()
    except FileNotFoundError:
        return True
    except OSError as exc:
        log.warning("cannot evict %s from the cache: %s", entry.path, exc.strerror or exc)
        return False
    return True


def _orphaned(entry: _Entry, root_of: Callable[[Path], str | None], newest_ns: int) -> bool:
    root = root_of(entry.path)
    if root is None:
        return newest_ns - entry.used_ns > UNKNOWN_ROOT_UNUSED_NS
    return not os.path.isdir(root)


def evict(
    cache_dir: Path,
    max_bytes: int,
    keep: Iterable[Path] = (),
    *,
    root_of: Callable[[Path], str | None] | None = None,
) -> list[Path]:
    """Remove the entries of ``cache_dir`` whose tree is gone (with ``root_of``: the tree root a
    parsed-tree entry names, ``None`` when it names none), then the least recently used ones
    until the entries total at most ``max_bytes``; the removed entries, in that order."""
    try:
        kept = [path.resolve() for path in keep]
        trees, archives = _entries(cache_dir)
    except (OSError, RuntimeError) as exc:  # a symlink loop on the way: nothing can be told apart
        log.warning("cannot tidy the cache %s: %s", cache_dir, exc)
        return []

    def held(entry: _Entry) -> bool:
        return any(entry.real == k or entry.real in k.parents for k in kept)

    removed: list[Path] = []
    if root_of is not None:
        newest_ns = max((entry.used_ns for entry in [*trees, *archives]), default=0)
        for entry in trees:
            if not held(entry) and _orphaned(entry, root_of, newest_ns) and _remove(entry):
                removed.append(entry.path)
    gone = set(removed)
    remaining = [entry for entry in [*trees, *archives] if entry.path not in gone]
    total = sum(entry.size for entry in remaining)
    for entry in sorted(remaining, key=lambda entry: entry.used_ns):
        if total <= max_bytes:
            break
        if held(entry) or not _remove(entry):
            continue
        total -= entry.size
        removed.append(entry.path)
    return removed
