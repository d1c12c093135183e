"""Keeping the cache directory under a size cap by evicting what was used least recently.

Owns :func:`evict`. A cache entry is a parsed tree (``must-gather-*.json``) or an unpacked
archive (a directory under ``archives/``); its last use is its modification time (readers
touch what they use). Entries are removed oldest first until the total is under the cap;
those in ``keep`` (the ones in use now), or holding them, never are.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from mom.mustgather.archive import ARCHIVES_DIR

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2 * 1024**3


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    total = 0
    for directory, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(directory, name)).st_size
            except OSError:
                continue
    return total


def _entries(cache_dir: Path) -> list[Path]:
    entries = list(cache_dir.glob("must-gather-*.json"))
    archives = cache_dir / ARCHIVES_DIR
    if archives.is_dir():
        entries += [p for p in archives.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return entries


def touch(path: Path) -> None:
    """Mark ``path`` as just used (missing or read-only entries are left alone)."""
    with contextlib.suppress(OSError):
        os.utime(path)


def evict(cache_dir: Path, max_bytes: int, keep: Iterable[Path] = ()) -> list[Path]:
    """Remove least recently used entries until ``cache_dir`` holds at most ``max_bytes``;
    the removed entries, oldest first."""
    kept = {path.resolve() for path in keep}
    try:
        entries = [(p.stat().st_mtime_ns, p, _size(p)) for p in _entries(cache_dir)]
    except OSError:
        return []
    total = sum(size for _, _, size in entries)
    removed: list[Path] = []
    for _, path, size in sorted(entries, key=lambda entry: entry[0]):
        if total <= max_bytes:
            break
        resolved = path.resolve()
        if any(resolved == k or resolved in k.parents for k in kept):
            continue
        try:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError as exc:
            log.warning("cannot evict %s from the cache: %s", path, exc.strerror)
            continue
        total -= size
        removed.append(path)
    return removed
