"""Knowing that nothing changed in a tree without walking it: Linux inotify, through ctypes.

A long-running reader (the manager's manifest-directory targets, read every tick) would
otherwise stat every file of every tree on every tick. A :class:`TreeWatch` asks the kernel
to report changes below a tree's resource directories; :meth:`TreeWatch.changed` is then one
non-blocking ``read`` when nothing happened.

The watch is only a hint that lets a reader skip its own walk; correctness never depends on
it. Whenever the kernel could have missed something the watch answers "changed": its event
queue overflowed (a big write, such as a tick applying thousands of mutations) or a watched
directory moved (every directory is watched again), a directory was created (it is watched
before the reader walks it again), and — from then on, always — a watch could not be added or
the root itself was removed. It is not used at all (:func:`watch_tree` returns ``None``) off
Linux, when ``MOM_POLL_TREES`` is set (network file systems do not report remote writes),
for a tree holding symbolic links (their targets may live outside it), and when the kernel
refuses more watches.

Private to :mod:`mom.mustgather.loader`. The inotify instance is owned by a
:class:`ChangeNotifier`, created by whoever reads the trees and passed to each reader; nothing
is kept at module level.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import struct
import sys
import threading
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path

IN_MODIFY = 0x00000002
IN_ATTRIB = 0x00000004
IN_CLOSE_WRITE = 0x00000008
IN_MOVED_FROM = 0x00000040
IN_MOVED_TO = 0x00000080
IN_CREATE = 0x00000100
IN_DELETE = 0x00000200
IN_DELETE_SELF = 0x00000400
IN_MOVE_SELF = 0x00000800
IN_Q_OVERFLOW = 0x00004000
IN_IGNORED = 0x00008000
IN_ONLYDIR = 0x01000000
IN_DONT_FOLLOW = 0x02000000
IN_ISDIR = 0x40000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC

CHANGES = (
    IN_MODIFY
    | IN_ATTRIB
    | IN_CLOSE_WRITE
    | IN_MOVED_FROM
    | IN_MOVED_TO
    | IN_CREATE
    | IN_DELETE
    | IN_DELETE_SELF
    | IN_MOVE_SELF
)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len; then len bytes of name
POLL_VARIABLE = "MOM_POLL_TREES"


class _Unwatchable(Exception):
    """The tree cannot be watched reliably; its reader walks it instead."""


class _Pending:
    """What the kernel reported for one tree since it last asked (no reference back to the tree)."""

    __slots__ = ("changed", "created", "rewatch", "root", "root_gone")

    def __init__(self) -> None:
        self.changed = False
        self.created: list[str] = []
        """New directories, to be watched before the tree is walked again."""
        self.rewatch = False
        """Events were lost, or a watched directory moved: watch the whole tree again."""
        self.root = -1
        """The watch descriptor of the tree's root."""
        self.root_gone = False


class _Inotify:
    """The process's one inotify instance: watch descriptors shared by every :class:`TreeWatch`."""

    def __init__(self, libc: ctypes.CDLL) -> None:
        self._libc = libc
        self._lock = threading.Lock()
        fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.fd: int = fd
        weakref.finalize(self, os.close, fd)
        self._owners: dict[int, dict[_Pending, str]] = {}
        """Watch descriptor -> the trees that asked for it, with the directory it stands for."""

    def add(self, owner: _Pending, directory: str) -> int:
        """Watch ``directory`` for ``owner``; its descriptor, or -1 if it no longer exists."""
        mask = CHANGES | IN_ONLYDIR | IN_DONT_FOLLOW
        with self._lock:
            wd: int = self._libc.inotify_add_watch(self.fd, os.fsencode(directory), mask)
            if wd < 0:
                code = ctypes.get_errno()
                if code in (errno.ENOENT, errno.ENOTDIR):
                    return -1  # gone since it was listed: the walk that follows will notice
                raise _Unwatchable(os.strerror(code))
            self._owners.setdefault(wd, {})[owner] = directory  # a moved directory: its new path
            return wd

    def release(self, owner: _Pending) -> None:
        with self._lock:
            for wd in [wd for wd, owners in self._owners.items() if owner in owners]:
                owners = self._owners[wd]
                del owners[owner]
                if not owners:
                    del self._owners[wd]
                    self._libc.inotify_rm_watch(self.fd, wd)

    def drain(self) -> None:
        """Read every pending event and hand it to the trees it concerns."""
        with self._lock:
            while True:
                try:
                    data = os.read(self.fd, 65536)
                except BlockingIOError:
                    return
                self._dispatch(data)

    def _dispatch(self, data: bytes) -> None:
        offset = 0
        while offset < len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
            offset += _EVENT.size + length
            if mask & IN_Q_OVERFLOW:
                for owners in self._owners.values():
                    for owner in owners:
                        owner.changed = owner.rewatch = True
                continue
            gone = mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)
            for owner, directory in self._owners.get(wd, {}).items():
                owner.changed = True
                if gone and wd == owner.root:
                    owner.root_gone = True
                elif gone:
                    owner.rewatch = True  # moved: its subdirectories' paths are stale
                elif mask & IN_ISDIR and mask & (IN_CREATE | IN_MOVED_TO):
                    owner.created.append(os.path.join(directory, os.fsdecode(name)))
            if mask & IN_IGNORED:
                self._owners.pop(wd, None)


