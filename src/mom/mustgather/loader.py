"""Loading a must-gather tree into a :class:`~mom.mustgather.store.Snapshot`.

Owns: the load pipeline — find the resource root, walk it (:mod:`mom.mustgather.layout`),
decode every resource file, check each object belongs where it was found, choose discovery
(the tree's own ``aggregated-discovery-*.yaml``, else the objects' kinds over mom's built-in
table). Any bad file makes the load fail with one :class:`InvalidInput` naming every bad file.

Its speed-ups are private to it and change nothing outside the load that asked for them:
decoding on helper processes for a big tree (:mod:`mom.mustgather._decoding`), a cache of the
parsed tree in a directory the caller names (:mod:`mom.mustgather._cache`; each write also
tidies that directory, :func:`tidy_cache`), kernel change
notifications for a tree read again and again, through a :class:`ChangeNotifier` its creator
owns (:mod:`mom.mustgather._notify`, made by :func:`change_notifier`), and — only when the
caller asks with ``freeze=True``, as the ``mom`` command does — moving the loaded objects out
of the cyclic garbage collector's reach (``gc.freeze()``), which lasts for the whole process.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.mustgather._decoding import decode_file, decode_files
from mom.mustgather.builtin_discovery import builtin_discovery, discovery_for_objects
from mom.mustgather.discovery import Discovery
from mom.mustgather.documents import check_placement, kinds_by_resource, objects_of, raise_problems
from mom.mustgather.layout import (
    CLUSTER_SCOPED_DIR,
    DISCOVERY_FILES,
    NAMESPACES_DIR,
    TreeFile,
    TreeScan,
    find_resource_root,
    holds_no_resources,
    object_name_of_file,
    scan_tree,
)
from mom.mustgather.reader import Object
from mom.mustgather.store import Location, Snapshot

if TYPE_CHECKING:
    from mom.mustgather._notify import ChangeNotifier as ChangeNotifier  # the type, for TreeLoader's callers
    from mom.mustgather._notify import TreeWatch
    from mom.mustgather.scope import ReadScope

__all__ = [
    "TreeLoader",
    "bulk_allocation",
    "cache_file",
    "change_notifier",
    "decode_file",
    "default_cache_dir",
    "find_resource_root",
    "load_must_gather",
    "tidy_cache",
]


def default_cache_dir() -> Path:
    """``$MOM_CACHE_DIR``, else ``$XDG_CACHE_HOME/mom``, else ``~/.cache/mom``."""
    if explicit := os.environ.get("MOM_CACHE_DIR"):
        return Path(explicit)
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg) / "mom"
    return Path.home() / ".cache" / "mom"


def cache_file(cache_dir: Path, root: Path) -> Path:
    """Where :func:`load_must_gather` caches the tree whose resource root is ``root``."""
    from mom.mustgather import _cache

    return _cache.cache_file(cache_dir, root)


def tidy_cache(cache_dir: Path, max_bytes: int, keep: Iterable[Path] = ()) -> list[Path]:
    """Remove from ``cache_dir`` the parsed trees whose tree is gone, then what was used least
    recently until it holds at most ``max_bytes``, never what is in ``keep`` or holds it
    (:func:`mom.mustgather.eviction.evict`); the entries removed."""
    from mom.mustgather import _cache
    from mom.mustgather.eviction import evict

    return evict(cache_dir, max_bytes, keep, root_of=_cache.entry_root)


def _configured_max_bytes() -> int:
    from mom.mustgather.eviction import DEFAULT_MAX_BYTES, max_bytes_from

    try:
        return max_bytes_from(os.environ)
    except InvalidInput as exc:
        import logging  # only for this message: most loads log nothing

        logging.getLogger(__name__).warning("%s; the cache is kept under %d bytes", exc, DEFAULT_MAX_BYTES)
        return DEFAULT_MAX_BYTES


def change_notifier() -> ChangeNotifier:
    """A new owner of kernel change notifications, to share among the :class:`TreeLoader` objects of
    one reader of many trees (the kernel allows a user only about 128 of them)."""
    from mom.mustgather._notify import ChangeNotifier  # ctypes, only for a long-lived reader

    return ChangeNotifier()


def load_must_gather(
    path: Path,
    *,
    cache_dir: Path | None = None,
    cache_max_bytes: int | None = None,
    scope: ReadScope | None = None,
    freeze: bool = False,
    tidy: bool = True,
) -> Snapshot:
    """The tree at ``path`` (or one directory down) as a snapshot; cached when ``cache_dir`` is set.

    A load that writes the cache then tidies ``cache_dir`` (:func:`tidy_cache`) under
    ``cache_max_bytes`` (``None``: ``$MOM_CACHE_MAX_BYTES``, else 2 GiB), unless ``tidy`` is
    false: for a caller that tidies the cache itself after every load; tidying never makes the
    load fail.

    With ``scope``, only the files it wants are read (and nothing is cached): the snapshot holds
    every object of those (resource, namespace) pairs, and nothing else but namespaces.
    With ``freeze``, every object alive once the tree is loaded is moved out of the cyclic
    collector's reach for the rest of the process (``gc.freeze()``): later collections no longer
    rescan a big snapshot, but nothing frozen is ever collected. For a command that loads one
    tree and exits, not for a library caller."""
    root = find_resource_root(path)
    with bulk_allocation(freeze):
        snapshot, written = _load_tree(root, cache_dir, scope)
    if tidy and written is not None and cache_dir is not None:
        max_bytes = _configured_max_bytes() if cache_max_bytes is None else cache_max_bytes
        tidy_cache(cache_dir, max_bytes, keep=[written, root])
    return snapshot


def _load_tree(root: Path, cache_dir: Path | None, scope: ReadScope | None) -> tuple[Snapshot, Path | None]:
    """The snapshot of the tree at ``root``, and the cache entry written for it, if one was."""
    scan = scan_tree(root, scope)
    if cache_dir is None or scope is not None:  # the cache and what it imports are not needed
        files = scan.files if scope is None else [f for f in scan.files if scope.wants(f)]
        decoded, problems = _decode_files(files)
        return _build_snapshot(root, decoded, scan.problems + problems), None
    from mom.mustgather import _cache

    fingerprint = _cache.fingerprint(root, scan.files)
    if not scan.problems:
        cached = _cache.read_snapshot(cache_dir, fingerprint, root)
        if cached is not None:
            return cached, None
    decoded, problems = _decode_files(scan.files)
    snapshot = _build_snapshot(root, decoded, scan.problems + problems)
    return snapshot, _cache.write_snapshot(cache_dir, fingerprint, snapshot)


class TreeLoader:
    """Loads one tree again and again, decoding only the files that changed since the last load.

    For a long-running reader of a tree that changes a little at a time (the manager reading
    its manifest-directory targets every tick): an unchanged tree returns the same snapshot,
    a changed one re-decodes only the files whose size or modification time moved.
    Change notifications come through ``notifier`` (see :func:`change_notifier`); without
    one, the loader makes its own at its first load. With ``watch=False`` there are none, and
    every load walks the tree: for a reader that loads it once or twice and exits.
    """

    def __init__(
        self,
        path: Path,
        scope: ReadScope | None = None,
        notifier: ChangeNotifier | None = None,
        *,
        watch: bool = True,
    ) -> None:
        self.path = path
        self.scope = scope
        """Only the files this wants are read (:mod:`mom.mustgather.scope`); ``None``: every file."""
        self._notifier = notifier
        self._documents: dict[str, tuple[tuple[int, int], Any]] = {}
        """Decoded documents by path relative to the tree root, with the (size, mtime) they had."""
        self._last: tuple[tuple[int, int], Snapshot] | None = None
        self._root = path
        self._watch: TreeWatch | None = None
        """Kernel change notifications for the tree, once loaded: no walk while nothing changes."""
        self._watch_tried = False
        self._watches = watch

    def load(self) -> Snapshot:
        if self._watch is not None and self._last is not None and not self._watch.changed():
            return self._last[1]
        with bulk_allocation(False):
            return self._load()

    def _load(self) -> Snapshot:
        root = find_resource_root(self.path)
        self._watch_before_walking(root)
        scan = scan_tree(root, self.scope)
        stamp = _scan_stamp(scan)
        if self._last is not None and self._last[0] == stamp:
            return self._last[1]
        self._last = None  # a load that fails is retried in full next time
        files = scan.files if self.scope is None else [f for f in scan.files if self.scope.wants(f)]
        stale = [f for f in files if self._stamp(f) != (f.size, f.mtime_ns)]
        decoded, problems = _decode_files(stale)
        for tree_file, document in decoded:
            self._documents[tree_file.relative] = ((tree_file.size, tree_file.mtime_ns), document)
        present = {f.relative for f in files}
        for gone in [relative for relative in self._documents if relative not in present]:
            del self._documents[gone]
        failed = {path for path, _ in problems}
        current = [
            (f, self._documents[f.relative][1])
            for f in files
            if f.relative in self._documents and not (failed and str(f.path) in failed)
        ]
        snapshot = _build_snapshot(root, current, scan.problems + problems)
        self._last = (stamp, snapshot)
        return snapshot

    def _watch_before_walking(self, root: Path) -> None:
        """Watch ``root`` if it is new here, or its watch stopped being trustworthy (the root was
        removed); a tree that cannot be watched is not tried again."""
        if not self._watches:
            return
        if root == self._root and self._watch_tried and (self._watch is None or not self._watch.broken):
            return
        if self._notifier is None:
            self._notifier = change_notifier()
        if self._watch is not None:
            self._watch.close()
        self._watch = self._notifier.watch_tree(
            root, (CLUSTER_SCOPED_DIR, NAMESPACES_DIR), holds_no_resources
        )
        self._root, self._watch_tried = root, True

    def document(self, relative: str) -> tuple[bool, Any]:
        """``(True, document)`` when the file at ``relative`` was decoded by the last load and has
        not changed since (same size and modification time), else ``(False, None)``: read it yourself."""
        known = self._documents.get(relative)
        if known is None:
            return False, None
        try:
            stat = (self._root / relative).stat()
        except OSError:
            return False, None
        if (stat.st_size, stat.st_mtime_ns) != known[0]:
            return False, None
        return True, known[1]

    def invalidate(self, relatives: Iterable[str]) -> None:
        """Forget files (relative paths) the caller has just rewritten: a rewrite within the file
        system's timestamp granularity, with an unchanged size, would otherwise go unnoticed."""
        forgotten = False
        for relative in relatives:
            self._documents.pop(relative, None)
            forgotten = True
        if forgotten:
            self._last = None

    def _stamp(self, tree_file: TreeFile) -> tuple[int, int] | None:
        known = self._documents.get(tree_file.relative)
        return known[0] if known is not None else None


