"""A cache of parsed must-gather trees, so a tree is decoded from YAML only once.

Private to :mod:`mom.mustgather.loader`, which uses it when a load is given a cache directory.
Owns: the fingerprint of a tree (its resolved root and every resource file's relative path,
size and modification time), and the cache entry: one file per tree root in the cache directory,
``must-gather-<key>.json``, whose first line is a small JSON header naming the format and the
tree's root (:func:`entry_root` reads only that line, so housekeeping can tell an entry whose
tree is gone) and whose second line is the parsed snapshot as JSON. Writes are atomic
(:mod:`mom.mustgather.atomicfile`); a read that hits marks the entry as just used (its
modification time). An entry that is missing, stale, of another format, unreadable or corrupt
is ignored and rebuilt, never an error. Holds no state: the cache directory is the caller's.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
from pathlib import Path
from typing import Any

from mom import __version__
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource
from mom.mustgather.atomicfile import write_atomically
from mom.mustgather.discovery import Discovery, ResourceInfo
from mom.mustgather.eviction import TREE_ENTRY_PREFIX, TREE_ENTRY_SUFFIX, touch
from mom.mustgather.layout import TreeFile
from mom.mustgather.store import Location, Snapshot
from mom.serialization import dump_json, load_json

log = logging.getLogger(__name__)

CACHE_FORMAT = f"mom-snapshot/3 mom/{__version__}"
"""Changes whenever the cached shape or the loading rules change, invalidating older caches."""

HEADER_MAX_BYTES = 64 * 1024
"""The most of an entry read for its header line (a root path is at most 4 KiB, escaped)."""


def fingerprint(root: Path, files: list[TreeFile]) -> str:
    """A digest that changes whenever a resource file of the tree is added, removed or touched."""
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\0{root.resolve()}\n".encode())
    for tree_file in files:
        digest.update(f"{tree_file.relative}\0{tree_file.size}\0{tree_file.mtime_ns}\n".encode())
    return digest.hexdigest()


def cache_file(cache_dir: Path, root: Path) -> Path:
    """Where the cache of the tree at ``root`` lives (one file per tree, replaced on change)."""
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:24]
    return cache_dir / f"{TREE_ENTRY_PREFIX}{key}{TREE_ENTRY_SUFFIX}"


def entry_root(path: Path) -> str | None:
    """The tree root the header of the cache entry at ``path`` names, without following a
    symlink or reading past the header; ``None`` when the file has no such header (an entry of
    an older format, a corrupt one, or not a regular file)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as stream:
        try:
            if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                return None
            line = stream.readline(HEADER_MAX_BYTES)
        except OSError:
            return None
    header = _header(line)
    root = header.get("root") if header is not None else None
    return root if isinstance(root, str) and root else None


def _header(line: bytes) -> dict[str, Any] | None:
    if not line.endswith(b"\n"):
        return None
    try:
        header = load_json(line, "cache entry header")
    except InvalidInput:
        return None
    if not isinstance(header, dict) or not str(header.get("format", "")).startswith("mom-snapshot/"):
        return None
    return header


def read_snapshot(cache_dir: Path, expected_fingerprint: str, root: Path) -> Snapshot | None:
    """The cached snapshot of ``root`` if it matches ``expected_fingerprint``, else ``None``."""
    path = cache_file(cache_dir, root)
    try:
        with open(path, "rb") as stream:
            header = _header(stream.readline(HEADER_MAX_BYTES))
            if header is None or header.get("format") != CACHE_FORMAT:
                log.debug("ignoring cache %s: not of format %s", path, CACHE_FORMAT)
                return None
            data = stream.read()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("ignoring unreadable cache %s: %s", path, exc.strerror)
        return None
    try:
        document = load_json(data, str(path))
        if not isinstance(document, dict) or document.get("fingerprint") != expected_fingerprint:
            return None
        snapshot = _snapshot_from(document, root)
    except (InvalidInput, KeyError, TypeError, ValueError, AttributeError) as exc:
        log.warning("ignoring corrupt cache %s: %s", path, exc)
        return None
    touch(path)  # the least recently used entries are evicted first
    return snapshot


def write_snapshot(cache_dir: Path, tree_fingerprint: str, snapshot: Snapshot) -> Path | None:
    """Store ``snapshot`` atomically: the entry written, or ``None`` when it was not (failures
    are logged, the cache being only an optimisation)."""
    if snapshot.root is None:
        return None
    path = cache_file(cache_dir, snapshot.root)
    header = {"format": CACHE_FORMAT, "root": str(snapshot.root.resolve())}
    document = {
        "fingerprint": tree_fingerprint,
        "namespaces": snapshot.namespace_files(),
        "locations": [
            [loc.namespace, loc.group, loc.resource, loc.list_items, loc.files]
            for loc in snapshot.locations()
        ],
        "discovery": [_info_row(info) for info in snapshot.discovery.resources()],
    }
    try:
        payload = b"%b\n%b" % (dump_json(header), dump_json(document))  # compact JSON holds no newline
    except TypeError as exc:  # a value JSON cannot hold (YAML !!binary, ...): no cache for this tree
        log.warning("not caching %s: %s", snapshot.root, exc)
        return None
    try:
        write_atomically(path, payload, unique=True, make_parents=True)
    except OSError as exc:
        log.warning("could not write cache %s: %s", path, exc.strerror)
        return None
    return path


def _info_row(info: ResourceInfo) -> list[Any]:
    gvr = info.gvr
    return [
        gvr.group,
        gvr.version,
        gvr.resource,
        info.kind,
        info.namespaced,
        info.verbs,
        info.short_names,
        info.singular,
    ]


def _snapshot_from(document: dict[str, Any], root: Path) -> Snapshot:
    locations = [
        Location(namespace, group, resource, list_items=items, files=files)
        for namespace, group, resource, items, files in document["locations"]
    ]
    discovery = Discovery(
        ResourceInfo(
            gvr=GroupVersionResource(group, version, resource),
            kind=kind,
            namespaced=namespaced,
            verbs=tuple(verbs),
            short_names=tuple(short_names),
            singular=singular,
        )
        for group, version, resource, kind, namespaced, verbs, short_names, singular in document["discovery"]
    )
    return Snapshot(locations, document["namespaces"], discovery, root=root)