class ChangeNotifier:
    """One inotify instance, opened at the first watch and shared by every :class:`TreeWatch` made
    through it (the kernel limits instances per user to about 128; a manager may read more trees
    than that). Whoever reads many trees creates one and hands it to each reader; its descriptor
    is closed once the notifier and all its watches are gone."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inotify: _Inotify | None = None
        self._unavailable = not sys.platform.startswith("linux")

    def _instance(self) -> _Inotify | None:
        with self._lock:
            if self._inotify is None and not self._unavailable:
                try:
                    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
                    self._inotify = _Inotify(libc)
                except (OSError, AttributeError):
                    self._unavailable = True
            return self._inotify

    def watch_tree(
        self, root: Path, subtrees: Iterable[str], unread: Callable[[str], bool] | None = None
    ) -> TreeWatch | None:
        """A watch on ``root``, or ``None`` when its changes cannot be had from the kernel;
        directories ``unread`` names (by path relative to ``root``) are not watched."""
        if os.environ.get(POLL_VARIABLE):
            return None
        inotify = self._instance()
        if inotify is None:
            return None
        watch = TreeWatch(inotify, root, subtrees, unread)
        try:
            watch.start()
        except (_Unwatchable, OSError):
            watch.close()
            return None
        return watch


class TreeWatch:
    """Changes below ``root``: the root itself (shallow) and every directory under ``subtrees``."""

    def __init__(
        self,
        inotify: _Inotify,
        root: Path,
        subtrees: Iterable[str],
        unread: Callable[[str], bool] | None = None,
    ) -> None:
        self._inotify = inotify
        self._root = str(root)
        self._unread = unread
        """Directories (relative to the root) whose changes do not matter: not watched, nor below."""
        self._subtrees = [os.path.join(self._root, name) for name in subtrees]
        self._pending = _Pending()
        self._broken = False
        """A watch could not be added after the start: every call answers "changed"."""
        self._release = weakref.finalize(self, inotify.release, self._pending)

    @property
    def broken(self) -> bool:
        """Whether the watch answers "changed" for good (a watch failed, or the root went away)."""
        return self._broken

    def close(self) -> None:
        """Stop watching (also done when the watch is garbage-collected)."""
        self._release()

    def start(self) -> None:
        self._pending.root = self._inotify.add(self._pending, self._root)
        if self._pending.root < 0:  # gone, or a symbolic link (watches do not follow them)
            raise _Unwatchable(f"{self._root} cannot be watched")
        for subtree in self._subtrees:
            if os.path.isdir(subtree):
                self._watch_below(subtree)

    def _watch_below(self, directory: str) -> None:
        """Watch ``directory`` and everything under it; a symbolic link makes the tree unwatchable."""
        pending = [directory]
        while pending:
            current = pending.pop()
            if self._unread is not None and self._unread(current[len(self._root) + 1 :]):
                continue
            if os.path.islink(current):
                raise _Unwatchable(f"{current} is a symbolic link")
            self._inotify.add(self._pending, current)
            try:
                with os.scandir(current) as entries:
                    for entry in entries:
                        if entry.is_symlink():
                            raise _Unwatchable(f"{entry.path} is a symbolic link")
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
            except (FileNotFoundError, NotADirectoryError):
                continue

    def changed(self) -> bool:
        """Whether anything below the tree may have changed since the last call.

        New directories are watched before this returns, so a walk made after it sees every
        file a later call would not report.
        """
        if self._broken:
            return True
        pending = self._pending
        self._inotify.drain()
        if not pending.changed:
            return False
        if pending.root_gone:  # nothing would report the root coming back
            self._broken = True
            return True
        created, rewatch = pending.created, pending.rewatch
        pending.changed, pending.created, pending.rewatch = False, [], False
        try:
            if rewatch:
                self.start()
            for directory in created:
                if any(directory == s or directory.startswith(s + os.sep) for s in self._subtrees):
                    self._watch_below(directory)
        except (_Unwatchable, OSError):
            self._broken = True
        return True