def _scan_stamp(scan: TreeScan) -> tuple[int, int]:
    """A cheap fingerprint of the files a load reads (path, size, modification time, as the walk
    found them) and of the walk's refusals: the number of entries and an order-independent sum of
    their hashes. Any change to them changes it; files the load does not read do not. Compared
    within one process only, like Python's own ``hash``."""
    total = sum(hash((f.relative, f.size, f.mtime_ns)) for f in scan.files)
    total += sum(hash(problem) for problem in scan.problems)
    return len(scan.files) + len(scan.problems), total & 0xFFFFFFFFFFFFFFFF


@contextmanager
def bulk_allocation(freeze: bool = False) -> Iterator[None]:
    """Keep the cyclic GC off while the body reads must-gather files: a tree walked, decoded and
    built into a snapshot, or files decoded for pruning (the objects made on the way, kept or
    not, would each start collections, some scanning every object the process holds — a
    snapshot loaded earlier included); with ``freeze``, keep it from ever rescanning what was
    made. The GC's state is restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _decode_files(files: list[TreeFile]) -> tuple[list[tuple[TreeFile, Any]], list[tuple[str, str]]]:
    """The decoded files, and ``(file, problem)`` for those that could not be decoded."""
    outcomes = decode_files([f.path for f in files], [f.size for f in files])
    pairs = list(zip(files, outcomes, strict=True))
    problems = [(str(f.path), problem) for f, (_, found) in pairs for problem in found]
    return [(f, document) for f, (document, found) in pairs if not found], problems


def _build_snapshot(
    root: Path, decoded: list[tuple[TreeFile, Any]], problems: list[tuple[str, str]]
) -> Snapshot:
    own_discovery = _own_discovery(decoded)
    known = kinds_by_resource(own_discovery if own_discovery is not None else builtin_discovery())
    locations: dict[tuple[str, str, str], Location] = {}
    namespaces: dict[str, Object] = {}
    for tree_file, document in decoded:
        if tree_file.role == "discovery":
            continue
        file_problems: list[str] = []
        objects = objects_of(document, tree_file, file_problems)
        check_placement(objects, tree_file, known, file_problems)
        if tree_file.role == "namespace":
            if objects and not file_problems:
                namespaces[tree_file.namespace] = objects[0]
        else:
            key = (tree_file.namespace, tree_file.group, tree_file.resource)
            location = locations.setdefault(key, Location(*key))
            if tree_file.role == "list":
                location.list_items = objects
            elif objects:
                location.files[object_name_of_file(tree_file.name, objects[0])] = objects[0]
        problems.extend((str(tree_file.path), problem) for problem in file_problems)
    if problems:
        raise_problems(root, problems)
    discovery = _choose_discovery(own_discovery, decoded, locations.values(), namespaces)
    return Snapshot(locations.values(), namespaces, discovery, root=root)


def _own_discovery(decoded: list[tuple[TreeFile, Any]]) -> Discovery | None:
    documents = [(str(f.path), doc) for f, doc in decoded if f.role == "discovery"]
    return Discovery.from_aggregated(documents) if documents else None


def _choose_discovery(
    own: Discovery | None,
    decoded: list[tuple[TreeFile, Any]],
    locations: Any,
    namespaces: dict[str, Object],
) -> Discovery:
    """The tree's discovery where it has some; the objects over the built-ins for the rest."""
    refs: list[tuple[ObjectRef, Object]] = [
        (ObjectRef(GroupVersionResource("", "v1", "namespaces"), "", name), obj)
        for name, obj in namespaces.items()
    ]
    for location in locations:
        gvr = GroupVersionResource(location.group, "", location.resource)
        for obj in [*(location.list_items or ()), *location.files.values()]:
            refs.append((ObjectRef(gvr, location.namespace, ""), obj))
    derived = discovery_for_objects(refs)
    if own is None:
        return derived
    present = {DISCOVERY_FILES[f.name] for f, _ in decoded if f.role == "discovery"}
    missing = [info for info in derived.resources() if (info.gvr.group == "") not in present]
    return Discovery([*own.resources(), *missing])
